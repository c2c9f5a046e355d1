#include "gui/strip_item.h"

#include "gui/geometry_overlay.h"
#include "gui/strip_edit_tool.h"

#include <QCoreApplication>
#include <QCursor>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneHoverEvent>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace densito {
namespace {

/// Magenta: apart from the lanes (blue), a lane grid (cyan) and the bands' colours.
const QColor kStripColour(0xff, 0x4f, 0xd8);
const QColor kSelectedColour(0xff, 0xc8, 0x1e);
constexpr double kHandleScreenPx = 8.0;
constexpr double kGrabScreenPx = 6.0;
constexpr double kTabHeightScreenPx = 18.0;
/// A region never gets narrower or lower than this by dragging.
constexpr double kMinSidePx = 4.0;

} // namespace

StripItem::StripItem(StripEditTool& tool, const Strip& strip) : m_tool(tool) {
    setAcceptHoverEvents(true);
    setZValue(3);
    sync(strip, false);
}

void StripItem::sync(const Strip& strip, bool isSelected) {
    prepareGeometryChange();
    m_strip = strip;
    m_rect = regionRect();
    m_isSelected = isSelected;
    update();
}

QRectF StripItem::regionRect() const {
    const cv::Rect& r = m_strip.region;
    return {static_cast<double>(r.x), static_cast<double>(r.y), static_cast<double>(r.width),
            static_cast<double>(r.height)};
}

double StripItem::grabPx() const {
    return kGrabScreenPx * scenePerScreenPixel(*this);
}

int StripItem::edgesAt(QPointF scenePos) const {
    const double reach = grabPx();
    if (!m_rect.adjusted(-reach, -reach, reach, reach).contains(scenePos)) {
        return 0;
    }
    int edges = 0;
    if (std::abs(scenePos.x() - m_rect.left()) <= reach) {
        edges |= Left;
    } else if (std::abs(scenePos.x() - m_rect.right()) <= reach) {
        edges |= Right;
    }
    if (std::abs(scenePos.y() - m_rect.top()) <= reach) {
        edges |= Top;
    } else if (std::abs(scenePos.y() - m_rect.bottom()) <= reach) {
        edges |= Bottom;
    }
    return edges == 0 ? Inside : edges;
}

QPointF StripItem::handleCentre(int edges) const {
    const double x = (edges & Left) != 0    ? m_rect.left()
                     : (edges & Right) != 0 ? m_rect.right()
                                            : m_rect.center().x();
    const double y = (edges & Top) != 0      ? m_rect.top()
                     : (edges & Bottom) != 0 ? m_rect.bottom()
                                             : m_rect.center().y();
    return {x, y};
}

QRectF StripItem::boundingRect() const {
    const double margin = std::max(kHandleScreenPx, kGrabScreenPx) * scenePerScreenPixel(*this);
    return m_rect.adjusted(-margin, -margin, margin, margin);
}

QPainterPath StripItem::shape() const {
    QPainterPath path;
    const double reach = grabPx();
    path.addRect(m_rect.adjusted(-reach, -reach, reach, reach));
    return path;
}

void StripItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const QColor colour = m_isSelected ? kSelectedColour : kStripColour;
    const double unit = scenePerScreenPixel(*this);
    QPen pen(colour, 2.0, m_strip.isManual ? Qt::SolidLine : Qt::DashLine);
    pen.setCosmetic(true);
    painter->setPen(pen);
    QColor fill = colour;
    fill.setAlpha(m_isSelected ? 40 : 22);
    painter->setBrush(fill);
    painter->drawRect(m_rect);

    // Handles on the corners and the sides' middles, a fixed size on screen.
    painter->setPen(Qt::NoPen);
    painter->setBrush(colour);
    const double half = 0.5 * kHandleScreenPx * unit;
    const int handles[] = {Left | Top,     Top,    Right | Top,   Right,
                           Right | Bottom, Bottom, Left | Bottom, Left};
    for (const int edges : handles) {
        const QPointF centre = handleCentre(edges);
        painter->drawRect(QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half));
    }

    // The number's tab inside the top-left corner, readable at any zoom.
    painter->save();
    painter->translate(m_rect.topLeft());
    painter->scale(unit, unit);
    QFont font = painter->font();
    font.setPixelSize(11);
    font.setBold(true);
    painter->setFont(font);
    const QString label =
        m_strip.isManual
            ? QCoreApplication::translate("densito::StripItem", "Strip %1 (placed)")
                  .arg(m_strip.index)
            : QCoreApplication::translate("densito::StripItem", "Strip %1").arg(m_strip.index);
    const QRectF tab(half / unit + 2, half / unit + 2,
                     painter->fontMetrics().horizontalAdvance(label) + 10, kTabHeightScreenPx);
    painter->fillRect(tab, colour);
    painter->setPen(QColor(0x20, 0x20, 0x20));
    painter->drawText(tab, Qt::AlignCenter, label);
    painter->restore();
}

void StripItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event) {
    const int edges = edgesAt(event->scenePos());
    const bool isHorizontal = (edges & (Left | Right)) != 0 && edges != Inside;
    const bool isVertical = (edges & (Top | Bottom)) != 0 && edges != Inside;
    if (edges == Inside) {
        setCursor(Qt::SizeAllCursor);
    } else if (isHorizontal && isVertical) {
        const bool isMainDiagonal = edges == (Left | Top) || edges == (Right | Bottom);
        setCursor(isMainDiagonal ? Qt::SizeFDiagCursor : Qt::SizeBDiagCursor);
    } else if (isHorizontal) {
        setCursor(Qt::SizeHorCursor);
    } else if (isVertical) {
        setCursor(Qt::SizeVerCursor);
    } else {
        unsetCursor();
    }
}

void StripItem::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    m_dragged = 0;
    const int edges = event->button() == Qt::LeftButton ? edgesAt(event->scenePos()) : 0;
    if (edges == 0) {
        event->ignore();
        return;
    }
    event->accept();
    if (m_tool.isWaiting()) {
        return; // the last change is still being detected
    }
    m_tool.selectStrip(m_strip.index);
    m_dragged = edges;
    m_pressPos = event->scenePos();
    m_pressRect = m_rect;
}

void StripItem::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (m_dragged == 0) {
        return;
    }
    // Whole pixels: a region a scientist can write down (blots.csv `region`).
    const QPointF delta(std::round(event->scenePos().x() - m_pressPos.x()),
                        std::round(event->scenePos().y() - m_pressPos.y()));
    QRectF moved = m_pressRect;
    if (m_dragged == Inside) {
        moved.translate(delta);
    } else {
        if ((m_dragged & Left) != 0) {
            moved.setLeft(std::min(m_pressRect.left() + delta.x(), moved.right() - kMinSidePx));
        }
        if ((m_dragged & Right) != 0) {
            moved.setRight(std::max(m_pressRect.right() + delta.x(), moved.left() + kMinSidePx));
        }
        if ((m_dragged & Top) != 0) {
            moved.setTop(std::min(m_pressRect.top() + delta.y(), moved.bottom() - kMinSidePx));
        }
        if ((m_dragged & Bottom) != 0) {
            moved.setBottom(std::max(m_pressRect.bottom() + delta.y(), moved.top() + kMinSidePx));
        }
    }
    prepareGeometryChange();
    m_rect = moved;
    update();
}

void StripItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    event->accept();
    const bool isMoved = m_dragged != 0 && m_rect != m_pressRect;
    m_dragged = 0;
    if (isMoved) {
        // The tool re-syncs this item (and may delete it) once the document has the change.
        m_tool.moveRegion(m_strip.index, m_rect);
    }
}

void StripItem::contextMenuEvent(QGraphicsSceneContextMenuEvent* event) {
    event->accept();
    m_tool.selectStrip(m_strip.index);
    m_tool.showStripMenu(m_strip.index, event->screenPos());
}

} // namespace densito
