#pragma once

#include "core/measure/blot_analysis.h"
#include "core/pipeline/manual_lane_grid.h"

#include <QObject>
#include <QString>

#include <vector>

class QAction;
class QMainWindow;

namespace densito {

class BlotView;
class GeometryOverlay;
class LaneGridBar;
class LaneGridItem;
class ProjectDocument;

/// Which end of a lane grid a person drags.
enum class GridEnd { First, Last };

/// Setting a strip's lanes as a grid, the way Image Lab users expect: start() shows the grid
/// the strip's lanes suggest over the blot (LaneGridItem) and the count in the status bar
/// (LaneGridBar); the person drags the first and the last lane and types the count; Enter or
/// Apply sets it (ProjectDocument::setLaneGrid, one undo step), Escape or Cancel leaves the
/// lanes as they are. Meanwhile the usual lanes and bands are hidden (GeometryOverlay
/// suspended). The lanes shown are the document's (laneGridLanes), so what is applied is what
/// was shown; a change the core refuses is not taken and the bar says why. Placing ends when
/// the image changes under it (undo, another image, detection).
class LaneGridTool : public QObject {
    Q_OBJECT

public:
    LaneGridTool(ProjectDocument& document, BlotView& view, GeometryOverlay& overlay,
                 QMainWindow& window);
    ~LaneGridTool() override;

    bool isActive() const { return m_isActive; }
    /// Starts placing a grid on strip `strip` (Strip::index) of the current image: its ends on
    /// the strip's first and last lanes and as many lanes as it has (with fewer than two, at
    /// a tenth of the strip's width from either side, two lanes). False, with a status
    /// message, when the image or the strip cannot take one.
    bool start(int strip);
    /// The grid as now placed (meaningful while active).
    const ManualLaneGrid& grid() const { return m_grid; }
    /// The lanes the grid gives, as shown.
    const std::vector<Lane>& lanes() const { return m_lanes; }
    /// Moves an end's centre to `centrePx` (image pixels, on the lanes' middle row); false,
    /// with the reason in the bar, when the core refuses the grid (it then stays as it was).
    bool moveEnd(GridEnd end, double centrePx);
    /// Sets the number of lanes; refused like moveEnd().
    bool setLaneCount(int count);
    /// Sets the lanes in the document and stops placing; false, with the reason in the bar,
    /// when the document refuses them (placing goes on).
    bool apply();
    /// Stops placing without changing anything.
    void cancel();

    LaneGridItem* item() const { return m_item; }
    LaneGridBar& bar() const { return *m_bar; }
    QAction* applyAction() const { return m_applyAction; }
    QAction* cancelAction() const { return m_cancelAction; }

signals:
    void activeChanged(bool isActive);

private:
    /// Takes `grid` when the core can place it: the lanes, the item and the bar follow.
    bool tryGrid(const ManualLaneGrid& grid);
    void finish(const QString& message);

    ProjectDocument& m_document;
    BlotView& m_view;
    GeometryOverlay& m_overlay;
    QMainWindow& m_window;
    LaneGridBar* m_bar = nullptr;
    LaneGridItem* m_item = nullptr;
    QAction* m_applyAction = nullptr;
    QAction* m_cancelAction = nullptr;
    bool m_isActive = false;
    bool m_isApplying = false;
    int m_image = -1;
    ManualLaneGrid m_grid;
    std::vector<Lane> m_lanes;
};

} // namespace densito
