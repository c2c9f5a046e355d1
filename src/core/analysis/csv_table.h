#pragma once

#include "core/error.h"

#include <cstddef>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace densito {

/// One data row of a CSV file: its fields in header order and where it starts in the file.
struct CsvRow {
    int line = 0; ///< 1-based line of the row's first character (a quoted field may span lines)
    std::vector<std::string> fields; ///< as read, untrimmed; padded to the header's length
};

/// A CSV file read for a person's sheet (layout sheets): the header, the data rows, and what
/// the reader had to decide. Messages about a cell name file, line and column, e.g.
/// `samples.csv:7: column "lane": "x" is not a whole number`.
struct CsvTable {
    std::string fileName; ///< names the file in messages, e.g. "samples.csv"
    int headerLine = 1;
    std::vector<std::string> header; ///< trimmed, as written
    std::vector<CsvRow> rows;        ///< blank rows (all fields empty) are not kept
    char delimiter = ',';
    std::vector<std::string> notes; ///< what the reader decided, e.g. the semicolon dialect

    /// Excel writes semicolon-separated CSV in locales whose decimal mark is a comma.
    bool isDecimalCommaAccepted() const { return delimiter == ';'; }

    /// The column whose header is `name`, compared case-insensitively after trimming.
    std::optional<std::size_t> findColumn(std::string_view name) const;

    /// The cell, trimmed of surrounding whitespace.
    std::string_view text(const CsvRow& row, std::size_t column) const;

    /// An Error about one cell: subject "file:line", reason `column "name": <problem>`.
    Error cellError(const CsvRow& row, std::size_t column, std::string_view problem) const;

    /// An Error about one row as a whole: subject "file:line".
    Error rowError(const CsvRow& row, std::string_view problem) const;

    /// The cell as a whole number (optional leading sign).
    std::expected<int, Error> wholeNumber(const CsvRow& row, std::size_t column) const;

    /// The cell as a finite decimal number; a decimal comma is read in semicolon files.
    std::expected<double, Error> decimalNumber(const CsvRow& row, std::size_t column) const;
};

/// Reads CSV text: UTF-8 with or without a byte-order mark; LF, CRLF or CR line ends;
/// RFC 4180 quoting (delimiters, doubled quotes and line breaks inside quotes). The delimiter
/// is a semicolon when the header line has semicolons and no commas outside quotes (Excel's
/// export in comma-decimal locales; then a note says so), else a comma. Fails on UTF-16 text,
/// an unclosed quote, text after a closing quote, a row with more non-empty fields than the
/// header, a repeated column name, or a file without a header.
std::expected<CsvTable, Error> parseCsv(std::string_view text, std::string fileName);

/// parseCsv() of a file; messages name the file by its file name.
std::expected<CsvTable, Error> readCsvFile(const std::filesystem::path& path);

/// `text` without leading and trailing spaces, tabs and line breaks.
std::string_view trimmed(std::string_view text);

/// `text` in ASCII lower case (other bytes unchanged).
std::string asciiLower(std::string_view text);

/// The whole of `text` (trimmed) as an int: digits with an optional sign, nothing else.
std::optional<int> parseWholeNumber(std::string_view text);

/// The whole of `text` (trimmed) as a finite double; with `isDecimalCommaAccepted` one comma
/// may stand for the decimal point ("1,5").
std::optional<double> parseDecimalNumber(std::string_view text, bool isDecimalCommaAccepted);

} // namespace densito
