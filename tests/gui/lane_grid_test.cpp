// Setting a strip's lanes as a grid on the main window: Analysis > Set Lane Grid, the ends
// dragged with the mouse on the real view, the count typed, Enter to set it, Escape to leave.
#include "document/project_document.h"
#include "gui/action_controller.h"
#include "gui/blot_view.h"
#include "gui/geometry_overlay.h"
#include "gui/lane_grid_bar.h"
#include "gui/lane_grid_item.h"
#include "gui/lane_grid_tool.h"
#include "gui/lane_item.h"
#include "gui/main_window.h"

#include "gui_test_support.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <QAction>
#include <QApplication>
#include <QMouseEvent>
#include <QSpinBox>
#include <QStatusBar>
#include <QTest>
#include <QUndoStack>

#include <gtest/gtest.h>
#include <vector>

namespace densito {
namespace {

std::vector<double> centresOf(const std::vector<Lane>& lanes) {
    std::vector<double> centres;
    for (const Lane& lane : lanes) {
        centres.push_back(lane.xCenterPx);
    }
    return centres;
}

class LaneGridTest : public ::testing::Test {
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
        // Shortcuts (Enter, Escape) reach only the active window.
        m_window.activateWindow();
        ASSERT_TRUE(QTest::qWaitForWindowActive(&m_window));
        m_window.openFiles({m_file});
        ASSERT_TRUE(QTest::qWaitFor(
            [&] {
                return !project().isBusy() && project().imageCount() == 1 &&
                       project().loadedImage(0) != nullptr;
            },
            test::kLoadTimeoutMs));
        QApplication::processEvents();
        ASSERT_EQ(project().image(0).geometry.lanes.size(), 6u);
        ASSERT_EQ(m_window.overlay().laneItems().size(), 6u);
        // One screen pixel per image pixel: the mouse events land on whole image pixels.
        m_window.blotView().showActualSize();
        QApplication::processEvents();
    }

    ProjectDocument& project() { return m_window.project(); }
    LaneGridTool& tool() { return m_window.laneGridTool(); }
    QSpinBox& countBox() {
        return *tool().bar().findChild<QSpinBox*>(QStringLiteral("laneGridCount"));
    }

    test::TempDir m_dir;
    QString m_file;
    MainWindow m_window;
};

TEST_F(LaneGridTest, TheActionShowsTheStripsLanesAsAGridAndEscapeLeavesThemAsTheyWere) {
    const ImageGeometry before = project().image(0).geometry;
    const int steps = project().undoStack()->count();
    QAction* action = m_window.actions().laneGridAction();
    ASSERT_TRUE(action->isEnabled());
    EXPECT_EQ(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    action->trigger();
    QApplication::processEvents();

    ASSERT_TRUE(tool().isActive());
    // The grid starts on the strip's first and last lane, with as many lanes.
    EXPECT_EQ(tool().grid(), (ManualLaneGrid{1, before.lanes.front().xCenterPx,
                                             before.lanes.back().xCenterPx, 6}));
    ASSERT_EQ(tool().lanes().size(), 6u);
    EXPECT_NE(tool().item(), nullptr);
    // The usual lanes step aside; the status bar says what to do and holds the count.
    EXPECT_TRUE(m_window.overlay().laneItems().empty());
    EXPECT_TRUE(tool().bar().isVisible());
    EXPECT_TRUE(tool().bar().message().startsWith(
        QStringLiteral("Lane grid on strip 1: drag the first and the last lane")));
    EXPECT_EQ(countBox().value(), 6);
    EXPECT_TRUE(countBox().hasFocus());
    EXPECT_FALSE(action->isEnabled());
    EXPECT_FALSE(m_window.actions().detectAction()->isEnabled());

    QTest::keyClick(&countBox(), Qt::Key_Escape);
    QApplication::processEvents();
    EXPECT_FALSE(tool().isActive());
    EXPECT_EQ(tool().item(), nullptr);
    EXPECT_FALSE(tool().bar().isVisible());
    EXPECT_EQ(m_window.statusBar()->currentMessage(), QStringLiteral("Lane grid cancelled"));
    EXPECT_EQ(project().image(0).geometry, before);
    EXPECT_EQ(project().undoStack()->count(), steps);
    EXPECT_EQ(m_window.overlay().laneItems().size(), 6u);
    EXPECT_TRUE(action->isEnabled());
}

TEST_F(LaneGridTest, DraggedEndsAndATypedCountSetTheLanesInOneUndoStep) {
    BlotView& view = m_window.blotView();
    const ImageGeometry before = project().image(0).geometry;
    const std::vector<double> volumesBefore = test::volumesOf(project().analysis(0));
    const int steps = project().undoStack()->count();
    m_window.actions().laneGridAction()->trigger();
    QApplication::processEvents();
    ASSERT_TRUE(tool().isActive());
    const ManualLaneGrid start = tool().grid();

    // The last lane by its grip, 12 px left; the first lane by its body, 6 px right.
    const QPointF lastGrip = tool().item()->gripRect(GridEnd::Last).center();
    test::drag(view, lastGrip, lastGrip + QPointF(-12.0, 0));
    const Lane& first = tool().lanes().front();
    const QPointF firstLane(first.xCenterPx + 0.5, 0.6 * 240);
    test::drag(view, firstLane, firstLane + QPointF(6.0, 0));
    EXPECT_EQ(tool().grid().firstCentrePx, start.firstCentrePx + 6.0);
    EXPECT_EQ(tool().grid().lastCentrePx, start.lastCentrePx - 12.0);
    // Typing replaces the count (selected again: pressing on the view may take the focus).
    countBox().selectAll();
    QTest::keyClicks(&countBox(), QStringLiteral("5"));
    EXPECT_EQ(tool().grid().laneCount, 5);
    const std::vector<Lane> shown = tool().lanes();
    ASSERT_EQ(shown.size(), 5u);
    const double pitch = (tool().grid().lastCentrePx - tool().grid().firstCentrePx) / 4.0;
    EXPECT_DOUBLE_EQ(shown[2].xCenterPx, tool().grid().firstCentrePx + 2.0 * pitch);
    // The lanes stay where they were until the grid is set.
    EXPECT_EQ(project().image(0).geometry, before);

    QTest::keyClick(&countBox(), Qt::Key_Return);
    QApplication::processEvents();
    EXPECT_FALSE(tool().isActive());
    EXPECT_TRUE(m_window.statusBar()->currentMessage().startsWith(
        QStringLiteral("Strip 1: 5 lanes set as a grid")));
    const ImageGeometry& set = project().image(0).geometry;
    EXPECT_EQ(set.lanes, shown);
    EXPECT_EQ(centresOf(set.lanes), centresOf(shown));
    EXPECT_EQ(project().undoStack()->count(), steps + 1);
    EXPECT_EQ(m_window.overlay().laneItems().size(), 5u);
    EXPECT_EQ(m_window.overlay().bandItems().size(), project().analysis(0).bands.size());
    EXPECT_NE(test::volumesOf(project().analysis(0)), volumesBefore);

    m_window.actions().undoAction()->trigger();
    QApplication::processEvents();
    EXPECT_EQ(project().image(0).geometry, before);
    EXPECT_EQ(test::volumesOf(project().analysis(0)), volumesBefore);
    EXPECT_EQ(m_window.overlay().laneItems().size(), 6u);
}

TEST_F(LaneGridTest, AGridTheCoreRefusesIsNotTakenAndTheBarSaysWhy) {
    m_window.actions().laneGridAction()->trigger();
    QApplication::processEvents();
    ASSERT_TRUE(tool().isActive());
    const ManualLaneGrid start = tool().grid();

    // Six lanes in 10 px would be 2 px apart.
    EXPECT_FALSE(tool().moveEnd(GridEnd::Last, start.firstCentrePx + 10.0));
    EXPECT_EQ(tool().grid(), start);
    EXPECT_TRUE(tool().bar().message().endsWith(QStringLiteral("apart; lanes need at least 3 px")));
    // Beyond the image's last column (the strip's edge).
    EXPECT_FALSE(tool().moveEnd(GridEnd::Last, 480.0));
    EXPECT_TRUE(tool().bar().message().contains(QStringLiteral("lies outside strip 1")));
    EXPECT_EQ(tool().grid(), start);
    // An accepted change brings the hint back.
    EXPECT_TRUE(tool().moveEnd(GridEnd::Last, start.lastCentrePx - 1.0));
    EXPECT_TRUE(tool().bar().message().startsWith(QStringLiteral("Lane grid on strip 1")));
    tool().cancel();
}

TEST_F(LaneGridTest, AChangeToTheImageWhilePlacingEndsIt) {
    m_window.actions().laneGridAction()->trigger();
    QApplication::processEvents();
    ASSERT_TRUE(tool().isActive());
    Lane moved = project().image(0).geometry.lanes[0];
    moved.rightPx += 3.0;
    project().moveLane({0, 0}, moved);
    project().endDrag();
    QApplication::processEvents();
    EXPECT_FALSE(tool().isActive());
    EXPECT_EQ(m_window.statusBar()->currentMessage(),
              QStringLiteral("Lane grid cancelled: the image changed"));
    EXPECT_EQ(m_window.overlay().laneItems().size(), 6u);
}

} // namespace
} // namespace densito
