#pragma once

#include "core/error.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace densito {

/// An editable table over one layout sheet's CSV text (blots.csv or samples.csv, as
/// ProjectLayout keeps it): the header row names the columns, every cell is text.
///
/// Each edit (setData, insertRows, removeRows) rewrites the whole sheet and emits csvEdited()
/// with the new text; the owner stores it (ProjectDocument::setLayout), which makes one undo
/// step per edit. The text written is RFC 4180 (csvField quoting), comma-separated with LF
/// line ends, in the sheet's column order, so it is byte-stable for the same table. Columns
/// the sheet lacks among `requiredColumns` and `optionalColumns` are shown after its own and
/// written once a cell in them holds text; a sheet started from nothing gets the required
/// columns. Rows whose cells are all empty are kept (written as delimiters only), so that a
/// freshly added row survives undo and redo. A sheet that does not parse (parseCsv) is shown
/// empty and read-only; readError() says why. Text is UTF-8; cells the user did not edit keep
/// their bytes. Use from one thread.
class SheetTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    /// `fileName` names the sheet in readError(), e.g. "samples.csv".
    SheetTableModel(std::string fileName, std::vector<std::string> requiredColumns,
                    std::vector<std::string> optionalColumns, QObject* parent = nullptr);
    ~SheetTableModel() override;

    /// Shows `csvText` (empty = no sheet yet). Text equal to the current csvText() changes
    /// nothing, so the model's own edits coming back from the document keep the view's
    /// current cell and open editor; any other text resets the model.
    void setCsvText(const std::string& csvText);
    /// The sheet as text: exactly the text last set until an edit rewrites it; the header line
    /// of the required columns when no text was set.
    std::string csvText() const;
    /// Why the text set cannot be shown; empty when it parsed.
    const std::optional<Error>& readError() const { return m_readError; }
    bool isReadOnly() const { return m_readError.has_value(); }

    /// The column whose header is `name` (ASCII case-insensitive, trimmed); -1 when none.
    int columnOf(std::string_view name) const;
    /// The column's header as written (UTF-8).
    const std::string& columnName(int column) const;
    /// A cell's text exactly as stored (UTF-8, untrimmed).
    const std::string& cell(int row, int column) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    /// Sets a cell's text (Qt::EditRole); unchanged text makes no edit.
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    /// Inserts `count` empty rows before `row` (rowCount() appends).
    bool insertRows(int row, int count, const QModelIndex& parent = QModelIndex()) override;
    bool removeRows(int row, int count, const QModelIndex& parent = QModelIndex()) override;

signals:
    /// An edit rewrote the sheet as `csvText` (UTF-8, comma-separated, LF line ends).
    void csvEdited(const std::string& csvText);

private:
    void read(const std::string& csvText);
    std::string written() const;
    void commit();

    std::string m_fileName;
    std::vector<std::string> m_requiredColumns;
    std::vector<std::string> m_optionalColumns;
    std::string m_text;
    std::optional<Error> m_readError;
    std::vector<std::string> m_columns;
    /// Columns [0, m_sheetColumns) are the sheet's own and always written.
    std::size_t m_sheetColumns = 0;
    std::vector<std::vector<std::string>> m_rows; ///< each as long as m_columns
};

} // namespace densito
