#pragma once

#include <QListWidget>

namespace densito {

class ProjectDocument;

/// The project's images, one row each (file name, then strips, lanes and bands found, or
/// "analysing..."), in project order; selecting a row makes that image current. A thin view
/// re-synced from the document.
class ImageListPanel : public QListWidget {
    Q_OBJECT

public:
    explicit ImageListPanel(ProjectDocument& document, QWidget* parent = nullptr);

private:
    void rebuild();
    void updateRow(int image);

    ProjectDocument& m_document;
    bool m_isSyncing = false;
};

} // namespace densito
