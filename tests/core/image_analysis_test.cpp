// analyzeSignal with strip regions given by a layout instead of detected.
#include "core/image/signal.h"
#include "core/io/overlay_renderer.h"
#include "core/pipeline/image_analysis.h"

#include "support/synthetic_blot.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

namespace densito {
namespace {

/// An image with its signal model and bands-positive signal, as analyzeImage builds them.
struct LoadedBlot {
    Image image;
    cv::Mat signal;
    SignalModel model;
};

LoadedBlot loadedBlot(const cv::Mat& raw, PolarityMode polarity) {
    LoadedBlot blot;
    blot.image.raw = raw;
    std::vector<std::string> warnings;
    blot.model = describeSignal(blot.image, polarity, warnings);
    blot.signal = bandsPositiveSignal(raw, blot.model);
    return blot;
}

/// Two membranes on one uniform background (no tray between them, so nothing tells them
/// apart): 6 lanes in rows 0-149, 7 lanes in rows 150-299.
LoadedBlot makeTwoMembranes() {
    test::SyntheticBlotSpec spec;
    spec.width = 420;
    spec.height = 150;
    spec.bandRows = 2;
    spec.lanes = 6;
    cv::Mat raw(300, 420, CV_16UC1);
    test::makeSyntheticBlot(spec).copyTo(raw(cv::Rect(0, 0, 420, 150)));
    spec.lanes = 7;
    spec.seed = 3;
    test::makeSyntheticBlot(spec).copyTo(raw(cv::Rect(0, 150, 420, 150)));
    return loadedBlot(raw, PolarityMode::LightBands);
}

int lanesInStrip(const BlotAnalysis& analysis, int strip) {
    int count = 0;
    for (const Lane& lane : analysis.lanes) {
        count += lane.strip == strip ? 1 : 0;
    }
    return count;
}

TEST(ImageAnalysis, StripRegionsFromALayoutReplaceDetection) {
    const LoadedBlot blot = makeTwoMembranes();
    AnalysisSettings settings;
    settings.stripRegions = {cv::Rect(0, 0, 420, 150), cv::Rect(0, 150, 420, 150)};
    const BlotAnalysis analysis = analyzeSignal(blot.signal, blot.image, blot.model, settings);
    ASSERT_EQ(analysis.strips.size(), 2u);
    EXPECT_EQ(analysis.strips[0].region, cv::Rect(0, 0, 420, 150));
    EXPECT_EQ(analysis.strips[1].region, cv::Rect(0, 150, 420, 150));
    EXPECT_EQ(lanesInStrip(analysis, 1), 6);
    EXPECT_EQ(lanesInStrip(analysis, 2), 7);
    for (const Band& band : analysis.bands) {
        const cv::Rect& region = analysis.strips[static_cast<std::size_t>(band.strip - 1)].region;
        EXPECT_EQ(band.box & region, band.box) << "strip " << band.strip << " lane " << band.lane;
    }
}

TEST(ImageAnalysis, AStripRegionOutsideTheImageIsLeftOutWithAWarning) {
    const LoadedBlot blot = makeTwoMembranes();
    AnalysisSettings settings;
    settings.stripRegions = {cv::Rect(500, 0, 100, 100), cv::Rect(0, 150, 420, 200)};
    const BlotAnalysis analysis = analyzeSignal(blot.signal, blot.image, blot.model, settings);
    ASSERT_EQ(analysis.strips.size(), 1u);
    EXPECT_EQ(analysis.strips[0].index, 2);
    EXPECT_EQ(analysis.strips[0].region, cv::Rect(0, 150, 420, 150));
    ASSERT_FALSE(analysis.warnings.empty());
    EXPECT_EQ(analysis.warnings[0],
              "strip region 500;0;100;100 lies outside the 420x300 image; left out");
    EXPECT_EQ(lanesInStrip(analysis, 2), 7);
}

// Fuzzing found it (a 65336x40 JPEG): the polarity estimate, which reduces the image to 512 px
// on its long side, asked cv::resize for an image 0 rows high and threw; the overlay could too.
TEST(ImageAnalysis, AVeryLongThinImageIsAnalysedAndDrawn) {
    test::SyntheticBlotSpec spec;
    spec.width = 9000;
    spec.height = 3;
    spec.lanes = 40;
    spec.bandRows = 1;
    const LoadedBlot blot = loadedBlot(test::makeSyntheticBlot(spec), PolarityMode::Auto);
    const BlotAnalysis analysis =
        analyzeSignal(blot.signal, blot.image, blot.model, AnalysisSettings{});
    const cv::Mat overlay =
        renderOverlay(blot.signal, blot.image.raw, {}, blot.model, analysis, {});
    EXPECT_EQ(overlay.cols, 2000);
    EXPECT_GE(overlay.rows, 1);
}

} // namespace
} // namespace densito
