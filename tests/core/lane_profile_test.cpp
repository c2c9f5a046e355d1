// Lane profiles against pixel sums and the measured band volumes, on small synthetic blots.
#include "core/image/signal.h"
#include "core/measure/lane_profile.h"
#include "core/pipeline/image_analysis.h"
#include "core/pipeline/remeasure.h"

#include "support/synthetic_blot.h"

#include <cmath>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>

namespace densito {
namespace {

/// A synthetic blot (6 lanes, 2 band rows) analysed with `method`, its lanes made straight
/// (or given `slope`) and measured again, so that band boxes span the lane in every row.
struct Measured {
    Image image;
    cv::Mat signal;
    BlotAnalysis analysis;
    BackgroundMethod method;
};

Measured measuredBlot(BackgroundKind kind, double slope = 0.0) {
    Measured blot;
    blot.image.raw = test::makeSyntheticBlot({});
    std::vector<std::string> warnings;
    const SignalModel model = describeSignal(blot.image, PolarityMode::LightBands, warnings);
    blot.signal = bandsPositiveSignal(blot.image.raw, model);
    AnalysisSettings settings;
    settings.background = {kind, std::nullopt};
    ImageGeometry geometry = detectGeometry(blot.signal, blot.image, settings);
    for (Lane& lane : geometry.lanes) {
        lane.slope = slope;
        lane.bend.clear();
    }
    blot.analysis = remeasure(blot.signal, blot.image, model, settings, geometry);
    blot.method = parseBackgroundMethod(blot.analysis.backgroundMethod).value();
    return blot;
}

/// The signal summed over image row y from column x0 through x1 (inclusive), in double.
double pixelSum(const cv::Mat& signal, int y, int x0, int x1) {
    double sum = 0.0;
    for (int x = x0; x <= x1; ++x) {
        sum += static_cast<double>(signal.at<float>(y, x));
    }
    return sum;
}

LaneProfile profileOf(const Measured& blot, std::size_t lane) {
    LaneProfileInput input;
    input.signal = blot.signal;
    auto profile = measureLaneProfile(input, blot.analysis, lane, blot.method);
    EXPECT_TRUE(profile.has_value()) << (profile ? "" : profile.error().describe());
    return profile.value_or(LaneProfile{});
}

/// Sum over rows of a - b.
double areaBetween(const std::vector<double>& a, const std::vector<double>& b) {
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sum += a[i] - b[i];
    }
    return sum;
}

TEST(LaneProfile, RowsArePixelSumsAcrossTheLaneFollowingItsTilt) {
    const Measured blot = measuredBlot(BackgroundKind::None, 0.08);
    ASSERT_GE(blot.analysis.lanes.size(), 4u);
    const Lane& lane = blot.analysis.lanes[2];
    const LaneProfile profile = profileOf(blot, 2);
    const cv::Rect region = blot.analysis.strips.front().region;
    ASSERT_EQ(profile.signal.size(), static_cast<std::size_t>(region.height));
    EXPECT_EQ(profile.topPx, region.y);
    EXPECT_EQ(profile.lane, lane.index);
    int shiftedRows = 0;
    const int middleX0 = static_cast<int>(std::lround(lane.xCenterPx - 0.5 * lane.widthPx()));
    for (int y = region.y; y < region.y + region.height; ++y) {
        const double centre = lane.xCenterPx + 0.08 * (y - lane.yMiddlePx);
        const int x0 =
            std::max(region.x, static_cast<int>(std::lround(centre - 0.5 * lane.widthPx())));
        const int x1 = std::min(region.br().x - 1,
                                static_cast<int>(std::lround(centre + 0.5 * lane.widthPx())));
        const double expected = pixelSum(blot.signal, y, x0, x1);
        EXPECT_NEAR(profile.signal[static_cast<std::size_t>(y - region.y)], expected,
                    1e-9 * std::abs(expected))
            << "row " << y;
        EXPECT_EQ(profile.background[static_cast<std::size_t>(y - region.y)], 0.0);
        shiftedRows += x0 != middleX0 ? 1 : 0;
    }
    EXPECT_GT(shiftedRows, region.height / 2); // the tilt moved the columns
}

TEST(LaneProfile, WithoutBackgroundTheProfileOverABandSumsToItsVolume) {
    const Measured blot = measuredBlot(BackgroundKind::None);
    int checked = 0;
    for (std::size_t i = 0; i < blot.analysis.lanes.size(); ++i) {
        const LaneProfile profile = profileOf(blot, i);
        for (const LaneProfileBand& band : profile.bands) {
            double sum = 0.0;
            for (int y = band.topPx; y <= band.bottomPx; ++y) {
                sum += profile.signal[static_cast<std::size_t>(y - profile.topPx)];
            }
            EXPECT_NEAR(sum, band.volume, 1e-9 * std::abs(band.volume)) << "lane " << i;
            EXPECT_GT(band.volume, 0.0);
            ++checked;
        }
    }
    EXPECT_GE(checked, 10); // 6 lanes x 2 band rows, give or take a faint band
}

TEST(LaneProfile, BandRowsIntegrateToTheVolumeForEveryMethod) {
    for (const BackgroundKind kind : {BackgroundKind::RollingBall, BackgroundKind::LaneBaseline,
                                      BackgroundKind::BorderMedian, BackgroundKind::None}) {
        const Measured blot = measuredBlot(kind);
        const LaneProfile profile = profileOf(blot, 1);
        ASSERT_FALSE(profile.bands.empty()) << blot.analysis.backgroundMethod;
        for (const LaneProfileBand& band : profile.bands) {
            ASSERT_EQ(band.flags & kBandSplit, 0u);
            EXPECT_NEAR(areaBetween(band.signal, band.background), band.volume,
                        1e-6 * std::abs(band.volume))
                << blot.analysis.backgroundMethod;
            double background = 0.0;
            for (std::size_t r = 0; r < band.signal.size(); ++r) {
                // A straight lane: the lane's rows over the band are the band's rows.
                const auto row = static_cast<std::size_t>(band.topPx - profile.topPx) + r;
                EXPECT_NEAR(profile.signal[row], band.signal[r], 1e-9 * std::abs(band.signal[r]));
                EXPECT_NEAR(profile.background[row], band.background[r],
                            1e-9 * std::abs(band.background[r]) + 1e-9)
                    << blot.analysis.backgroundMethod;
                background += band.background[r];
            }
            EXPECT_NEAR(background, band.backgroundVolume, 1e-6 * std::abs(band.backgroundVolume));
            if (kind != BackgroundKind::None) {
                EXPECT_GT(band.backgroundVolume, 0.0) << blot.analysis.backgroundMethod;
            }
        }
    }
}

TEST(LaneProfile, BorderMedianHasNoBackgroundAwayFromBands) {
    const Measured blot = measuredBlot(BackgroundKind::BorderMedian);
    const LaneProfile profile = profileOf(blot, 0);
    ASSERT_FALSE(profile.bands.empty());
    const LaneProfileBand& first = profile.bands.front();
    EXPECT_TRUE(std::isnan(profile.background.front()));
    EXPECT_TRUE(
        std::isnan(profile.background[static_cast<std::size_t>(first.topPx - 1 - profile.topPx)]));
    EXPECT_FALSE(
        std::isnan(profile.background[static_cast<std::size_t>(first.topPx - profile.topPx)]));
}

TEST(LaneProfile, CountsPixelsOutsideTheImageContent) {
    const Measured blot = measuredBlot(BackgroundKind::None);
    cv::Mat mask(blot.signal.size(), CV_8UC1, cv::Scalar(255));
    mask(cv::Rect(0, 0, blot.signal.cols, 10)).setTo(0);
    LaneProfileInput input;
    input.signal = blot.signal;
    input.validMask = mask;
    const auto profile = measureLaneProfile(input, blot.analysis, 0, blot.method);
    ASSERT_TRUE(profile.has_value());
    const cv::Rect region = blot.analysis.strips.front().region;
    for (int y = region.y; y < region.y + region.height; ++y) {
        const int count = profile->invalidPixels[static_cast<std::size_t>(y - region.y)];
        if (y < 10) {
            EXPECT_GT(count, 0) << y;
        } else {
            EXPECT_EQ(count, 0) << y;
        }
    }
}

TEST(LaneProfile, ALaneOutOfRangeIsAnError) {
    const Measured blot = measuredBlot(BackgroundKind::None);
    LaneProfileInput input;
    input.signal = blot.signal;
    const auto profile =
        measureLaneProfile(input, blot.analysis, blot.analysis.lanes.size(), blot.method);
    ASSERT_FALSE(profile.has_value());
    EXPECT_NE(profile.error().describe().find("does not exist"), std::string::npos);
}

TEST(LaneProfile, ASignalOfTheWrongTypeIsAnError) {
    const Measured blot = measuredBlot(BackgroundKind::None);
    LaneProfileInput input;
    input.signal = blot.image.raw; // 16-bit raw, not the float signal
    const auto profile = measureLaneProfile(input, blot.analysis, 0, blot.method);
    ASSERT_FALSE(profile.has_value());
    EXPECT_NE(profile.error().reason.find("float"), std::string::npos);
}

} // namespace
} // namespace densito
