// The kDa axes of a calibrated strip: beside the strip in the blot view and along the selected
// lane's profile, at the rows where the strip's calibration reads each marker mass, on a
// synthetic blot with two PageRuler Plus ladders; nothing without a calibration.
#include "document/project_document.h"
#include "gui/blot_view.h"
#include "gui/geometry_overlay.h"
#include "gui/kda_axis_item.h"
#include "gui/main_window.h"
#include "gui/profile_panel.h"

#include "gui_test_support.h"
#include "support/temp_dir.h"

#include <QApplication>
#include <QTest>
#include <QUndoStack>

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <optional>
#include <set>
#include <vector>

namespace densito {
namespace {

/// The row, found by scanning in steps of 0.01 px, where the mass read at x falls through
/// `kda`: the tick's position worked out without massTicksAlong.
std::optional<double> rowOfMass(const StripCalibration& calibration, double xPx, double kda,
                                double topPx, double bottomPx) {
    std::optional<double> previous;
    for (double y = topPx; y <= bottomPx; y += 0.01) {
        const std::optional<double> mass = calibration.kdaAt(xPx, y);
        if (mass && previous && *previous >= kda && *mass < kda) {
            return y;
        }
        previous = mass;
    }
    return std::nullopt;
}

class KdaAxisTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(test::writeLadderExperiment(m_dir, "ladder.tif"));
        m_window.resize(1600, 1000);
        m_window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_window));
        project().openExperimentFolder(toQString(m_dir.path()));
        ASSERT_TRUE(QTest::qWaitFor(
            [&] { return !project().isBusy() && project().experiment().has_value(); },
            test::kLoadTimeoutMs));
        ASSERT_TRUE(test::waitForProject(project()));
        project().setCurrentImage(0);
        QApplication::processEvents();
        m_calibration = project().stripCalibration(0, 1);
        ASSERT_NE(m_calibration, nullptr);
        ASSERT_EQ(m_calibration->ladders.size(), 2u);
    }

    ProjectDocument& project() { return m_window.project(); }
    const Strip& strip() { return project().analysis(0).strips.front(); }

    test::TempDir m_dir;
    MainWindow m_window;
    const StripCalibration* m_calibration = nullptr;
};

TEST_F(KdaAxisTest, BlotViewTicksLieWhereTheCalibrationReadsEachMarkerMass) {
    const std::vector<KdaAxisItem*>& axes = m_window.overlay().kdaAxisItems();
    ASSERT_EQ(axes.size(), 2u); // a ladder in each half: both sides
    std::set<double> markerMasses;
    for (const LadderCalibration& ladder : m_calibration->ladders) {
        for (const MarkerBand& marker : ladder.markers) {
            markerMasses.insert(marker.kda);
        }
    }
    const double top = strip().region.y;
    const double bottom = strip().region.y + strip().region.height - 1.0;
    for (const KdaAxisItem* axis : axes) {
        const bool isLeft = axis->side() == KdaAxisItem::Side::Left;
        const double edgeX =
            isLeft ? strip().region.x : strip().region.x + strip().region.width - 1.0;
        SCOPED_TRACE(isLeft ? "left" : "right");
        ASSERT_GE(axis->ticks().size(), 6u);
        double previousY = -1.0;
        for (const MassTick& tick : axis->ticks()) {
            EXPECT_TRUE(markerMasses.contains(tick.kda)) << tick.kda;
            EXPECT_DOUBLE_EQ(tick.xPx, edgeX);
            EXPECT_GT(tick.yPx, previousY); // heaviest at the top
            previousY = tick.yPx;
            const std::optional<double> expected =
                rowOfMass(*m_calibration, edgeX, tick.kda, top, bottom);
            ASSERT_TRUE(expected.has_value()) << tick.kda;
            EXPECT_NEAR(tick.yPx, *expected, 1.0) << tick.kda << " kDa";
        }
    }
    // The 100 kDa label of the left axis, zoomed in far enough for every label: its text, and
    // its middle on the row (scene: +0.5 px) where kdaAt reads 100 kDa at the strip's edge.
    m_window.blotView().fitToContent();
    while (m_window.blotView().zoom() < 2.0) {
        m_window.blotView().zoomIn();
    }
    QApplication::processEvents();
    const KdaAxisItem& left = *axes.front();
    ASSERT_EQ(left.side(), KdaAxisItem::Side::Left);
    const std::vector<KdaAxisItem::Label> labels = left.shownLabels();
    ASSERT_EQ(labels.size(), left.ticks().size());
    const auto hundred = std::ranges::find(labels, 100.0, &KdaAxisItem::Label::kda);
    ASSERT_NE(hundred, labels.end());
    EXPECT_EQ(hundred->text, QStringLiteral("100 kDa"));
    const std::optional<double> row =
        rowOfMass(*m_calibration, strip().region.x, 100.0, top, bottom);
    ASSERT_TRUE(row.has_value());
    EXPECT_NEAR(hundred->sceneRect.center().y(), *row + 0.5, 1.0);
}

// Zoomed out, labels that would overlap on screen are left out; the ticks all stay.
TEST_F(KdaAxisTest, LabelsThinOutWhenZoomedOutAndNeverOverlap) {
    BlotView& view = m_window.blotView();
    const KdaAxisItem& left = *m_window.overlay().kdaAxisItems().front();
    while (view.zoom() > BlotView::kMinZoom * 2) {
        view.zoomOut();
    }
    QApplication::processEvents();
    const std::vector<KdaAxisItem::Label> labels = left.shownLabels();
    ASSERT_GE(labels.size(), 1u);
    EXPECT_LT(labels.size(), left.ticks().size());
    EXPECT_EQ(labels.front().kda, left.ticks().front().kda);
    for (std::size_t k = 1; k < labels.size(); ++k) {
        EXPECT_FALSE(labels[k].sceneRect.intersects(labels[k - 1].sceneRect))
            << labels[k].text.toStdString();
    }
}

/// The part of the scene the view shows.
QRectF visibleSceneRect(const BlotView& view) {
    return view.mapToScene(view.viewport()->rect()).boundingRect();
}

// Labels stay readable in the view: fitted to the membranes, and zoomed in with the strip's
// edges scrolled out of view, every label lies within the view's width.
TEST_F(KdaAxisTest, LabelsStayInTheViewWhenFittedAndWhenTheEdgeIsScrolledAway) {
    BlotView& view = m_window.blotView();
    view.fitToContent();
    QApplication::processEvents();
    for (int zoomSteps = 0; zoomSteps <= 8; zoomSteps += 8) {
        for (int step = 0; step < zoomSteps; ++step) {
            view.zoomIn();
        }
        view.centerOn(view.sceneRect().center());
        QApplication::processEvents();
        const QRectF visible = visibleSceneRect(view);
        SCOPED_TRACE(view.zoom());
        for (const KdaAxisItem* axis : m_window.overlay().kdaAxisItems()) {
            const std::vector<KdaAxisItem::Label> labels = axis->shownLabels();
            ASSERT_FALSE(labels.empty());
            for (const KdaAxisItem::Label& label : labels) {
                EXPECT_GE(label.sceneRect.left(), visible.left()) << label.text.toStdString();
                EXPECT_LE(label.sceneRect.right(), visible.right()) << label.text.toStdString();
            }
        }
    }
}

// The selected sample lane's profile gets a kDa scale: each label's row is where the
// calibration reads that mass on the lane's centre line.
TEST_F(KdaAxisTest, TheLaneProfileHasAKdaScaleAlongTheLane) {
    const int laneIndex = 3; // sample lane 4, between the ladders
    m_window.overlay().selectLane(LaneRef{0, laneIndex});
    QApplication::processEvents();
    auto* panel = m_window.findChild<ProfilePanel*>();
    ASSERT_NE(panel, nullptr);
    const std::vector<std::pair<QString, double>> labels = panel->kdaLabels();
    ASSERT_GE(labels.size(), 3u);
    const Lane& lane = project().analysis(0).lanes[static_cast<std::size_t>(laneIndex)];
    for (const auto& [text, y] : labels) {
        const double kda = text.toDouble();
        const std::optional<double> row =
            rowOfMass(*m_calibration, lane.centreAt(y), kda, strip().region.y,
                      strip().region.y + strip().region.height);
        ASSERT_TRUE(row.has_value()) << text.toStdString();
        EXPECT_NEAR(y, *row, 1.0) << text.toStdString() << " kDa";
    }
}

// Without a layout there is no calibration: no axis beside the strip and no kDa scale; undo
// brings both back.
TEST_F(KdaAxisTest, NothingIsDrawnWithoutACalibration) {
    m_window.overlay().selectLane(LaneRef{0, 3});
    QApplication::processEvents();
    auto* panel = m_window.findChild<ProfilePanel*>();
    ASSERT_NE(panel, nullptr);
    ASSERT_FALSE(panel->kdaLabels().empty());

    project().setLayout(std::nullopt);
    QApplication::processEvents();
    EXPECT_EQ(project().stripCalibration(0, 1), nullptr);
    EXPECT_TRUE(m_window.overlay().kdaAxisItems().empty());
    EXPECT_TRUE(panel->kdaLabels().empty());

    project().undoStack()->undo();
    QApplication::processEvents();
    EXPECT_EQ(m_window.overlay().kdaAxisItems().size(), 2u);
    EXPECT_FALSE(panel->kdaLabels().empty());
}

} // namespace
} // namespace densito
