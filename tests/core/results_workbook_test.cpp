// results.xlsx: Excel-safe sheet names and the same bytes for the same tables. Its cells are
// read back against the CSV files by tests/data/statistics/read_back.py
// (OutputsReadBack in analysis_model_goldens_test.cpp).
#include "core/io/results_workbook.h"

#include <chrono>
#include <gtest/gtest.h>
#include <string>
#include <thread>
#include <vector>

namespace densito {
namespace {

TEST(ResultsWorkbook, SheetNamesAreValidInExcelAndUnique) {
    const std::string longStem(40, 'x');
    const std::vector<std::string> wanted{"summary",           "a/b[c]:d*e?f\\g",   "Summary",
                                          "prism " + longStem, "prism " + longStem, ""};
    EXPECT_EQ(workbookSheetNames(wanted),
              (std::vector<std::string>{"summary", "a_b_c__d_e_f_g", "Summary (2)",
                                        "prism " + std::string(25, 'x'),
                                        "prism " + std::string(21, 'x') + " (2)", "sheet"}));
    // A name is cut before the 31-byte limit without splitting a UTF-8 character.
    const std::vector<std::string> greek{std::string(30, 'a') + "\xce\xb2"};
    EXPECT_EQ(workbookSheetNames(greek).front(), std::string(30, 'a'));
}

TEST(ResultsWorkbook, SameTablesGiveTheSameBytes) {
    // libxlsxwriter dates the document with the current second unless told otherwise; the
    // second call runs in a later second, so a clock in the file would show.
    const std::vector<WorkbookSheet> sheets{
        {"summary", "target,condition,p\nAkt,insulin,0.0625\n", {"p"}},
        {"prism p-Akt", "block,control,insulin\nM1,0.5,2\nM2,4,\n", {"control", "insulin"}}};
    const auto first = resultsWorkbook(sheets);
    ASSERT_TRUE(first.has_value()) << first.error().describe();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const auto second = resultsWorkbook(sheets);
    ASSERT_TRUE(second.has_value()) << second.error().describe();
    EXPECT_EQ(*first, *second);
    ASSERT_GT(first->size(), 4u);
    EXPECT_EQ(first->substr(0, 4), "PK\x03\x04"); // a zip container, as .xlsx is
}

TEST(ResultsWorkbook, ATableThatIsNotCsvIsRefusedByName) {
    const std::vector<WorkbookSheet> sheets{{"units", "a,b\n\"open,1\n", {}}};
    const auto workbook = resultsWorkbook(sheets);
    ASSERT_FALSE(workbook.has_value());
    EXPECT_EQ(workbook.error().subject, "results.xlsx");
    EXPECT_TRUE(workbook.error().reason.starts_with("sheet units:")) << workbook.error().reason;
}

} // namespace
} // namespace densito
