#include "gui/band_item.h"

#include "gui/geometry_overlay.h"

#include <QCursor>
#include <QGraphicsScene>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneHoverEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace densito {
namespace {

const QColor kSelectedColour(0xff, 0xc8, 0x1e);
constexpr double kGrabScreenPx = 4.0;
/// The box's sides are inset by this much (screen pixels) from its shape, so the lane edges
/// they share stay grabbable.
constexpr double kSideInsetScreenPx = 6.0;

} // namespace

QColor bandColour(std::uint32_t flags) {
    if ((flags & kBandSaturated) != 0) {
        return {0xe5, 0x39, 0x35};
    }
    if ((flags & kBandWeak) != 0) {
        return {0xfb, 0x8c, 0x00};
    }
    if ((flags & (kBandEdge | kBandOverlap)) != 0) {
        return {0xab, 0x47, 0xbc};
    }
    return {0x2e, 0xb8, 0x4f};
}

BandItem::BandItem(GeometryOverlay& overlay, BandRef ref) : m_overlay(overlay), m_ref(ref) {
    setAcceptHoverEvents(true);
    setZValue(2);
}

void BandItem::sync(const Band& band, bool isSelected) {
    prepareGeometryChange();
    m_band = band;
    m_isSelected = isSelected;
    update();
}

QRectF BandItem::boxRect() const {
    return {static_cast<double>(m_band.box.x), static_cast<double>(m_band.box.y),
            static_cast<double>(m_band.box.width), static_cast<double>(m_band.box.height)};
}

QRectF BandItem::boundingRect() const {
    const double margin = 2 * kGrabScreenPx * scenePerScreenPixel(*this);
    return boxRect().adjusted(-margin, -margin, margin, margin);
}

QPainterPath BandItem::shape() const {
    const double unit = scenePerScreenPixel(*this);
    const double inset = std::min(kSideInsetScreenPx * unit, 0.25 * boxRect().width());
    const double reach = kGrabScreenPx * unit;
    QPainterPath path;
    path.addRect(boxRect().adjusted(inset, -reach, -inset, reach));
    return path;
}

BandItem::Part BandItem::partAt(QPointF scenePos) const {
    if (!shape().contains(scenePos)) {
        return Part::None;
    }
    const QRectF box = boxRect();
    const double reach = std::min(kGrabScreenPx * scenePerScreenPixel(*this), 0.3 * box.height());
    if (std::abs(scenePos.y() - box.top()) <= reach) {
        return Part::Top;
    }
    if (std::abs(scenePos.y() - box.bottom()) <= reach) {
        return Part::Bottom;
    }
    return Part::Inside;
}

void BandItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const QColor colour = m_isSelected ? kSelectedColour : bandColour(m_band.flags);
    QPen pen(colour, m_isSelected ? 2.5 : 1.5);
    pen.setCosmetic(true);
    if (m_band.isManual) {
        pen.setStyle(Qt::DashLine);
    }
    painter->setPen(pen);
    QColor fill = colour;
    fill.setAlpha(m_isSelected ? 50 : 0);
    painter->setBrush(fill);
    painter->drawRect(boxRect());
}

void BandItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event) {
    switch (partAt(event->scenePos())) {
    case Part::Top:
    case Part::Bottom:
        setCursor(Qt::SizeVerCursor);
        break;
    case Part::Inside:
        setCursor(Qt::OpenHandCursor);
        break;
    case Part::None:
        unsetCursor();
        break;
    }
}

void BandItem::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    m_dragged = event->button() == Qt::LeftButton ? partAt(event->scenePos()) : Part::None;
    if (m_dragged == Part::None) {
        event->ignore();
        return;
    }
    m_pressY = event->scenePos().y();
    m_pressTop = m_band.box.y;
    m_pressBottom = m_band.box.y + m_band.box.height - 1;
    m_overlay.selectBand(m_ref);
    if (m_dragged == Part::Inside) {
        setCursor(Qt::ClosedHandCursor);
    }
    event->accept();
}

void BandItem::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (m_dragged == Part::None) {
        return;
    }
    const int dy = static_cast<int>(std::lround(event->scenePos().y() - m_pressY));
    int top = m_pressTop;
    int bottom = m_pressBottom;
    switch (m_dragged) {
    case Part::Top:
        top = std::min(m_pressTop + dy, m_pressBottom);
        break;
    case Part::Bottom:
        bottom = std::max(m_pressBottom + dy, m_pressTop);
        break;
    case Part::Inside:
        top += dy;
        bottom += dy;
        break;
    case Part::None:
        break;
    }
    if (top != m_band.box.y || bottom != m_band.box.y + m_band.box.height - 1) {
        m_overlay.document().moveBand(m_ref, top, bottom);
    }
}

void BandItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    if (m_dragged != Part::None) {
        m_overlay.document().endDrag();
    }
    m_dragged = Part::None;
    unsetCursor();
    event->accept();
}

void BandItem::contextMenuEvent(QGraphicsSceneContextMenuEvent* event) {
    m_overlay.selectBand(m_ref);
    m_overlay.showBandMenu(m_ref, event->screenPos());
    event->accept();
}

} // namespace densito
