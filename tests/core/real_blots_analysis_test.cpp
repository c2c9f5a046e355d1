// Lane counts on the real public blots, where SOURCE.md states them and the automatic analysis
// already gets them. Skipped when ../shared/real_blots is absent.
#include "core/pipeline/image_analysis.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace densito {
namespace {

const std::filesystem::path kRealBlots = DENSITO_REAL_BLOTS_DIR;

TEST(RealBlotAnalysis, AmershamActinHasEightLanesWithOneStrongBandEach) {
    const auto file =
        kRealBlots / "amersham_iq800_actin_csitron" / "antiActin_20240710_131425_Ch_Chemi.tif";
    if (!std::filesystem::exists(file)) {
        GTEST_SKIP() << "real blots not present at " << kRealBlots;
    }
    const auto result = analyzeImage(file, {});
    ASSERT_TRUE(result.has_value()) << result.error().describe();
    // SOURCE.md: "An actin western with 8 lanes: one clean strong band per lane".
    EXPECT_EQ(result->analysis.lanes.size(), 8u);
    int strongRow = 0;
    for (const Band& band : result->analysis.bands) {
        if (band.row == 1) {
            ++strongRow;
            EXPECT_EQ(band.flags & (kBandSaturated | kBandWeak), 0u) << "lane " << band.lane;
        }
    }
    EXPECT_EQ(strongRow, 8);
}

} // namespace
} // namespace densito
