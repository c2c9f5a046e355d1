#pragma once

#include <QMainWindow>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

class QAction;
class QDockWidget;
class QLabel;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace densito {

class ActionController;
class Autosave;
class BlotDocument;
class BlotView;
class FoldChangeChartPanel;
class GeometryOverlay;
class ExperimentPanel;
class ImageInfoPanel;
class LaneGridTool;
class PixelReadout;
class ProfilePanel;
class ProjectDocument;
class RecentFiles;
class RecentProjects;
class ResultsTableModel;
class StripEditTool;
class WelcomePage;
struct RecoveryCandidate;

/// The Densito main window: the welcome page until something is open, then two tabs: the blot
/// view of the current image with its lanes and bands (opened zoomed to its membranes), and
/// the experiment's fold-change chart at full size; docks for the project's images, the
/// image's metadata and display contrast, analysis settings, results, the lane profile, the
/// experiment and the log; in the status bar the current image's review state (needs review,
/// edited by hand, warnings), the pixel readout and the zoom. The project
/// (ProjectDocument) holds every number; the BlotDocument only shows the current image.
/// Menus and actions live in ActionController.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ProjectDocument& project() const { return *m_project; }
    /// The display of the current image.
    BlotDocument& document() const { return *m_document; }
    BlotView& blotView() const { return *m_view; }
    GeometryOverlay& overlay() const { return *m_overlay; }
    /// Setting a strip's lanes as a grid on the blot view.
    LaneGridTool& laneGridTool() const { return *m_laneGrid; }
    /// Drawing, moving and deleting membrane regions on the blot view.
    StripEditTool& stripEditTool() const { return *m_stripEdit; }
    ActionController& actions() const { return *m_actions; }
    PixelReadout& pixelReadout() const { return *m_pixelReadout; }
    WelcomePage& welcomePage() const { return *m_welcome; }
    QTableView& resultsView() const { return *m_resultsView; }
    /// The central tabs: the blot view and the fold-change chart.
    QTabWidget& workspace() const { return *m_workspace; }
    FoldChangeChartPanel& chartPanel() const { return *m_chartPanel; }
    ImageInfoPanel& imageInfoPanel() const { return *m_imageInfo; }
    /// The status bar's review state of the current image ("reviewStatus"): its headline,
    /// elided; the reasons in its tooltip. Empty when there is nothing to say.
    QLabel& reviewStatus() const { return *m_reviewStatus; }
    /// The whole review line the status bar shows (before eliding).
    const QString& reviewStatusText() const { return m_reviewStatusText; }
    RecentFiles& recentFiles() const { return *m_recentFiles; }
    RecentProjects& recentProjects() const { return *m_recentProjects; }
    /// The toggle actions of the docks, for the View menu.
    QList<QAction*> panelToggleActions() const;
    /// The crash-recovery copy of the project's unsaved work.
    Autosave& autosave() const { return *m_autosave; }

    /// Unsaved work of Densito windows that ended without saving (Autosave), newest first.
    std::vector<RecoveryCandidate> recoveryCandidates() const;
    /// Opens the candidate as a modified project whose file is the user's project file (or
    /// untitled), after offering to save the current work; false when the user cancels.
    bool recover(const RecoveryCandidate& candidate);
    /// Deletes the candidate's autosaved copy.
    void discardRecovery(const RecoveryCandidate& candidate);

public slots:
    /// Adds `fileName` to the project; when it has several pages, first asks which one.
    void openFile(const QString& fileName);
    /// Adds page `pageIndex` (0-based) of `fileName` to the project without asking.
    void openFilePage(const QString& fileName, int pageIndex);
    /// Adds every file to the project (multi-page files ask for their page).
    void openFiles(const QStringList& fileNames);
    /// Opens a .densito project (after offering to save unsaved work).
    void openProject(const QString& fileName);
    /// Opens the shipped sample experiment, analysed, as a new unsaved project.
    void openSampleExperiment();
    /// Empties the project (after offering to save unsaved work).
    void newProject();
    /// Saves to the project's file, or asks for one; false when not saved.
    bool saveProject();
    bool saveProjectAs();
    /// Asks for a folder and writes the result files the command line would write.
    void exportResults();
    /// Copies the selected result rows as tab-separated text (Excel and Prism paste it).
    void copyResults();
    /// Asks, in a window-modal box, whether to recover the newest recovery candidate
    /// ("recoveryMessage"); after Discard, asks about the next one. main() calls it once the
    /// window is shown.
    void offerRecovery();

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QDockWidget* addPanel(const QString& title, const QString& objectName, QWidget* panel,
                          Qt::DockWidgetArea area);
    void createPanels();
    void showCurrentImage();
    /// Shows the welcome page alone (panels hidden) or the blot view with its panels.
    void setWelcomeShown(bool isShown);
    void applyDefaultDockSizes();
    /// The selected lane's profile in `panel` (cleared when no lane is selected).
    void showLaneProfile(ProfilePanel& panel);
    void showImageFailure(const QString& message);
    void showProjectFailure(const QString& message);
    void showWarnings(const QStringList& warnings);
    void showZoom(double zoom);
    /// The current image's review state in the status bar.
    void showReviewStatus();
    /// The bounding box of the current image's strips (image pixels); empty without strips.
    QRectF membranesRegion() const;
    void updateTitle();
    /// Offers to save unsaved work; false when the user cancels.
    bool maybeSave();
    void restoreLayout();
    void showMessageBox(const QString& title, const QString& text, const QString& objectName);

    ProjectDocument* m_project = nullptr;
    BlotDocument* m_document = nullptr;
    RecentFiles* m_recentFiles = nullptr;
    RecentProjects* m_recentProjects = nullptr;
    QStackedWidget* m_stack = nullptr;
    WelcomePage* m_welcome = nullptr;
    QTabWidget* m_workspace = nullptr;
    BlotView* m_view = nullptr;
    FoldChangeChartPanel* m_chartPanel = nullptr;
    ImageInfoPanel* m_imageInfo = nullptr;
    QLabel* m_reviewIcon = nullptr;
    QLabel* m_reviewStatus = nullptr;
    QString m_reviewStatusText;
    GeometryOverlay* m_overlay = nullptr;
    LaneGridTool* m_laneGrid = nullptr;
    StripEditTool* m_stripEdit = nullptr;
    ResultsTableModel* m_resultsModel = nullptr;
    QTableView* m_resultsView = nullptr;
    QList<QDockWidget*> m_docks;
    QList<QDockWidget*> m_docksHiddenForWelcome;
    PixelReadout* m_pixelReadout = nullptr;
    QLabel* m_zoomLabel = nullptr;
    ActionController* m_actions = nullptr;
    Autosave* m_autosave = nullptr;
    /// The pixels the display shows (to re-render only when the current image's pixels change).
    const void* m_shownPixels = nullptr;
    int m_shownImage = -1;
    /// Sets the panels' first sizes; empty once applied or when a saved layout was restored.
    std::function<void()> m_defaultDockSizes;
};

} // namespace densito
