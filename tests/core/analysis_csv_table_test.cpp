// The CSV reader for layout sheets: encodings, line ends, RFC 4180 quoting, Excel's
// semicolon dialect, and messages that name file, line and column.
#include "core/analysis/csv_table.h"

#include "support/temp_dir.h"

#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace densito {
namespace {

CsvTable parsed(std::string_view text) {
    auto table = parseCsv(text, "samples.csv");
    EXPECT_TRUE(table.has_value()) << (table ? "" : table.error().describe());
    return table.value_or(CsvTable{});
}

std::vector<std::string> fieldsOf(const CsvRow& row) {
    return row.fields;
}

TEST(CsvTable, ReadsHeaderRowsAndLineNumbers) {
    const CsvTable table = parsed("membrane,lane\nM1,1\nM1,2\n");
    EXPECT_EQ(table.header, (std::vector<std::string>{"membrane", "lane"}));
    ASSERT_EQ(table.rows.size(), 2u);
    EXPECT_EQ(fieldsOf(table.rows[1]), (std::vector<std::string>{"M1", "2"}));
    EXPECT_EQ(table.rows[0].line, 2);
    EXPECT_EQ(table.rows[1].line, 3);
    EXPECT_EQ(table.delimiter, ',');
    EXPECT_TRUE(table.notes.empty());
}

TEST(CsvTable, AcceptsAByteOrderMarkAndEveryLineEnd) {
    for (const std::string_view text : {"\xEF\xBB\xBF"
                                        "a,b\r\n1,2\r\n3,4",
                                        "a,b\r1,2\r3,4\r", "a,b\n1,2\n3,4\n"}) {
        const CsvTable table = parsed(text);
        EXPECT_EQ(table.header, (std::vector<std::string>{"a", "b"})) << text;
        ASSERT_EQ(table.rows.size(), 2u) << text;
        EXPECT_EQ(table.rows[1].line, 3) << text;
        EXPECT_EQ(fieldsOf(table.rows[1]), (std::vector<std::string>{"3", "4"})) << text;
    }
}

TEST(CsvTable, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
    const CsvTable table = parsed("sample,note\n\"a, b\",\"say \"\"hi\"\"\"\n"
                                  "\"two\r\nlines\",x\nlast,\"\"\n");
    ASSERT_EQ(table.rows.size(), 3u);
    EXPECT_EQ(fieldsOf(table.rows[0]), (std::vector<std::string>{"a, b", "say \"hi\""}));
    EXPECT_EQ(fieldsOf(table.rows[1]), (std::vector<std::string>{"two\nlines", "x"}));
    // The row after a two-line field starts on line 5.
    EXPECT_EQ(table.rows[2].line, 5);
    EXPECT_EQ(fieldsOf(table.rows[2]), (std::vector<std::string>{"last", ""}));
}

TEST(CsvTable, SkipsBlankLinesAndRowsOfEmptyFields) {
    const CsvTable table = parsed("\n\na,b\n\n1,2\n,\n  ;\n\n3,4\n");
    EXPECT_EQ(table.headerLine, 3);
    ASSERT_EQ(table.rows.size(), 3u); // "  ;" is one field in a comma file, not blank
    EXPECT_EQ(table.rows[0].line, 5);
    EXPECT_EQ(table.rows[1].line, 7);
    EXPECT_EQ(table.rows[2].line, 9);
}

TEST(DetectDelimiter, SemicolonWhenTheHeaderHasNoCommas) {
    const CsvTable table = parsed("membrane;lane;region\nM1;1;\"10;20;30;40\"\n");
    EXPECT_EQ(table.delimiter, ';');
    EXPECT_TRUE(table.isDecimalCommaAccepted());
    EXPECT_EQ(fieldsOf(table.rows[0]), (std::vector<std::string>{"M1", "1", "10;20;30;40"}));
    ASSERT_EQ(table.notes.size(), 1u);
    EXPECT_NE(table.notes[0].find("samples.csv: read as semicolon-separated"), std::string::npos);
}

TEST(DetectDelimiter, CommaWhenTheHeaderHasBoth) {
    EXPECT_EQ(parsed("a,b;c\n1,2\n").delimiter, ',');
    EXPECT_EQ(parsed("\"a;b\",c\n1,2\n").delimiter, ',');
    // Semicolons inside quotes do not count.
    EXPECT_EQ(parsed("\"x;y\"\n1\n").delimiter, ',');
}

TEST(DetectDelimiter, SemicolonFilesAcceptDecimalCommas) {
    const CsvTable semicolons = parsed("value;n\n1,5;3\n");
    EXPECT_EQ(semicolons.decimalNumber(semicolons.rows[0], 0).value(), 1.5);
    const CsvTable commas = parsed("value,n\n\"1,5\",3\n");
    EXPECT_EQ(commas.decimalNumber(commas.rows[0], 0).error().describe(),
              "samples.csv:2: column \"value\": \"1,5\" is not a number");
}

TEST(CsvTable, HeaderNamesMatchIgnoringCaseAndSpaces) {
    const CsvTable table = parsed(" Membrane , LANE \nM1,1\n");
    EXPECT_EQ(table.findColumn("membrane"), 0u);
    EXPECT_EQ(table.findColumn(" lane"), 1u);
    EXPECT_FALSE(table.findColumn("sample").has_value());
    EXPECT_EQ(table.header[1], "LANE");
}

TEST(CsvTable, CellMessagesNameFileLineAndColumn) {
    const CsvTable table = parsed("membrane,lane\n\nM1,1\nM1, x \n");
    EXPECT_EQ(table.wholeNumber(table.rows[0], 1).value(), 1);
    EXPECT_EQ(table.wholeNumber(table.rows[1], 1).error().describe(),
              "samples.csv:4: column \"lane\": \"x\" is not a whole number");
    EXPECT_EQ(table.text(table.rows[1], 1), "x");
}

TEST(CsvTable, ShortRowsArePaddedAndTrailingEmptyFieldsDropped) {
    const CsvTable table = parsed("a,b,c\n1\n1,2,3,,\n");
    EXPECT_EQ(fieldsOf(table.rows[0]), (std::vector<std::string>{"1", "", ""}));
    EXPECT_EQ(fieldsOf(table.rows[1]), (std::vector<std::string>{"1", "2", "3"}));
}

TEST(CsvTable, RefusesMalformedFiles) {
    const auto describe = [](std::string_view text) {
        const auto table = parseCsv(text, "blots.csv");
        return table ? std::string("parsed") : table.error().describe();
    };
    EXPECT_EQ(describe("a,b\n1,\"open\n2,3\n"),
              "blots.csv:2: a quoted field is not closed (a \" is missing)");
    EXPECT_EQ(describe("a,b\n\"x\"y,2\n"),
              "blots.csv:2: text after a closing quote (a quote inside a quoted field must be "
              "doubled: \"\")");
    EXPECT_EQ(describe("a;b\n1;2;10;20\n"),
              "blots.csv:2: 4 fields but the header has 2 (a field holding the delimiter must be "
              "quoted)");
    EXPECT_EQ(describe("lane,Lane\n"), "blots.csv:1: column \"Lane\" appears twice");
    EXPECT_EQ(describe("\n\n"), "blots.csv: the file is empty (a header row is needed)");
    EXPECT_EQ(describe("\xFF\xFE"
                       "a\0,\0b\0"),
              "blots.csv: the file is UTF-16 text; save it as CSV UTF-8 (comma delimited)");
}

TEST(CsvTable, LenientWhereSpreadsheetsAre) {
    // A quote inside an unquoted field is text; spaces around a quoted field are ignored.
    const CsvTable table = parsed("a,b\n5\" gel, \"x\" \n");
    EXPECT_EQ(fieldsOf(table.rows[0]), (std::vector<std::string>{"5\" gel", "x"}));
}

TEST(ParseNumbers, WholeAndDecimal) {
    EXPECT_EQ(parseWholeNumber(" 12 "), 12);
    EXPECT_EQ(parseWholeNumber("+3"), 3);
    EXPECT_EQ(parseWholeNumber("-2"), -2);
    EXPECT_FALSE(parseWholeNumber("2.5").has_value());
    EXPECT_FALSE(parseWholeNumber("").has_value());
    EXPECT_FALSE(parseWholeNumber("99999999999").has_value());
    EXPECT_EQ(parseDecimalNumber("2.5", false), 2.5);
    EXPECT_EQ(parseDecimalNumber("-2,5", true), -2.5);
    EXPECT_EQ(parseDecimalNumber("1e3", false), 1000.0);
    EXPECT_FALSE(parseDecimalNumber("2,5", false).has_value());
    EXPECT_FALSE(parseDecimalNumber("1,000.5", true).has_value());
    EXPECT_FALSE(parseDecimalNumber("inf", false).has_value());
}

TEST(ReadCsvFile, NamesTheFileByItsFileName) {
    const test::TempDir folder;
    std::ofstream(folder / "samples.csv", std::ios::binary) << "membrane,lane\nM1,one\n";
    const auto table = readCsvFile(folder / "samples.csv");
    ASSERT_TRUE(table.has_value());
    EXPECT_EQ(table->wholeNumber(table->rows[0], 1).error().describe(),
              "samples.csv:2: column \"lane\": \"one\" is not a whole number");
    EXPECT_EQ(readCsvFile(folder / "absent.csv").error().describe(),
              "absent.csv: cannot open the file for reading");
}

} // namespace
} // namespace densito
