#pragma once

#include "core/measure/blot_analysis.h"

#include <QGraphicsItem>

#include <optional>

namespace densito {

class StripEditTool;

/// One membrane region (strip) drawn over the blot while regions are edited: its rectangle
/// (solid when a person placed it, dashed when detected), a tab with its number, and handles
/// on its corners and sides. A drag of the inside moves it, of a handle resizes it; the
/// rectangle follows the pointer in whole pixels and goes to the tool on release. A thin
/// view: sync() takes the strip from the document.
class StripItem : public QGraphicsItem {
public:
    StripItem(StripEditTool& tool, const Strip& strip);

    void sync(const Strip& strip, bool isSelected);
    const Strip& strip() const { return m_strip; }
    /// The rectangle shown (scene coordinates): the strip's, or where a drag has put it.
    QRectF rect() const { return m_rect; }

    /// Which edges a press at `scenePos` takes: a bit per edge (Left, Top, Right, Bottom),
    /// all four inside the region (a move), none outside it.
    enum Edge { Left = 1, Top = 2, Right = 4, Bottom = 8, Inside = 15 };
    int edgesAt(QPointF scenePos) const;
    /// The centre of a handle on the given edges (a corner or a side's middle).
    QPointF handleCentre(int edges) const;

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;

private:
    QRectF regionRect() const;
    double grabPx() const;

    StripEditTool& m_tool;
    Strip m_strip;
    QRectF m_rect;
    bool m_isSelected = false;
    int m_dragged = 0;
    QPointF m_pressPos;
    QRectF m_pressRect;
};

} // namespace densito
