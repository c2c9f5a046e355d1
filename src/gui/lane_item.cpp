#include "gui/lane_item.h"

#include "gui/geometry_overlay.h"

#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneHoverEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QPainter>
#include <QPainterPathStroker>

#include <algorithm>
#include <cmath>

namespace densito {
namespace {

const QColor kLaneColour(0x2a, 0x8c, 0xff);
const QColor kSelectedColour(0xff, 0xc8, 0x1e);
constexpr double kGrabScreenPx = 5.0; ///< how near an edge the pointer grabs it
constexpr double kGripHeightScreenPx = 18.0;
/// A tab spans this much of its lane's width: a gap between neighbouring tabs shows where one
/// lane ends.
constexpr double kGripWidthFraction = 0.9;
constexpr int kLabelPixelSize = 11;
/// Room left round a label inside its tab, screen pixels.
constexpr double kLabelPaddingScreenPx = 4.0;
constexpr double kMinLaneWidthPx = 3.0; ///< a lane never gets narrower by dragging
constexpr double kHalfPixel = 0.5;      ///< core pixel centres to scene coordinates

} // namespace

LaneItem::LaneItem(GeometryOverlay& overlay, LaneRef ref) : m_overlay(overlay), m_ref(ref) {
    setAcceptHoverEvents(true);
    setZValue(1);
}

void LaneItem::sync(const Lane& lane, const Strip& strip, const QString& label, bool isSelected) {
    prepareGeometryChange();
    m_lane = lane;
    m_topPx = strip.region.y;
    m_bottomPx = strip.region.y + strip.region.height;
    m_label = label;
    setToolTip(label);
    m_isSelected = isSelected;
    update();
}

QPolygonF LaneItem::edgeLine(double offsetPx) const {
    // Straight and tilted lanes need only their ends; bent ones are sampled finely enough to
    // follow their bend points.
    const int steps = m_lane.bend.empty() ? 1 : 32;
    QPolygonF line;
    for (int i = 0; i <= steps; ++i) {
        const double y = m_topPx + (m_bottomPx - m_topPx) * i / steps;
        line << QPointF(m_lane.centreAt(y - kHalfPixel) + offsetPx + kHalfPixel, y);
    }
    return line;
}

QRectF LaneItem::gripRect() const {
    const double unit = scenePerScreenPixel(*this);
    const double height = kGripHeightScreenPx * unit;
    // Never wider than the lane, so that the tabs of neighbouring lanes never overlap at any
    // zoom; the label thins out instead (labelText).
    const double width = kGripWidthFraction * m_lane.widthPx();
    const double centre = m_lane.centreAt(m_topPx) + kHalfPixel;
    return {centre - 0.5 * width, m_topPx, width, height};
}

QString LaneItem::labelText() const {
    const double gripScreenPx = gripRect().width() / scenePerScreenPixel(*this);
    QFont font;
    font.setPixelSize(kLabelPixelSize);
    font.setBold(true);
    const QFontMetricsF metrics(font);
    // The sample's name when it fits (zoomed in), else the lane number alone (the tooltip
    // has the name).
    if (metrics.horizontalAdvance(m_label) <= gripScreenPx - kLabelPaddingScreenPx) {
        return m_label;
    }
    const QString number = QString::number(m_lane.index);
    // Lane numbers too wide for their tab: every k-th lane keeps its number (1, 1+k, ...), k
    // as many lanes as the widest number needs, so that written numbers never touch.
    const double needed = metrics.horizontalAdvance(QStringLiteral("88")) + kLabelPaddingScreenPx;
    if (gripScreenPx <= 0.0) {
        return {};
    }
    const int every = std::max(1, static_cast<int>(std::ceil(needed / gripScreenPx)));
    return (m_lane.index - 1) % every == 0 ? number : QString();
}

QRectF LaneItem::boundingRect() const {
    const double margin = 2 * kGrabScreenPx * scenePerScreenPixel(*this);
    QRectF box = edgeLine(m_lane.leftPx - m_lane.xCenterPx)
                     .boundingRect()
                     .united(edgeLine(m_lane.rightPx - m_lane.xCenterPx).boundingRect())
                     .united(gripRect());
    return box.adjusted(-margin, -margin, margin, margin);
}

QPainterPath LaneItem::shape() const {
    QPainterPathStroker stroker;
    stroker.setWidth(2 * kGrabScreenPx * scenePerScreenPixel(*this));
    QPainterPath edges;
    edges.addPolygon(edgeLine(m_lane.leftPx - m_lane.xCenterPx));
    edges.addPolygon(edgeLine(m_lane.rightPx - m_lane.xCenterPx));
    QPainterPath path = stroker.createStroke(edges);
    path.addRect(gripRect());
    return path.simplified();
}

LaneItem::Part LaneItem::partAt(QPointF scenePos) const {
    if (gripRect().contains(scenePos)) {
        return Part::Grip;
    }
    const double reach = kGrabScreenPx * scenePerScreenPixel(*this);
    if (scenePos.y() < m_topPx - reach || scenePos.y() > m_bottomPx + reach) {
        return Part::None;
    }
    const double centre = m_lane.centreAt(scenePos.y() - kHalfPixel) + kHalfPixel;
    const double left = centre + m_lane.leftPx - m_lane.xCenterPx;
    const double right = centre + m_lane.rightPx - m_lane.xCenterPx;
    const double toLeft = std::abs(scenePos.x() - left);
    const double toRight = std::abs(scenePos.x() - right);
    if (std::min(toLeft, toRight) > reach) {
        return Part::None;
    }
    return toLeft <= toRight ? Part::LeftEdge : Part::RightEdge;
}

void LaneItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const QColor colour = m_isSelected ? kSelectedColour : kLaneColour;
    QPen pen(colour, m_isSelected ? 2.0 : 1.2);
    pen.setCosmetic(true);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(pen);
    painter->drawPolyline(edgeLine(m_lane.leftPx - m_lane.xCenterPx));
    painter->drawPolyline(edgeLine(m_lane.rightPx - m_lane.xCenterPx));
    QPen centrePen(colour, 1.0, Qt::DashLine);
    centrePen.setCosmetic(true);
    painter->setPen(centrePen);
    painter->setOpacity(0.5);
    painter->drawPolyline(edgeLine(0.0));
    painter->setOpacity(1.0);

    // The grip: a filled tab with the lane's label, drawn in screen pixels so it stays
    // readable at any zoom.
    const QRectF grip = gripRect();
    painter->setPen(Qt::NoPen);
    QColor fill = colour;
    fill.setAlpha(m_isSelected ? 230 : 190);
    painter->setBrush(fill);
    painter->drawRect(grip);
    const QString text = labelText();
    if (text.isEmpty()) {
        return;
    }
    painter->save();
    const double unit = scenePerScreenPixel(*this);
    painter->translate(grip.center());
    painter->scale(unit, unit);
    QFont font = painter->font();
    font.setPixelSize(kLabelPixelSize);
    font.setBold(true);
    painter->setFont(font);
    painter->setPen(m_isSelected ? QColor(0x20, 0x20, 0x20) : QColor(Qt::white));
    // Centred on the tab; a number wider than a thin tab spills over the thinned-out
    // neighbours' tabs, which carry no text.
    const double textWidth = QFontMetricsF(font).horizontalAdvance(text) + kLabelPaddingScreenPx;
    const double boxWidth = std::max(textWidth, grip.width() / unit);
    const QRectF textBox(-0.5 * boxWidth, -0.5 * grip.height() / unit, boxWidth,
                         grip.height() / unit);
    painter->drawText(textBox, Qt::AlignCenter, text);
    painter->restore();
}

void LaneItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event) {
    switch (partAt(event->scenePos())) {
    case Part::LeftEdge:
    case Part::RightEdge:
        setCursor(Qt::SizeHorCursor);
        break;
    case Part::Grip:
        setCursor(Qt::OpenHandCursor);
        break;
    case Part::None:
        unsetCursor();
        break;
    }
}

void LaneItem::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    m_dragged = event->button() == Qt::LeftButton ? partAt(event->scenePos()) : Part::None;
    if (m_dragged == Part::None) {
        event->ignore();
        return;
    }
    m_pressX = event->scenePos().x();
    m_pressLane = m_lane;
    m_overlay.selectLane(m_ref);
    if (m_dragged == Part::Grip) {
        setCursor(Qt::ClosedHandCursor);
    }
    event->accept();
}

void LaneItem::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (m_dragged == Part::None) {
        return;
    }
    // Whole pixels: an edit a scientist can write down, and no re-measure for sub-pixel jitter.
    const double dx = std::round(event->scenePos().x() - m_pressX);
    Lane moved = m_pressLane;
    switch (m_dragged) {
    case Part::Grip:
        moved.xCenterPx += dx;
        moved.leftPx += dx;
        moved.rightPx += dx;
        break;
    case Part::LeftEdge:
        moved.leftPx = std::min(m_pressLane.leftPx + dx, m_pressLane.rightPx - kMinLaneWidthPx);
        moved.xCenterPx = 0.5 * (moved.leftPx + moved.rightPx);
        break;
    case Part::RightEdge:
        moved.rightPx = std::max(m_pressLane.rightPx + dx, m_pressLane.leftPx + kMinLaneWidthPx);
        moved.xCenterPx = 0.5 * (moved.leftPx + moved.rightPx);
        break;
    case Part::None:
        break;
    }
    if (moved != m_lane) {
        m_overlay.document().moveLane(m_ref, moved);
    }
}

void LaneItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    if (m_dragged != Part::None) {
        m_overlay.document().endDrag();
    }
    m_dragged = Part::None;
    unsetCursor();
    event->accept();
}

void LaneItem::contextMenuEvent(QGraphicsSceneContextMenuEvent* event) {
    if (partAt(event->scenePos()) == Part::None) {
        event->ignore();
        return;
    }
    m_overlay.selectLane(m_ref);
    m_overlay.showLaneMenu(m_ref, event->screenPos());
    event->accept();
}

} // namespace densito
