#include "gui/action_controller.h"

#include "document/blot_document.h"
#include "document/project_document.h"
#include "gui/about_dialog.h"
#include "gui/batch_dialog.h"
#include "gui/blot_view.h"
#include "gui/geometry_overlay.h"
#include "gui/lane_grid_tool.h"
#include "gui/main_window.h"
#include "gui/recent_files.h"
#include "gui/recent_projects.h"
#include "gui/setting_key.h"
#include "gui/strip_edit_tool.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QUndoStack>

#include <algorithm>

namespace densito {
namespace {

const SettingKey<QString> kLastOpenFolder{"files/lastOpenFolder", QDir::homePath()};
const SettingKey<QString> kLastProjectFolder{"files/lastProjectFolder", QDir::homePath()};
const SettingKey<bool> kShowSaturation{"view/showSaturatedPixels", true};
const SettingKey<bool> kShowGeometry{"view/showLanesAndBands", true};

const char* const kImageFilter = QT_TRANSLATE_NOOP(
    "densito::ActionController", "Blot images (*.tif *.tiff *.png *.jpg *.jpeg);;All files (*)");
const char* const kProjectFilter =
    QT_TRANSLATE_NOOP("densito::ActionController", "Densito projects (*.densito)");

/// A recent-file entry: the first nine get a keyboard mnemonic, as in most applications.
QString recentLabel(int index, const QString& file) {
    return index < 9 ? QStringLiteral("&%1 %2").arg(index + 1).arg(QFileInfo(file).fileName())
                     : QFileInfo(file).fileName();
}

} // namespace

ActionController::ActionController(MainWindow& window) : QObject(&window), m_window(window) {
    createActions();
    createMenus();
    ProjectDocument& project = m_window.project();
    connect(&m_window.document(), &BlotDocument::displayChanged, this,
            &ActionController::updateEnabled);
    connect(&project, &ProjectDocument::imagesChanged, this, &ActionController::updateEnabled);
    connect(&project, &ProjectDocument::currentImageChanged, this,
            &ActionController::updateEnabled);
    connect(&project, &ProjectDocument::busyChanged, this, &ActionController::updateEnabled);
    connect(&project, &ProjectDocument::experimentChanged, this, &ActionController::updateEnabled);
    connect(&m_window.overlay(), &GeometryOverlay::laneSelected, this,
            &ActionController::updateEnabled);
    connect(&m_window.overlay(), &GeometryOverlay::bandSelected, this,
            &ActionController::updateEnabled);
    connect(&m_window.laneGridTool(), &LaneGridTool::activeChanged, this,
            &ActionController::updateEnabled);
    connect(&m_window.stripEditTool(), &StripEditTool::activeChanged, this, [this](bool active) {
        const QSignalBlocker blocker(m_stripEdit);
        m_stripEdit->setChecked(active);
        updateEnabled();
    });
    connect(&m_window.recentFiles(), &RecentFiles::changed, this,
            &ActionController::rebuildRecentMenus);
    connect(&m_window.recentProjects(), &RecentProjects::changed, this,
            &ActionController::rebuildRecentMenus);
    updateEnabled();
    rebuildRecentMenus();
}

void ActionController::createActions() {
    ProjectDocument& project = m_window.project();
    BlotView& view = m_window.blotView();

    m_newProject = new QAction(tr("&New Project"), this);
    m_newProject->setShortcut(QKeySequence::New);
    connect(m_newProject, &QAction::triggered, &m_window, &MainWindow::newProject);

    m_open = new QAction(tr("&Open Images…"), this);
    m_open->setShortcut(QKeySequence::Open);
    m_open->setStatusTip(tr("Add blot images (TIFF, PNG or JPEG) to the project"));
    connect(m_open, &QAction::triggered, this, &ActionController::chooseAndOpenImages);

    m_openProject = new QAction(tr("Open &Project…"), this);
    m_openProject->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(m_openProject, &QAction::triggered, this, &ActionController::chooseAndOpenProject);

    m_openSample = new QAction(tr("Open the Sample &Experiment"), this);
    m_openSample->setStatusTip(tr("A finished analysis of a synthetic experiment with its truth"));
    connect(m_openSample, &QAction::triggered, &m_window, &MainWindow::openSampleExperiment);

    m_save = new QAction(tr("&Save Project"), this);
    m_save->setShortcut(QKeySequence::Save);
    connect(m_save, &QAction::triggered, &m_window, &MainWindow::saveProject);

    m_saveAs = new QAction(tr("Save Project &As…"), this);
    m_saveAs->setShortcut(QKeySequence::SaveAs);
    connect(m_saveAs, &QAction::triggered, &m_window, &MainWindow::saveProjectAs);

    m_export = new QAction(tr("&Export Results…"), this);
    m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_export->setStatusTip(tr("Write the CSV files and charts exactly as densito-cli does"));
    connect(m_export, &QAction::triggered, &m_window, &MainWindow::exportResults);

    m_batch = new QAction(tr("&Batch Analysis…"), this);
    m_batch->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    m_batch->setStatusTip(tr("Analyse a folder of images into an output folder"));
    connect(m_batch, &QAction::triggered, this, &ActionController::showBatchDialog);

    m_quit = new QAction(tr("&Quit"), this);
    m_quit->setShortcut(QKeySequence::Quit);
    m_quit->setMenuRole(QAction::QuitRole);
    connect(m_quit, &QAction::triggered, &m_window, &QWidget::close);

    m_undo = project.undoStack()->createUndoAction(this, tr("&Undo"));
    m_undo->setShortcut(QKeySequence::Undo);
    m_redo = project.undoStack()->createRedoAction(this, tr("&Redo"));
    m_redo->setShortcut(QKeySequence::Redo);

    m_delete = new QAction(tr("&Delete Lane or Band"), this);
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setStatusTip(tr("Delete the selected band, or else the selected lane"));
    connect(m_delete, &QAction::triggered, &m_window.overlay(), &GeometryOverlay::removeSelection);

    m_copy = new QAction(tr("&Copy Results"), this);
    m_copy->setShortcut(QKeySequence::Copy);
    m_copy->setStatusTip(tr("Copy the selected result rows as tab-separated text"));
    connect(m_copy, &QAction::triggered, &m_window, &MainWindow::copyResults);

    m_detect = new QAction(tr("&Detect Lanes and Bands"), this);
    m_detect->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_detect->setStatusTip(tr("Find strips, lanes and bands of the current image again"));
    connect(m_detect, &QAction::triggered, this, [this] {
        ProjectDocument& document = m_window.project();
        if (document.currentImage() >= 0) {
            document.redetect(document.currentImage());
        }
    });

    m_laneCount = new QAction(tr("Set &Lane Count…"), this);
    m_laneCount->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(m_laneCount, &QAction::triggered, this, &ActionController::chooseLaneCount);

    m_laneGrid = new QAction(tr("Set Lane &Grid…"), this);
    m_laneGrid->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    m_laneGrid->setStatusTip(tr("Drag the first and the last lane of a strip and type the "
                                "number of lanes: the lanes between are spaced equally"));
    connect(m_laneGrid, &QAction::triggered, this, [this] {
        if (m_window.project().currentImage() >= 0) {
            m_window.laneGridTool().start(chosenStrip());
        }
    });

    m_stripEdit = new QAction(tr("Edit &Membrane Regions"), this);
    m_stripEdit->setCheckable(true);
    m_stripEdit->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    m_stripEdit->setStatusTip(tr("Draw a membrane region the detector missed, move or resize a "
                                 "region, or delete one; its lanes and bands are detected again"));
    connect(m_stripEdit, &QAction::toggled, &m_window.stripEditTool(), &StripEditTool::setActive);

    m_nextReview = new QAction(tr("&Next Image to Review"), this);
    m_nextReview->setShortcut(QKeySequence(Qt::Key_F8));
    m_nextReview->setStatusTip(
        tr("Show the next image whose detection is unsure (marked in the image list)"));
    connect(m_nextReview, &QAction::triggered, this, [this] {
        ProjectDocument& document = m_window.project();
        const int next = document.nextImageToReview(document.currentImage());
        if (next < 0) {
            m_window.statusBar()->showMessage(tr("No image needs review"), 5000);
            return;
        }
        document.setCurrentImage(next);
    });

    m_zoomIn = new QAction(tr("Zoom &In"), this);
    m_zoomIn->setShortcut(QKeySequence::ZoomIn);
    connect(m_zoomIn, &QAction::triggered, &view, &BlotView::zoomIn);

    m_zoomOut = new QAction(tr("Zoom &Out"), this);
    m_zoomOut->setShortcut(QKeySequence::ZoomOut);
    connect(m_zoomOut, &QAction::triggered, &view, &BlotView::zoomOut);

    m_fit = new QAction(tr("&Fit Image"), this);
    m_fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    m_fit->setStatusTip(tr("Show the whole image"));
    connect(m_fit, &QAction::triggered, &view, &BlotView::fitToWindow);

    m_fitMembranes = new QAction(tr("Fit &Membranes"), this);
    m_fitMembranes->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_9));
    m_fitMembranes->setStatusTip(tr("Show the image's membranes as large as they fit (how an "
                                    "image opens)"));
    connect(m_fitMembranes, &QAction::triggered, &view, &BlotView::fitToContent);

    m_actualSize = new QAction(tr("&Actual Size"), this);
    m_actualSize->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    m_actualSize->setStatusTip(tr("One screen pixel per image pixel"));
    connect(m_actualSize, &QAction::triggered, &view, &BlotView::showActualSize);

    m_invert = new QAction(tr("In&vert Display"), this);
    m_invert->setCheckable(true);
    m_invert->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_invert->setStatusTip(tr("Swap dark and light on screen; the measured values do not change"));
    connect(m_invert, &QAction::toggled, &m_window.document(), &BlotDocument::setDisplayInverted);

    m_showSaturation = new QAction(tr("Show &Saturated Pixels"), this);
    m_showSaturation->setCheckable(true);
    m_showSaturation->setChecked(kShowSaturation.value());
    m_showSaturation->setStatusTip(tr("Paint pixels at the detector's saturation level in red"));
    view.setOverlayVisible(m_showSaturation->isChecked());
    connect(m_showSaturation, &QAction::toggled, this, [this](bool checked) {
        m_window.blotView().setOverlayVisible(checked);
        kShowSaturation.setValue(checked);
    });

    m_showGeometry = new QAction(tr("Show &Lanes and Bands"), this);
    m_showGeometry->setCheckable(true);
    m_showGeometry->setChecked(kShowGeometry.value());
    m_showGeometry->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    m_window.overlay().setVisible(m_showGeometry->isChecked());
    connect(m_showGeometry, &QAction::toggled, this, [this](bool checked) {
        m_window.overlay().setVisible(checked);
        kShowGeometry.setValue(checked);
    });

    m_about = new QAction(tr("&About Densito"), this);
    m_about->setMenuRole(QAction::AboutRole);
    connect(m_about, &QAction::triggered, this, &ActionController::showAbout);

    m_aboutQt = new QAction(tr("About &Qt"), this);
    m_aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(m_aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    for (QAction* action :
         {m_newProject,   m_open,   m_openProject,  m_openSample, m_save,       m_saveAs,
          m_export,       m_batch,  m_quit,         m_undo,       m_redo,       m_delete,
          m_copy,         m_detect, m_laneCount,    m_laneGrid,   m_nextReview, m_zoomIn,
          m_zoomOut,      m_fit,    m_fitMembranes, m_actualSize, m_invert,     m_showSaturation,
          m_showGeometry, m_about,  m_aboutQt}) {
        // Shortcuts work even while the menu bar is hidden or a dock has the focus.
        m_window.addAction(action);
    }
}

void ActionController::createMenus() {
    QMenuBar* bar = m_window.menuBar();
    QMenu* file = bar->addMenu(tr("&File"));
    file->addAction(m_newProject);
    file->addAction(m_openProject);
    m_recentProjectsMenu = file->addMenu(tr("Recent Pro&jects"));
    file->addAction(m_openSample);
    file->addSeparator();
    file->addAction(m_open);
    m_recentMenu = file->addMenu(tr("Open &Recent Image"));
    file->addSeparator();
    file->addAction(m_save);
    file->addAction(m_saveAs);
    file->addAction(m_export);
    file->addSeparator();
    file->addAction(m_batch);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu* edit = bar->addMenu(tr("&Edit"));
    edit->addAction(m_undo);
    edit->addAction(m_redo);
    edit->addSeparator();
    edit->addAction(m_copy);
    edit->addAction(m_delete);

    QMenu* analysis = bar->addMenu(tr("&Analysis"));
    analysis->addAction(m_detect);
    analysis->addAction(m_laneCount);
    analysis->addAction(m_laneGrid);
    analysis->addAction(m_stripEdit);
    analysis->addSeparator();
    analysis->addAction(m_nextReview);

    QMenu* view = bar->addMenu(tr("&View"));
    view->addAction(m_zoomIn);
    view->addAction(m_zoomOut);
    view->addAction(m_fit);
    view->addAction(m_fitMembranes);
    view->addAction(m_actualSize);
    view->addSeparator();
    view->addAction(m_invert);
    view->addAction(m_showSaturation);
    view->addAction(m_showGeometry);
    view->addSeparator();
    QMenu* panels = view->addMenu(tr("&Panels"));
    panels->addActions(m_window.panelToggleActions());

    QMenu* help = bar->addMenu(tr("&Help"));
    help->addAction(m_about);
    help->addAction(m_aboutQt);

    // The steps of a session one click away, as words (no icon set to learn): open, save,
    // export, undo, fit, and the walk through the images detection was unsure of.
    QToolBar* tools = m_window.addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setMovable(false);
    tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    tools->addAction(m_open);
    tools->addAction(m_save);
    tools->addAction(m_export);
    tools->addSeparator();
    tools->addAction(m_undo);
    tools->addAction(m_redo);
    tools->addSeparator();
    tools->addAction(m_fitMembranes);
    tools->addAction(m_fit);
    tools->addSeparator();
    tools->addAction(m_detect);
    tools->addAction(m_nextReview);
}

void ActionController::updateEnabled() {
    const ProjectDocument& project = m_window.project();
    const bool hasImage = m_window.document().hasImage();
    for (QAction* action : {m_zoomIn, m_zoomOut, m_fit, m_fitMembranes, m_actualSize, m_invert,
                            m_showSaturation, m_showGeometry}) {
        action->setEnabled(hasImage);
    }
    const bool hasCurrent = project.currentImage() >= 0 && !project.isBusy();
    // One tool on the blot at a time; detection would replace what a tool edits.
    const bool isPlacingGrid = m_window.laneGridTool().isActive();
    const bool isEditingStrips = m_window.stripEditTool().isActive();
    const bool isFree = hasCurrent && !isPlacingGrid && !isEditingStrips;
    m_laneCount->setEnabled(isFree);
    m_laneGrid->setEnabled(isFree);
    m_detect->setEnabled(isFree);
    m_stripEdit->setEnabled(isEditingStrips || (hasCurrent && !isPlacingGrid));
    const bool hasImages = project.imageCount() > 0;
    m_nextReview->setEnabled(hasImages);
    m_save->setEnabled(hasImages || project.layout().has_value());
    m_saveAs->setEnabled(hasImages || project.layout().has_value());
    m_export->setEnabled(hasImages && !project.isBusy());
    m_delete->setEnabled(m_window.overlay().selectedBand().has_value() ||
                         m_window.overlay().selectedLane().has_value());
}

void ActionController::rebuildRecentMenus() {
    const auto fill = [this](QMenu* menu, const QStringList& files, auto open, auto clear) {
        menu->clear();
        for (int i = 0; i < files.size(); ++i) {
            const QString file = files.at(i);
            QAction* action = menu->addAction(recentLabel(i, file));
            action->setToolTip(file);
            action->setStatusTip(file);
            connect(action, &QAction::triggered, &m_window, [this, file, open] { open(file); });
        }
        if (!files.isEmpty()) {
            menu->addSeparator();
            menu->addAction(tr("&Clear List"), this, clear);
        }
        menu->menuAction()->setEnabled(!files.isEmpty());
    };
    fill(
        m_recentMenu, m_window.recentFiles().files(),
        [this](const QString& file) { m_window.openFile(file); },
        [this] { m_window.recentFiles().clear(); });
    fill(
        m_recentProjectsMenu, m_window.recentProjects().files(),
        [this](const QString& file) { m_window.openProject(file); },
        [this] { m_window.recentProjects().clear(); });
}

void ActionController::chooseAndOpenImages() {
    const QStringList files = QFileDialog::getOpenFileNames(
        &m_window, tr("Open Blot Images"), kLastOpenFolder.value(), tr(kImageFilter));
    if (files.isEmpty()) {
        return;
    }
    kLastOpenFolder.setValue(QFileInfo(files.first()).absolutePath());
    m_window.openFiles(files);
}

void ActionController::chooseAndOpenProject() {
    const QString file = QFileDialog::getOpenFileName(
        &m_window, tr("Open Project"), kLastProjectFolder.value(), tr(kProjectFilter));
    if (!file.isEmpty()) {
        m_window.openProject(file);
    }
}

void ActionController::showBatchDialog() {
    BatchDialog dialog(&m_window);
    dialog.exec();
}

int ActionController::chosenStrip() const {
    const ProjectDocument& project = m_window.project();
    const int image = project.currentImage();
    if (const auto lane = m_window.overlay().selectedLane(); lane && lane->image == image) {
        return project.image(image).geometry.lanes[static_cast<std::size_t>(lane->lane)].strip;
    }
    const auto& strips = project.image(image).geometry.strips;
    return strips.empty() ? 1 : strips.front().index;
}

void ActionController::chooseLaneCount() {
    ProjectDocument& project = m_window.project();
    const int image = project.currentImage();
    if (image < 0) {
        return;
    }
    const int strip = chosenStrip();
    const auto& lanes = project.image(image).geometry.lanes;
    const int current = static_cast<int>(
        std::count_if(lanes.begin(), lanes.end(), [&](const Lane& l) { return l.strip == strip; }));
    bool isChosen = false;
    const int count = QInputDialog::getInt(
        &m_window, tr("Set Lane Count"),
        tr("Lanes in strip %1 (lanes and bands are detected again):").arg(strip), current, 1, 200,
        1, &isChosen);
    if (isChosen && count != current) {
        project.setLaneCount(image, strip, count);
    }
}

void ActionController::showAbout() {
    AboutDialog dialog(&m_window);
    dialog.exec();
}

} // namespace densito
