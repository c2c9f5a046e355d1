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

/// Four significant digits, without an exponent for numbers of 1 and more (a volume of
/// 1234567.8 reads "1234568", not "1.235e+06").
QString forPeople(double value) {
    if (!std::isfinite(value) || value == 0.0) {
        return QString::number(value);
    }
    const double magnitude = std::abs(value);
    if (magnitude < 1.0) {
        return QString::number(value, 'g', 4);
    }
    const int digits = static_cast<int>(std::floor(std::log10(magnitude))) + 1;
    return QString::number(value, 'f', std::max(0, 4 - digits));
}

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
    if (m_image >= 0 && m_image < m_document.imageCount()) {
        m_bands = m_document.analysis(m_image).bands;
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
            return forPeople(band.volume);
        case BackgroundColumn:
            return forPeople(band.backgroundVolume);
        case PeakColumn:
            return forPeople(band.peak);
        case SnrColumn:
            return forPeople(band.snr);
        case FlagsColumn:
            return flagsText(band.flags).replace(QLatin1Char(';'), QLatin1String(", "));
        default:
            return data(index, Qt::EditRole).toString();
        }
    }
    return {};
}

QVariant ResultsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case StripColumn:
        return tr("Strip");
    case LaneColumn:
        return tr("Lane");
    case BandColumn:
        return tr("Band");
    case VolumeColumn:
        return tr("Volume");
    case BackgroundColumn:
        return tr("Background");
    case PeakColumn:
        return tr("Peak");
    case SnrColumn:
        return tr("SNR");
    case SaturatedColumn:
        return tr("Saturated pixels");
    case FlagsColumn:
        return tr("Flags");
    default:
        return {};
    }
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
