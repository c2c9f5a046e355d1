// Band integration against exact truth: noise-free synthetic blots (synth isIdeal) whose
// band volumes are known to the count.
#include "core/image/signal.h"
#include "core/measure/band_measurer.h"
#include "core/synth/synthetic_blot.h"

#include <cmath>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <vector>

namespace densito {
namespace {

struct IdealSetup {
    SyntheticBlot blot;
    MeasurementInput input;
    std::vector<Strip> strips;
    std::vector<Lane> lanes;
    std::vector<BandCandidate> candidates;
    std::vector<std::size_t> truthIndex; ///< the true band of each candidate
};

/// One lane and one candidate per true band, boxed exactly on the band's own box, for the
/// bands whose box (grown by 3 px) touches no other band's box, so the box holds that band only.
IdealSetup idealSetup(std::uint64_t seed) {
    SynthParams params;
    params.seed = seed;
    params.profile = SynthProfile::Clean;
    params.isIdeal = true;
    IdealSetup setup;
    setup.blot = generateSyntheticBlot(params).value();
    Image image;
    image.raw = setup.blot.raw;
    std::vector<std::string> warnings;
    setup.input.signalModel = describeSignal(image, PolarityMode::LightBands, warnings);
    setup.input.signal = bandsPositiveSignal(image.raw, setup.input.signalModel);
    setup.input.raw = image.raw;
    setup.input.noiseSigma = 1.0;
    setup.strips = {{1, cv::Rect(0, 0, image.raw.cols, image.raw.rows)}};
    const auto& bands = setup.blot.bands;
    for (std::size_t i = 0; i < bands.size(); ++i) {
        const cv::Rect grown(bands[i].box.x - 3, bands[i].box.y - 3, bands[i].box.width + 6,
                             bands[i].box.height + 6);
        bool isAlone = true;
        for (std::size_t j = 0; j < bands.size(); ++j) {
            isAlone = isAlone && (j == i || (grown & bands[j].box).area() == 0);
        }
        if (!isAlone || bands[i].box.x < 4 || bands[i].box.y < 4 ||
            bands[i].box.x + bands[i].box.width + 4 > image.raw.cols ||
            bands[i].box.y + bands[i].box.height + 4 > image.raw.rows) {
            continue;
        }
        Lane lane;
        lane.index = static_cast<int>(setup.lanes.size()) + 1;
        // Box columns are round(centre -/+ width/2): centre and width chosen to give the true box.
        lane.leftPx = bands[i].box.x;
        lane.rightPx = bands[i].box.x + bands[i].box.width - 1;
        lane.xCenterPx = 0.5 * (lane.leftPx + lane.rightPx);
        setup.lanes.push_back(lane);
        BandCandidate candidate;
        candidate.lane = lane.index;
        candidate.peakYPx = bands[i].yCenterPx;
        candidate.topPx = bands[i].box.y;
        candidate.bottomPx = bands[i].box.y + bands[i].box.height - 1;
        setup.candidates.push_back(candidate);
        setup.truthIndex.push_back(i);
    }
    return setup;
}

TEST(BandMeasurer, NoBackgroundGivesTheExactSumOverTheBox) {
    const IdealSetup setup = idealSetup(3);
    ASSERT_GE(setup.candidates.size(), 8u);
    std::vector<std::string> warnings;
    const auto bands = measureBands(setup.input, setup.strips, setup.lanes, setup.candidates,
                                    {BackgroundKind::None, std::nullopt}, warnings);
    ASSERT_EQ(bands.size(), setup.candidates.size());
    const double offset = setup.blot.scene.backgroundOffset;
    for (std::size_t i = 0; i < bands.size(); ++i) {
        const TrueBand& truth = setup.blot.bands[setup.truthIndex[i]];
        EXPECT_EQ(bands[i].box, truth.box);
        EXPECT_NEAR(bands[i].volume - offset * bands[i].areaPx, truth.volume, 1e-6 * truth.volume)
            << i;
        EXPECT_DOUBLE_EQ(bands[i].backgroundVolume, 0.0);
    }
}

TEST(BandMeasurer, BorderMedianOnAFlatBackgroundIsExact) {
    const IdealSetup setup = idealSetup(4);
    ASSERT_GE(setup.candidates.size(), 8u);
    std::vector<std::string> warnings;
    const auto bands = measureBands(setup.input, setup.strips, setup.lanes, setup.candidates,
                                    {BackgroundKind::BorderMedian, 3.0}, warnings);
    const double offset = setup.blot.scene.backgroundOffset;
    for (std::size_t i = 0; i < bands.size(); ++i) {
        const TrueBand& truth = setup.blot.bands[setup.truthIndex[i]];
        EXPECT_NEAR(bands[i].volume, truth.volume, 1e-6 * truth.volume) << i;
        EXPECT_NEAR(bands[i].backgroundVolume, offset * bands[i].areaPx,
                    1e-6 * offset * bands[i].areaPx);
        EXPECT_EQ(bands[i].flags & kBandWeak, 0u);
    }
    EXPECT_TRUE(warnings.empty());
}

TEST(BandMeasurer, SaturatedPixelsAreCountedOnRawValuesAndFlagged) {
    IdealSetup setup = idealSetup(5);
    ASSERT_FALSE(setup.candidates.empty());
    // Clip the first band's box at a detector level below its peak.
    const cv::Rect box = setup.blot.bands[setup.truthIndex[0]].box;
    cv::Mat raw = setup.input.raw.clone();
    double low = 0, high = 0;
    cv::minMaxLoc(raw(box), &low, &high);
    const double level = high - 1;
    cv::Mat region = raw(box);
    region.setTo(level, region >= level);
    setup.input.raw = raw;
    setup.input.signalModel.saturationRaw = level;
    std::vector<std::string> warnings;
    const auto bands = measureBands(setup.input, setup.strips, setup.lanes, setup.candidates,
                                    {BackgroundKind::None, std::nullopt}, warnings);
    EXPECT_GT(bands[0].saturatedPixels, 0);
    int unsaturated = 0;
    for (std::size_t i = 0; i < bands.size(); ++i) {
        const int atLevel = cv::countNonZero(raw(bands[i].box) >= level);
        EXPECT_EQ(bands[i].saturatedPixels, atLevel) << i;
        EXPECT_EQ((bands[i].flags & kBandSaturated) != 0, atLevel > 0) << i;
        unsaturated += atLevel == 0 ? 1 : 0;
    }
    EXPECT_GT(unsaturated, 0); // the flag is not simply set everywhere
}

} // namespace
} // namespace densito
