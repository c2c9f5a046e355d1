#include "core/io/results_workbook.h"

#include "core/analysis/csv_table.h"
#include "core/io/atomic_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <random>
#include <set>
#include <unistd.h>
#include <xlsxwriter.h>

namespace densito {
namespace {

/// Excel's limit on a sheet name's length (LXW_SHEETNAME_MAX).
constexpr std::size_t kMaxSheetNameLength = 31;

/// The document's creation date, 2000-01-01T00:00:00Z: libxlsxwriter writes the current
/// time when none is set, which would make every run's workbook differ; a fixed date keeps
/// the bytes a function of the tables alone, like the CSV files.
constexpr time_t kWorkbookCreated = 946684800;

/// Cuts `text` to at most `limit` bytes without splitting a UTF-8 character.
std::string utf8Prefix(const std::string& text, std::size_t limit) {
    if (text.size() <= limit) {
        return text;
    }
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end; // text[end] continues a character that started before it
    }
    return text.substr(0, end);
}

/// A file name in the temporary folder that nothing else holds (created empty, so reserved).
std::expected<std::filesystem::path, Error> reserveTemporaryFile() {
    std::error_code ec;
    const std::filesystem::path folder = std::filesystem::temp_directory_path(ec);
    if (ec) {
        return std::unexpected(
            Error{"results.xlsx", "no temporary folder to assemble it in: " + ec.message()});
    }
    std::random_device entropy;
    for (int attempt = 0; attempt < 8; ++attempt) {
        const std::filesystem::path path =
            folder / fmt::format("densito-results-{:08x}{:08x}.xlsx", entropy(), entropy());
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ::close(fd);
            return path;
        }
        if (errno != EEXIST) {
            return std::unexpected(
                Error{"results.xlsx", fmt::format("cannot be assembled in {}: {}", folder.string(),
                                                  std::strerror(errno))});
        }
    }
    return std::unexpected(Error{"results.xlsx", "no free temporary file name to assemble it"});
}

/// Writes one table into `sheet`; the reason when a cell cannot be written.
std::expected<void, std::string> writeSheet(lxw_worksheet* sheet, const CsvTable& table,
                                            const std::vector<std::string>& numericColumns,
                                            lxw_format* bold) {
    std::vector<bool> isNumeric;
    for (const std::string& header : table.header) {
        isNumeric.push_back(std::ranges::find(numericColumns, header) != numericColumns.end());
    }
    const auto check = [](lxw_error error) -> std::expected<void, std::string> {
        if (error != LXW_NO_ERROR) {
            return std::unexpected(std::string(lxw_strerror(error)));
        }
        return {};
    };
    for (std::size_t column = 0; column < table.header.size(); ++column) {
        auto written = check(worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(column),
                                                    table.header[column].c_str(), bold));
        if (!written) {
            return written;
        }
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto row = static_cast<lxw_row_t>(r + 1);
        const std::vector<std::string>& fields = table.rows[r].fields;
        for (std::size_t column = 0; column < fields.size(); ++column) {
            const std::string& field = fields[column];
            if (field.empty()) {
                continue;
            }
            const auto col = static_cast<lxw_col_t>(column);
            const std::optional<double> number = column < isNumeric.size() && isNumeric[column]
                                                     ? parseDecimalNumber(field, false)
                                                     : std::nullopt;
            auto written =
                check(number ? worksheet_write_number(sheet, row, col, *number, nullptr)
                             : worksheet_write_string(sheet, row, col, field.c_str(), nullptr));
            if (!written) {
                return written;
            }
        }
    }
    worksheet_freeze_panes(sheet, 1, 0);
    return {};
}

} // namespace

std::vector<std::string> workbookSheetNames(std::span<const std::string> wanted) {
    std::vector<std::string> names;
    std::set<std::string> taken; ///< lower case: Excel compares sheet names ignoring case
    for (const std::string& one : wanted) {
        std::string base = one;
        std::ranges::replace_if(
            base,
            [](char c) { return std::string_view("[]:*?/\\").find(c) != std::string_view::npos; },
            '_');
        base = base.empty() ? std::string("sheet") : base;
        std::string name = utf8Prefix(base, kMaxSheetNameLength);
        for (int suffix = 2; taken.contains(asciiLower(name)); ++suffix) {
            const std::string tail = fmt::format(" ({})", suffix);
            name = utf8Prefix(base, kMaxSheetNameLength - tail.size()) + tail;
        }
        taken.insert(asciiLower(name));
        names.push_back(std::move(name));
    }
    return names;
}

std::expected<std::string, Error> resultsWorkbook(std::span<const WorkbookSheet> sheets) {
    std::vector<CsvTable> tables;
    for (const WorkbookSheet& sheet : sheets) {
        auto table = parseCsv(sheet.csv, sheet.name);
        if (!table) {
            return std::unexpected(Error{"results.xlsx", "sheet " + table.error().describe()});
        }
        tables.push_back(std::move(*table));
    }
    auto path = reserveTemporaryFile();
    if (!path) {
        return std::unexpected(path.error());
    }
    const auto fail = [&](const std::string& reason) -> std::expected<std::string, Error> {
        std::error_code ignored;
        std::filesystem::remove(*path, ignored);
        return std::unexpected(Error{"results.xlsx", reason});
    };
    lxw_workbook* workbook = workbook_new(path->c_str());
    if (workbook == nullptr) {
        return fail("cannot be assembled (libxlsxwriter has no memory for it)");
    }
    lxw_doc_properties properties{};
    properties.created = kWorkbookCreated;
    workbook_set_properties(workbook, &properties);
    lxw_format* bold = workbook_add_format(workbook);
    format_set_bold(bold);
    std::string problem;
    for (std::size_t i = 0; i < sheets.size() && problem.empty(); ++i) {
        lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheets[i].name.c_str());
        if (sheet == nullptr) {
            problem = fmt::format("sheet \"{}\" cannot be added", sheets[i].name);
            break;
        }
        if (auto written = writeSheet(sheet, tables[i], sheets[i].numericColumns, bold); !written) {
            problem = fmt::format("sheet \"{}\": {}", sheets[i].name, written.error());
        }
    }
    // workbook_close() frees the workbook whatever happens, so it runs on failure too.
    const lxw_error closed = workbook_close(workbook);
    if (!problem.empty()) {
        return fail("cannot be written: " + problem);
    }
    if (closed != LXW_NO_ERROR) {
        return fail(fmt::format("cannot be written: {}", lxw_strerror(closed)));
    }
    auto bytes = readWholeFile(*path);
    if (!bytes) {
        return fail(fmt::format("cannot be read back from {}: {}", path->string(), bytes.error()));
    }
    std::error_code ignored;
    std::filesystem::remove(*path, ignored);
    return std::move(*bytes);
}

} // namespace densito
