// A strip's lanes set as a grid by a person (first and last lane, count): where the lanes go,
// how wide they are, what they keep from the strip's lanes, and the bands detected in them.
#include "core/image/signal.h"
#include "core/pipeline/manual_lane_grid.h"

#include "support/synthetic_blot.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace densito {
namespace {

/// A level strip over the whole of a 480 x 300 image holding `count` lanes of `widthPx`,
/// spaced `pitchPx` apart from x = 40, with the given tilt.
ImageGeometry handPlacedLanes(int count, double pitchPx, double widthPx, double slope = 0.0) {
    ImageGeometry geometry;
    geometry.strips.push_back({1, cv::Rect(0, 0, 480, 300)});
    for (int k = 0; k < count; ++k) {
        Lane lane;
        lane.strip = 1;
        lane.index = k + 1;
        lane.xCenterPx = 40.0 + k * pitchPx;
        lane.leftPx = lane.xCenterPx - 0.5 * widthPx;
        lane.rightPx = lane.xCenterPx + 0.5 * widthPx;
        lane.yMiddlePx = 149.5;
        lane.slope = slope;
        lane.confidence = 0.4;
        geometry.lanes.push_back(lane);
    }
    return geometry;
}

std::vector<double> centresOf(const std::vector<Lane>& lanes) {
    std::vector<double> centres;
    for (const Lane& lane : lanes) {
        centres.push_back(lane.xCenterPx);
    }
    return centres;
}

/// The bands-positive signal of a 16-bit blot, as analyzeImage makes it.
cv::Mat signalOf(const cv::Mat& raw) {
    Image image;
    image.raw = raw;
    std::vector<std::string> warnings;
    return bandsPositiveSignal(raw, describeSignal(image, PolarityMode::Auto, warnings));
}

TEST(ManualLaneGrid, CentresAreEquallySpacedBetweenTheFirstAndTheLast) {
    // Six lanes 80 px apart, 56 px wide, tilted; the person says there are eleven.
    const ImageGeometry geometry = handPlacedLanes(6, 80.0, 56.0, 0.02);
    const auto lanes = manualGridLanes(geometry, {1, 40.0, 440.0, 11});
    ASSERT_TRUE(lanes.has_value()) << lanes.error().describe();
    EXPECT_EQ(centresOf(*lanes),
              (std::vector<double>{40, 80, 120, 160, 200, 240, 280, 320, 360, 400, 440}));
    for (std::size_t k = 0; k < lanes->size(); ++k) {
        const Lane& lane = (*lanes)[k];
        EXPECT_EQ(lane.strip, 1);
        EXPECT_EQ(lane.index, static_cast<int>(k) + 1);
        // The strip's width-to-spacing ratio (56 / 80) at the new spacing of 40 px.
        EXPECT_NEAR(lane.widthPx(), 28.0, 1e-9) << "lane " << k + 1;
        EXPECT_NEAR(lane.leftPx, lane.xCenterPx - 14.0, 1e-9);
        EXPECT_EQ(lane.slope, 0.02);
        EXPECT_EQ(lane.yMiddlePx, 149.5);
        EXPECT_TRUE(lane.bend.empty());
        EXPECT_TRUE(lane.isManual);
        EXPECT_EQ(lane.confidence, 1.0);
        EXPECT_EQ(lane.kind, LaneKind::Sample);
    }
}

TEST(ManualLaneGrid, TheEndsMayBeGivenInEitherOrder) {
    const ImageGeometry geometry = handPlacedLanes(6, 80.0, 56.0);
    const auto reversed = manualGridLanes(geometry, {1, 440.0, 40.0, 6});
    const auto ordered = manualGridLanes(geometry, {1, 40.0, 440.0, 6});
    ASSERT_TRUE(reversed.has_value() && ordered.has_value());
    EXPECT_EQ(*reversed, *ordered);
}

TEST(ManualLaneGrid, TheLastCentreIsWhereItWasPut) {
    const ImageGeometry geometry = handPlacedLanes(6, 80.0, 56.0);
    const auto lanes = manualGridLanes(geometry, {1, 41.0, 437.0, 7});
    ASSERT_TRUE(lanes.has_value());
    ASSERT_EQ(lanes->size(), 7u);
    EXPECT_EQ(lanes->front().xCenterPx, 41.0);
    EXPECT_EQ(lanes->back().xCenterPx, 437.0);
    EXPECT_DOUBLE_EQ((*lanes)[3].xCenterPx, 41.0 + 3 * 66.0);
}

TEST(ManualLaneGrid, LanesWiderThanTheirSpacingBecomeTouchingLanes) {
    // Lanes the person widened until they overlap: the grid's lanes meet, never overlap.
    const ImageGeometry geometry = handPlacedLanes(6, 80.0, 100.0);
    const auto lanes = manualGridLanes(geometry, {1, 60.0, 420.0, 10});
    ASSERT_TRUE(lanes.has_value());
    for (const Lane& lane : *lanes) {
        EXPECT_NEAR(lane.widthPx(), 40.0, 1e-9);
    }
}

TEST(ManualLaneGrid, AStripWithoutLanesGetsLevelLanesOfNineTenthsOfTheSpacing) {
    ImageGeometry geometry;
    geometry.strips.push_back({1, cv::Rect(10, 20, 400, 101)});
    geometry.strips.push_back({2, cv::Rect(10, 200, 400, 90)});
    geometry.lanes = handPlacedLanes(3, 100.0, 60.0, 0.03).lanes;
    for (Lane& lane : geometry.lanes) {
        lane.strip = 2; // the other strip's lanes say nothing about strip 1
    }
    const auto lanes = manualGridLanes(geometry, {1, 60.0, 360.0, 4});
    ASSERT_TRUE(lanes.has_value());
    EXPECT_EQ(centresOf(*lanes), (std::vector<double>{60, 160, 260, 360}));
    for (const Lane& lane : *lanes) {
        EXPECT_NEAR(lane.widthPx(), 90.0, 1e-9);
        EXPECT_EQ(lane.slope, 0.0);
        EXPECT_EQ(lane.yMiddlePx, 70.0); // rows 20 to 120
    }
}

TEST(ManualLaneGrid, EdgesAreClippedToTheStrip) {
    const ImageGeometry geometry = handPlacedLanes(6, 80.0, 56.0);
    const auto lanes = manualGridLanes(geometry, {1, 5.0, 475.0, 6});
    ASSERT_TRUE(lanes.has_value());
    EXPECT_EQ(lanes->front().xCenterPx, 5.0);
    EXPECT_EQ(lanes->front().leftPx, 0.0);
    EXPECT_NEAR(lanes->front().rightPx, 5.0 + 0.5 * 94.0 * 0.7, 1e-9);
    EXPECT_EQ(lanes->back().rightPx, 479.0);
}

TEST(ManualLaneGrid, ALadderTheDetectorRecognisedStaysALadder) {
    ImageGeometry geometry = handPlacedLanes(6, 80.0, 56.0);
    geometry.lanes[0].kind = LaneKind::Ladder;
    // Grid lanes at 40, 80, ...: only the one at 40 is within a quarter pitch of the ladder.
    const auto lanes = manualGridLanes(geometry, {1, 40.0, 440.0, 11});
    ASSERT_TRUE(lanes.has_value());
    EXPECT_EQ((*lanes)[0].kind, LaneKind::Ladder);
    for (std::size_t k = 1; k < lanes->size(); ++k) {
        EXPECT_EQ((*lanes)[k].kind, LaneKind::Sample) << "lane " << k + 1;
    }
}

TEST(ManualLaneGrid, RefusesGridsThatCannotHoldLanes) {
    const ImageGeometry geometry = handPlacedLanes(6, 80.0, 56.0);
    const auto noStrip = manualGridLanes(geometry, {2, 40.0, 440.0, 6});
    ASSERT_FALSE(noStrip.has_value());
    EXPECT_EQ(noStrip.error().reason, "the lane grid's strip 2 does not exist");
    const auto oneLane = manualGridLanes(geometry, {1, 40.0, 440.0, 1});
    ASSERT_FALSE(oneLane.has_value());
    EXPECT_EQ(oneLane.error().reason, "a lane grid needs at least 2 lanes (1 given)");
    const auto outside = manualGridLanes(geometry, {1, 40.0, 480.0, 6});
    ASSERT_FALSE(outside.has_value());
    EXPECT_EQ(outside.error().reason,
              "a lane centre at x = 480.0 lies outside strip 1 (x = 0 to 479)");
    const auto crowded = manualGridLanes(geometry, {1, 40.0, 60.0, 11});
    ASSERT_FALSE(crowded.has_value());
    EXPECT_EQ(crowded.error().reason, "11 lanes between x = 40.0 and 60.0 would be 2.0 px "
                                      "apart; lanes need at least 3 px");
}

/// Two blots stacked: strip 1 on top holds twelve lanes 50 px apart (centres 25..575), three
/// band rows at y = 75, 150, 225; strip 2 below is a six-lane blot.
struct StackedBlots {
    StackedBlots() {
        test::SyntheticBlotSpec top;
        top.width = 600;
        top.height = 300;
        top.lanes = 12;
        top.bandRows = 3;
        test::SyntheticBlotSpec bottom = top;
        bottom.lanes = 6;
        bottom.seed = 8;
        cv::Mat raw;
        cv::vconcat(test::makeSyntheticBlot(top), test::makeSyntheticBlot(bottom), raw);
        signal = signalOf(raw);
    }
    cv::Mat signal;
};

TEST(ManualLaneGrid, BandsAreDetectedAgainInTheGridLanesAndOtherStripsStay) {
    const StackedBlots blots;
    // Strip 1 as a detector that caught every second lane would leave it: six lanes 100 px
    // apart, 70 px wide, with a band each; strip 2 with one lane and a band a person drew.
    ImageGeometry geometry;
    geometry.strips = {{1, cv::Rect(0, 0, 600, 300)}, {2, cv::Rect(0, 300, 600, 300)}};
    for (int k = 0; k < 6; ++k) {
        Lane lane;
        lane.index = k + 1;
        lane.xCenterPx = 50.0 + 100.0 * k;
        lane.leftPx = lane.xCenterPx - 35.0;
        lane.rightPx = lane.xCenterPx + 35.0;
        lane.yMiddlePx = 149.5;
        geometry.lanes.push_back(lane);
        geometry.bands.push_back({{1, k + 1, 1, 75.0, 60, 90, false, false}, false});
    }
    Lane other;
    other.strip = 2;
    other.xCenterPx = 50.0;
    other.leftPx = 20.0;
    other.rightPx = 80.0;
    other.yMiddlePx = 449.5;
    geometry.lanes.push_back(other);
    geometry.bands.push_back({{2, 1, 1, 375.0, 365, 385, false, false}, true});

    const auto edited = withManualLaneGrid(blots.signal, geometry, {1, 25.0, 575.0, 12});
    ASSERT_TRUE(edited.has_value()) << edited.error().describe();
    ASSERT_EQ(edited->lanes.size(), 13u);
    for (int k = 0; k < 12; ++k) {
        const Lane& lane = edited->lanes[static_cast<std::size_t>(k)];
        EXPECT_EQ(lane.strip, 1);
        EXPECT_EQ(lane.xCenterPx, 25.0 + 50.0 * k);
        EXPECT_NEAR(lane.widthPx(), 35.0, 1e-9); // 0.7 of the new spacing
    }
    EXPECT_EQ(edited->lanes.back(), other);

    // Every grid lane holds the three band rows where the generator put them.
    ASSERT_EQ(edited->bands.size(), 12u * 3u + 1u);
    for (std::size_t i = 0; i < 36; ++i) {
        const BandGeometry& band = edited->bands[i];
        const int lane = static_cast<int>(i / 3) + 1;
        const int row = static_cast<int>(i % 3) + 1;
        EXPECT_EQ(band.candidate.strip, 1);
        EXPECT_EQ(band.candidate.lane, lane);
        EXPECT_EQ(band.candidate.row, row);
        EXPECT_NEAR(band.candidate.peakYPx, 75.0 * row, 1.0) << "lane " << lane << " row " << row;
        EXPECT_LT(band.candidate.topPx, 75 * row);
        EXPECT_GT(band.candidate.bottomPx, 75 * row);
        EXPECT_FALSE(band.isManual);
    }
    EXPECT_EQ(edited->bands.back(), geometry.bands.back());
    EXPECT_TRUE(edited->automaticBorderMedianWidthPx.has_value());
    EXPECT_TRUE(edited->automaticRollingBallRadiusPx.has_value());
}

TEST(ManualLaneGrid, AGridThatCannotBePlacedLeavesNothingChanged) {
    const StackedBlots blots;
    ImageGeometry geometry;
    geometry.strips = {{1, cv::Rect(0, 0, 600, 300)}};
    const auto edited = withManualLaneGrid(blots.signal, geometry, {3, 25.0, 575.0, 12});
    ASSERT_FALSE(edited.has_value());
    EXPECT_EQ(edited.error().reason, "the lane grid's strip 3 does not exist");
}

} // namespace
} // namespace densito
