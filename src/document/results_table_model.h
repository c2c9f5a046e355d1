#pragma once

#include "core/measure/blot_analysis.h"

#include <QAbstractTableModel>
#include <QModelIndexList>
#include <QSortFilterProxyModel>
#include <QString>

#include <array>
#include <vector>

namespace densito {

class ProjectDocument;

/// The measured bands of the document's current image, one row each, in the order of
/// bands.csv (strip, lane, band row): strip, lane, the band's number in its lane (1 at the
/// top), its band row across the strip's lanes (bands.csv `band`), volume, background volume,
/// peak, SNR, saturated pixels and flags. DisplayRole is for people: each number column is
/// written with the same decimals on every row (four significant digits of the column's
/// largest value, no exponent), units in the headers. kSortRole and EditRole hold the exact
/// value (a double, an int, or the flags as bands.csv writes them) for sorting
/// (ResultsSortModel) and copying. Flagged rows are tinted (BackgroundRole). Resets on every
/// change of the current image or its measurement. Read-only; use from the document's thread.
class ResultsTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        StripColumn,
        LaneColumn,
        BandColumn, ///< the band's number in its lane, top to bottom
        RowColumn,  ///< the band row shared across the strip's lanes (bands.csv `band`)
        VolumeColumn,
        BackgroundColumn,
        PeakColumn,
        SnrColumn,
        SaturatedColumn,
        FlagsColumn,
        ColumnCount,
    };
    static constexpr int kSortRole = Qt::UserRole + 1;

    explicit ResultsTableModel(const ProjectDocument& document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// The image whose bands are shown; -1 when none.
    int image() const { return m_image; }

private:
    void reload();

    const ProjectDocument& m_document;
    int m_image = -1;
    std::vector<Band> m_bands;     ///< a copy, so rows never change between resets
    std::vector<int> m_bandInLane; ///< per row: the band's number in its lane
    /// Per column: the decimals every row of it is written with.
    std::array<int, ColumnCount> m_decimals{};
};

/// Sorts the results by the chosen column; rows that tie keep the order of bands.csv
/// (strip, lane, band row) in either direction, whatever order an earlier sort left.
class ResultsSortModel : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit ResultsSortModel(QObject* parent = nullptr);

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

/// The selected rows of `model` as tab-separated text for the clipboard (Excel, Prism): a
/// header line of the column titles, then one line per selected row (each row once, in the
/// order first selected). Values come from EditRole when it has one (numbers written exactly,
/// as bands.csv writes them), else DisplayRole; tabs and line breaks in text become spaces.
/// Lines end in '\n'. Empty when nothing is selected.
QString tabSeparatedText(const QAbstractItemModel& model, const QModelIndexList& selection);

} // namespace densito
