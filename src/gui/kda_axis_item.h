#pragma once

#include "core/analysis/mw_calibration.h"

#include <QFont>
#include <QGraphicsItem>
#include <QString>

#include <vector>

namespace densito {

/// A strip's molecular-weight axis over the blot: at one edge of the strip, a tick for each
/// marker mass the strip's calibration places on that edge (core massTicksAlong, so the ticks
/// follow the ladders' tilt and smile), labelled "100 kDa". It shows what it is given and
/// decides nothing about masses. Ticks and labels keep their size on screen at any zoom;
/// a label that would overlap the label above it on screen is left out (its tick stays), so
/// the axis thins out as the view zooms out. Labels sit outside the strip, moved in as far as
/// needed to stay in the view (a ruler that stays readable when the strip's edge is scrolled
/// or fitted to the window's edge). Scene coordinates are
/// image pixels (pixel (x, y) covers [x, x+1) x [y, y+1)); the ticks' positions are the core's
/// pixel centres, hence the half-pixel shift.
class KdaAxisItem : public QGraphicsItem {
public:
    enum class Side { Left, Right };

    /// `ticks` top to bottom, placed along x = `edgeXPx` (core pixels, the edge column's
    /// centre).
    KdaAxisItem(std::vector<MassTick> ticks, Side side, double edgeXPx);

    const std::vector<MassTick>& ticks() const { return m_ticks; }
    Side side() const { return m_side; }

    /// A label as drawn at the current zoom.
    struct Label {
        QString text;
        double kda = 0.0;
        QRectF sceneRect; ///< where its text is drawn (scene units), centred on its tick's y
    };
    /// The labels drawn at the current zoom, top to bottom: every tick's, less those that
    /// would overlap the one above on screen.
    std::vector<Label> shownLabels() const;
    /// "100 kDa" for 100: up to four significant digits, as marker sets list them.
    static QString labelText(double kda);

    /// Re-reads the zoom or scroll position: the labels' extent in scene units changed.
    void viewMoved();

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    /// -1 for the left side's ticks and labels (they point left), +1 for the right side's.
    double outward() const { return m_side == Side::Left ? -1.0 : 1.0; }
    /// The edge in scene units.
    double edgeScene() const { return m_edgeXPx + (m_side == Side::Left ? 0.0 : 1.0); }

    std::vector<MassTick> m_ticks;
    Side m_side;
    double m_edgeXPx;
    QFont m_font;
};

} // namespace densito
