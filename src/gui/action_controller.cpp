#include "gui/action_controller.h"

#include "document/blot_document.h"
#include "gui/about_dialog.h"
#include "gui/blot_view.h"
#include "gui/main_window.h"
#include "gui/recent_files.h"
#include "gui/setting_key.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>

namespace densito {
namespace {

const SettingKey<QString> kLastOpenFolder{"files/lastOpenFolder", QDir::homePath()};
const SettingKey<bool> kShowSaturation{"view/showSaturatedPixels", true};

const char* const kImageFilter = QT_TRANSLATE_NOOP(
    "densito::ActionController", "Blot images (*.tif *.tiff *.png *.jpg *.jpeg);;All files (*)");

} // namespace

ActionController::ActionController(MainWindow& window, BlotView& view, BlotDocument& document,
                                   RecentFiles& recentFiles)
    : QObject(&window), m_window(window), m_view(view), m_document(document),
      m_recentFiles(recentFiles) {
    createActions();
    createMenus();
    connect(&m_document, &BlotDocument::loaded, this, &ActionController::updateEnabled);
    connect(&m_recentFiles, &RecentFiles::changed, this, &ActionController::rebuildRecentMenu);
    updateEnabled();
    rebuildRecentMenu();
}

void ActionController::createActions() {
    m_open = new QAction(tr("&Open…"), this);
    m_open->setShortcut(QKeySequence::Open);
    m_open->setStatusTip(tr("Open a blot image (TIFF, PNG or JPEG)"));
    connect(m_open, &QAction::triggered, this, &ActionController::chooseAndOpen);

    m_quit = new QAction(tr("&Quit"), this);
    m_quit->setShortcut(QKeySequence::Quit);
    m_quit->setMenuRole(QAction::QuitRole);
    connect(m_quit, &QAction::triggered, &m_window, &QWidget::close);

    m_zoomIn = new QAction(tr("Zoom &In"), this);
    m_zoomIn->setShortcut(QKeySequence::ZoomIn);
    connect(m_zoomIn, &QAction::triggered, &m_view, &BlotView::zoomIn);

    m_zoomOut = new QAction(tr("Zoom &Out"), this);
    m_zoomOut->setShortcut(QKeySequence::ZoomOut);
    connect(m_zoomOut, &QAction::triggered, &m_view, &BlotView::zoomOut);

    m_fit = new QAction(tr("&Fit to Window"), this);
    m_fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(m_fit, &QAction::triggered, &m_view, &BlotView::fitToWindow);

    m_actualSize = new QAction(tr("&Actual Size"), this);
    m_actualSize->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    m_actualSize->setStatusTip(tr("One screen pixel per image pixel"));
    connect(m_actualSize, &QAction::triggered, &m_view, &BlotView::showActualSize);

    m_invert = new QAction(tr("In&vert Display"), this);
    m_invert->setCheckable(true);
    m_invert->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_invert->setStatusTip(tr("Swap dark and light on screen; the measured values do not change"));
    connect(m_invert, &QAction::toggled, &m_document, &BlotDocument::setDisplayInverted);

    m_showSaturation = new QAction(tr("Show &Saturated Pixels"), this);
    m_showSaturation->setCheckable(true);
    m_showSaturation->setChecked(kShowSaturation.value());
    m_showSaturation->setStatusTip(tr("Paint pixels at the detector's saturation level in red"));
    m_view.setOverlayVisible(m_showSaturation->isChecked());
    connect(m_showSaturation, &QAction::toggled, this, [this](bool checked) {
        m_view.setOverlayVisible(checked);
        kShowSaturation.setValue(checked);
    });

    m_about = new QAction(tr("&About Densito"), this);
    m_about->setMenuRole(QAction::AboutRole);
    connect(m_about, &QAction::triggered, this, &ActionController::showAbout);

    m_aboutQt = new QAction(tr("About &Qt"), this);
    m_aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(m_aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    for (QAction* action : {m_open, m_quit, m_zoomIn, m_zoomOut, m_fit, m_actualSize, m_invert,
                            m_showSaturation, m_about, m_aboutQt}) {
        // Shortcuts work even while the menu bar is hidden or a dock has the focus.
        m_window.addAction(action);
    }
}

void ActionController::createMenus() {
    QMenuBar* bar = m_window.menuBar();
    QMenu* file = bar->addMenu(tr("&File"));
    file->addAction(m_open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(m_quit);

    QMenu* view = bar->addMenu(tr("&View"));
    view->addAction(m_zoomIn);
    view->addAction(m_zoomOut);
    view->addAction(m_fit);
    view->addAction(m_actualSize);
    view->addSeparator();
    view->addAction(m_invert);
    view->addAction(m_showSaturation);
    view->addSeparator();
    view->addAction(m_window.imagePanelToggleAction());

    QMenu* help = bar->addMenu(tr("&Help"));
    help->addAction(m_about);
    help->addAction(m_aboutQt);
}

void ActionController::updateEnabled() {
    const bool hasImage = m_document.hasImage();
    for (QAction* action : {m_zoomIn, m_zoomOut, m_fit, m_actualSize, m_invert, m_showSaturation}) {
        action->setEnabled(hasImage);
    }
}

void ActionController::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList files = m_recentFiles.files();
    for (int i = 0; i < files.size(); ++i) {
        const QString& file = files.at(i);
        // The first nine get a keyboard mnemonic, as in most desktop applications.
        const QString label =
            i < 9 ? QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(file).fileName())
                  : QFileInfo(file).fileName();
        QAction* action = m_recentMenu->addAction(label);
        action->setToolTip(file);
        action->setStatusTip(file);
        connect(action, &QAction::triggered, &m_window, [this, file] { m_window.openFile(file); });
    }
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("&Clear List"), &m_recentFiles, &RecentFiles::clear);
    }
    m_recentMenu->menuAction()->setEnabled(!files.isEmpty());
}

void ActionController::chooseAndOpen() {
    const QString file = QFileDialog::getOpenFileName(&m_window, tr("Open Blot Image"),
                                                      kLastOpenFolder.value(), tr(kImageFilter));
    if (file.isEmpty()) {
        return;
    }
    kLastOpenFolder.setValue(QFileInfo(file).absolutePath());
    m_window.openFile(file);
}

void ActionController::showAbout() {
    AboutDialog dialog(&m_window);
    dialog.exec();
}

} // namespace densito
