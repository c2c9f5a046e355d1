// Editing lanes and bands on the main window: through the document API and through mouse
// events on the real view; each edit re-measures, and undo restores the numbers exactly.
#include "document/project_document.h"
#include "gui/action_controller.h"
#include "gui/band_item.h"
#include "gui/blot_view.h"
#include "gui/geometry_overlay.h"
#include "gui/lane_item.h"
#include "gui/main_window.h"

#include "gui_test_support.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <QAction>
#include <QApplication>
#include <QMouseEvent>
#include <QTest>
#include <QUndoStack>

#include <gtest/gtest.h>
#include <vector>

namespace densito {
namespace {

class GeometryOverlayTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::SyntheticBlotSpec spec;
        spec.width = 480;
        spec.height = 240;
        spec.lanes = 6;
        spec.bandRows = 2;
        m_file = test::writeImage(m_dir, "six_lanes.tif", test::makeSyntheticBlot(spec));
        m_window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_window));
        m_window.openFiles({m_file});
        ASSERT_TRUE(QTest::qWaitFor(
            [&] {
                return !project().isBusy() && project().imageCount() == 1 &&
                       project().loadedImage(0) != nullptr;
            },
            test::kLoadTimeoutMs));
        QApplication::processEvents();
        ASSERT_EQ(project().currentImage(), 0);
        ASSERT_EQ(project().image(0).geometry.lanes.size(), 6u);
        ASSERT_EQ(m_window.overlay().laneItems().size(), 6u);
        ASSERT_EQ(m_window.overlay().bandItems().size(), 12u);
    }

    ProjectDocument& project() { return m_window.project(); }

    test::TempDir m_dir;
    QString m_file;
    MainWindow m_window;
};

TEST_F(GeometryOverlayTest, MovingALaneThroughTheDocumentRemeasuresAndUndoRestoresExactly) {
    const std::vector<double> before = test::volumesOf(project().analysis(0));
    const Lane original = project().image(0).geometry.lanes[2];
    Lane moved = original;
    moved.xCenterPx += 12;
    moved.leftPx += 12;
    moved.rightPx += 12;
    project().moveLane({0, 2}, moved);
    project().endDrag();
    EXPECT_EQ(project().image(0).geometry.lanes[2].xCenterPx, original.xCenterPx + 12);
    EXPECT_NE(test::volumesOf(project().analysis(0)), before);
    // The overlay follows the document.
    EXPECT_EQ(m_window.overlay().laneItems()[2]->lane().xCenterPx, original.xCenterPx + 12);

    project().undoStack()->undo();
    EXPECT_EQ(test::volumesOf(project().analysis(0)), before);
    EXPECT_EQ(project().image(0).geometry.lanes[2], original);
    EXPECT_EQ(m_window.overlay().laneItems()[2]->lane(), original);
}

TEST_F(GeometryOverlayTest, DraggingALaneGripIsOneUndoStepThatUndoRestores) {
    BlotView& view = m_window.blotView();
    // One screen pixel per image pixel: mouse events land on whole screen pixels, so at any
    // other zoom a drag of 9 image pixels may arrive as 8 or 10.
    view.showActualSize();
    const std::vector<double> before = test::volumesOf(project().analysis(0));
    const Lane original = project().image(0).geometry.lanes[1];
    const int stepsBefore = project().undoStack()->count();
    const QPointF grip = m_window.overlay().laneItems()[1]->gripRect().center();

    // A press on the grip, three moves, a release: the lane follows in whole pixels.
    test::sendMouse(view, QEvent::MouseButtonPress, grip, Qt::LeftButton, Qt::LeftButton);
    for (const double dx : {3.0, 6.0, 9.0}) {
        test::sendMouse(view, QEvent::MouseMove, grip + QPointF(dx, 0), Qt::NoButton,
                        Qt::LeftButton);
    }
    test::sendMouse(view, QEvent::MouseButtonRelease, grip + QPointF(9, 0), Qt::LeftButton,
                    Qt::NoButton);
    QApplication::processEvents();

    const Lane& dragged = project().image(0).geometry.lanes[1];
    EXPECT_NEAR(dragged.xCenterPx, original.xCenterPx + 9, 1e-9);
    EXPECT_NEAR(dragged.widthPx(), original.widthPx(), 1e-9);
    EXPECT_TRUE(dragged.isManual);
    EXPECT_NE(test::volumesOf(project().analysis(0)), before);
    EXPECT_EQ(project().undoStack()->count(), stepsBefore + 1);
    EXPECT_TRUE(m_window.isWindowModified());

    project().undoStack()->undo();
    EXPECT_EQ(project().image(0).geometry.lanes[1], original);
    EXPECT_EQ(test::volumesOf(project().analysis(0)), before);
}

TEST_F(GeometryOverlayTest, DraggingABandEdgeChangesItsBoxAndVolume) {
    BlotView& view = m_window.blotView();
    BandItem* item = m_window.overlay().bandItems()[0];
    const Band original = item->band();
    const QPointF bottom(original.box.x + 0.5 * original.box.width,
                         original.box.y + original.box.height);
    ASSERT_EQ(item->partAt(bottom), BandItem::Part::Bottom);
    test::sendMouse(view, QEvent::MouseButtonPress, bottom, Qt::LeftButton, Qt::LeftButton);
    test::sendMouse(view, QEvent::MouseMove, bottom + QPointF(0, 4), Qt::NoButton, Qt::LeftButton);
    test::sendMouse(view, QEvent::MouseButtonRelease, bottom + QPointF(0, 4), Qt::LeftButton,
                    Qt::NoButton);
    QApplication::processEvents();
    const Band& edited = project().analysis(0).bands[0];
    EXPECT_EQ(edited.box.y, original.box.y);
    EXPECT_EQ(edited.box.height, original.box.height + 4);
    EXPECT_NE(edited.volume, original.volume);
    project().undoStack()->undo();
    EXPECT_EQ(project().analysis(0).bands[0].box, original.box);
    EXPECT_EQ(project().analysis(0).bands[0].volume, original.volume);
}

TEST_F(GeometryOverlayTest, DoubleClickInALaneAddsABandAndDeleteRemovesIt) {
    BlotView& view = m_window.blotView();
    const Lane& lane = project().image(0).geometry.lanes[3];
    // Below the two band rows, inside the lane.
    const QPointF point(lane.xCenterPx + 0.5, 0.9 * 240);
    const std::size_t bandsBefore = project().analysis(0).bands.size();
    const QPoint local = view.mapFromScene(point);
    QTest::mouseDClick(view.viewport(), Qt::LeftButton, Qt::NoModifier, local);
    QApplication::processEvents();
    ASSERT_EQ(project().analysis(0).bands.size(), bandsBefore + 1);
    ASSERT_TRUE(m_window.overlay().selectedBand().has_value());
    const Band& added = project().analysis(0).bands[static_cast<std::size_t>(
        m_window.overlay().selectedBand()->band)];
    EXPECT_TRUE(added.isManual);
    EXPECT_EQ(added.lane, lane.index);

    m_window.actions().deleteAction()->trigger();
    QApplication::processEvents();
    EXPECT_EQ(project().analysis(0).bands.size(), bandsBefore);
}

TEST_F(GeometryOverlayTest, AddingAndRemovingALaneRenumbersAndUndoes) {
    const auto before = project().image(0).geometry;
    m_window.overlay().selectLane(LaneRef{0, 5});
    m_window.actions().deleteAction()->trigger();
    QApplication::processEvents();
    EXPECT_EQ(project().image(0).geometry.lanes.size(), 5u);
    EXPECT_EQ(m_window.overlay().laneItems().size(), 5u);
    project().undoStack()->undo();
    EXPECT_EQ(project().image(0).geometry, before);
    EXPECT_EQ(m_window.overlay().laneItems().size(), 6u);
}

} // namespace
} // namespace densito

namespace densito {
namespace {

// Lane labels come from the sample sheet: lane 2 of membrane1 holds "R1 Control".
TEST(GeometryOverlayLabels, LanesAreLabelledFromTheSampleSheet) {
    MainWindow window;
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    window.openSampleExperiment();
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return window.project().imageCount() == 27; }, test::kLoadTimeoutMs));
    ASSERT_TRUE(test::waitForProject(window.project()));
    QApplication::processEvents();
    ASSERT_EQ(window.project().imageName(window.project().currentImage()),
              QStringLiteral("membrane1_Akt_total.tif"));
    ASSERT_GE(window.overlay().laneItems().size(), 2u);
    EXPECT_EQ(window.overlay().laneItems()[0]->toolTip(), QStringLiteral("1")); // the ladder
    EXPECT_EQ(window.overlay().laneItems()[1]->toolTip(), QStringLiteral("2 R1 Control"));
}

} // namespace
} // namespace densito
