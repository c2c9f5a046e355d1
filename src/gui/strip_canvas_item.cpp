#include "gui/strip_canvas_item.h"

#include "gui/geometry_overlay.h"
#include "gui/strip_edit_tool.h"

#include <QGraphicsSceneMouseEvent>
#include <QPainter>

#include <cmath>

namespace densito {
namespace {

const QColor kDrawnColour(0xff, 0x4f, 0xd8);
/// A drag shorter than this on screen (both ways) is a click, not a region.
constexpr double kClickScreenPx = 6.0;

} // namespace

StripCanvasItem::StripCanvasItem(StripEditTool& tool) : m_tool(tool) {
    setZValue(2);
}

void StripCanvasItem::setImageRect(const QRectF& rect) {
    prepareGeometryChange();
    m_imageRect = rect;
}

QRectF StripCanvasItem::boundingRect() const {
    return m_imageRect;
}

void StripCanvasItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    if (!m_drawn) {
        return;
    }
    QPen pen(kDrawnColour, 2.0, Qt::DashLine);
    pen.setCosmetic(true);
    painter->setPen(pen);
    QColor fill = kDrawnColour;
    fill.setAlpha(30);
    painter->setBrush(fill);
    painter->drawRect(*m_drawn);
}

void StripCanvasItem::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    if (event->button() != Qt::LeftButton) {
        event->ignore();
        return;
    }
    event->accept();
    m_drawn.reset();
    if (m_tool.isWaiting()) {
        return; // the last change is still being detected
    }
    m_pressPos = event->scenePos();
    m_drawn = QRectF(m_pressPos, m_pressPos);
}

void StripCanvasItem::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (!m_drawn) {
        return;
    }
    // Whole pixels, inside the image.
    const QPointF at(std::round(event->scenePos().x()), std::round(event->scenePos().y()));
    const QPointF from(std::round(m_pressPos.x()), std::round(m_pressPos.y()));
    m_drawn = QRectF(from, at).normalized().intersected(m_imageRect);
    update();
}

void StripCanvasItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    event->accept();
    if (!m_drawn) {
        return;
    }
    const QRectF drawn = *m_drawn;
    m_drawn.reset();
    update();
    const double click = kClickScreenPx * scenePerScreenPixel(*this);
    if (drawn.width() < click && drawn.height() < click) {
        m_tool.selectStrip(std::nullopt);
        return;
    }
    m_tool.addRegion(drawn);
}

} // namespace densito
