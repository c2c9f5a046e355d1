#pragma once

#include "core/measure/blot_analysis.h"
#include "document/project_document.h"

#include <QGraphicsItem>
#include <QString>

namespace densito {

class GeometryOverlay;

/// Draws one lane over the blot (its two edges along the centre line, tilted or bent, and a
/// numbered grip at the top of its strip) and turns drags into document edits: an edge
/// changes the lane's width on that side, the grip moves the whole lane sideways. A thin view:
/// it keeps a copy of the lane to draw and re-syncs from the document (sync()). Scene
/// coordinates are image pixels with pixel (x, y) covering [x, x+1) x [y, y+1); the core's
/// lane positions are pixel centres, hence the half-pixel shift.
class LaneItem : public QGraphicsItem {
public:
    LaneItem(GeometryOverlay& overlay, LaneRef ref);

    /// Takes the lane, its strip's rows, its label and whether it is selected.
    void sync(const Lane& lane, const Strip& strip, const QString& label, bool isSelected);
    LaneRef ref() const { return m_ref; }
    void setRef(LaneRef ref) { m_ref = ref; }
    const Lane& lane() const { return m_lane; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    /// Which part of the lane a scene point grabs, if any.
    enum class Part { None, LeftEdge, RightEdge, Grip };
    Part partAt(QPointF scenePos) const;
    /// The grip's rectangle in scene coordinates (at the strip's top, centred on the lane,
    /// 0.9 of its width: tabs of neighbouring lanes never overlap).
    QRectF gripRect() const;
    /// What the tab shows at the current zoom: the lane's label when it fits, else its
    /// number, else (lanes too narrow on screen for a number each) the number of every k-th
    /// lane only and nothing on the others.
    QString labelText() const;

protected:
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;

private:
    /// The edge `offset` (from the centre line, pixels) as a polyline over the strip's rows.
    QPolygonF edgeLine(double offsetPx) const;

    GeometryOverlay& m_overlay;
    LaneRef m_ref;
    Lane m_lane;
    double m_topPx = 0;
    double m_bottomPx = 0;
    QString m_label;
    bool m_isSelected = false;
    Part m_dragged = Part::None;
    double m_pressX = 0;
    Lane m_pressLane;
};

} // namespace densito
