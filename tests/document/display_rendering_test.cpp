#include "document/display_rendering.h"

#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <opencv2/core.hpp>

namespace densito {
namespace {

/// A 100x100 ramp 0..9999 (every value once), as CV_16UC1.
cv::Mat ramp16() {
    cv::Mat ramp(100, 100, CV_16UC1);
    for (int i = 0; i < 10000; ++i) {
        ramp.at<std::uint16_t>(i / 100, i % 100) = static_cast<std::uint16_t>(i);
    }
    return ramp;
}

TEST(RobustDisplayRange, TakesPercentilesOfTheValues) {
    const DisplayRange range = robustDisplayRange(ramp16(), {}, 0.01, 0.99);
    EXPECT_NEAR(range.lowRaw, 100.0, 1.0);
    EXPECT_NEAR(range.highRaw, 9899.0, 1.0);
}

TEST(RobustDisplayRange, IgnoresAFewHotPixels) {
    cv::Mat image = ramp16();
    for (int x = 0; x < 5; ++x) {
        image.at<std::uint16_t>(0, x) = 65535;
    }
    const DisplayRange range = robustDisplayRange(image, {});
    EXPECT_LT(range.highRaw, 10000.0);
}

TEST(RobustDisplayRange, LeavesOutPixelsOutsideTheMask) {
    cv::Mat image(10, 10, CV_16UC1, cv::Scalar(500));
    cv::Mat mask(10, 10, CV_8UC1, cv::Scalar(255));
    image.rowRange(0, 5).setTo(60000);
    mask.rowRange(0, 5).setTo(0);
    const DisplayRange range = robustDisplayRange(image, mask);
    EXPECT_EQ(range.lowRaw, 500.0);
    EXPECT_LT(range.highRaw, 502.0);
}

TEST(RobustDisplayRange, FlatImageStillHasAnOrderedRange) {
    const cv::Mat flat(8, 8, CV_8UC1, cv::Scalar(42));
    const DisplayRange range = robustDisplayRange(flat, {});
    EXPECT_EQ(range.lowRaw, 42.0);
    EXPECT_GT(range.highRaw, range.lowRaw);
}

TEST(RobustDisplayRange, FlatImageAtTheTypeMaximumStaysWithinTheType) {
    const cv::Mat flat(8, 8, CV_16UC1, cv::Scalar(65535));
    const DisplayRange range = robustDisplayRange(flat, {});
    EXPECT_EQ(range.highRaw, 65535.0);
    EXPECT_EQ(range.lowRaw, 65534.0);
}

TEST(RobustDisplayRange, FloatDataSkipsNonFiniteValues) {
    cv::Mat image(10, 10, CV_32FC1);
    for (int i = 0; i < 100; ++i) {
        image.at<float>(i / 10, i % 10) = static_cast<float>(i) * 0.5f;
    }
    image.at<float>(0, 0) = std::numeric_limits<float>::quiet_NaN();
    image.at<float>(0, 1) = std::numeric_limits<float>::infinity();
    const DisplayRange range = robustDisplayRange(image, {}, 0.0, 1.0);
    EXPECT_EQ(range.lowRaw, 1.0);
    EXPECT_EQ(range.highRaw, 49.5);
}

TEST(DisplayGrey, MapsTheRangeEndsToBlackAndWhite) {
    const DisplayRange range{100.0, 200.0};
    EXPECT_EQ(displayGrey(100.0, range, false), 0);
    EXPECT_EQ(displayGrey(200.0, range, false), 255);
    EXPECT_EQ(displayGrey(50.0, range, false), 0);
    EXPECT_EQ(displayGrey(1e9, range, false), 255);
    EXPECT_EQ(displayGrey(150.0, range, false), 128);
    EXPECT_EQ(displayGrey(100.0, range, true), 255);
    EXPECT_EQ(displayGrey(200.0, range, true), 0);
}

TEST(RenderDisplayImage, PaintsMaskedPixelsWithTheMaskedGrey) {
    const cv::Mat image(4, 6, CV_16UC1, cv::Scalar(150));
    cv::Mat mask(4, 6, CV_8UC1, cv::Scalar(255));
    mask.at<std::uint8_t>(2, 3) = 0;
    const QImage display = renderDisplayImage(image, mask, {100.0, 200.0}, false, 7);
    ASSERT_EQ(display.size(), QSize(6, 4));
    EXPECT_EQ(display.format(), QImage::Format_Grayscale8);
    EXPECT_EQ(display.constScanLine(2)[3], 7);
    EXPECT_EQ(display.constScanLine(0)[0], 128);
}

TEST(RenderSaturationOverlay, IsNullWhenNothingIsSaturated) {
    const cv::Mat image(4, 4, CV_8UC1, cv::Scalar(10));
    SignalModel model;
    model.saturationRaw = 255.0;
    model.saturatedPixels = 0;
    EXPECT_TRUE(renderSaturationOverlay(image, {}, model).isNull());
}

TEST(RenderSaturationOverlay, MarksDarkBandSaturationAtTheBottom) {
    cv::Mat image(4, 4, CV_8UC1, cv::Scalar(200));
    image.at<std::uint8_t>(1, 2) = 0;
    SignalModel model;
    model.polarity = Polarity::DarkBands;
    model.saturationRaw = 0.0;
    model.saturatedPixels = 1;
    const QImage overlay = renderSaturationOverlay(image, {}, model);
    ASSERT_FALSE(overlay.isNull());
    EXPECT_EQ(overlay.pixel(2, 1), qRgba(255, 0, 0, 255));
    EXPECT_EQ(qAlpha(overlay.pixel(0, 0)), 0);
}

} // namespace
} // namespace densito
