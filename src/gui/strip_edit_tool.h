#pragma once

#include <QObject>
#include <QRect>
#include <QString>

#include <optional>
#include <vector>

class QAction;
class QLabel;
class QMainWindow;

namespace densito {

class BlotView;
class GeometryOverlay;
class ProjectDocument;
class StripCanvasItem;
class StripItem;

/// Editing the membrane regions (strips) of the current image on the blot view: while active,
/// the strips are drawn as rectangles (StripItem) over the hidden lanes and bands; dragging on
/// the blot draws a new region (StripCanvasItem), dragging a region moves it, its edges and
/// corners resize it, Delete removes the selected one. Each change goes to the document
/// (addStrip, moveStrip, removeStrip: one undo step each; the region's lanes and bands are
/// detected on a worker, meanwhile nothing more is taken); what the document refuses is not
/// done, and the status bar says why. Escape or the menu action ends it. Items are re-synced
/// from the document whenever the image changes, so undo and redo redraw them.
class StripEditTool : public QObject {
    Q_OBJECT

public:
    StripEditTool(ProjectDocument& document, BlotView& view, GeometryOverlay& overlay,
                  QMainWindow& window);
    ~StripEditTool() override;

    bool isActive() const { return m_isActive; }
    void setActive(bool active);

    /// The strip selected (Strip::index), if any.
    std::optional<int> selectedStrip() const { return m_selected; }
    void selectStrip(std::optional<int> strip);

    /// Draws a new region (image pixels; scene rectangles are rounded to whole pixels).
    bool addRegion(const QRectF& sceneRect);
    /// Moves or resizes strip `strip` to `sceneRect`.
    bool moveRegion(int strip, const QRectF& sceneRect);
    /// Deletes the selected strip; false when none is selected or the document refuses.
    bool removeSelected();
    /// True while the document detects (no change is taken meanwhile).
    bool isWaiting() const;

    /// The items now shown (for tests).
    const std::vector<StripItem*>& stripItems() const { return m_items; }
    StripCanvasItem* canvas() const { return m_canvas; }
    /// The text of the status-bar hint (or why the last change was refused).
    QString message() const;
    QAction* deleteAction() const { return m_deleteAction; }
    QAction* endAction() const { return m_endAction; }
    /// Shows the menu of a strip (delete) at `globalPos`; used by the items.
    void showStripMenu(int strip, QPoint globalPos);

signals:
    void activeChanged(bool isActive);

private:
    void sync();
    void showHint();
    void showProblem(const QString& problem);

    ProjectDocument& m_document;
    BlotView& m_view;
    GeometryOverlay& m_overlay;
    QMainWindow& m_window;
    QLabel* m_hint = nullptr;
    QAction* m_deleteAction = nullptr;
    QAction* m_endAction = nullptr;
    StripCanvasItem* m_canvas = nullptr;
    std::vector<StripItem*> m_items;
    std::optional<int> m_selected;
    bool m_isActive = false;
};

} // namespace densito
