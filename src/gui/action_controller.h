#pragma once

#include <QObject>

class QAction;
class QMenu;

namespace densito {

class MainWindow;

/// The main window's actions and menus (File, Edit, View, Analysis, Help): creates them,
/// keeps their enabled and checked states in step with the project and the display, and
/// carries them out through the window's, the view's and the documents' public API. Keeps
/// MainWindow free of menu plumbing.
class ActionController : public QObject {
    Q_OBJECT

public:
    explicit ActionController(MainWindow& window);

    QAction* openAction() const { return m_open; }
    QAction* openProjectAction() const { return m_openProject; }
    QAction* saveAction() const { return m_save; }
    QAction* saveAsAction() const { return m_saveAs; }
    QAction* exportAction() const { return m_export; }
    QAction* batchAction() const { return m_batch; }
    QAction* quitAction() const { return m_quit; }
    QAction* undoAction() const { return m_undo; }
    QAction* redoAction() const { return m_redo; }
    QAction* deleteAction() const { return m_delete; }
    QAction* copyAction() const { return m_copy; }
    QAction* detectAction() const { return m_detect; }
    QAction* laneCountAction() const { return m_laneCount; }
    QAction* laneGridAction() const { return m_laneGrid; }
    QAction* stripEditAction() const { return m_stripEdit; }
    QAction* nextReviewAction() const { return m_nextReview; }
    QAction* zoomInAction() const { return m_zoomIn; }
    QAction* zoomOutAction() const { return m_zoomOut; }
    /// Fit Image (Ctrl+0): the whole image.
    QAction* fitAction() const { return m_fit; }
    /// Fit Membranes (Ctrl+9): the image's strips, as an image opens.
    QAction* fitMembranesAction() const { return m_fitMembranes; }
    QAction* actualSizeAction() const { return m_actualSize; }
    QAction* invertAction() const { return m_invert; }
    QAction* saturationAction() const { return m_showSaturation; }
    QAction* geometryAction() const { return m_showGeometry; }
    QAction* aboutAction() const { return m_about; }
    QMenu* recentMenu() const { return m_recentMenu; }
    QMenu* recentProjectsMenu() const { return m_recentProjectsMenu; }

public slots:
    void chooseAndOpenImages();
    void chooseAndOpenProject();
    void showBatchDialog();

private:
    void createActions();
    void createMenus();
    void updateEnabled();
    void rebuildRecentMenus();
    /// The strip of the selected lane of the current image, else its first strip (1 when it
    /// has none). There must be a current image.
    int chosenStrip() const;
    void chooseLaneCount();
    void showAbout();

    MainWindow& m_window;

    QAction* m_newProject = nullptr;
    QAction* m_open = nullptr;
    QAction* m_openProject = nullptr;
    QAction* m_openSample = nullptr;
    QAction* m_save = nullptr;
    QAction* m_saveAs = nullptr;
    QAction* m_export = nullptr;
    QAction* m_batch = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_undo = nullptr;
    QAction* m_redo = nullptr;
    QAction* m_delete = nullptr;
    QAction* m_copy = nullptr;
    QAction* m_detect = nullptr;
    QAction* m_laneCount = nullptr;
    QAction* m_laneGrid = nullptr;
    QAction* m_stripEdit = nullptr;
    QAction* m_nextReview = nullptr;
    QAction* m_zoomIn = nullptr;
    QAction* m_zoomOut = nullptr;
    QAction* m_fit = nullptr;
    QAction* m_fitMembranes = nullptr;
    QAction* m_actualSize = nullptr;
    QAction* m_invert = nullptr;
    QAction* m_showSaturation = nullptr;
    QAction* m_showGeometry = nullptr;
    QAction* m_about = nullptr;
    QAction* m_aboutQt = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_recentProjectsMenu = nullptr;
};

} // namespace densito
