#pragma once

#include <QGraphicsItem>

#include <optional>

namespace densito {

class StripEditTool;

/// The whole image while membrane regions are edited: a press where no region is starts a new
/// one, drawn as a dashed rectangle that follows the pointer and goes to the tool on release
/// (a drag of a few screen pixels is a click: it only clears the selection).
class StripCanvasItem : public QGraphicsItem {
public:
    explicit StripCanvasItem(StripEditTool& tool);

    /// The image's rectangle (scene coordinates).
    void setImageRect(const QRectF& rect);
    /// The region being drawn, if a drag is on.
    std::optional<QRectF> drawn() const { return m_drawn; }

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

private:
    StripEditTool& m_tool;
    QRectF m_imageRect;
    QPointF m_pressPos;
    std::optional<QRectF> m_drawn;
};

} // namespace densito
