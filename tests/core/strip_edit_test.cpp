// Membrane regions (strips) a person draws, moves or deletes: what is detected in a drawn
// region, how strips are numbered after the change, and what follows them.
#include "core/image/signal.h"
#include "core/pipeline/image_analysis.h"
#include "core/pipeline/strip_edit.h"

#include "support/synthetic_blot.h"

#include <gtest/gtest.h>
#include <map>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace densito {
namespace {

/// Two blots stacked in a 600 x 600 image: six lanes above (rows 0-299), four below.
struct StackedBlots {
    StackedBlots() {
        test::SyntheticBlotSpec top;
        top.width = 600;
        top.height = 300;
        top.lanes = 6;
        top.bandRows = 2;
        test::SyntheticBlotSpec bottom = top;
        bottom.lanes = 4;
        bottom.seed = 8;
        cv::vconcat(test::makeSyntheticBlot(top), test::makeSyntheticBlot(bottom), image.raw);
        std::vector<std::string> warnings;
        signal =
            bandsPositiveSignal(image.raw, describeSignal(image, PolarityMode::Auto, warnings));
    }
    Image image;
    cv::Mat signal;
};

const cv::Rect kTop(0, 0, 600, 300);
const cv::Rect kBottom(0, 300, 600, 300);

/// A geometry holding the bottom blot as strip 1 with one lane, one band and a review reason
/// about it, and a reason about the whole image.
ImageGeometry bottomOnly() {
    ImageGeometry geometry;
    geometry.strips = {{1, kBottom}};
    Lane lane;
    lane.xCenterPx = 75.0;
    lane.leftPx = 40.0;
    lane.rightPx = 110.0;
    lane.yMiddlePx = 449.5;
    geometry.lanes.push_back(lane);
    geometry.bands.push_back({{1, 1, 1, 400.0, 390, 410, false, false}, false});
    geometry.reviewReasons = {"strip 1: the lanes do not follow one comb", "no ladder"};
    return geometry;
}

TEST(StripEdit, ARegionIsDetectedAsTheLayoutsRegionIsDetected) {
    const StackedBlots blots;
    const auto contents = detectStripContents(blots.signal, {}, kBottom, 1, 0);
    ASSERT_TRUE(contents.has_value()) << contents.error().describe();
    AnalysisSettings settings;
    settings.stripRegions = {kBottom};
    const ImageGeometry expected = detectGeometry(blots.signal, blots.image, settings);
    EXPECT_EQ(contents->strip, (Strip{1, kBottom, true}));
    EXPECT_EQ(contents->lanes, expected.lanes);
    EXPECT_EQ(contents->bands, expected.bands);
    EXPECT_EQ(contents->reviewReasons, expected.reviewReasons);
    EXPECT_EQ(contents->lanes.size(), 4u);
    EXPECT_EQ(contents->bands.size(), 8u);
}

TEST(StripEdit, ARegionIsClippedToTheImageAndOneOutsideIsRefused) {
    const StackedBlots blots;
    const auto clipped = detectStripContents(blots.signal, {}, cv::Rect(-20, 300, 700, 400), 2, 0);
    ASSERT_TRUE(clipped.has_value());
    EXPECT_EQ(clipped->strip.region, kBottom);
    EXPECT_EQ(clipped->strip.index, 2);
    for (const Lane& lane : clipped->lanes) {
        EXPECT_EQ(lane.strip, 2);
    }
    const auto outside = detectStripContents(blots.signal, {}, cv::Rect(700, 0, 10, 10), 1, 0);
    ASSERT_FALSE(outside.has_value());
    EXPECT_EQ(outside.error().reason, "the region 700;0;10;10 lies outside the 600x600 image");
}

TEST(StripEdit, ANewStripAboveTheOthersIsNumberedFirstAndTheOthersFollow) {
    const StackedBlots blots;
    const ImageGeometry before = bottomOnly();
    const auto index = stripIndexFor(before, kTop, 0);
    ASSERT_TRUE(index.has_value());
    EXPECT_EQ(*index, 1);
    auto contents = detectStripContents(blots.signal, {}, kTop, *index, 0);
    ASSERT_TRUE(contents.has_value());
    const auto edit = withStripContents(before, 0, *contents);
    ASSERT_TRUE(edit.has_value()) << edit.error().describe();
    const ImageGeometry& after = edit->geometry;

    EXPECT_EQ(edit->renumbered, (std::map<int, int>{{1, 2}}));
    EXPECT_EQ(after.strips, (std::vector<Strip>{{1, kTop, true}, {2, kBottom, false}}));
    ASSERT_EQ(after.lanes.size(), 7u);
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(after.lanes[i], contents->lanes[i]);
    }
    Lane moved = before.lanes[0];
    moved.strip = 2;
    EXPECT_EQ(after.lanes[6], moved);
    ASSERT_EQ(after.bands.size(), contents->bands.size() + 1);
    EXPECT_EQ(after.bands.back().candidate.strip, 2);
    EXPECT_EQ(after.bands.back().candidate.peakYPx, 400.0);
    // The old strip's sentence follows its number; the image's stays; the new strip's come last.
    std::vector<std::string> reasons = {"strip 2: the lanes do not follow one comb", "no ladder"};
    reasons.insert(reasons.end(), contents->reviewReasons.begin(), contents->reviewReasons.end());
    EXPECT_EQ(after.reviewReasons, reasons);
    EXPECT_TRUE(after.automaticBorderMedianWidthPx.has_value());
}

TEST(StripEdit, StripsSideBySideAreNumberedLeftToRightWithinTheirTier) {
    ImageGeometry geometry;
    geometry.strips = {{1, cv::Rect(0, 0, 100, 100)}, {2, cv::Rect(0, 300, 100, 100)}};
    // Beside strip 1, a little lower: the same tier, so it comes second and pushes the lower
    // strip to third.
    EXPECT_EQ(stripIndexFor(geometry, cv::Rect(200, 30, 100, 100), 0), 2);
    // Beside strip 1 but only a third of its height beside it: a tier of its own.
    EXPECT_EQ(stripIndexFor(geometry, cv::Rect(200, 70, 100, 100), 0), 2);
    EXPECT_EQ(stripIndexFor(geometry, cv::Rect(200, 320, 50, 50), 0), 3);
    // Left of strip 1 in its tier.
    ImageGeometry right;
    right.strips = {{1, cv::Rect(300, 0, 100, 100)}};
    EXPECT_EQ(stripIndexFor(right, cv::Rect(0, 10, 100, 100), 0), 1);
}

TEST(StripEdit, AMovedStripLosesItsLanesAndWhatWasSaidAboutIt) {
    const StackedBlots blots;
    ImageGeometry before = bottomOnly();
    const cv::Rect moved(0, 320, 600, 280);
    auto contents = detectStripContents(blots.signal, {}, moved, 1, 0);
    ASSERT_TRUE(contents.has_value());
    const auto edit = withStripContents(before, 1, *contents);
    ASSERT_TRUE(edit.has_value());
    EXPECT_EQ(edit->renumbered, (std::map<int, int>{{1, 1}}));
    EXPECT_EQ(edit->geometry.strips, (std::vector<Strip>{{1, moved, true}}));
    EXPECT_EQ(edit->geometry.lanes, contents->lanes);
    EXPECT_EQ(edit->geometry.bands, contents->bands);
    std::vector<std::string> reasons = {"no ladder"};
    reasons.insert(reasons.end(), contents->reviewReasons.begin(), contents->reviewReasons.end());
    EXPECT_EQ(edit->geometry.reviewReasons, reasons);
}

TEST(StripEdit, RemovingAStripTakesItsLanesAndBandsAndRenumbersTheRest) {
    ImageGeometry geometry = bottomOnly();
    geometry.strips = {{1, kTop, true}, {2, kBottom}};
    for (Lane& lane : geometry.lanes) {
        lane.strip = 2;
    }
    for (BandGeometry& band : geometry.bands) {
        band.candidate.strip = 2;
    }
    Lane top;
    top.xCenterPx = 50.0;
    top.yMiddlePx = 149.5;
    geometry.lanes.insert(geometry.lanes.begin(), top);
    geometry.reviewReasons = {"strip 1: too small", "strip 2: the lanes do not follow one comb"};

    const auto edit = withoutStrip(geometry, 1);
    ASSERT_TRUE(edit.has_value());
    EXPECT_EQ(edit->renumbered, (std::map<int, int>{{2, 1}}));
    EXPECT_EQ(edit->geometry.strips, (std::vector<Strip>{{1, kBottom}}));
    const ImageGeometry expected = bottomOnly();
    EXPECT_EQ(edit->geometry.lanes, expected.lanes);
    EXPECT_EQ(edit->geometry.bands, expected.bands);
    EXPECT_EQ(edit->geometry.reviewReasons,
              std::vector<std::string>{"strip 1: the lanes do not follow one comb"});
}

TEST(StripEdit, RefusesOverlappingRegionsAndStripsThatDoNotExist) {
    const ImageGeometry geometry = bottomOnly();
    const auto overlapping = stripIndexFor(geometry, cv::Rect(0, 250, 600, 100), 0);
    ASSERT_FALSE(overlapping.has_value());
    EXPECT_EQ(overlapping.error().reason, "the region overlaps strip 1");
    // A strip may move over where it was.
    EXPECT_EQ(stripIndexFor(geometry, cv::Rect(0, 250, 600, 100), 1), 1);
    StripContents contents;
    contents.strip = {1, cv::Rect(0, 0, 100, 100), true};
    EXPECT_EQ(withStripContents(geometry, 3, contents).error().reason, "there is no strip 3");
    EXPECT_EQ(withoutStrip(geometry, 2).error().reason, "there is no strip 2");
}

} // namespace
} // namespace densito
