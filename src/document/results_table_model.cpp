#include "document/results_table_model.h"

#include "core/io/results_csv.h"
#include "document/project_document.h"
#include "document/qt_strings.h"

#include <QColor>

#include <algorithm>
#include <cmath>
#include <set>

namespace densito {
namespace {

/// The decimals that write `largest` (a column's largest magnitude) with four significant
/// digits and no exponent: 20605 -> 0, 514.3 -> 1, 0.01234 -> 5. Every row of the column then
/// uses them, so its numbers line up and read alike ("514", "20605").
int decimalsFor(double largest) {
    // Beyond six decimals the values are noise of a float image, not measurements to read.
    constexpr int kMaxDecimals = 6;
    if (!std::isfinite(largest) || largest <= 0.0) {
        return 0;
    }
    const int digits = static_cast<int>(std::floor(std::log10(largest))) + 1;
    return std::clamp(4 - digits, 0, kMaxDecimals);
}

QString withDecimals(double value, int decimals) {
    // "-0.00" would read as a sign error: it is zero at this precision.
    if (std::abs(value) < 0.5 * std::pow(10.0, -decimals)) {
        value = 0.0;
    }
    return QString::number(value, 'f', decimals);
}

double valueOf(const Band& band, ResultsTableModel::Column column) {
    switch (column) {
    case ResultsTableModel::VolumeColumn:
        return band.volume;
    case ResultsTableModel::BackgroundColumn:
        return band.backgroundVolume;
    case ResultsTableModel::PeakColumn:
        return band.peak;
    case ResultsTableModel::SnrColumn:
        return band.snr;
    default:
        return 0.0;
    }
}

constexpr ResultsTableModel::Column kDecimalColumns[] = {
    ResultsTableModel::VolumeColumn, ResultsTableModel::BackgroundColumn,
    ResultsTableModel::PeakColumn, ResultsTableModel::SnrColumn};

QString flagsText(std::uint32_t flags) {
    return toQString(bandFlagsText(flags));
}

} // namespace

ResultsTableModel::ResultsTableModel(const ProjectDocument& document, QObject* parent)
    : QAbstractTableModel(parent), m_document(document) {
    connect(&document, &ProjectDocument::imageChanged, this, [this](int image) {
        if (image == m_document.currentImage()) {
            reload();
        }
    });
    connect(&document, &ProjectDocument::currentImageChanged, this, &ResultsTableModel::reload);
    connect(&document, &ProjectDocument::imagesChanged, this, &ResultsTableModel::reload);
    reload();
}

void ResultsTableModel::reload() {
    beginResetModel();
    m_image = m_document.currentImage();
    m_bands.clear();
    m_bandInLane.clear();
    if (m_image >= 0 && m_image < m_document.imageCount()) {
        m_bands = m_document.analysis(m_image).bands;
    }
    // Bands come by strip, lane and row, so a lane's bands are consecutive, top first.
    for (std::size_t i = 0; i < m_bands.size(); ++i) {
        const bool isSameLane = i > 0 && m_bands[i].strip == m_bands[i - 1].strip &&
                                m_bands[i].lane == m_bands[i - 1].lane;
        m_bandInLane.push_back(isSameLane ? m_bandInLane.back() + 1 : 1);
    }
    m_decimals.fill(0);
    for (const Column column : kDecimalColumns) {
        double largest = 0.0;
        for (const Band& band : m_bands) {
            const double magnitude = std::abs(valueOf(band, column));
            if (std::isfinite(magnitude)) {
                largest = std::max(largest, magnitude);
            }
        }
        m_decimals[column] = decimalsFor(largest);
    }
    endResetModel();
}

int ResultsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_bands.size());
}

int ResultsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResultsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const Band& band = m_bands[static_cast<std::size_t>(index.row())];
    const auto column = static_cast<Column>(index.column());
    if (role == Qt::BackgroundRole) {
        if ((band.flags & kBandSaturated) != 0) {
            return QColor(255, 205, 210);
        }
        return band.flags != 0 ? QVariant(QColor(255, 236, 179)) : QVariant();
    }
    if (role == Qt::TextAlignmentRole) {
        return column == FlagsColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                     : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == kSortRole || role == Qt::EditRole) {
        switch (column) {
        case StripColumn:
            return band.strip;
        case LaneColumn:
            return band.lane;
        case BandColumn:
            return m_bandInLane[static_cast<std::size_t>(index.row())];
        case RowColumn:
            return band.row;
        case VolumeColumn:
            return band.volume;
        case BackgroundColumn:
            return band.backgroundVolume;
        case PeakColumn:
            return band.peak;
        case SnrColumn:
            return band.snr;
        case SaturatedColumn:
            return band.saturatedPixels;
        case FlagsColumn:
            return flagsText(band.flags);
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case VolumeColumn:
        case BackgroundColumn:
        case PeakColumn:
        case SnrColumn:
            return withDecimals(valueOf(band, column), m_decimals[column]);
        case FlagsColumn:
            return flagsText(band.flags).replace(QLatin1Char(';'), QLatin1String(", "));
        default:
            return data(index, Qt::EditRole).toString();
        }
    }
    return {};
}

QVariant ResultsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case BandColumn:
            return tr("The band's number in its lane, from the top");
        case RowColumn:
            return tr("The band row across the strip's lanes, from the top (bands.csv \"band\")");
        case VolumeColumn:
            return tr("Background-subtracted signal summed over the band's box");
        case BackgroundColumn:
            return tr("The background summed over the band's box");
        case PeakColumn:
            return tr("The band's largest background-subtracted signal");
        case SnrColumn:
            return tr("Volume over the background noise of an area of the band's size");
        case SaturatedColumn:
            return tr("Pixels of the band at the detector's saturation level");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    // Units on a second line keep the columns narrow; copies join the lines with a space.
    switch (section) {
    case StripColumn:
        return tr("Strip");
    case LaneColumn:
        return tr("Lane");
    case BandColumn:
        return tr("Band");
    case RowColumn:
        return tr("Row");
    case VolumeColumn:
        return tr("Volume\n(signal × px)");
    case BackgroundColumn:
        return tr("Background\n(signal × px)");
    case PeakColumn:
        return tr("Peak\n(signal)");
    case SnrColumn:
        return tr("SNR");
    case SaturatedColumn:
        return tr("Saturated\n(px)");
    case FlagsColumn:
        return tr("Flags");
    default:
        return {};
    }
}

ResultsSortModel::ResultsSortModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(ResultsTableModel::kSortRole);
}

bool ResultsSortModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    const auto order = QVariant::compare(a, b);
    if (order != QPartialOrdering::Equivalent) {
        return order == QPartialOrdering::Less;
    }
    // Ties in source order (bands.csv's) whichever way the column is sorted: a descending
    // sort asks lessThan(right, left), so the order is turned round for it.
    return sortOrder() == Qt::AscendingOrder ? left.row() < right.row() : left.row() > right.row();
}

QString tabSeparatedText(const QAbstractItemModel& model, const QModelIndexList& selection) {
    std::vector<int> rows;
    std::set<int> seen;
    for (const QModelIndex& index : selection) {
        if (index.isValid() && index.model() == &model && seen.insert(index.row()).second) {
            rows.push_back(index.row());
        }
    }
    if (rows.empty()) {
        return {};
    }
    auto field = [](QString text) {
        text.replace(QLatin1Char('\t'), QLatin1Char(' '));
        text.replace(QLatin1Char('\r'), QLatin1Char(' '));
        text.replace(QLatin1Char('\n'), QLatin1Char(' '));
        return text;
    };
    const int columns = model.columnCount();
    QStringList lines;
    QStringList header;
    for (int column = 0; column < columns; ++column) {
        header << field(model.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString());
    }
    lines << header.join(QLatin1Char('\t'));
    for (const int row : rows) {
        QStringList cells;
        for (int column = 0; column < columns; ++column) {
            const QModelIndex index = model.index(row, column);
            QVariant value = model.data(index, Qt::EditRole);
            if (!value.isValid()) {
                value = model.data(index, Qt::DisplayRole);
            }
            // Doubles exactly, as bands.csv writes them, so nothing is lost on the way.
            cells << field(value.typeId() == QMetaType::Double
                               ? toQString(csvNumber(value.toDouble()))
                               : value.toString());
        }
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace densito
