#include "core/analysis/csv_table.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <set>

namespace densito {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool isLineEnd(char c) {
    return c == '\n' || c == '\r';
}

/// The delimiter, decided from the header (the first non-empty line); quoted text does not count.
char detectDelimiter(std::string_view text) {
    text.remove_prefix(std::min(text.size(), text.find_first_not_of("\r\n")));
    std::size_t commas = 0;
    std::size_t semicolons = 0;
    bool isQuoted = false;
    for (const char c : text) {
        if (c == '"') {
            isQuoted = !isQuoted; // a doubled quote toggles twice, which is right
        } else if (!isQuoted && isLineEnd(c)) {
            break;
        } else if (!isQuoted) {
            commas += c == ',' ? 1 : 0;
            semicolons += c == ';' ? 1 : 0;
        }
    }
    return semicolons > 0 && commas == 0 ? ';' : ',';
}

/// One record as the tokenizer found it.
struct RawRecord {
    int line = 0;
    std::vector<std::string> fields;
};

/// RFC 4180 tokenizer that counts lines (CRLF, CR and LF each end one line). Lenient where
/// spreadsheets are: a quote inside an unquoted field is literal, and spaces around a quoted
/// field are ignored.
class CsvTokenizer {
public:
    CsvTokenizer(std::string_view text, char delimiter, const std::string& fileName)
        : m_text(text), m_delimiter(delimiter), m_fileName(fileName) {}

    std::expected<std::vector<RawRecord>, Error> records() {
        while (m_pos < m_text.size()) {
            if (m_isQuoted) {
                quotedChar();
            } else if (auto step = unquotedChar(); !step) {
                return std::unexpected(step.error());
            }
        }
        if (m_isQuoted) {
            return std::unexpected(Error{fmt::format("{}:{}", m_fileName, m_quoteLine),
                                         "a quoted field is not closed (a \" is missing)"});
        }
        if (m_hasRecordText) {
            endRecord();
        }
        return std::move(m_records);
    }

private:
    /// Consumes one line end; CRLF counts as one.
    void consumeLineEnd() {
        if (m_text[m_pos] == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n') {
            ++m_pos;
        }
        ++m_pos;
        ++m_line;
    }

    void quotedChar() {
        const char c = m_text[m_pos];
        if (c == '"' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '"') {
            m_field += '"';
            m_pos += 2;
        } else if (c == '"') {
            m_isQuoted = false;
            m_isAfterQuote = true;
            ++m_pos;
        } else if (isLineEnd(c)) {
            m_field += '\n';
            consumeLineEnd();
        } else {
            m_field += c;
            ++m_pos;
        }
    }

    std::expected<void, Error> unquotedChar() {
        const char c = m_text[m_pos];
        if (!m_hasRecordText) {
            m_recordLine = m_line;
            m_hasRecordText = true;
        }
        if (c == m_delimiter) {
            endField();
            ++m_pos;
        } else if (isLineEnd(c)) {
            endRecord();
            consumeLineEnd();
        } else if (m_isAfterQuote && (c == ' ' || c == '\t')) {
            ++m_pos;
        } else if (m_isAfterQuote) {
            return std::unexpected(Error{fmt::format("{}:{}", m_fileName, m_line),
                                         "text after a closing quote (a quote inside a quoted "
                                         "field must be doubled: \"\")"});
        } else if (c == '"' && trimmed(m_field).empty()) {
            m_field.clear();
            m_isQuoted = true;
            m_quoteLine = m_line;
            ++m_pos;
        } else {
            m_field += c;
            ++m_pos;
        }
        return {};
    }

    void endField() {
        m_fields.push_back(std::move(m_field));
        m_field.clear();
        m_isAfterQuote = false;
    }

    void endRecord() {
        endField();
        m_records.push_back({m_recordLine, std::move(m_fields)});
        m_fields.clear();
        m_hasRecordText = false;
    }

    std::string_view m_text;
    char m_delimiter;
    const std::string& m_fileName;
    std::size_t m_pos = 0;
    int m_line = 1;
    int m_recordLine = 1;
    int m_quoteLine = 1;
    bool m_hasRecordText = false;
    bool m_isQuoted = false;
    bool m_isAfterQuote = false;
    std::string m_field;
    std::vector<std::string> m_fields;
    std::vector<RawRecord> m_records;
};

bool isBlank(const RawRecord& record) {
    return std::ranges::all_of(record.fields,
                               [](const std::string& field) { return trimmed(field).empty(); });
}

std::expected<std::vector<std::string>, Error> headerNames(const RawRecord& record,
                                                           const std::string& fileName) {
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (const std::string& field : record.fields) {
        names.emplace_back(trimmed(field));
        if (!names.back().empty() && !seen.insert(asciiLower(names.back())).second) {
            return std::unexpected(Error{fmt::format("{}:{}", fileName, record.line),
                                         fmt::format("column \"{}\" appears twice", names.back())});
        }
    }
    return names;
}

/// Pads a short row with empty fields; drops extra fields when they are empty (a trailing
/// delimiter, as spreadsheets write); refuses extra text.
std::expected<CsvRow, Error> fitToHeader(RawRecord record, std::size_t columns,
                                         const std::string& fileName) {
    const auto extra = record.fields.begin() +
                       static_cast<std::ptrdiff_t>(std::min(columns, record.fields.size()));
    if (!std::all_of(extra, record.fields.end(),
                     [](const std::string& field) { return trimmed(field).empty(); })) {
        return std::unexpected(
            Error{fmt::format("{}:{}", fileName, record.line),
                  fmt::format("{} fields but the header has {} (a field holding the "
                              "delimiter must be quoted)",
                              record.fields.size(), columns)});
    }
    record.fields.resize(columns);
    return CsvRow{record.line, std::move(record.fields)};
}

} // namespace

std::string_view trimmed(std::string_view text) {
    constexpr std::string_view kSpace = " \t\r\n";
    const std::size_t first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

std::string asciiLower(std::string_view text) {
    std::string lower(text);
    std::ranges::transform(lower, lower.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return lower;
}

std::optional<int> parseWholeNumber(std::string_view text) {
    text = trimmed(text);
    if (text.starts_with('+')) {
        text.remove_prefix(1);
    }
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<double> parseDecimalNumber(std::string_view text, bool isDecimalCommaAccepted) {
    std::string number(trimmed(text));
    if (isDecimalCommaAccepted && std::ranges::count(number, ',') == 1 &&
        number.find('.') == std::string::npos) {
        number[number.find(',')] = '.';
    }
    const std::string_view digits =
        number.starts_with('+') ? std::string_view(number).substr(1) : number;
    double value = 0.0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc{} || end != digits.data() + digits.size() ||
        !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::size_t> CsvTable::findColumn(std::string_view name) const {
    const std::string wanted = asciiLower(trimmed(name));
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (asciiLower(header[i]) == wanted) {
            return i;
        }
    }
    return std::nullopt;
}

std::string_view CsvTable::text(const CsvRow& row, std::size_t column) const {
    return column < row.fields.size() ? trimmed(row.fields[column]) : std::string_view{};
}

Error CsvTable::cellError(const CsvRow& row, std::size_t column, std::string_view problem) const {
    const std::string name = column < header.size() ? header[column] : std::string{};
    return Error{fmt::format("{}:{}", fileName, row.line),
                 fmt::format("column \"{}\": {}", name, problem)};
}

Error CsvTable::rowError(const CsvRow& row, std::string_view problem) const {
    return Error{fmt::format("{}:{}", fileName, row.line), std::string(problem)};
}

std::expected<int, Error> CsvTable::wholeNumber(const CsvRow& row, std::size_t column) const {
    if (const std::optional<int> value = parseWholeNumber(text(row, column))) {
        return *value;
    }
    return std::unexpected(
        cellError(row, column, fmt::format("\"{}\" is not a whole number", text(row, column))));
}

std::expected<double, Error> CsvTable::decimalNumber(const CsvRow& row, std::size_t column) const {
    if (const auto value = parseDecimalNumber(text(row, column), isDecimalCommaAccepted())) {
        return *value;
    }
    return std::unexpected(
        cellError(row, column, fmt::format("\"{}\" is not a number", text(row, column))));
}

std::expected<CsvTable, Error> parseCsv(std::string_view text, std::string fileName) {
    if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
        return std::unexpected(
            Error{fileName, "the file is UTF-16 text; save it as CSV UTF-8 (comma delimited)"});
    }
    if (text.starts_with(kUtf8Bom)) {
        text.remove_prefix(kUtf8Bom.size());
    }
    CsvTable table;
    table.fileName = std::move(fileName);
    table.delimiter = detectDelimiter(text);
    auto records = CsvTokenizer(text, table.delimiter, table.fileName).records();
    if (!records) {
        return std::unexpected(records.error());
    }
    std::erase_if(*records, isBlank);
    if (records->empty()) {
        return std::unexpected(Error{table.fileName, "the file is empty (a header row is needed)"});
    }
    table.headerLine = records->front().line;
    auto header = headerNames(records->front(), table.fileName);
    if (!header) {
        return std::unexpected(header.error());
    }
    table.header = std::move(*header);
    for (auto record = std::next(records->begin()); record != records->end(); ++record) {
        auto row = fitToHeader(std::move(*record), table.header.size(), table.fileName);
        if (!row) {
            return std::unexpected(row.error());
        }
        table.rows.push_back(std::move(*row));
    }
    if (table.delimiter == ';') {
        table.notes.push_back(fmt::format(
            "{}: read as semicolon-separated (Excel's CSV in comma-decimal locales); decimal "
            "commas in numbers are accepted",
            table.fileName));
    }
    return table;
}

std::expected<CsvTable, Error> readCsvFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string name = path.filename().string();
    if (!in) {
        return std::unexpected(Error{name, "cannot open the file for reading"});
    }
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) {
        return std::unexpected(Error{name, "the file could not be read"});
    }
    return parseCsv(text, name);
}

} // namespace densito
