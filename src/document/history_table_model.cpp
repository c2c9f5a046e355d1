#include "document/history_table_model.h"

#include "document/project_document.h"
#include "document/qt_strings.h"

namespace densito {

HistoryTableModel::HistoryTableModel(const ProjectDocument& document, QObject* parent)
    : QAbstractTableModel(parent), m_document(document) {
    connect(&document, &ProjectDocument::historyChanged, this, [this] {
        beginResetModel();
        endResetModel();
    });
}

int HistoryTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_document.history().size());
}

int HistoryTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant HistoryTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() ||
        (role != Qt::DisplayRole && role != Qt::ToolTipRole)) {
        return {};
    }
    const EditRecord& record = m_document.history()[static_cast<std::size_t>(index.row())];
    switch (index.column()) {
    case TimeColumn:
        return toQString(record.time);
    case UserColumn:
        return toQString(record.user);
    case ImageColumn:
        return toQString(record.image);
    case ActionColumn:
        return toQString(record.action);
    case OldColumn:
        return toQString(record.before);
    case NewColumn:
        return toQString(record.after);
    default:
        return {};
    }
}

QVariant HistoryTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case TimeColumn:
        return tr("Time (UTC)");
    case UserColumn:
        return tr("User");
    case ImageColumn:
        return tr("Image");
    case ActionColumn:
        return tr("Action");
    case OldColumn:
        return tr("Old");
    case NewColumn:
        return tr("New");
    default:
        return {};
    }
}

} // namespace densito
