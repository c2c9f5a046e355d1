#pragma once

#include "core/measure/blot_analysis.h"
#include "document/project_document.h"

#include <QGraphicsItem>

namespace densito {

class GeometryOverlay;

/// Draws one measured band's box over the blot, coloured by its flags as on the CLI's
/// overlays (green ok, orange weak, red saturated, purple edge or overlap), and turns drags
/// into document edits: the top or bottom edge moves that edge, the inside moves the box up
/// or down. Its sides are left to the lane's edges, which share them. A thin view re-synced
/// from the document (sync()). Scene coordinates are image pixels.
class BandItem : public QGraphicsItem {
public:
    BandItem(GeometryOverlay& overlay, BandRef ref);

    void sync(const Band& band, bool isSelected);
    BandRef ref() const { return m_ref; }
    void setRef(BandRef ref) { m_ref = ref; }
    const Band& band() const { return m_band; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    enum class Part { None, Top, Bottom, Inside };
    Part partAt(QPointF scenePos) const;

protected:
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;

private:
    QRectF boxRect() const;

    GeometryOverlay& m_overlay;
    BandRef m_ref;
    Band m_band;
    bool m_isSelected = false;
    Part m_dragged = Part::None;
    double m_pressY = 0;
    int m_pressTop = 0;
    int m_pressBottom = 0;
};

/// The colour a band is drawn in for its flags (the CLI overlay's legend).
QColor bandColour(std::uint32_t flags);

} // namespace densito
