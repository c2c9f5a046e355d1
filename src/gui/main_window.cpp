#include "gui/main_window.h"

#include "core/image/image_loader.h"
#include "core/measure/lane_profile.h"
#include "core/version.h"
#include "document/autosave.h"
#include "document/blot_document.h"
#include "document/history_table_model.h"
#include "document/image_review.h"
#include "document/page_count.h"
#include "document/project_document.h"
#include "document/qt_strings.h"
#include "document/results_table_model.h"
#include "gui/action_controller.h"
#include "gui/analysis_settings_panel.h"
#include "gui/app_icon.h"
#include "gui/blot_view.h"
#include "gui/display_contrast_panel.h"
#include "gui/experiment_panel.h"
#include "gui/fold_change_chart_panel.h"
#include "gui/geometry_overlay.h"
#include "gui/image_info_panel.h"
#include "gui/image_list_panel.h"
#include "gui/lane_grid_tool.h"
#include "gui/log_panel.h"
#include "gui/pixel_readout.h"
#include "gui/profile_panel.h"
#include "gui/recent_files.h"
#include "gui/recent_projects.h"
#include "gui/sample_experiment_locator.h"
#include "gui/setting_key.h"
#include "gui/strip_edit_tool.h"
#include "gui/welcome_page.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <spdlog/spdlog.h>
#include <utility>

namespace densito {
namespace {

const SettingKey<QByteArray> kWindowGeometry{"mainWindow/geometry", {}};
const SettingKey<QByteArray> kWindowState{"mainWindow/state", {}};
const SettingKey<QString> kLastProjectFolder{"files/lastProjectFolder", QDir::homePath()};
const SettingKey<QString> kLastExportFolder{"files/lastExportFolder", QDir::homePath()};

constexpr int kStatusMessageMs = 8000;
const QSize kDefaultSize(1280, 820);
const char* const kProjectFilter =
    QT_TRANSLATE_NOOP("densito::MainWindow", "Densito projects (*.densito)");

bool isProjectFile(const QString& fileName) {
    return fileName.endsWith(QStringLiteral(".densito"), Qt::CaseInsensitive);
}

/// Local files in a drag: images and projects.
QStringList droppedFiles(const QMimeData* mime) {
    QStringList files;
    if (mime == nullptr) {
        return files;
    }
    for (const QUrl& url : mime->urls()) {
        if (url.isLocalFile() &&
            (hasImageExtension(toPath(url.toLocalFile())) || isProjectFile(url.toLocalFile()))) {
            files << url.toLocalFile();
        }
    }
    return files;
}

/// "Densito closed before “blots.densito” was saved. Recover the work autosaved at 14:05?"
QString recoveryQuestion(const RecoveryCandidate& candidate) {
    const QString name =
        candidate.projectFile.isEmpty()
            ? MainWindow::tr("an untitled project")
            : MainWindow::tr("“%1”").arg(QFileInfo(candidate.projectFile).fileName());
    const QDateTime savedAt = candidate.savedAt.toLocalTime();
    const QLocale locale;
    const QString time = locale.toString(savedAt.time(), QLocale::ShortFormat);
    const QString when = savedAt.date() == QDate::currentDate()
                             ? time
                             : MainWindow::tr("%1 on %2")
                                   .arg(time, locale.toString(savedAt.date(), QLocale::LongFormat));
    return MainWindow::tr("%1 closed before %2 was saved. Recover the work autosaved at %3?")
        .arg(QLatin1String(kProjectName), name, when);
}

/// What each answer does, and that the user's own file is untouched.
QString recoveryDetails(const RecoveryCandidate& candidate) {
    if (candidate.projectFile.isEmpty()) {
        return MainWindow::tr("Recover opens it as a new, unsaved project. Discard deletes the "
                              "autosaved copy.");
    }
    return MainWindow::tr("Recover opens it as unsaved changes to %1; that file is only "
                          "written when you save. Discard deletes the autosaved copy.")
        .arg(QDir::toNativeSeparators(candidate.projectFile));
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_project(new ProjectDocument(this)), m_document(new BlotDocument(this)),
      m_recentFiles(new RecentFiles(this)), m_recentProjects(new RecentProjects(this)),
      m_stack(new QStackedWidget(this)), m_welcome(new WelcomePage), m_view(new BlotView),
      m_autosave(new Autosave(*m_project, Autosave::defaultFolder(), this)) {
    setWindowIcon(applicationIcon());
    setAcceptDrops(true);
    // The blot and the fold-change chart share the centre, each as large as the window lets
    // it be.
    m_workspace = new QTabWidget;
    m_workspace->setObjectName(QStringLiteral("workspace"));
    m_workspace->setDocumentMode(true);
    m_workspace->addTab(m_view, tr("Blot"));
    m_chartPanel = new FoldChangeChartPanel(*m_project);
    m_workspace->addTab(m_chartPanel, tr("Fold-Change Chart"));
    m_stack->addWidget(m_welcome);
    m_stack->addWidget(m_workspace);
    setCentralWidget(m_stack);
    m_overlay = new GeometryOverlay(*m_project, *m_view);
    m_laneGrid = new LaneGridTool(*m_project, *m_view, *m_overlay, *this);
    m_stripEdit = new StripEditTool(*m_project, *m_view, *m_overlay, *this);
    m_project->setDefaultSettings(defaultAnalysisSettings());

    createPanels();

    m_pixelReadout = new PixelReadout(*m_document);
    m_zoomLabel = new QLabel;
    m_zoomLabel->setToolTip(tr("Zoom: screen pixels per image pixel"));
    // Permanent, so that passing messages ("Analysis finished") never hide it.
    m_reviewIcon = new QLabel;
    m_reviewIcon->setObjectName(QStringLiteral("reviewIcon"));
    m_reviewStatus = new QLabel;
    m_reviewStatus->setObjectName(QStringLiteral("reviewStatus"));
    statusBar()->addPermanentWidget(m_reviewIcon);
    statusBar()->addPermanentWidget(m_reviewStatus);
    statusBar()->addPermanentWidget(m_pixelReadout);
    statusBar()->addPermanentWidget(m_zoomLabel);

    m_actions = new ActionController(*this);

    connect(m_document, &BlotDocument::displayChanged, this, [this] {
        m_view->setImages(m_document->displayImage(), m_document->saturationOverlay());
    });
    connect(m_project, &ProjectDocument::currentImageChanged, this, &MainWindow::showCurrentImage);
    connect(m_project, &ProjectDocument::imagesChanged, this, &MainWindow::showCurrentImage);
    connect(m_project, &ProjectDocument::imageChanged, this, [this](int image) {
        if (image == m_project->currentImage()) {
            showCurrentImage();
        }
    });
    connect(m_project, &ProjectDocument::imageFailed, this, &MainWindow::showImageFailure);
    connect(m_project, &ProjectDocument::projectFailed, this, &MainWindow::showProjectFailure);
    connect(m_project, &ProjectDocument::warningsReported, this, &MainWindow::showWarnings);
    connect(m_project, &ProjectDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_project, &ProjectDocument::fileNameChanged, this, [this](const QString& fileName) {
        if (!fileName.isEmpty()) {
            m_recentProjects->add(fileName);
        }
        updateTitle();
    });
    connect(m_autosave, &Autosave::autosaveFailed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Autosave failed: %1").arg(message), kStatusMessageMs);
    });
    connect(m_project, &ProjectDocument::busyChanged, this, [this](bool isBusy) {
        if (isBusy) {
            statusBar()->showMessage(tr("Analysing…"));
        } else {
            statusBar()->showMessage(tr("Analysis finished"), kStatusMessageMs);
        }
    });
    connect(m_view, &BlotView::pixelHovered, m_pixelReadout, &PixelReadout::showPixel);
    connect(m_view, &BlotView::pointerLeftImage, m_pixelReadout, &PixelReadout::clearPixel);
    connect(m_view, &BlotView::zoomChanged, this, &MainWindow::showZoom);

    connect(m_welcome, &WelcomePage::sampleExperimentRequested, this,
            &MainWindow::openSampleExperiment);
    connect(m_welcome, &WelcomePage::openProjectRequested, m_actions,
            &ActionController::chooseAndOpenProject);
    connect(m_welcome, &WelcomePage::openImagesRequested, m_actions,
            &ActionController::chooseAndOpenImages);
    connect(m_welcome, &WelcomePage::recentProjectActivated, this, &MainWindow::openProject);
    connect(m_recentProjects, &RecentProjects::changed, this,
            [this] { m_welcome->setRecentProjects(m_recentProjects->files()); });
    m_welcome->setRecentProjects(m_recentProjects->files());

    restoreLayout();
    m_stack->setCurrentWidget(m_workspace);
    showCurrentImage();
    updateTitle();
}

MainWindow::~MainWindow() {
    // Nothing may hear from the documents while the window comes apart; then the views, which
    // refer to the documents (child QObjects that ~QObject would otherwise delete first), go.
    // A clean exit: the autosaved copy goes too.
    delete m_autosave;
    QObject::disconnect(m_project, nullptr, nullptr, nullptr);
    QObject::disconnect(m_project->undoStack(), nullptr, nullptr, nullptr);
    QObject::disconnect(m_document, nullptr, nullptr, nullptr);
    delete m_actions;
    qDeleteAll(m_docks);
    delete m_pixelReadout;
    delete m_laneGrid;
    delete m_stripEdit;
    delete m_overlay;
    delete m_stack;
}

QDockWidget* MainWindow::addPanel(const QString& title, const QString& objectName, QWidget* panel,
                                  Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(panel);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                      QDockWidget::DockWidgetFloatable);
    addDockWidget(area, dock);
    m_docks << dock;
    return dock;
}

void MainWindow::createPanels() {
    // The results run under the image list too, so that all their columns fit; the profile
    // keeps the right side's full height.
    setCorner(Qt::BottomLeftCorner, Qt::BottomDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    QDockWidget* imagesDock = addPanel(tr("Images"), QStringLiteral("imagesDock"),
                                       new ImageListPanel(*m_project), Qt::LeftDockWidgetArea);

    auto* imagePage = new QWidget;
    auto* imageLayout = new QVBoxLayout(imagePage);
    imageLayout->setContentsMargins(0, 0, 0, 0);
    m_imageInfo = new ImageInfoPanel(*m_document, m_project);
    imageLayout->addWidget(m_imageInfo);
    imageLayout->addWidget(new DisplayContrastPanel(*m_document));
    auto* imageScroll = new QScrollArea;
    imageScroll->setWidget(imagePage);
    imageScroll->setWidgetResizable(true);
    imageScroll->setFrameShape(QFrame::NoFrame);
    QDockWidget* settingsDock =
        addPanel(tr("Analysis"), QStringLiteral("settingsDock"),
                 new AnalysisSettingsPanel(*m_project), Qt::RightDockWidgetArea);
    auto* profile = new ProfilePanel;
    QDockWidget* profileDock = addPanel(tr("Lane Profile"), QStringLiteral("profileDock"), profile,
                                        Qt::RightDockWidgetArea);
    splitDockWidget(settingsDock, profileDock, Qt::Vertical);
    QDockWidget* imageDock =
        addPanel(tr("Image"), QStringLiteral("imageDock"), imageScroll, Qt::RightDockWidgetArea);
    tabifyDockWidget(settingsDock, imageDock);
    settingsDock->raise();
    connect(m_overlay, &GeometryOverlay::laneSelected, profile,
            [this, profile] { showLaneProfile(*profile); });
    // The selected lane's profile follows every edit of its image.
    connect(m_project, &ProjectDocument::imageChanged, profile, [this, profile](int image) {
        const auto lane = m_overlay->selectedLane();
        if (lane && lane->image == image) {
            showLaneProfile(*profile);
        }
    });
    // and its kDa scale follows the strip's calibration, which comes with the experiment.
    connect(m_project, &ProjectDocument::experimentChanged, profile, [this, profile] {
        if (m_overlay->selectedLane()) {
            showLaneProfile(*profile);
        }
    });

    m_resultsModel = new ResultsTableModel(*m_project, this);
    auto* sorted = new ResultsSortModel(this);
    sorted->setSourceModel(m_resultsModel);
    m_resultsView = new QTableView;
    m_resultsView->setObjectName(QStringLiteral("resultsView"));
    m_resultsView->setModel(sorted);
    m_resultsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_resultsView->setAlternatingRowColors(true);
    m_resultsView->verticalHeader()->hide();
    // Rows a line of text high with a little air: more of them fit in the results strip.
    constexpr int kRowPaddingPx = 6;
    m_resultsView->verticalHeader()->setDefaultSectionSize(m_resultsView->fontMetrics().height() +
                                                           kRowPaddingPx);
    m_resultsView->horizontalHeader()->setStretchLastSection(true);
    m_resultsView->horizontalHeader()->setDefaultAlignment(Qt::AlignCenter);
    // First as bands.csv lists them: strip, lane, band (a header's default order would be
    // descending).
    m_resultsView->horizontalHeader()->setSortIndicator(ResultsTableModel::StripColumn,
                                                        Qt::AscendingOrder);
    m_resultsView->setSortingEnabled(true);
    // Columns as wide as their numbers, so that Flags stays in view.
    connect(m_resultsModel, &QAbstractItemModel::modelReset, m_resultsView,
            [this] { m_resultsView->resizeColumnsToContents(); });
    QDockWidget* resultsDock = addPanel(tr("Results"), QStringLiteral("resultsDock"), m_resultsView,
                                        Qt::BottomDockWidgetArea);
    auto* experiment = new ExperimentPanel(*m_project);
    // Scrolled when narrower than its sheets' buttons, so that it never sets the window's
    // minimum width (about 950 px otherwise: more than the bottom gets at 1280 px).
    auto* experimentScroll = new QScrollArea;
    experimentScroll->setWidget(experiment);
    experimentScroll->setWidgetResizable(true);
    experimentScroll->setFrameShape(QFrame::NoFrame);
    QDockWidget* experimentDock = addPanel(tr("Experiment"), QStringLiteral("experimentDock"),
                                           experimentScroll, Qt::BottomDockWidgetArea);
    connect(experiment, &ExperimentPanel::chartRequested, this, [this](int series) {
        m_workspace->setCurrentWidget(m_chartPanel);
        m_chartPanel->showSeries(series);
    });
    auto* log = new LogPanel;
    log->installSpdlogSink();
    QDockWidget* logDock =
        addPanel(tr("Log"), QStringLiteral("logDock"), log, Qt::BottomDockWidgetArea);
    // Every edit with its old and new values, so that hand corrections are never hidden.
    auto* historyView = new QTableView;
    historyView->setObjectName(QStringLiteral("historyView"));
    historyView->setModel(new HistoryTableModel(*m_project, historyView));
    historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    historyView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    historyView->setWordWrap(false);
    historyView->verticalHeader()->hide();
    historyView->verticalHeader()->setDefaultSectionSize(historyView->fontMetrics().height() +
                                                         kRowPaddingPx);
    historyView->horizontalHeader()->setStretchLastSection(true);
    // Columns fitted when a record is added, not on every step of a drag (which only rewrites
    // the last record).
    connect(historyView->model(), &QAbstractItemModel::modelReset, historyView,
            [historyView, shownRows = 0]() mutable {
                const int rows = historyView->model()->rowCount();
                if (rows != shownRows) {
                    shownRows = rows;
                    historyView->resizeColumnsToContents();
                    historyView->scrollToBottom();
                }
            });
    QDockWidget* historyDock = addPanel(tr("History"), QStringLiteral("historyDock"), historyView,
                                        Qt::BottomDockWidgetArea);
    tabifyDockWidget(resultsDock, experimentDock);
    tabifyDockWidget(experimentDock, historyDock);
    tabifyDockWidget(historyDock, logDock);
    resultsDock->raise();
    // The blot keeps most of the window; the Analysis panel as tall as its controls, the
    // profile the rest of the right side; the results a strip a few rows high. Applied once
    // the window has its size (a saved layout replaces it), in proportion to it.
    m_defaultDockSizes = [this, imagesDock, settingsDock, profileDock, resultsDock] {
        const QSize room = size();
        // Narrow side panels: the list's names and the settings' combo boxes fit; wider
        // screens give the list room for its "needs review" words too.
        constexpr double kImagesFraction = 0.15;
        constexpr int kImagesMinPx = 200;
        constexpr int kImagesMaxPx = 280;
        constexpr double kRightFraction = 0.27;
        constexpr int kRightMinPx = 340;
        constexpr int kRightMaxPx = 480;
        // The results: a quarter of the height, at least five rows under the header.
        constexpr double kResultsFraction = 0.25;
        constexpr int kResultsMinPx = 190;
        const int right =
            std::clamp(static_cast<int>(kRightFraction * room.width()), kRightMinPx, kRightMaxPx);
        const int images = std::clamp(static_cast<int>(kImagesFraction * room.width()),
                                      kImagesMinPx, kImagesMaxPx);
        resizeDocks({imagesDock, settingsDock}, {images, right}, Qt::Horizontal);
        // The dock's title bar and the Analysis | Image tabs under it take about this much.
        constexpr int kSettingsChromePx = 30;
        const int settingsHeight = settingsDock->widget()->sizeHint().height() + kSettingsChromePx;
        resizeDocks({settingsDock, profileDock},
                    {settingsHeight, std::max(settingsHeight, room.height() - settingsHeight)},
                    Qt::Vertical);
        resizeDocks({resultsDock},
                    {std::max(kResultsMinPx, static_cast<int>(kResultsFraction * room.height()))},
                    Qt::Vertical);
    };
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    applyDefaultDockSizes();
}

void MainWindow::applyDefaultDockSizes() {
    // Only once the panels are on screen: hidden (behind the welcome page) they have no size.
    if (m_defaultDockSizes && isVisible() && m_stack->currentWidget() == m_workspace) {
        std::exchange(m_defaultDockSizes, {})();
    }
}

void MainWindow::showLaneProfile(ProfilePanel& panel) {
    const auto lane = m_overlay->selectedLane();
    const Image* pixels = lane ? m_project->loadedImage(lane->image) : nullptr;
    if (pixels == nullptr) {
        panel.clear();
        return;
    }
    const BlotAnalysis& analysis = m_project->analysis(lane->image);
    const auto method = parseBackgroundMethod(analysis.backgroundMethod);
    if (!method || static_cast<std::size_t>(lane->lane) >= analysis.lanes.size()) {
        panel.clear();
        return;
    }
    const LaneProfileInput input{*m_project->signal(lane->image), pixels->validMask, {}};
    const auto profile =
        measureLaneProfile(input, analysis, static_cast<std::size_t>(lane->lane), *method);
    if (!profile) {
        panel.clear();
        statusBar()->showMessage(toQString(profile.error().describe()), kStatusMessageMs);
        return;
    }
    const Lane& measured = analysis.lanes[static_cast<std::size_t>(lane->lane)];
    const QString where = analysis.strips.size() > 1
                              ? tr("lane %1 of strip %2").arg(measured.index).arg(measured.strip)
                              : tr("lane %1").arg(measured.index);
    // The kDa scale along the lane's centre line, where the strip's calibration reads each
    // marker mass (tilt and smile included).
    std::vector<MassTick> massTicks;
    if (const StripCalibration* calibration =
            m_project->stripCalibration(lane->image, measured.strip)) {
        massTicks = massTicksAlong(
            *calibration, [&measured](double yPx) { return measured.centreAt(yPx); },
            profile->topPx, profile->bottomPx());
    }
    panel.setProfile(
        *profile,
        tr("%1, %2 (%3)")
            .arg(m_project->imageName(lane->image), where, toQString(analysis.backgroundMethod)),
        massTicks);
}

QList<QAction*> MainWindow::panelToggleActions() const {
    QList<QAction*> toggles;
    for (QDockWidget* dock : m_docks) {
        toggles << dock->toggleViewAction();
    }
    return toggles;
}

void MainWindow::openFile(const QString& fileName) {
    if (isProjectFile(fileName)) {
        openProject(fileName);
        return;
    }
    const int pages = imagePageCount(fileName);
    int pageIndex = 0;
    if (pages > 1) {
        bool isChosen = false;
        const int page = QInputDialog::getInt(this, tr("Choose Page"),
                                              tr("%1 has %2 pages (channels). Open page:")
                                                  .arg(QFileInfo(fileName).fileName())
                                                  .arg(pages),
                                              1, 1, pages, 1, &isChosen);
        if (!isChosen) {
            return;
        }
        pageIndex = page - 1;
    }
    openFilePage(fileName, pageIndex);
}

void MainWindow::openFilePage(const QString& fileName, int pageIndex) {
    statusBar()->showMessage(tr("Analysing %1…").arg(QFileInfo(fileName).fileName()));
    m_recentFiles->add(fileName);
    m_project->addImages({fileName}, pageIndex);
}

void MainWindow::openFiles(const QStringList& fileNames) {
    QStringList images;
    for (const QString& file : fileNames) {
        if (isProjectFile(file)) {
            openProject(file);
            return;
        }
        if (imagePageCount(file) > 1) {
            openFile(file);
        } else {
            images << file;
            m_recentFiles->add(file);
        }
    }
    if (!images.isEmpty()) {
        statusBar()->showMessage(images.size() == 1
                                     ? tr("Analysing %1…").arg(QFileInfo(images.first()).fileName())
                                     : tr("Analysing %1 images…").arg(images.size()));
        m_project->addImages(images);
    }
}

void MainWindow::openProject(const QString& fileName) {
    if (!maybeSave()) {
        return;
    }
    kLastProjectFolder.setValue(QFileInfo(fileName).absolutePath());
    m_project->openProject(fileName);
}

void MainWindow::openSampleExperiment() {
    const auto folder = sampleExperimentFolder();
    if (!folder) {
        showMessageBox(tr("Sample Experiment Not Found"),
                       tr("The sample experiment (sample_blots/experiment) is not installed next "
                          "to this program."),
                       QStringLiteral("sampleMissingMessage"));
        return;
    }
    if (!maybeSave()) {
        return;
    }
    m_project->openExperimentFolder(*folder);
}

void MainWindow::newProject() {
    if (!maybeSave()) {
        return;
    }
    m_project->clear();
}

bool MainWindow::saveProject() {
    if (m_project->fileName().isEmpty()) {
        return saveProjectAs();
    }
    const auto saved = m_project->saveProject(m_project->fileName());
    if (!saved) {
        showMessageBox(tr("Cannot Save Project"), toQString(saved.error().describe()),
                       QStringLiteral("saveFailureMessage"));
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(m_project->fileName()).fileName()),
                             kStatusMessageMs);
    return true;
}

bool MainWindow::saveProjectAs() {
    QString fileName = QFileDialog::getSaveFileName(
        this, tr("Save Project"),
        kLastProjectFolder.value() + QStringLiteral("/experiment.densito"), tr(kProjectFilter));
    if (fileName.isEmpty()) {
        return false;
    }
    if (!isProjectFile(fileName)) {
        fileName += QStringLiteral(".densito");
    }
    kLastProjectFolder.setValue(QFileInfo(fileName).absolutePath());
    const auto saved = m_project->saveProject(fileName);
    if (!saved) {
        showMessageBox(tr("Cannot Save Project"), toQString(saved.error().describe()),
                       QStringLiteral("saveFailureMessage"));
        return false;
    }
    return true;
}

void MainWindow::exportResults() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Export Results To"), kLastExportFolder.value());
    if (folder.isEmpty()) {
        return;
    }
    kLastExportFolder.setValue(folder);
    const auto written = m_project->exportResults(folder);
    if (!written) {
        showMessageBox(tr("Cannot Export Results"), toQString(written.error().describe()),
                       QStringLiteral("exportFailureMessage"));
        return;
    }
    statusBar()->showMessage(tr("Results written to %1").arg(QDir::toNativeSeparators(folder)),
                             kStatusMessageMs);
}

void MainWindow::copyResults() {
    const QModelIndexList rows = m_resultsView->selectionModel()->selectedRows();
    QModelIndexList sourceRows;
    const auto* sorted = static_cast<const QSortFilterProxyModel*>(m_resultsView->model());
    for (const QModelIndex& row : rows) {
        sourceRows << sorted->mapToSource(row);
    }
    QApplication::clipboard()->setText(tabSeparatedText(*m_resultsModel, sourceRows));
}

std::vector<RecoveryCandidate> MainWindow::recoveryCandidates() const {
    return m_autosave->recoveryCandidates();
}

bool MainWindow::recover(const RecoveryCandidate& candidate) {
    if (!maybeSave()) {
        return false;
    }
    statusBar()->showMessage(tr("Recovering autosaved work…"));
    m_autosave->recover(candidate);
    return true;
}

void MainWindow::discardRecovery(const RecoveryCandidate& candidate) {
    if (!Autosave::discard(candidate)) {
        statusBar()->showMessage(
            tr("Cannot delete %1").arg(QDir::toNativeSeparators(candidate.autosaveFile)),
            kStatusMessageMs);
    }
}

void MainWindow::offerRecovery() {
    const std::vector<RecoveryCandidate> candidates = recoveryCandidates();
    if (candidates.empty()) {
        return;
    }
    const RecoveryCandidate candidate = candidates.front();
    auto* box = new QMessageBox(QMessageBox::Question, tr("Recover Unsaved Work"),
                                recoveryQuestion(candidate), QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("recoveryMessage"));
    box->setInformativeText(recoveryDetails(candidate));
    QPushButton* recoverButton = box->addButton(tr("Recover"), QMessageBox::AcceptRole);
    QPushButton* discardButton = box->addButton(tr("Discard"), QMessageBox::DestructiveRole);
    box->setDefaultButton(recoverButton);
    box->setAttribute(Qt::WA_DeleteOnClose);
    // Closing the box without an answer keeps the copy: it is offered again next time.
    connect(box, &QMessageBox::finished, this,
            [this, box, recoverButton, discardButton, candidate] {
                if (box->clickedButton() == recoverButton) {
                    recover(candidate);
                } else if (box->clickedButton() == discardButton) {
                    discardRecovery(candidate);
                    offerRecovery();
                }
            });
    box->open();
}

void MainWindow::showCurrentImage() {
    const int image = m_project->currentImage();
    const Image* pixels =
        image >= 0 && image < m_project->imageCount() ? m_project->loadedImage(image) : nullptr;
    if (pixels == nullptr) {
        if (m_project->imageCount() == 0) {
            m_shownImage = -1;
            m_shownPixels = nullptr;
            m_document->clearImage();
            setWelcomeShown(true);
        }
        showReviewStatus();
        updateTitle();
        return;
    }
    setWelcomeShown(false);
    // Re-render only for another image or new pixels (a page or polarity change), not edits.
    const bool isOtherImage = image != m_shownImage;
    if (isOtherImage || pixels->raw.data != m_shownPixels) {
        m_shownImage = image;
        m_shownPixels = pixels->raw.data;
        m_document->show(toQString(m_project->image(image).path), *pixels,
                         *m_project->signalModel(image), pixels->warnings);
    }
    if (isOtherImage) {
        // The first view of an image: its membranes, not the whole tray around them.
        m_view->setContentRegion(membranesRegion());
        m_view->fitToContent();
    }
    const ImageReview review =
        imageReviewOf(m_project->image(image).geometry, m_project->analysis(image));
    if (review.isUnreviewed()) {
        statusBar()->showMessage(m_project->imageName(image) + QLatin1Char(' ') + review.headline);
    }
    showReviewStatus();
    updateTitle();
}

QRectF MainWindow::membranesRegion() const {
    const int image = m_project->currentImage();
    QRectF region;
    for (const Strip& strip : m_project->analysis(image).strips) {
        region = region.united(
            QRectF(strip.region.x, strip.region.y, strip.region.width, strip.region.height));
    }
    return region;
}

void MainWindow::showReviewStatus() {
    const int image = m_project->currentImage();
    const bool isShown =
        image >= 0 && image < m_project->imageCount() && m_project->loadedImage(image) != nullptr;
    const ImageReview review =
        isShown ? imageReviewOf(m_project->image(image).geometry, m_project->analysis(image))
                : ImageReview{};
    if (!review.hasNotice()) {
        m_reviewStatusText.clear();
        m_reviewIcon->clear();
        m_reviewIcon->hide();
        m_reviewStatus->clear();
        m_reviewStatus->setToolTip({});
        m_reviewStatus->hide();
        return;
    }
    m_reviewStatusText = m_project->imageName(image) + QLatin1Char(' ') + review.headline;
    const int iconPx = m_reviewStatus->fontMetrics().height();
    m_reviewIcon->setPixmap(style()
                                ->standardIcon(review.isUnreviewed()
                                                   ? QStyle::SP_MessageBoxWarning
                                                   : QStyle::SP_MessageBoxInformation)
                                .pixmap(iconPx, iconPx));
    // At most a third of the window (passing messages keep the rest), and at least enough
    // for the image's name and the start of the headline.
    constexpr int kReviewStatusMinPx = 200;
    const int width = std::max(kReviewStatusMinPx, this->width() / 3);
    m_reviewStatus->setText(
        m_reviewStatus->fontMetrics().elidedText(m_reviewStatusText, Qt::ElideRight, width));
    m_reviewStatus->setToolTip(m_project->imageName(image) + QLatin1Char('\n') + review.details);
    m_reviewIcon->setToolTip(m_reviewStatus->toolTip());
    m_reviewIcon->show();
    m_reviewStatus->show();
}

void MainWindow::setWelcomeShown(bool isShown) {
    if (isShown == (m_stack->currentWidget() == m_welcome)) {
        return;
    }
    if (isShown) {
        // The welcome page gets the whole window; the panels come back with the first image.
        m_docksHiddenForWelcome.clear();
        for (QDockWidget* dock : m_docks) {
            if (!dock->isHidden()) { // not isVisible(): before the window shows, none is
                m_docksHiddenForWelcome << dock;
                dock->hide();
            }
        }
        m_stack->setCurrentWidget(m_welcome);
    } else {
        m_stack->setCurrentWidget(m_workspace);
        for (QDockWidget* dock : m_docksHiddenForWelcome) {
            dock->show();
        }
        m_docksHiddenForWelcome.clear();
        applyDefaultDockSizes();
    }
}

void MainWindow::showMessageBox(const QString& title, const QString& text,
                                const QString& objectName) {
    // Window-modal but not blocking: the application keeps running (and tests can see it).
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setObjectName(objectName);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showImageFailure(const QString& message) {
    statusBar()->clearMessage();
    showMessageBox(tr("Cannot Open Image"), message, QStringLiteral("loadFailureMessage"));
}

void MainWindow::showProjectFailure(const QString& message) {
    statusBar()->clearMessage();
    showMessageBox(tr("Cannot Open Project"), message, QStringLiteral("projectFailureMessage"));
}

void MainWindow::showWarnings(const QStringList& warnings) {
    // Through spdlog, so that they reach the Log panel (and a terminal) like the core's own.
    for (const QString& warning : warnings) {
        spdlog::warn("{}", warning.toStdString());
    }
    if (!warnings.isEmpty()) {
        statusBar()->showMessage(warnings.size() == 1
                                     ? warnings.first()
                                     : tr("%1 warnings: see the Log panel").arg(warnings.size()),
                                 kStatusMessageMs);
    }
}

void MainWindow::showZoom(double zoom) {
    m_zoomLabel->setText(tr("%1%").arg(qRound(zoom * 1000.0) / 10.0));
}

void MainWindow::updateTitle() {
    QString name =
        m_project->fileName().isEmpty() ? QString() : QFileInfo(m_project->fileName()).fileName();
    const int image = m_project->currentImage();
    if (name.isEmpty() && image >= 0 && image < m_project->imageCount()) {
        name = m_project->imageName(image);
    }
    if (name.isEmpty()) {
        name =
            m_project->imageCount() == 0 && !m_project->isModified() ? QString() : tr("Untitled");
    }
    setWindowModified(m_project->isModified());
    setWindowTitle(name.isEmpty() ? QLatin1String(kProjectName)
                                  : tr("%1[*] — %2").arg(name, QLatin1String(kProjectName)));
}

bool MainWindow::maybeSave() {
    if (!m_project->isModified()) {
        return true;
    }
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved Changes"), tr("The project has unsaved changes. Save them first?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) {
        return saveProject();
    }
    return answer == QMessageBox::Discard;
}

void MainWindow::restoreLayout() {
    const QByteArray geometry = kWindowGeometry.value();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        QSize size = kDefaultSize;
        if (const QScreen* screen = this->screen()) {
            size = size.boundedTo(screen->availableSize() * 0.95);
        }
        resize(size);
    }
    if (restoreState(kWindowState.value())) {
        m_defaultDockSizes = {};
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    // Saved, discarded, or nothing to save: no work left to recover.
    m_autosave->remove();
    // The panels hidden for the welcome page are part of the layout to remember.
    for (QDockWidget* dock : m_docksHiddenForWelcome) {
        dock->show();
    }
    kWindowGeometry.setValue(saveGeometry());
    kWindowState.setValue(saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!droppedFiles(event->mimeData()).isEmpty()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QStringList files = droppedFiles(event->mimeData());
    if (files.isEmpty()) {
        return;
    }
    event->acceptProposedAction();
    openFiles(files);
}

} // namespace densito
