#pragma once

#include "core/measure/blot_analysis.h"
#include "gui/lane_grid_tool.h"

#include <QGraphicsItem>

#include <optional>
#include <vector>

namespace densito {

/// A lane grid being placed, drawn over the blot: every lane it gives (dashed edges, numbered)
/// and the first and the last lane solid with a grip each, which the person drags sideways
/// (the grip or anywhere between that lane's edges). A thin view of LaneGridTool: a drag goes
/// to the tool, which re-syncs the item. Scene coordinates are image pixels; the core's lane
/// positions are pixel centres, hence the half-pixel shift (as in LaneItem).
class LaneGridItem : public QGraphicsItem {
public:
    explicit LaneGridItem(LaneGridTool& tool);

    /// Takes the grid's lanes (left to right) and its strip's region.
    void sync(const std::vector<Lane>& lanes, const cv::Rect& stripRegion);

    /// The end whose grip or lane holds scene point `scenePos`, if any.
    std::optional<GridEnd> endAt(QPointF scenePos) const;
    /// The grip of an end, in scene coordinates (at the strip's top, centred on the lane).
    QRectF gripRect(GridEnd end) const;

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

private:
    /// The lane at an end of the grid (the tool's first centre may lie right of its last).
    const Lane& laneAt(GridEnd end) const;
    /// A lane's edge or centre line `offsetPx` from its centre line, over the strip's rows.
    QPolygonF line(const Lane& lane, double offsetPx) const;
    QRectF gripRectOf(const Lane& lane) const;
    void paintLabel(QPainter* painter, const QRectF& box, const QString& text,
                    const QColor& colour) const;

    LaneGridTool& m_tool;
    std::vector<Lane> m_lanes;
    double m_topPx = 0;
    double m_bottomPx = 0;
    std::optional<GridEnd> m_dragged;
    double m_pressX = 0;
    double m_pressCentrePx = 0;
};

} // namespace densito
