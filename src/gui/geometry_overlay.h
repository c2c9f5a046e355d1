#pragma once

#include "core/analysis/layout_sheets.h"
#include "document/project_document.h"

#include <QObject>
#include <QPoint>
#include <QPointF>

#include <optional>
#include <vector>

class QGraphicsItem;
class QGraphicsScene;

namespace densito {

class BandItem;
class BlotView;
class KdaAxisItem;
class LaneItem;

/// Scene units per screen pixel in the first view showing `item` (1 when none): handles and
/// labels keep their size on screen at any zoom.
double scenePerScreenPixel(const QGraphicsItem& item);

/// The lanes and bands of the document's current image drawn over the blot view, and the
/// editing done on them with the mouse: drag lane edges and grips and band boxes; click a
/// lane to select it; double-click in a lane to add a band there; context menus add or
/// delete lanes and bands; Delete removes the selection. Every edit goes through the
/// document (one undo step; a drag merges into one). Items are re-synced from the document
/// whenever the image changes, so undo and redo redraw them.
class GeometryOverlay : public QObject {
    Q_OBJECT

public:
    GeometryOverlay(ProjectDocument& document, BlotView& view);
    ~GeometryOverlay() override;

    ProjectDocument& document() const { return m_document; }

    std::optional<LaneRef> selectedLane() const { return m_selectedLane; }
    std::optional<BandRef> selectedBand() const { return m_selectedBand; }
    void selectLane(std::optional<LaneRef> lane);
    void selectBand(std::optional<BandRef> band);
    /// Removes the selected band, else the selected lane; false when nothing is selected.
    bool removeSelection();

    void setVisible(bool visible);
    bool isVisible() const { return m_isVisible; }
    /// Hides the lanes and bands while another tool edits them (a lane grid being placed),
    /// whatever setVisible() says; they come back when it ends.
    void setSuspended(bool suspended);
    bool isSuspended() const { return m_isSuspended; }

    /// The lane whose outline holds scene point `scenePos`, if any.
    std::optional<LaneRef> laneAt(QPointF scenePos) const;
    /// Adds a band centred on `scenePos` in the lane there, as tall as the median band of
    /// its strip (15 px when it has none). Returns false outside lanes.
    bool addBandAt(QPointF scenePos);
    /// Adds a lane centred at `scenePos` in the strip there, as wide as the median lane of
    /// the strip (a tenth of the strip when it has none). Returns false outside strips.
    bool addLaneAt(QPointF scenePos);

    /// The items now shown (for tests).
    const std::vector<LaneItem*>& laneItems() const { return m_laneItems; }
    const std::vector<BandItem*>& bandItems() const { return m_bandItems; }
    /// The kDa axes shown beside the current image's calibrated strips (ProjectDocument::
    /// stripCalibration): one per side of a strip that has a ladder in that half.
    const std::vector<KdaAxisItem*>& kdaAxisItems() const { return m_kdaAxisItems; }

    /// Shows the lane's or band's menu (delete) at `globalPos`; used by the items.
    void showLaneMenu(LaneRef lane, QPoint globalPos);
    void showBandMenu(BandRef band, QPoint globalPos);

signals:
    void laneSelected(std::optional<LaneRef> lane);
    void bandSelected(std::optional<BandRef> band);

private:
    void sync();
    /// Replaces the kDa axes with those of the current image's calibrated strips.
    void syncKdaAxes(int image, bool isShown);
    void showImageMenu(QPointF scenePos, QPoint globalPos);
    void parseLayout();
    QString laneLabel(int image, const Lane& lane) const;

    ProjectDocument& m_document;
    BlotView& m_view;
    std::vector<LaneItem*> m_laneItems;
    std::vector<BandItem*> m_bandItems;
    std::vector<KdaAxisItem*> m_kdaAxisItems;
    std::optional<LaneRef> m_selectedLane;
    std::optional<BandRef> m_selectedBand;
    bool m_isVisible = true;
    bool m_isSuspended = false;
    std::optional<Layout> m_parsedLayout; ///< the document's layout, when it parses
};

} // namespace densito
