#include "gui/lane_grid_item.h"

#include "gui/geometry_overlay.h"

#include <QCursor>
#include <QGraphicsSceneHoverEvent>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace densito {
namespace {

/// Cyan: apart from the blue of the lanes and the green, orange, red and purple of the bands.
const QColor kGridColour(0x22, 0xd3, 0xee);
const QColor kGripTextColour(0x10, 0x2a, 0x33);
constexpr double kGripHeightScreenPx = 18.0;
constexpr double kGrabScreenPx = 5.0;
/// Lane numbers are drawn when lanes are at least this far apart on screen.
constexpr double kNumberedPitchScreenPx = 16.0;
constexpr double kHalfPixel = 0.5;

} // namespace

LaneGridItem::LaneGridItem(LaneGridTool& tool) : m_tool(tool) {
    setAcceptHoverEvents(true);
    // Above the lanes and bands (which are hidden while a grid is placed, but may come back).
    setZValue(3);
}

void LaneGridItem::sync(const std::vector<Lane>& lanes, const cv::Rect& stripRegion) {
    prepareGeometryChange();
    m_lanes = lanes;
    m_topPx = stripRegion.y;
    m_bottomPx = stripRegion.y + stripRegion.height;
    update();
}

const Lane& LaneGridItem::laneAt(GridEnd end) const {
    const ManualLaneGrid& grid = m_tool.grid();
    const bool isFirstLeft = grid.firstCentrePx <= grid.lastCentrePx;
    return (end == GridEnd::First) == isFirstLeft ? m_lanes.front() : m_lanes.back();
}

QPolygonF LaneGridItem::line(const Lane& lane, double offsetPx) const {
    // Grid lanes are straight: their ends are enough.
    QPolygonF points;
    for (const double y : {m_topPx, m_bottomPx}) {
        points << QPointF(lane.centreAt(y - kHalfPixel) + offsetPx + kHalfPixel, y);
    }
    return points;
}

QRectF LaneGridItem::gripRectOf(const Lane& lane) const {
    const double unit = scenePerScreenPixel(*this);
    const double height = kGripHeightScreenPx * unit;
    const double width = std::max(22.0 * unit, 0.9 * lane.widthPx());
    const double centre = lane.centreAt(m_topPx - kHalfPixel) + kHalfPixel;
    return {centre - 0.5 * width, m_topPx, width, height};
}

QRectF LaneGridItem::gripRect(GridEnd end) const {
    return m_lanes.empty() ? QRectF() : gripRectOf(laneAt(end));
}

std::optional<GridEnd> LaneGridItem::endAt(QPointF scenePos) const {
    if (m_lanes.empty()) {
        return std::nullopt;
    }
    for (const GridEnd end : {GridEnd::First, GridEnd::Last}) {
        if (gripRect(end).contains(scenePos)) {
            return end;
        }
    }
    if (scenePos.y() < m_topPx || scenePos.y() > m_bottomPx) {
        return std::nullopt;
    }
    const double reach = kGrabScreenPx * scenePerScreenPixel(*this);
    for (const GridEnd end : {GridEnd::First, GridEnd::Last}) {
        const Lane& lane = laneAt(end);
        const double centre = lane.centreAt(scenePos.y() - kHalfPixel) + kHalfPixel;
        if (scenePos.x() >= centre + lane.leftPx - lane.xCenterPx - reach &&
            scenePos.x() <= centre + lane.rightPx - lane.xCenterPx + reach) {
            return end;
        }
    }
    return std::nullopt;
}

QRectF LaneGridItem::boundingRect() const {
    if (m_lanes.empty()) {
        return {};
    }
    const double margin = 2 * kGrabScreenPx * scenePerScreenPixel(*this);
    QRectF box;
    for (const Lane& lane : m_lanes) {
        box = box.united(line(lane, lane.leftPx - lane.xCenterPx).boundingRect())
                  .united(line(lane, lane.rightPx - lane.xCenterPx).boundingRect());
    }
    box = box.united(gripRect(GridEnd::First)).united(gripRect(GridEnd::Last));
    return box.adjusted(-margin, -margin, margin, margin);
}

QPainterPath LaneGridItem::shape() const {
    // Only the ends take the mouse: a press elsewhere pans the view as usual.
    QPainterPath path;
    if (m_lanes.empty()) {
        return path;
    }
    for (const GridEnd end : {GridEnd::First, GridEnd::Last}) {
        const Lane& lane = laneAt(end);
        const QPolygonF left = line(lane, lane.leftPx - lane.xCenterPx);
        const QPolygonF right = line(lane, lane.rightPx - lane.xCenterPx);
        QPainterPath body;
        body.addPolygon(QPolygonF{left[0], right[0], right[1], left[1], left[0]});
        QPainterPath grip;
        grip.addRect(gripRect(end));
        // A union, not two subpaths: the grip overlaps its lane and must not cut a hole in it.
        path = path.united(body).united(grip);
    }
    return path;
}

void LaneGridItem::paintLabel(QPainter* painter, const QRectF& box, const QString& text,
                              const QColor& colour) const {
    painter->save();
    const double unit = scenePerScreenPixel(*this);
    painter->translate(box.topLeft());
    painter->scale(unit, unit);
    QFont font = painter->font();
    font.setPixelSize(11);
    font.setBold(true);
    painter->setFont(font);
    painter->setPen(colour);
    painter->drawText(QRectF(0, 0, box.width() / unit, box.height() / unit), Qt::AlignCenter, text);
    painter->restore();
}

void LaneGridItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    if (m_lanes.empty()) {
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing);
    const double unit = scenePerScreenPixel(*this);
    const double pitch = m_lanes.size() > 1
                             ? (m_lanes.back().xCenterPx - m_lanes.front().xCenterPx) /
                                   static_cast<double>(m_lanes.size() - 1)
                             : 0.0;
    const bool isNumbered = pitch >= kNumberedPitchScreenPx * unit;
    for (std::size_t i = 0; i < m_lanes.size(); ++i) {
        const Lane& lane = m_lanes[i];
        const bool isEnd = i == 0 || i + 1 == m_lanes.size();
        QPen pen(kGridColour, isEnd ? 2.0 : 1.2, isEnd ? Qt::SolidLine : Qt::DashLine);
        pen.setCosmetic(true);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawPolyline(line(lane, lane.leftPx - lane.xCenterPx));
        painter->drawPolyline(line(lane, lane.rightPx - lane.xCenterPx));
        if (!isEnd && isNumbered) {
            paintLabel(painter, gripRectOf(lane), QString::number(lane.index), kGridColour);
        }
    }
    for (const GridEnd end : {GridEnd::First, GridEnd::Last}) {
        const QRectF grip = gripRect(end);
        painter->setPen(Qt::NoPen);
        painter->setBrush(kGridColour);
        painter->drawRect(grip);
        paintLabel(painter, grip, QString::number(laneAt(end).index), kGripTextColour);
    }
}

void LaneGridItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event) {
    if (endAt(event->scenePos())) {
        setCursor(Qt::SizeHorCursor);
    } else {
        unsetCursor();
    }
}

void LaneGridItem::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    m_dragged = event->button() == Qt::LeftButton ? endAt(event->scenePos()) : std::nullopt;
    if (!m_dragged) {
        event->ignore();
        return;
    }
    m_pressX = event->scenePos().x();
    const ManualLaneGrid& grid = m_tool.grid();
    m_pressCentrePx = *m_dragged == GridEnd::First ? grid.firstCentrePx : grid.lastCentrePx;
    event->accept();
}

void LaneGridItem::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (!m_dragged) {
        return;
    }
    // Whole pixels, as lanes are dragged: a place a scientist can write down.
    const double centre = m_pressCentrePx + std::round(event->scenePos().x() - m_pressX);
    const ManualLaneGrid& grid = m_tool.grid();
    const double now = *m_dragged == GridEnd::First ? grid.firstCentrePx : grid.lastCentrePx;
    if (centre != now) {
        m_tool.moveEnd(*m_dragged, centre);
    }
}

void LaneGridItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    m_dragged.reset();
    event->accept();
}

} // namespace densito
