#pragma once

#include <QListWidget>

namespace densito {

class ProjectDocument;

/// The project's images, one row each (file name, then strips, lanes and bands found, or
/// "analysing..."), in project order; selecting a row makes that image current. A name too
/// long for the panel is elided in the middle (the start and the end of a file name tell
/// images apart), the details line at its end; the tooltip holds the full path. A thin view
/// re-synced from the document.
class ImageListPanel : public QListWidget {
    Q_OBJECT

public:
    explicit ImageListPanel(ProjectDocument& document, QWidget* parent = nullptr);

    /// The row's text as drawn at the panel's current width (each line elided to fit).
    QString shownText(int row) const;

private:
    void rebuild();
    void updateRow(int image);

    ProjectDocument& m_document;
    bool m_isSyncing = false;
};

} // namespace densito
