#pragma once

#include "core/error.h"

#include <expected>
#include <span>
#include <string>
#include <vector>

namespace densito {

/// One sheet of results.xlsx: a CSV table (header row first, as analysis_csv.h writes it).
struct WorkbookSheet {
    std::string name; ///< as given to workbookSheetNames()
    std::string csv;
    /// Headers of the columns whose non-empty cells are numbers (stored as numbers, not text);
    /// the other columns are text, so that a sample "007" stays "007".
    std::vector<std::string> numericColumns;
};

/// Sheet names Excel accepts for `wanted`, in order: characters []:*?/\ become "_", at most
/// 31 characters, unique ignoring ASCII case (" (2)", " (3)"... before the limit).
std::vector<std::string> workbookSheetNames(std::span<const std::string> wanted);

/// The bytes of an Excel workbook (.xlsx, written with libxlsxwriter) holding one sheet per
/// table in order: header row bold and frozen, empty CSV fields left blank. The document's
/// creation date is fixed (2000-01-01), so the same tables give the same bytes. Fails,
/// saying why, when the workbook cannot be assembled (libxlsxwriter writes through temporary
/// files) or a table is not valid CSV.
std::expected<std::string, Error> resultsWorkbook(std::span<const WorkbookSheet> sheets);

} // namespace densito
