// Membrane regions edited on the main window: Analysis > Edit Membrane Regions, a region
// drawn, resized and deleted with the mouse and keys on the real view; each change is one
// undo step and its lanes and bands are detected again.
#include "document/project_document.h"
#include "gui/action_controller.h"
#include "gui/blot_view.h"
#include "gui/geometry_overlay.h"
#include "gui/main_window.h"
#include "gui/strip_edit_tool.h"
#include "gui/strip_item.h"

#include "gui_test_support.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <QAction>
#include <QApplication>
#include <QMouseEvent>
#include <QStatusBar>
#include <QTest>
#include <QUndoStack>

#include <gtest/gtest.h>
#include <vector>

namespace densito {
namespace {

class StripEditTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::SyntheticBlotSpec spec;
        spec.width = 480;
        spec.height = 240;
        spec.lanes = 6;
        spec.bandRows = 2;
        m_file = test::writeImage(m_dir, "six_lanes.tif", test::makeSyntheticBlot(spec));
        m_window.resize(1200, 800);
        m_window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_window));
        // Shortcuts (Delete, Escape) reach only the active window.
        m_window.activateWindow();
        ASSERT_TRUE(QTest::qWaitForWindowActive(&m_window));
        m_window.openFiles({m_file});
        ASSERT_TRUE(test::waitForProject(project()));
        QApplication::processEvents();
        ASSERT_EQ(project().imageCount(), 1);
        ASSERT_EQ(project().image(0).geometry.strips.size(), 1u);
        ASSERT_EQ(project().image(0).geometry.lanes.size(), 6u);
        // One screen pixel per image pixel: the mouse events land on whole image pixels.
        m_window.blotView().showActualSize();
        QApplication::processEvents();
    }

    ProjectDocument& project() { return m_window.project(); }
    StripEditTool& tool() { return m_window.stripEditTool(); }
    const ImageGeometry& geometry() { return project().image(0).geometry; }

    test::TempDir m_dir;
    QString m_file;
    MainWindow m_window;
};

TEST_F(StripEditTest, TheActionShowsTheRegionsAndDeleteRemovesTheSelectedOne) {
    const ImageGeometry before = geometry();
    QAction* action = m_window.actions().stripEditAction();
    EXPECT_EQ(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    action->trigger();
    QApplication::processEvents();
    ASSERT_TRUE(tool().isActive());
    EXPECT_TRUE(action->isChecked());
    EXPECT_TRUE(m_window.overlay().laneItems().empty());
    ASSERT_EQ(tool().stripItems().size(), 1u);
    EXPECT_TRUE(tool().message().startsWith(QStringLiteral("Membrane regions: drag on the blot")));
    EXPECT_FALSE(m_window.actions().laneGridAction()->isEnabled());
    EXPECT_FALSE(m_window.actions().detectAction()->isEnabled());

    // A click inside the region selects it; Delete removes it with its lanes and bands.
    const QPointF inside = tool().stripItems()[0]->rect().center();
    test::drag(m_window.blotView(), inside, inside);
    ASSERT_EQ(tool().selectedStrip(), 1);
    QTest::keyClick(m_window.blotView().viewport(), Qt::Key_Delete);
    QApplication::processEvents();
    EXPECT_TRUE(geometry().strips.empty());
    EXPECT_TRUE(geometry().lanes.empty());
    EXPECT_TRUE(tool().stripItems().empty());

    m_window.actions().undoAction()->trigger();
    QApplication::processEvents();
    EXPECT_EQ(geometry(), before);
    EXPECT_EQ(tool().stripItems().size(), 1u);

    QTest::keyClick(m_window.blotView().viewport(), Qt::Key_Escape);
    QApplication::processEvents();
    EXPECT_FALSE(tool().isActive());
    EXPECT_FALSE(action->isChecked());
    EXPECT_EQ(m_window.overlay().laneItems().size(), 6u);
}

TEST_F(StripEditTest, ARegionDrawnOnTheBlotGetsItsLanesAndBandsInOneUndoStep) {
    ASSERT_TRUE(project().removeStrip(0, 1).has_value());
    m_window.actions().stripEditAction()->trigger();
    QApplication::processEvents();
    const int steps = project().undoStack()->count();

    // A click that does not drag draws nothing. (Made on the empty blot, away from any
    // region's grips, whose reach is in screen pixels.)
    test::drag(m_window.blotView(), QPointF(240, 120), QPointF(241, 120));
    EXPECT_EQ(project().undoStack()->count(), steps);

    test::drag(m_window.blotView(), QPointF(10, 8), QPointF(470, 232));
    ASSERT_TRUE(test::waitForProject(project()));
    QApplication::processEvents();
    EXPECT_EQ(project().undoStack()->count(), steps + 1);
    EXPECT_EQ(geometry().strips, (std::vector<Strip>{{1, cv::Rect(10, 8, 460, 224), true}}));
    EXPECT_EQ(geometry().lanes.size(), 6u);
    EXPECT_EQ(project().analysis(0).bands.size(), 12u);
    ASSERT_EQ(tool().stripItems().size(), 1u);
    EXPECT_EQ(tool().stripItems()[0]->rect(), QRectF(10, 8, 460, 224));

    project().undoStack()->undo();
    QApplication::processEvents();
    EXPECT_TRUE(geometry().strips.empty());
    EXPECT_TRUE(tool().stripItems().empty());
}

TEST_F(StripEditTest, DraggingACornerResizesTheRegionAndItsLanesAreDetectedAgain) {
    m_window.actions().stripEditAction()->trigger();
    QApplication::processEvents();
    StripItem* item = tool().stripItems()[0];
    const cv::Rect before = geometry().strips[0].region;
    const QPointF corner = item->handleCentre(StripItem::Right | StripItem::Bottom);
    // Half the blot: the lanes centred at 40, 120 and 200 stay in.
    test::drag(m_window.blotView(), corner, QPointF(240.0, corner.y()));
    ASSERT_TRUE(test::waitForProject(project()));
    QApplication::processEvents();
    const Strip& resized = geometry().strips[0];
    EXPECT_TRUE(resized.isManual);
    EXPECT_EQ(resized.region, cv::Rect(before.x, before.y, 240 - before.x, before.height));
    EXPECT_EQ(geometry().lanes.size(), 3u);
    EXPECT_EQ(project().undoStack()->undoText(), QStringLiteral("Move Membrane Region"));
    EXPECT_EQ(tool().stripItems()[0]->rect().right(), 240.0);
}

TEST_F(StripEditTest, ARegionOverAnotherIsNotDrawnAndTheStatusBarSaysWhy) {
    m_window.actions().stripEditAction()->trigger();
    QApplication::processEvents();
    const int steps = project().undoStack()->count();
    const bool added = tool().addRegion(QRectF(100, 100, 50, 50));
    EXPECT_FALSE(added);
    EXPECT_EQ(tool().message(), QStringLiteral("Not changed: the region overlaps strip 1"));
    EXPECT_FALSE(project().isBusy());
    EXPECT_EQ(project().undoStack()->count(), steps);
}

} // namespace
} // namespace densito
