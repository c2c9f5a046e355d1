#include "core/image/signal.h"

#include "file_bytes.h"
#include "support/synthetic_blot.h"

#include <cmath>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace densito {
namespace {

using test::invert16;
using test::isIdentical;
using test::makeSyntheticBlot;
using test::SyntheticBlotSpec;

Image imageOf(const cv::Mat& raw) {
    Image image;
    image.raw = raw;
    return image;
}

SignalModel describe(const cv::Mat& raw, PolarityMode mode = PolarityMode::Auto) {
    std::vector<std::string> warnings;
    return describeSignal(imageOf(raw), mode, warnings);
}

/// A synthetic blot with a strong left-to-right background ramp added (uneven illumination).
cv::Mat withGradient(const cv::Mat& blot, double rampTop) {
    cv::Mat values;
    blot.convertTo(values, CV_64F);
    for (int y = 0; y < values.rows; ++y) {
        for (int x = 0; x < values.cols; ++x) {
            values.at<double>(y, x) += rampTop * x / (values.cols - 1);
        }
    }
    cv::Mat result;
    values.convertTo(result, CV_16U); // saturates at 65535
    return result;
}

int countEqual(const cv::Mat& raw, double value) {
    return cv::countNonZero(raw == value);
}

TEST(Polarity, LightBandsAreFoundAndConfident) {
    const cv::Mat blot = makeSyntheticBlot({});
    const PolarityEstimate estimate = estimatePolarity(blot);
    EXPECT_EQ(estimate.polarity, Polarity::LightBands);
    EXPECT_TRUE(estimate.isConfident);
    EXPECT_GT(estimate.score, std::log(1.5));
}

TEST(Polarity, InvertedBlotHasDarkBands) {
    const PolarityEstimate estimate = estimatePolarity(invert16(makeSyntheticBlot({})));
    EXPECT_EQ(estimate.polarity, Polarity::DarkBands);
    EXPECT_TRUE(estimate.isConfident);
    EXPECT_LT(estimate.score, -std::log(1.5));
}

TEST(Polarity, StrongBackgroundGradientDoesNotMislead) {
    // The ramp (0 to 30000 counts) is larger than the weakest bands (8000 above background).
    const cv::Mat light = withGradient(makeSyntheticBlot({}), 30000.0);
    const PolarityEstimate lightEstimate = estimatePolarity(light);
    EXPECT_EQ(lightEstimate.polarity, Polarity::LightBands);
    EXPECT_TRUE(lightEstimate.isConfident);

    const cv::Mat dark = withGradient(invert16(makeSyntheticBlot({})), -30000.0);
    const PolarityEstimate darkEstimate = estimatePolarity(dark);
    EXPECT_EQ(darkEstimate.polarity, Polarity::DarkBands);
    EXPECT_TRUE(darkEstimate.isConfident);
}

TEST(Polarity, EightBitAndFloatBothWays) {
    const cv::Mat blot = makeSyntheticBlot({});
    cv::Mat eightBit;
    blot.convertTo(eightBit, CV_8U, 255.0 / 25000.0);
    cv::Mat eightBitDark;
    cv::subtract(cv::Scalar(255), eightBit, eightBitDark);
    cv::Mat floatLight;
    blot.convertTo(floatLight, CV_32F, 1e-3);
    cv::Mat floatDark;
    blot.convertTo(floatDark, CV_32F, -1e-3, 100.0);
    EXPECT_EQ(estimatePolarity(eightBit).polarity, Polarity::LightBands);
    EXPECT_EQ(estimatePolarity(eightBitDark).polarity, Polarity::DarkBands);
    EXPECT_EQ(estimatePolarity(floatLight).polarity, Polarity::LightBands);
    EXPECT_EQ(estimatePolarity(floatDark).polarity, Polarity::DarkBands);

    // Float dark bands: the reference is the largest value, so the signal starts at 0.
    const SignalModel model = describe(floatDark);
    double low = 0;
    double high = 0;
    cv::minMaxLoc(floatDark, &low, &high);
    EXPECT_EQ(model.signalReference, high);
    double signalLow = 0;
    cv::minMaxLoc(bandsPositiveSignal(floatDark, model), &signalLow, nullptr);
    EXPECT_EQ(signalLow, 0.0);
}

TEST(Polarity, LargeImageIsDecidedOnADownsampledCopy) {
    SyntheticBlotSpec spec;
    spec.width = 1400;
    spec.height = 900;
    spec.lanes = 10;
    const cv::Mat blot = makeSyntheticBlot(spec);
    EXPECT_EQ(estimatePolarity(blot).polarity, Polarity::LightBands);
    EXPECT_EQ(estimatePolarity(invert16(blot)).polarity, Polarity::DarkBands);
}

TEST(Polarity, FlatImageIsNotConfident) {
    const cv::Mat flat(50, 60, CV_16UC1, cv::Scalar(1234));
    EXPECT_FALSE(estimatePolarity(flat).isConfident);
    std::vector<std::string> warnings;
    const SignalModel model = describeSignal(imageOf(flat), PolarityMode::Auto, warnings);
    EXPECT_FALSE(model.isPolarityConfident);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("polarity is unclear"), std::string::npos);
}

TEST(Polarity, PaddingOutsideTheValidMaskIsIgnored) {
    // Dark bands, with bright (transparent) padding around them that must not read as bands.
    const cv::Mat dark = invert16(makeSyntheticBlot({}));
    cv::Mat padded(dark.rows + 40, dark.cols + 40, CV_16UC1, cv::Scalar(0));
    dark.copyTo(padded(cv::Rect(20, 20, dark.cols, dark.rows)));
    cv::Mat mask(padded.size(), CV_8UC1, cv::Scalar(0));
    mask(cv::Rect(20, 20, dark.cols, dark.rows)).setTo(255);
    const PolarityEstimate estimate = estimatePolarity(padded, mask);
    EXPECT_EQ(estimate.polarity, Polarity::DarkBands);
    EXPECT_TRUE(estimate.isConfident);
}

TEST(SignalModel, AutoModeUsesThePixels) {
    const SignalModel light = describe(makeSyntheticBlot({}));
    EXPECT_EQ(light.polarity, Polarity::LightBands);
    EXPECT_TRUE(light.isPolarityFromPixels);
    EXPECT_TRUE(light.isPolarityConfident);
    const SignalModel dark = describe(invert16(makeSyntheticBlot({})));
    EXPECT_EQ(dark.polarity, Polarity::DarkBands);
    EXPECT_TRUE(dark.isPolarityFromPixels);
}

TEST(SignalModel, ForcedModeOverridesThePixels) {
    const cv::Mat light = makeSyntheticBlot({});
    std::vector<std::string> warnings;
    const SignalModel forcedDark =
        describeSignal(imageOf(light), PolarityMode::DarkBands, warnings);
    EXPECT_EQ(forcedDark.polarity, Polarity::DarkBands);
    EXPECT_FALSE(forcedDark.isPolarityFromPixels);
    EXPECT_TRUE(warnings.empty());

    const SignalModel forcedLight =
        describeSignal(imageOf(invert16(light)), PolarityMode::LightBands, warnings);
    EXPECT_EQ(forcedLight.polarity, Polarity::LightBands);
    EXPECT_FALSE(forcedLight.isPolarityFromPixels);
    EXPECT_TRUE(warnings.empty());
}

TEST(SignalModel, InvertedImageGivesTheSameSignalExactly) {
    const cv::Mat light = makeSyntheticBlot({});
    const cv::Mat dark = invert16(light);
    const SignalModel lightModel = describe(light);
    const SignalModel darkModel = describe(dark);
    ASSERT_EQ(lightModel.polarity, Polarity::LightBands);
    ASSERT_EQ(darkModel.polarity, Polarity::DarkBands);
    EXPECT_EQ(darkModel.signalReference, 65535.0);

    const cv::Mat lightSignal = bandsPositiveSignal(light, lightModel);
    const cv::Mat darkSignal = bandsPositiveSignal(dark, darkModel);
    EXPECT_EQ(lightSignal.type(), CV_32FC1);
    EXPECT_TRUE(isIdentical(lightSignal, darkSignal));

    cv::Mat rawAsFloat;
    light.convertTo(rawAsFloat, CV_32F);
    EXPECT_TRUE(isIdentical(lightSignal, rawAsFloat)) << "light bands: signal = raw";
    cv::Mat expectedDark;
    dark.convertTo(expectedDark, CV_32F, -1.0, 65535.0);
    EXPECT_TRUE(isIdentical(darkSignal, expectedDark)) << "dark bands: signal = 65535 - raw";
}

TEST(Saturation, TypeMaximumWhenPixelsReachIt) {
    SyntheticBlotSpec spec;
    spec.peak = 90000.0; // the strongest bands clip at 65535
    const cv::Mat blot = makeSyntheticBlot(spec);
    const int atTop = countEqual(blot, 65535);
    ASSERT_GT(atTop, 0);

    const SignalModel model = describe(blot);
    EXPECT_EQ(model.polarity, Polarity::LightBands);
    EXPECT_EQ(model.saturationRaw, 65535.0);
    EXPECT_EQ(model.saturationSource, "type maximum");
    EXPECT_EQ(model.saturatedPixels, static_cast<std::uint64_t>(atTop));
    EXPECT_TRUE(isSaturated(65535.0, model));
    EXPECT_FALSE(isSaturated(65534.0, model));
}

TEST(Saturation, DetectorClippingFoundAsAPileUp) {
    SyntheticBlotSpec spec;
    spec.peak = 90000.0;
    spec.clipLevel = 60000.0; // a camera that clips below the 16-bit maximum
    const cv::Mat blot = makeSyntheticBlot(spec);
    const int atClip = countEqual(blot, 60000);
    ASSERT_GT(atClip, 0);
    ASSERT_EQ(cv::countNonZero(blot > 60000), 0);

    const SaturationLevels levels = findSaturationLevels(blot);
    EXPECT_EQ(levels.upperRaw, 60000.0);
    EXPECT_TRUE(levels.upperIsPileUp);

    const SignalModel model = describe(blot);
    EXPECT_EQ(model.saturationRaw, 60000.0);
    EXPECT_EQ(model.saturationSource, "detector clipping");
    EXPECT_EQ(model.saturatedPixels, static_cast<std::uint64_t>(atClip));
}

TEST(Saturation, UnclippedImageHasNoSaturatedPixels) {
    const cv::Mat blot = makeSyntheticBlot({}); // peaks near 20800, far below any limit
    const SaturationLevels levels = findSaturationLevels(blot);
    EXPECT_FALSE(levels.upperIsPileUp);
    EXPECT_FALSE(levels.lowerIsPileUp);
    EXPECT_EQ(levels.upperRaw, 65535.0);

    const SignalModel model = describe(blot);
    EXPECT_EQ(model.saturationRaw, 65535.0);
    EXPECT_EQ(model.saturationSource, "type maximum");
    EXPECT_EQ(model.saturatedPixels, 0u);
}

TEST(Saturation, QuantisedDataDoesNotInventAPileUp) {
    // Unclipped data from a 12-bit camera stored in the top bits (steps of 16), and an 8-bit
    // picture widened to 16 bits (steps of 257): the histogram has gaps between the values,
    // and the top value is no more frequent than the values just below it.
    const cv::Mat blot = makeSyntheticBlot({});
    cv::Mat twelveBit = blot.clone();
    twelveBit.forEach<std::uint16_t>(
        [](std::uint16_t& v, const int*) { v = static_cast<std::uint16_t>(v & 0xFFF0); });
    cv::Mat eightBit;
    blot.convertTo(eightBit, CV_8U, 1.0 / 128.0);
    cv::Mat widened;
    eightBit.convertTo(widened, CV_16U, 257.0);
    for (const cv::Mat& raw : {twelveBit, widened, eightBit}) {
        SCOPED_TRACE(raw.depth() == CV_8U ? "8-bit" : "16-bit");
        const SaturationLevels levels = findSaturationLevels(raw);
        EXPECT_FALSE(levels.upperIsPileUp) << "at " << levels.upperRaw;
        const SignalModel model = describe(raw);
        EXPECT_EQ(model.saturationRaw, typeMaximum(raw));
        EXPECT_EQ(model.saturatedPixels, 0u);
        cv::Mat inverted;
        cv::subtract(cv::Scalar(typeMaximum(raw)), raw, inverted);
        const SignalModel dark = describe(inverted);
        EXPECT_EQ(dark.polarity, Polarity::DarkBands);
        EXPECT_EQ(dark.saturationRaw, 0.0);
        EXPECT_EQ(dark.saturatedPixels, 0u);
    }

    // Clipping in quantised data is still found.
    SyntheticBlotSpec spec;
    spec.peak = 90000.0;
    spec.clipLevel = 4000.0 * 16.0;
    cv::Mat clipped = makeSyntheticBlot(spec);
    clipped.forEach<std::uint16_t>(
        [](std::uint16_t& v, const int*) { v = static_cast<std::uint16_t>(v & 0xFFF0); });
    const SignalModel model = describe(clipped);
    EXPECT_EQ(model.saturationRaw, 64000.0);
    EXPECT_EQ(model.saturationSource, "detector clipping");
    EXPECT_EQ(model.saturatedPixels, static_cast<std::uint64_t>(countEqual(clipped, 64000)));
}

TEST(Saturation, DarkBandsSaturateAtTheBottom) {
    SyntheticBlotSpec spec;
    spec.peak = 90000.0;
    spec.clipLevel = 60000.0;
    const cv::Mat clippedDark = invert16(makeSyntheticBlot(spec)); // clipped at 5535
    const SignalModel clipped = describe(clippedDark);
    EXPECT_EQ(clipped.polarity, Polarity::DarkBands);
    EXPECT_EQ(clipped.saturationRaw, 5535.0);
    EXPECT_EQ(clipped.saturationSource, "detector clipping");
    EXPECT_EQ(clipped.saturatedPixels, static_cast<std::uint64_t>(countEqual(clippedDark, 5535)));
    EXPECT_TRUE(isSaturated(5535.0, clipped));
    EXPECT_FALSE(isSaturated(5536.0, clipped));

    spec.clipLevel = 65535.0;
    const cv::Mat fullDark = invert16(makeSyntheticBlot(spec)); // clipped at 0
    const SignalModel full = describe(fullDark);
    EXPECT_EQ(full.polarity, Polarity::DarkBands);
    EXPECT_EQ(full.saturationRaw, 0.0);
    EXPECT_EQ(full.saturationSource, "type minimum");
    EXPECT_EQ(full.saturatedPixels, static_cast<std::uint64_t>(countEqual(fullDark, 0)));
    EXPECT_GT(full.saturatedPixels, 0u);
}

TEST(Saturation, EightBit) {
    SyntheticBlotSpec spec;
    spec.peak = 90000.0;
    const cv::Mat blot = makeSyntheticBlot(spec);
    cv::Mat eightBit;
    blot.convertTo(eightBit, CV_8U, 255.0 / 65535.0);
    const SignalModel full = describe(eightBit);
    EXPECT_EQ(full.saturationRaw, 255.0);
    EXPECT_EQ(full.saturationSource, "type maximum");
    EXPECT_EQ(full.saturatedPixels, static_cast<std::uint64_t>(countEqual(eightBit, 255)));
    EXPECT_GT(full.saturatedPixels, 0u);

    const cv::Mat clipped = cv::min(eightBit, 240);
    const SignalModel clippedModel = describe(clipped);
    EXPECT_EQ(clippedModel.saturationRaw, 240.0);
    EXPECT_EQ(clippedModel.saturationSource, "detector clipping");
    EXPECT_EQ(clippedModel.saturatedPixels, static_cast<std::uint64_t>(countEqual(clipped, 240)));
}

TEST(Saturation, FloatWithoutPileUpIsUnknown) {
    cv::Mat values;
    makeSyntheticBlot({}).convertTo(values, CV_32F, 1.0 / 3.0);
    const SignalModel model = describe(values);
    EXPECT_EQ(model.polarity, Polarity::LightBands);
    EXPECT_TRUE(std::isinf(model.saturationRaw));
    EXPECT_GT(model.saturationRaw, 0.0);
    EXPECT_EQ(model.saturationSource, "unknown (float data)");
    EXPECT_EQ(model.saturatedPixels, 0u);
    EXPECT_FALSE(isSaturated(1e30, model));
}

TEST(Saturation, FloatWithAPileUpIsClipped) {
    SyntheticBlotSpec spec;
    spec.peak = 90000.0;
    spec.clipLevel = 60000.0;
    const cv::Mat blot = makeSyntheticBlot(spec);
    cv::Mat values;
    blot.convertTo(values, CV_32F, 0.5);
    const SignalModel model = describe(values);
    EXPECT_EQ(model.saturationRaw, 30000.0);
    EXPECT_EQ(model.saturationSource, "detector clipping");
    EXPECT_EQ(model.saturatedPixels, static_cast<std::uint64_t>(countEqual(blot, 60000)));
}

TEST(Saturation, MaskedPaddingIsNotCounted) {
    SyntheticBlotSpec spec;
    spec.peak = 90000.0;
    const cv::Mat blot = makeSyntheticBlot(spec);
    cv::Mat padded(blot.rows, blot.cols + 10, CV_16UC1, cv::Scalar(65535));
    blot.copyTo(padded(cv::Rect(10, 0, blot.cols, blot.rows)));
    Image image = imageOf(padded);
    image.validMask = cv::Mat(padded.size(), CV_8UC1, cv::Scalar(0));
    image.validMask(cv::Rect(10, 0, blot.cols, blot.rows)).setTo(255);
    std::vector<std::string> warnings;
    const SignalModel model = describeSignal(image, PolarityMode::LightBands, warnings);
    EXPECT_EQ(model.saturatedPixels, static_cast<std::uint64_t>(countEqual(blot, 65535)));
}

TEST(PolarityMode, ParsesAndPrints) {
    for (const PolarityMode mode :
         {PolarityMode::Auto, PolarityMode::LightBands, PolarityMode::DarkBands}) {
        EXPECT_EQ(parsePolarityMode(toString(mode)), mode);
    }
    EXPECT_FALSE(parsePolarityMode("Light").has_value());
    EXPECT_FALSE(parsePolarityMode("").has_value());
    EXPECT_STREQ(toString(Polarity::DarkBands), "dark-bands");
}

} // namespace
} // namespace densito
