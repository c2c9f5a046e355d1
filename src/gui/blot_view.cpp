#include "gui/blot_view.h"

#include <QContextMenuEvent>
#include <QCursor>
#include <QGraphicsPixmapItem>
#include <QGraphicsScene>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace densito {
namespace {

// One wheel notch as Qt reports it (1/8 degree units, 15 degrees per notch).
constexpr double kWheelNotch = 120.0;

} // namespace

BlotView::BlotView(QWidget* parent) : QGraphicsView(parent) {
    auto* scene = new QGraphicsScene(this);
    // No BSP index: lane grips, band handles and region handles are sized in screen pixels, so
    // their bounds change with every zoom without a geometry change the index hears of, and an
    // item deleted after a zoom stayed in the index under its old bounds (a crash when the
    // view painted). A blot holds a few hundred items at most; a linear search is cheap.
    scene->setItemIndexMethod(QGraphicsScene::NoIndex);
    setScene(scene);
    m_imageItem = scene->addPixmap({});
    m_overlayItem = new QGraphicsPixmapItem(m_imageItem);
    m_imageItem->setShapeMode(QGraphicsPixmapItem::BoundingRectShape);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::NoAnchor);
    setResizeAnchor(QGraphicsView::NoAnchor);
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    setFrameShape(QFrame::NoFrame);
    setBackgroundBrush(QColor(0x5a, 0x5e, 0x63));
    viewport()->setMouseTracking(true);
    // Files dropped on the image go to the main window, which opens them.
    setAcceptDrops(false);
    viewport()->setAcceptDrops(false);
}

void BlotView::setImages(const QImage& display, const QImage& overlay) {
    const bool isNewSize = display.size() != m_imageItem->pixmap().size();
    m_imageItem->setPixmap(QPixmap::fromImage(display));
    m_overlayItem->setPixmap(overlay.isNull() ? QPixmap() : QPixmap::fromImage(overlay));
    m_overlayItem->setVisible(m_isOverlayVisible);
    scene()->setSceneRect(m_imageItem->boundingRect());
    if (isNewSize) {
        fitToContent();
    } else if (m_fit == Fit::Image) {
        fitToWindow();
    } else if (m_fit == Fit::Content) {
        fitToContent();
    }
    viewport()->update();
}

bool BlotView::hasImage() const {
    return !m_imageItem->pixmap().isNull();
}

void BlotView::setOverlayVisible(bool visible) {
    m_isOverlayVisible = visible;
    m_overlayItem->setVisible(visible);
}

void BlotView::zoomIn() {
    m_fit = Fit::None;
    zoomAround(m_zoom * kZoomStep, viewport()->rect().center());
}

void BlotView::zoomOut() {
    m_fit = Fit::None;
    zoomAround(m_zoom / kZoomStep, viewport()->rect().center());
}

void BlotView::setContentRegion(const QRectF& region) {
    m_contentRegion = region;
}

QRectF BlotView::fittedRegion() const {
    const QRectF image = m_imageItem->boundingRect();
    if (m_fit != Fit::Content) {
        return image;
    }
    const QRectF content = m_contentRegion.intersected(image);
    if (content.isEmpty()) {
        return image;
    }
    // A margin round the membranes, so their edges and the lane tabs on top are not cut by
    // the view's edge: 6% of their larger side, at least 12 image pixels.
    constexpr double kMarginFraction = 0.06;
    constexpr double kMinMarginPx = 12.0;
    const double margin =
        std::max(kMinMarginPx, kMarginFraction * std::max(content.width(), content.height()));
    return content.adjusted(-margin, -margin, margin, margin).intersected(image);
}

void BlotView::fitToWindow() {
    m_fit = Fit::Image;
    fitRegion(fittedRegion());
}

void BlotView::fitToContent() {
    m_fit = Fit::Content;
    fitRegion(fittedRegion());
}

void BlotView::fitRegion(const QRectF& region) {
    if (!hasImage() || region.isEmpty()) {
        return;
    }
    const QSizeF room = viewport()->size();
    const double zoom = std::min(room.width() / region.width(), room.height() / region.height());
    zoomAround(zoom, viewport()->rect().center());
    centerOn(region.center());
}

void BlotView::showActualSize() {
    m_fit = Fit::None;
    zoomAround(1.0, viewport()->rect().center());
}

void BlotView::zoomAround(double zoom, QPointF viewAnchor) {
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    const QPointF sceneAnchor = mapToScene(viewAnchor.toPoint());
    m_zoom = zoom;
    setTransform(QTransform::fromScale(zoom, zoom));
    // Downscaled blots look right smoothed; zoomed in, each pixel must stay a crisp square.
    const auto mode = zoom < 1.0 ? Qt::SmoothTransformation : Qt::FastTransformation;
    m_imageItem->setTransformationMode(mode);
    m_overlayItem->setTransformationMode(Qt::FastTransformation);
    const QPointF drift = mapFromScene(sceneAnchor) - viewAnchor;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + qRound(drift.x()));
    verticalScrollBar()->setValue(verticalScrollBar()->value() + qRound(drift.y()));
    emit zoomChanged(m_zoom);
    reportPointerAtCursor();
}

void BlotView::wheelEvent(QWheelEvent* event) {
    if (!hasImage()) {
        return;
    }
    const double notches = event->angleDelta().y() / kWheelNotch;
    if (notches == 0.0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    m_fit = Fit::None;
    zoomAround(m_zoom * std::pow(kZoomStep, notches), event->position());
    event->accept();
}

bool BlotView::isPlainImageAt(QPoint viewPos) const {
    const QGraphicsItem* item = itemAt(viewPos);
    return item == nullptr || item == m_imageItem || item == m_overlayItem;
}

void BlotView::mousePressEvent(QMouseEvent* event) {
    m_pressOnImage.reset();
    if (event->button() == Qt::LeftButton && isPlainImageAt(event->position().toPoint())) {
        m_pressOnImage = event->position().toPoint();
    }
    QGraphicsView::mousePressEvent(event);
}

void BlotView::mouseReleaseEvent(QMouseEvent* event) {
    QGraphicsView::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton && m_pressOnImage) {
        // A pan moves the pointer; a click stays within a few pixels.
        if ((event->position().toPoint() - *m_pressOnImage).manhattanLength() <= 3) {
            emit imageClicked(mapToScene(event->position().toPoint()));
        }
        m_pressOnImage.reset();
    }
}

void BlotView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && hasImage() &&
        isPlainImageAt(event->position().toPoint())) {
        emit imageDoubleClicked(mapToScene(event->position().toPoint()));
        event->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void BlotView::contextMenuEvent(QContextMenuEvent* event) {
    if (hasImage() && isPlainImageAt(event->pos())) {
        emit contextMenuRequested(mapToScene(event->pos()), event->globalPos());
        event->accept();
        return;
    }
    QGraphicsView::contextMenuEvent(event);
}

void BlotView::mouseMoveEvent(QMouseEvent* event) {
    QGraphicsView::mouseMoveEvent(event);
    reportPointer(event->position().toPoint());
}

void BlotView::leaveEvent(QEvent* event) {
    QGraphicsView::leaveEvent(event);
    emit pointerLeftImage();
}

void BlotView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    if (m_fit != Fit::None) {
        fitRegion(fittedRegion());
    }
}

void BlotView::drawBackground(QPainter* painter, const QRectF& rect) {
    QGraphicsView::drawBackground(painter, rect);
    if (hasImage()) {
        return;
    }
    painter->save();
    painter->resetTransform();
    painter->setPen(QColor(0xe8, 0xea, 0xed));
    QFont font = painter->font();
    font.setPointSizeF(font.pointSizeF() * 1.2);
    painter->setFont(font);
    painter->drawText(viewport()->rect(), Qt::AlignCenter,
                      tr("Open a blot image (File > Open) or drop it here"));
    painter->restore();
}

void BlotView::scrollContentsBy(int dx, int dy) {
    QGraphicsView::scrollContentsBy(dx, dy);
    reportPointerAtCursor();
}

void BlotView::reportPointerAtCursor() {
    // Zooming or scrolling from the keyboard moves the image under a still pointer.
    if (viewport()->underMouse()) {
        reportPointer(viewport()->mapFromGlobal(QCursor::pos()));
    }
}

void BlotView::reportPointer(QPoint viewPos) {
    if (!hasImage()) {
        return;
    }
    const QPointF scenePos = mapToScene(viewPos);
    const QPoint pixel(static_cast<int>(std::floor(scenePos.x())),
                       static_cast<int>(std::floor(scenePos.y())));
    if (m_imageItem->boundingRect().contains(QPointF(pixel) + QPointF(0.5, 0.5))) {
        emit pixelHovered(pixel);
    } else {
        emit pointerLeftImage();
    }
}

} // namespace densito
