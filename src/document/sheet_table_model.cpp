#include "document/sheet_table_model.h"

#include "core/analysis/csv_table.h"
#include "core/io/results_csv.h"
#include "document/qt_strings.h"

#include <algorithm>
#include <utility>

namespace densito {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// Columns that may hold decimal numbers (samples `load`, blots `region`).
constexpr std::string_view kDecimalColumns[] = {"load", "region"};

bool isBlankField(std::string_view field) {
    return trimmed(field).empty();
}

bool isBlank(const std::vector<std::string>& record) {
    return std::ranges::all_of(record, isBlankField);
}

/// The records of text that parseCsv() accepted, split by the same rules (quotes, doubled
/// quotes, spaces around a quoted field, CR/LF/CRLF; a line end inside quotes becomes LF),
/// but keeping blank records: parseCsv drops them, while the editor must keep a row the user
/// added and has not filled yet.
std::vector<std::vector<std::string>> splitRecords(std::string_view text, char delimiter) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> fields;
    std::string field;
    bool isQuoted = false;
    bool isAfterQuote = false;
    bool hasRecordText = false;
    const auto endField = [&] {
        fields.push_back(std::move(field));
        field.clear();
        isAfterQuote = false;
    };
    const auto endRecord = [&] {
        endField();
        records.push_back(std::move(fields));
        fields.clear();
        hasRecordText = false;
    };
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
        const char c = text[pos];
        const bool isLineEnd = c == '\n' || c == '\r';
        const bool isCrLf = c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n';
        if (isQuoted) {
            if (c == '"' && pos + 1 < text.size() && text[pos + 1] == '"') {
                field += '"';
                ++pos;
            } else if (c == '"') {
                isQuoted = false;
                isAfterQuote = true;
            } else if (isLineEnd) {
                field += '\n';
                pos += isCrLf ? 1 : 0;
            } else {
                field += c;
            }
            continue;
        }
        hasRecordText = true;
        if (c == delimiter) {
            endField();
        } else if (isLineEnd) {
            endRecord();
            pos += isCrLf ? 1 : 0;
        } else if (isAfterQuote && (c == ' ' || c == '\t')) {
            continue;
        } else if (c == '"' && isBlankField(field)) {
            field.clear();
            isQuoted = true;
        } else {
            field += c;
        }
    }
    if (hasRecordText) {
        endRecord();
    }
    return records;
}

/// A cell of a semicolon sheet with its decimal commas made points ("1,5" -> "1.5",
/// "10,5;20;30;40" -> "10.5;20;30;40"), so that it reads the same once rewritten with commas.
std::string withDecimalPoints(std::string cell) {
    for (std::size_t start = 0; start <= cell.size();) {
        const std::size_t end = std::min(cell.size(), cell.find(';', start));
        const std::string_view part = std::string_view(cell).substr(start, end - start);
        if (!parseDecimalNumber(part, false) && parseDecimalNumber(part, true)) {
            cell[start + part.find(',')] = '.';
        }
        start = end + 1;
    }
    return cell;
}

bool isDecimalColumn(std::string_view name) {
    const std::string lower = asciiLower(trimmed(name));
    return std::ranges::find(kDecimalColumns, std::string_view(lower)) != std::end(kDecimalColumns);
}

bool hasColumn(const std::vector<std::string>& columns, std::string_view name) {
    const std::string lower = asciiLower(trimmed(name));
    return std::ranges::any_of(
        columns, [&](const std::string& column) { return asciiLower(trimmed(column)) == lower; });
}

void appendLine(std::string& text, const std::vector<std::string>& fields,
                const std::vector<std::size_t>& columns) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
        text += i == 0 ? "" : ",";
        text += csvField(fields[columns[i]]);
    }
    text += '\n';
}

} // namespace

SheetTableModel::SheetTableModel(std::string fileName, std::vector<std::string> requiredColumns,
                                 std::vector<std::string> optionalColumns, QObject* parent)
    : QAbstractTableModel(parent), m_fileName(std::move(fileName)),
      m_requiredColumns(std::move(requiredColumns)), m_optionalColumns(std::move(optionalColumns)) {
    read(std::string());
}

SheetTableModel::~SheetTableModel() = default;

void SheetTableModel::setCsvText(const std::string& csvText) {
    if (csvText == this->csvText()) {
        return;
    }
    beginResetModel();
    read(csvText);
    endResetModel();
}

std::string SheetTableModel::csvText() const {
    return m_text.empty() ? written() : m_text;
}

void SheetTableModel::read(const std::string& csvText) {
    m_text = trimmed(csvText).empty() ? std::string() : csvText;
    m_readError.reset();
    m_columns.clear();
    m_rows.clear();
    auto table = m_text.empty() ? std::expected<CsvTable, Error>(std::unexpected(Error{}))
                                : parseCsv(m_text, m_fileName);
    if (table) {
        m_columns = table->header;
        std::string_view text = m_text;
        if (text.starts_with(kUtf8Bom)) {
            text.remove_prefix(kUtf8Bom.size());
        }
        auto records = splitRecords(text, table->delimiter);
        const auto header = std::ranges::find_if_not(records, isBlank);
        for (auto record = header == records.end() ? header : std::next(header);
             record != records.end(); ++record) {
            // An empty line is no row (the writer never writes one for a multi-column sheet).
            if (record->size() == 1 && isBlankField(record->front())) {
                continue;
            }
            record->resize(m_columns.size()); // parseCsv checked that extra fields are blank
            m_rows.push_back(std::move(*record));
        }
        // A semicolon sheet is rewritten comma-separated (one dialect for every edit), so its
        // decimal commas become points: a comma sheet reads them only that way.
        if (table->delimiter == ';') {
            for (std::size_t column = 0; column < m_columns.size(); ++column) {
                if (!isDecimalColumn(m_columns[column])) {
                    continue;
                }
                for (auto& row : m_rows) {
                    row[column] = withDecimalPoints(std::move(row[column]));
                }
            }
        }
    } else if (!m_text.empty()) {
        m_readError = table.error();
    }
    const bool hasSheet = table.has_value();
    m_sheetColumns = hasSheet ? m_columns.size() : m_requiredColumns.size();
    for (const auto* standard : {&m_requiredColumns, &m_optionalColumns}) {
        for (const std::string& name : *standard) {
            if (!hasColumn(m_columns, name)) {
                m_columns.push_back(name);
            }
        }
    }
    for (auto& row : m_rows) {
        row.resize(m_columns.size());
    }
}

std::string SheetTableModel::written() const {
    std::vector<std::size_t> columns;
    for (std::size_t column = 0; column < m_columns.size(); ++column) {
        const bool isUsed = std::ranges::any_of(
            m_rows, [column](const auto& row) { return !isBlankField(row[column]); });
        if (column < m_sheetColumns || isUsed) {
            columns.push_back(column);
        }
    }
    std::string text;
    appendLine(text, m_columns, columns);
    for (const auto& row : m_rows) {
        appendLine(text, row, columns);
    }
    return text;
}

void SheetTableModel::commit() {
    m_text = written();
    emit csvEdited(m_text);
}

int SheetTableModel::columnOf(std::string_view name) const {
    const std::string lower = asciiLower(trimmed(name));
    for (std::size_t column = 0; column < m_columns.size(); ++column) {
        if (asciiLower(trimmed(m_columns[column])) == lower) {
            return static_cast<int>(column);
        }
    }
    return -1;
}

const std::string& SheetTableModel::columnName(int column) const {
    return m_columns.at(static_cast<std::size_t>(column));
}

const std::string& SheetTableModel::cell(int row, int column) const {
    return m_rows.at(static_cast<std::size_t>(row)).at(static_cast<std::size_t>(column));
}

int SheetTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SheetTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QVariant SheetTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) ||
        (role != Qt::DisplayRole && role != Qt::EditRole)) {
        return {};
    }
    return toQString(cell(index.row(), index.column()));
}

QVariant SheetTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || section < 0) {
        return {};
    }
    if (orientation == Qt::Vertical) {
        return section + 1;
    }
    return section < columnCount() ? QVariant(toQString(columnName(section))) : QVariant();
}

Qt::ItemFlags SheetTableModel::flags(const QModelIndex& index) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) {
        return Qt::NoItemFlags;
    }
    const Qt::ItemFlags flags = Qt::ItemIsSelectable | Qt::ItemIsEnabled;
    return isReadOnly() ? flags : flags | Qt::ItemIsEditable;
}

bool SheetTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || role != Qt::EditRole ||
        isReadOnly()) {
        return false;
    }
    const QString text = value.toString();
    std::string& stored =
        m_rows[static_cast<std::size_t>(index.row())][static_cast<std::size_t>(index.column())];
    // Compared as Qt text so that a cell in another encoding, shown and left alone, keeps its
    // bytes.
    if (text == toQString(stored)) {
        return true;
    }
    stored = text.toStdString();
    emit dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    commit();
    return true;
}

bool SheetTableModel::insertRows(int row, int count, const QModelIndex& parent) {
    if (parent.isValid() || isReadOnly() || row < 0 || row > rowCount() || count < 1) {
        return false;
    }
    beginInsertRows(parent, row, row + count - 1);
    m_rows.insert(m_rows.begin() + row, static_cast<std::size_t>(count),
                  std::vector<std::string>(m_columns.size()));
    endInsertRows();
    commit();
    return true;
}

bool SheetTableModel::removeRows(int row, int count, const QModelIndex& parent) {
    if (parent.isValid() || isReadOnly() || row < 0 || count < 1 || row + count > rowCount()) {
        return false;
    }
    beginRemoveRows(parent, row, row + count - 1);
    m_rows.erase(m_rows.begin() + row, m_rows.begin() + row + count);
    endRemoveRows();
    commit();
    return true;
}

} // namespace densito
