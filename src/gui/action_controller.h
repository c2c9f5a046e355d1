#pragma once

#include <QObject>

class QAction;
class QMenu;

namespace densito {

class BlotDocument;
class BlotView;
class MainWindow;
class RecentFiles;

/// The main window's actions and menus (File, View, Help): creates them, keeps their
/// enabled and checked states in step with the document, and carries them out through the
/// window's, view's and document's public API. Keeps MainWindow free of menu plumbing.
class ActionController : public QObject {
    Q_OBJECT

public:
    ActionController(MainWindow& window, BlotView& view, BlotDocument& document,
                     RecentFiles& recentFiles);

    QAction* openAction() const { return m_open; }
    QAction* quitAction() const { return m_quit; }
    QAction* zoomInAction() const { return m_zoomIn; }
    QAction* zoomOutAction() const { return m_zoomOut; }
    QAction* fitAction() const { return m_fit; }
    QAction* actualSizeAction() const { return m_actualSize; }
    QAction* invertAction() const { return m_invert; }
    QAction* saturationAction() const { return m_showSaturation; }
    QAction* aboutAction() const { return m_about; }
    QMenu* recentMenu() const { return m_recentMenu; }

private:
    void createActions();
    void createMenus();
    void updateEnabled();
    void rebuildRecentMenu();
    void chooseAndOpen();
    void showAbout();

    MainWindow& m_window;
    BlotView& m_view;
    BlotDocument& m_document;
    RecentFiles& m_recentFiles;

    QAction* m_open = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_zoomIn = nullptr;
    QAction* m_zoomOut = nullptr;
    QAction* m_fit = nullptr;
    QAction* m_actualSize = nullptr;
    QAction* m_invert = nullptr;
    QAction* m_showSaturation = nullptr;
    QAction* m_about = nullptr;
    QAction* m_aboutQt = nullptr;
    QMenu* m_recentMenu = nullptr;
};

} // namespace densito
