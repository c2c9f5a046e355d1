#pragma once

#include <QAbstractTableModel>

namespace densito {

class ProjectDocument;

/// The project's history (ProjectDocument::history()) as a read-only table, oldest first:
/// Time (UTC), User, Image, Action, Old, New, exactly as history.csv writes them. Follows the
/// document (reset on historyChanged()).
class HistoryTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { TimeColumn, UserColumn, ImageColumn, ActionColumn, OldColumn, NewColumn };
    static constexpr int kColumnCount = 6;

    explicit HistoryTableModel(const ProjectDocument& document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    const ProjectDocument& m_document;
};

} // namespace densito
