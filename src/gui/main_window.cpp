#include "gui/main_window.h"

#include "core/image/image_loader.h"
#include "core/version.h"
#include "document/blot_document.h"
#include "document/page_count.h"
#include "document/qt_strings.h"
#include "gui/action_controller.h"
#include "gui/app_icon.h"
#include "gui/blot_view.h"
#include "gui/image_info_panel.h"
#include "gui/pixel_readout.h"
#include "gui/recent_files.h"
#include "gui/setting_key.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QStatusBar>
#include <QUrl>

namespace densito {
namespace {

const SettingKey<QByteArray> kWindowGeometry{"mainWindow/geometry", {}};
const SettingKey<QByteArray> kWindowState{"mainWindow/state", {}};

constexpr int kStatusMessageMs = 8000;
const QSize kDefaultSize(1280, 820);

QStringList localImageFiles(const QMimeData* mime) {
    QStringList files;
    if (mime == nullptr) {
        return files;
    }
    for (const QUrl& url : mime->urls()) {
        if (url.isLocalFile() && hasImageExtension(toPath(url.toLocalFile()))) {
            files << url.toLocalFile();
        }
    }
    return files;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_document(new BlotDocument(this)), m_recentFiles(new RecentFiles(this)),
      m_view(new BlotView(this)) {
    setWindowTitle(QLatin1String(kProjectName));
    setWindowIcon(applicationIcon());
    setAcceptDrops(true);
    setCentralWidget(m_view);

    m_imagePanel = new ImageInfoPanel(*m_document);
    m_imageDock = new QDockWidget(tr("Image"), this);
    m_imageDock->setObjectName(QStringLiteral("imageDock"));
    m_imageDock->setWidget(m_imagePanel);
    m_imageDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                             QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, m_imageDock);

    m_pixelReadout = new PixelReadout(*m_document);
    m_zoomLabel = new QLabel;
    m_zoomLabel->setToolTip(tr("Zoom: screen pixels per image pixel"));
    statusBar()->addPermanentWidget(m_pixelReadout);
    statusBar()->addPermanentWidget(m_zoomLabel);

    m_actions = new ActionController(*this, *m_view, *m_document, *m_recentFiles);

    connect(m_document, &BlotDocument::loaded, this, &MainWindow::showLoaded);
    connect(m_document, &BlotDocument::loadFailed, this, &MainWindow::showLoadFailure);
    connect(m_document, &BlotDocument::displayChanged, this, [this] {
        m_view->setImages(m_document->displayImage(), m_document->saturationOverlay());
    });
    connect(m_view, &BlotView::pixelHovered, m_pixelReadout, &PixelReadout::showPixel);
    connect(m_view, &BlotView::pointerLeftImage, m_pixelReadout, &PixelReadout::clearPixel);
    connect(m_view, &BlotView::zoomChanged, this, &MainWindow::showZoom);

    restoreLayout();
}

MainWindow::~MainWindow() {
    // The panel, the readout and the view refer to the document, a child QObject that
    // ~QObject would otherwise delete first; they go before it.
    delete m_imageDock;
    delete m_pixelReadout;
    delete m_view;
}

QAction* MainWindow::imagePanelToggleAction() const {
    QAction* toggle = m_imageDock->toggleViewAction();
    toggle->setText(tr("Image &Panel"));
    return toggle;
}

void MainWindow::openFile(const QString& fileName) {
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
    statusBar()->showMessage(tr("Loading %1…").arg(QFileInfo(fileName).fileName()));
    m_document->load(fileName, pageIndex);
}

void MainWindow::openFiles(const QStringList& fileNames) {
    if (fileNames.isEmpty()) {
        return;
    }
    if (fileNames.size() > 1) {
        m_noteAfterLoad = tr("%1 files were given; Densito shows one image at a time, so only the "
                             "first was opened.")
                              .arg(fileNames.size());
    }
    openFile(fileNames.first());
}

void MainWindow::showLoaded() {
    const ImageMetadata& meta = m_document->metadata();
    QString title = QFileInfo(m_document->fileName()).fileName();
    if (meta.pageCount > 1) {
        title += tr(" (page %1 of %2)").arg(meta.pageIndex + 1).arg(meta.pageCount);
    }
    setWindowTitle(tr("%1 — %2").arg(title, QLatin1String(kProjectName)));
    m_recentFiles->add(m_document->fileName());
    QString message = tr("Opened %1: %2 × %3 px, %4-bit")
                          .arg(QFileInfo(m_document->fileName()).fileName())
                          .arg(meta.width)
                          .arg(meta.height)
                          .arg(meta.bitsPerSample);
    if (!m_noteAfterLoad.isEmpty()) {
        message += QStringLiteral(". ") + m_noteAfterLoad;
        m_noteAfterLoad.clear();
    }
    statusBar()->showMessage(message, kStatusMessageMs);
}

void MainWindow::showLoadFailure(const QString& message) {
    statusBar()->clearMessage();
    m_noteAfterLoad.clear();
    // Window-modal but not blocking: the application keeps running (and tests can see it).
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot Open Image"), message,
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("loadFailureMessage"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showZoom(double zoom) {
    m_zoomLabel->setText(tr("%1%").arg(qRound(zoom * 1000.0) / 10.0));
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
    restoreState(kWindowState.value());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    kWindowGeometry.setValue(saveGeometry());
    kWindowState.setValue(saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!localImageFiles(event->mimeData()).isEmpty()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QStringList files = localImageFiles(event->mimeData());
    if (files.isEmpty()) {
        return;
    }
    event->acceptProposedAction();
    openFiles(files);
}

} // namespace densito
