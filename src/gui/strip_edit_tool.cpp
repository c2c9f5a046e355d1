#include "gui/strip_edit_tool.h"

#include "document/project_document.h"
#include "document/qt_strings.h"
#include "gui/blot_view.h"
#include "gui/geometry_overlay.h"
#include "gui/strip_canvas_item.h"
#include "gui/strip_item.h"

#include <QAction>
#include <QGraphicsScene>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QStatusBar>

#include <algorithm>
#include <cmath>

namespace densito {
namespace {

/// A scene rectangle (image pixels) as the whole pixels it covers.
cv::Rect pixelsOf(const QRectF& rect) {
    const int left = static_cast<int>(std::lround(rect.left()));
    const int top = static_cast<int>(std::lround(rect.top()));
    const int right = static_cast<int>(std::lround(rect.right()));
    const int bottom = static_cast<int>(std::lround(rect.bottom()));
    return {left, top, right - left, bottom - top};
}

} // namespace

StripEditTool::StripEditTool(ProjectDocument& document, BlotView& view, GeometryOverlay& overlay,
                             QMainWindow& window)
    : QObject(&window), m_document(document), m_view(view), m_overlay(overlay), m_window(window) {
    m_hint = new QLabel(&window);
    m_hint->setObjectName(QStringLiteral("stripEditHint"));
    // The window's width never follows the hint: it is cut where the window ends.
    m_hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_hint->hide();

    m_deleteAction = new QAction(tr("Delete Membrane Region"), this);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setEnabled(false);
    connect(m_deleteAction, &QAction::triggered, this, &StripEditTool::removeSelected);
    m_endAction = new QAction(tr("End Editing Membrane Regions"), this);
    m_endAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_endAction->setEnabled(false);
    connect(m_endAction, &QAction::triggered, this, [this] { setActive(false); });
    window.addAction(m_deleteAction);
    window.addAction(m_endAction);

    // Thin views: the regions are drawn again from the document whenever it changes.
    connect(&document, &ProjectDocument::imageChanged, this, [this](int image) {
        if (image == m_document.currentImage()) {
            sync();
        }
    });
    connect(&document, &ProjectDocument::currentImageChanged, this, [this] {
        m_selected.reset();
        sync();
    });
    connect(&document, &ProjectDocument::imagesChanged, this, [this] {
        m_selected.reset();
        sync();
    });
    connect(&document, &ProjectDocument::busyChanged, this, [this] {
        if (m_isActive) {
            showHint();
        }
    });
}

StripEditTool::~StripEditTool() {
    // The scene belongs to the view, which may go first.
    qDeleteAll(m_items);
    delete m_canvas;
}

void StripEditTool::setActive(bool active) {
    if (active == m_isActive) {
        return;
    }
    m_isActive = active;
    m_selected.reset();
    if (active) {
        // A lane or band selected before would take the Delete key.
        m_overlay.selectLane(std::nullopt);
        m_overlay.setSuspended(true);
        m_canvas = new StripCanvasItem(*this);
        m_view.scene()->addItem(m_canvas);
        m_window.statusBar()->clearMessage();
        m_window.statusBar()->addWidget(m_hint, 1);
        m_hint->show();
        showHint();
        sync();
    } else {
        qDeleteAll(m_items);
        m_items.clear();
        delete m_canvas;
        m_canvas = nullptr;
        m_window.statusBar()->removeWidget(m_hint);
        m_hint->hide();
        m_overlay.setSuspended(false);
        m_deleteAction->setEnabled(false);
    }
    m_endAction->setEnabled(active);
    emit activeChanged(active);
}

void StripEditTool::selectStrip(std::optional<int> strip) {
    m_selected = strip;
    sync();
}

bool StripEditTool::isWaiting() const {
    return m_document.isBusy();
}

bool StripEditTool::addRegion(const QRectF& sceneRect) {
    const int image = m_document.currentImage();
    if (!m_isActive || isWaiting() || image < 0) {
        return false;
    }
    const auto added = m_document.addStrip(image, pixelsOf(sceneRect));
    if (!added) {
        showProblem(toQString(added.error().reason));
        return false;
    }
    m_selected.reset();
    showHint();
    return true;
}

bool StripEditTool::moveRegion(int strip, const QRectF& sceneRect) {
    const int image = m_document.currentImage();
    if (!m_isActive || isWaiting() || image < 0) {
        return false;
    }
    const auto moved = m_document.moveStrip(image, strip, pixelsOf(sceneRect));
    if (!moved) {
        showProblem(toQString(moved.error().reason));
        sync(); // back where it was
        return false;
    }
    showHint();
    return true;
}

bool StripEditTool::removeSelected() {
    const int image = m_document.currentImage();
    if (!m_isActive || !m_selected || isWaiting() || image < 0) {
        return false;
    }
    const int strip = *m_selected;
    m_selected.reset();
    const auto removed = m_document.removeStrip(image, strip);
    if (!removed) {
        showProblem(toQString(removed.error().reason));
        sync();
        return false;
    }
    showHint();
    return true;
}

void StripEditTool::showStripMenu(int strip, QPoint globalPos) {
    QMenu menu;
    // Queued: deleting the strip deletes the item whose event handler shows this menu.
    menu.addAction(tr("Delete Membrane Region"), this, [this, strip] {
        QMetaObject::invokeMethod(
            this,
            [this, strip] {
                m_selected = strip;
                removeSelected();
            },
            Qt::QueuedConnection);
    });
    menu.exec(globalPos);
}

QString StripEditTool::message() const {
    return m_hint->text();
}

void StripEditTool::showHint() {
    m_hint->setStyleSheet({});
    m_hint->setText(isWaiting()
                        ? tr("Membrane regions: detecting lanes and bands in the region…")
                        : tr("Membrane regions: drag on the blot to draw one; drag a region to "
                             "move it, its sides or corners to resize it; Delete removes the "
                             "selected one; Esc ends"));
    m_hint->setToolTip(m_hint->text());
}

void StripEditTool::showProblem(const QString& problem) {
    m_hint->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_hint->setText(tr("Not changed: %1").arg(problem));
    m_hint->setToolTip(m_hint->text());
}

void StripEditTool::sync() {
    if (!m_isActive) {
        return;
    }
    const int image = m_document.currentImage();
    const Image* loaded = image >= 0 ? m_document.loadedImage(image) : nullptr;
    const std::vector<Strip> strips =
        loaded != nullptr ? m_document.image(image).geometry.strips : std::vector<Strip>{};
    if (m_selected && std::none_of(strips.begin(), strips.end(),
                                   [&](const Strip& s) { return s.index == *m_selected; })) {
        m_selected.reset();
    }
    m_canvas->setImageRect(loaded != nullptr ? QRectF(0, 0, loaded->raw.cols, loaded->raw.rows)
                                             : QRectF());
    while (m_items.size() > strips.size()) {
        delete m_items.back();
        m_items.pop_back();
    }
    for (std::size_t i = 0; i < strips.size(); ++i) {
        if (i == m_items.size()) {
            m_items.push_back(new StripItem(*this, strips[i]));
            m_view.scene()->addItem(m_items.back());
        }
        m_items[i]->sync(strips[i], m_selected == strips[i].index);
    }
    m_deleteAction->setEnabled(m_selected.has_value());
}

} // namespace densito
