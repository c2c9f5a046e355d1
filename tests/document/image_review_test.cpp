#include "document/image_review.h"

#include <gtest/gtest.h>

namespace densito {
namespace {

const std::string kLaneCount =
    "strip 1: 9 lanes requested but the image shows 6 lanes with signal; lanes without signal "
    "placed on the lane grid";

/// An analysis that needs review for a disputed lane count (a warning and a reason, as
/// detection reports it) and carries one other warning.
BlotAnalysis unsureAnalysis() {
    BlotAnalysis analysis;
    analysis.needsReview = true;
    analysis.reviewReasons = {kLaneCount};
    analysis.warnings = {kLaneCount, "strip 1: lane 3 is a ladder"};
    return analysis;
}

TEST(ImageReview, NothingToSayForASureCleanImage) {
    const ImageReview review = imageReviewOf(ImageGeometry{}, BlotAnalysis{});
    EXPECT_FALSE(review.hasNotice());
    EXPECT_FALSE(review.isUnreviewed());
    EXPECT_TRUE(review.headline.isEmpty());
    EXPECT_TRUE(review.details.isEmpty());
}

TEST(ImageReview, UnsureDetectionListsItsReasonsOnceAndTheOtherWarnings) {
    ImageGeometry geometry;
    geometry.lanes.resize(3);
    const ImageReview review = imageReviewOf(geometry, unsureAnalysis());
    EXPECT_TRUE(review.isUnreviewed());
    EXPECT_EQ(review.headline,
              QStringLiteral("needs review: ") + QString::fromStdString(kLaneCount));
    EXPECT_EQ(review.warnings, QStringList{QStringLiteral("strip 1: lane 3 is a ladder")});
    EXPECT_EQ(review.reviewDetails,
              QStringLiteral("Needs review:\n• ") + QString::fromStdString(kLaneCount));
    EXPECT_EQ(review.details,
              review.reviewDetails + QStringLiteral("\nWarnings:\n• strip 1: lane 3 is a ladder"));
}

TEST(ImageReview, AnEditByHandSaysSoAndKeepsDetectionsReasonsAsThePast) {
    ImageGeometry geometry;
    geometry.lanes.resize(3);
    geometry.lanes[1].isManual = true;
    geometry.lanes[2].isManual = true;
    geometry.bands.resize(2);
    geometry.bands[0].isManual = true;
    const ImageReview review = imageReviewOf(geometry, unsureAnalysis());
    EXPECT_TRUE(review.needsReview); // run.json's needs_review: detection's, unchanged
    EXPECT_TRUE(review.isEditedByHand);
    EXPECT_FALSE(review.isUnreviewed());
    EXPECT_EQ(review.manualLanes, 2);
    EXPECT_EQ(review.manualBands, 1);
    EXPECT_EQ(review.headline,
              QStringLiteral("edited by hand (2 lanes, 1 band) after detection was unsure"));
    EXPECT_EQ(review.reviewDetails,
              QStringLiteral("Edited by hand (2 lanes, 1 band). Before the edits, detection was "
                             "unsure:\n• ") +
                  QString::fromStdString(kLaneCount));
}

TEST(ImageReview, WarningsAloneAreCountedInTheHeadline) {
    BlotAnalysis analysis;
    analysis.warnings = {"a", "b"};
    const ImageReview review = imageReviewOf(ImageGeometry{}, analysis);
    EXPECT_TRUE(review.hasNotice());
    EXPECT_FALSE(review.isUnreviewed());
    EXPECT_EQ(review.headline, QStringLiteral("2 warnings: a; b"));
    EXPECT_TRUE(review.reviewDetails.isEmpty());
    EXPECT_EQ(review.details, QStringLiteral("Warnings:\n• a\n• b"));
}

} // namespace
} // namespace densito
