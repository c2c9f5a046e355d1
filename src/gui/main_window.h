#pragma once

#include <QMainWindow>
#include <QString>
#include <QStringList>

class QAction;
class QDockWidget;
class QLabel;

namespace densito {

class ActionController;
class BlotDocument;
class BlotView;
class ImageInfoPanel;
class PixelReadout;
class RecentFiles;

/// The Densito main window: the blot view in the centre, the "Image" dock with the file's
/// metadata, the pixel readout and zoom level in the status bar. Opens files from the menu,
/// the recent-files list, drag and drop or the command line; a failed load shows a message
/// and leaves the window as it was. Menus and actions live in ActionController.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    BlotDocument& document() const { return *m_document; }
    BlotView& blotView() const { return *m_view; }
    ActionController& actions() const { return *m_actions; }
    PixelReadout& pixelReadout() const { return *m_pixelReadout; }
    QAction* imagePanelToggleAction() const;

public slots:
    /// Opens `fileName`; when it has several pages, first asks which one.
    void openFile(const QString& fileName);
    /// Opens page `pageIndex` (0-based) of `fileName` without asking.
    void openFilePage(const QString& fileName, int pageIndex);
    /// Opens the first of `fileNames` (Densito shows one image at a time) and says so.
    void openFiles(const QStringList& fileNames);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void showLoaded();
    void showLoadFailure(const QString& message);
    void showZoom(double zoom);
    void restoreLayout();

    BlotDocument* m_document = nullptr;
    RecentFiles* m_recentFiles = nullptr;
    BlotView* m_view = nullptr;
    QDockWidget* m_imageDock = nullptr;
    ImageInfoPanel* m_imagePanel = nullptr;
    PixelReadout* m_pixelReadout = nullptr;
    QLabel* m_zoomLabel = nullptr;
    ActionController* m_actions = nullptr;
    /// Said once the current load finishes (e.g. that only the first dropped file opened).
    QString m_noteAfterLoad;
};

} // namespace densito
