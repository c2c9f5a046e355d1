// File names of the per-target outputs (prism/<stem>.csv): safe on Linux, macOS and
// Windows, and unique even when targets differ only by punctuation or case.
#include "core/io/fold_change_chart.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace densito {
namespace {

TEST(SeriesFileStems, AreSafeOnEveryOperatingSystemAndUnique) {
    const std::vector<FoldChangeSeries> series{
        {"Akt", true, "Ser473"},      {"IRS-1", false, ""},   {"IRS/1", false, ""},
        {"IRS 1", false, ""},         {"irs_1", false, ""},   {"CON", false, ""},
        {"nul.x", false, ""},         {".hidden", false, ""}, {"!!!", false, ""},
        {"\xce\xb2-actin", false, ""}};
    EXPECT_EQ(seriesFileStems(series),
              (std::vector<std::string>{"p-Akt_Ser473", "IRS-1", "IRS_1", "IRS_1_2", "irs_1_3",
                                        "target_CON", "target_nul.x", "target_.hidden", "target",
                                        "beta-actin"}));
}

TEST(SeriesFileStems, ChartStemsAreUnchanged) {
    // The chart names kept their rule when the stem code was shared with prism/.
    const std::vector<FoldChangeSeries> series{{"Akt", true, "Ser473"}, {"Akt", true, "ser473"}};
    EXPECT_EQ(foldChangeChartStems(series),
              (std::vector<std::string>{"fold_change_p-Akt_Ser473", "fold_change_p-Akt_ser473_2"}));
}

} // namespace
} // namespace densito
