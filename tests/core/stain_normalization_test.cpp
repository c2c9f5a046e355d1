// Whole-lane total-protein stain normalisation (issue 15, item 1): a stain row integrates
// whole lanes in the membrane's lane grid, so one prominent stain band that changes with
// treatment moves the normaliser by its share of the lane only.
#include "core/measure/lane_total.h"
#include "core/pipeline/analysis_run.h"
#include "core/pipeline/experiment_analysis.h"
#include "core/pipeline/experiment_outputs.h"
#include "core/pipeline/image_analysis.h"

#include "support/file_io.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <map>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace densito {
namespace {

namespace fs = std::filesystem;

constexpr int kLanes = 8;
constexpr int kWidth = 520;
constexpr int kHeight = 400;
constexpr double kFirstCentre = 50.0;
constexpr double kPitch = 60.0;
constexpr double kLaneWidth = 40.0;
// Uneven loading, the thing a normaliser corrects; lanes 1-4 control, 5-8 treated.
constexpr std::array<double, kLanes> kLoads{0.7, 1.0, 1.3, 0.85, 1.15, 0.9, 1.2, 0.8};

bool isTreated(int lane) {
    return lane >= 4;
}

/// Across a lane: a flat top with soft (Gaussian-blurred, sigma 1.5 px) edges.
double laneShape(double dx) {
    constexpr double kEdgeSigma = 1.5;
    const double half = kLaneWidth / 2.0;
    return 0.5 * (std::erf((dx + half) / (kEdgeSigma * std::sqrt(2.0))) -
                  std::erf((dx - half) / (kEdgeSigma * std::sqrt(2.0))));
}

/// Membrane background: a gradient down the membrane, as uneven wetting or exposure gives.
double membraneLevel(int y) {
    return 2000.0 + 2.0 * y;
}

/// A stain lane's profile down the lane per unit load: a smear continuum (the many proteins
/// no band resolves) and 30 bands, one of them prominent and changed by treatment.
struct StainDesign {
    std::vector<double> bandY;
    std::vector<double> bandPeak;
    std::size_t prominent = 12;
    double treatedFactor = 1.3; ///< the prominent band in treated lanes
};

StainDesign stainDesign() {
    StainDesign design;
    cv::RNG random(15);
    for (int k = 0; k < 30; ++k) {
        design.bandY.push_back(40.0 + 11.0 * k);
        design.bandPeak.push_back(random.uniform(2000.0, 5000.0));
    }
    design.bandPeak[design.prominent] = 9300.0;
    return design;
}

double stainProfile(const StainDesign& design, int lane, double y) {
    constexpr double kBandSigma = 2.5;
    const auto ramp = [](double t) {
        return std::clamp(t, 0.0, 1.0);
    };
    double value = 1500.0 * ramp((y - 30.0) / 10.0) * ramp((370.0 - y) / 10.0);
    for (std::size_t k = 0; k < design.bandY.size(); ++k) {
        const double factor = k == design.prominent && isTreated(lane) ? design.treatedFactor : 1.0;
        const double d = (y - design.bandY[k]) / kBandSigma;
        value += factor * design.bandPeak[k] * std::exp(-0.5 * d * d);
    }
    return value;
}

double targetProfile(int lane, double y) {
    const double d = (y - 200.0) / 6.0;
    return (isTreated(lane) ? 2.0 : 1.0) * 15000.0 * std::exp(-0.5 * d * d);
}

/// A 16-bit image of the eight lanes, each `profile(lane, y)` times its load, on the
/// membrane gradient with Gaussian noise (sigma 15 counts).
template <typename Profile> cv::Mat drawLanes(Profile profile, std::uint64_t seed) {
    cv::Mat image(kHeight, kWidth, CV_16UC1);
    cv::RNG random(seed);
    for (int y = 0; y < kHeight; ++y) {
        std::array<double, kLanes> rowSignal{};
        for (int lane = 0; lane < kLanes; ++lane) {
            rowSignal[static_cast<std::size_t>(lane)] =
                kLoads[static_cast<std::size_t>(lane)] * profile(lane, static_cast<double>(y));
        }
        for (int x = 0; x < kWidth; ++x) {
            double value = membraneLevel(y) + random.gaussian(15.0);
            for (int lane = 0; lane < kLanes; ++lane) {
                value += rowSignal[static_cast<std::size_t>(lane)] *
                         laneShape(x - (kFirstCentre + kPitch * lane));
            }
            image.at<std::uint16_t>(y, x) = cv::saturate_cast<std::uint16_t>(value);
        }
    }
    return image;
}

/// max |measured_i / mean(measured) / (truth_i / mean(truth)) - 1|: how far a normaliser is
/// from proportional to `truth` (only relative values matter to a normaliser).
double relativeError(const std::vector<double>& measured, const std::vector<double>& truth) {
    double measuredMean = 0.0;
    double truthMean = 0.0;
    for (std::size_t i = 0; i < measured.size(); ++i) {
        measuredMean += measured[i] / static_cast<double>(measured.size());
        truthMean += truth[i] / static_cast<double>(truth.size());
    }
    double largest = 0.0;
    for (std::size_t i = 0; i < measured.size(); ++i) {
        largest = std::max(largest,
                           std::abs((measured[i] / measuredMean) / (truth[i] / truthMean) - 1.0));
    }
    return largest;
}

TEST(StainNormalization, WholeLaneStainRecoversTheTrueLoadsWhereOneBandCannot) {
    test::TempDir dir;
    const StainDesign design = stainDesign();
    fs::create_directories(dir / "in");
    test::writeTiff(dir / "in" / "irs1.tif",
                    {drawLanes([](int lane, double y) { return targetProfile(lane, y); }, 1)});
    test::writeTiff(
        dir / "in" / "ponceau.tif",
        {drawLanes([&](int lane, double y) { return stainProfile(design, lane, y); }, 2)});
    test::writeText(dir / "blots.csv", "image,membrane,target,measure\n"
                                       "irs1.tif,M1,IRS-1,total\n"
                                       "ponceau.tif,M1,Ponceau S,stain\n");
    std::string samples = "membrane,lane,sample,condition,replicate\n";
    for (int lane = 1; lane <= kLanes; ++lane) {
        samples += "M1," + std::to_string(lane) + ",s" + std::to_string(lane) + "," +
                   (isTreated(lane - 1) ? "treated" : "control") + "," +
                   std::to_string((lane - 1) % 4 + 1) + "\n";
    }
    test::writeText(dir / "samples.csv", samples);

    AnalysisRunOptions options;
    options.inputs = {dir / "in"};
    options.outDir = dir / "out";
    options.blots = dir / "blots.csv";
    options.samples = dir / "samples.csv";
    options.writeOverlays = false;
    const AnalysisRunReport report = runAnalysis(options);
    ASSERT_EQ(report.status, AnalysisRunStatus::Ok)
        << (report.problems.empty() ? "" : report.problems.front().describe());
    ASSERT_TRUE(report.experiment.has_value());

    // The truths: loads, and the stain each lane truly holds (its profile summed down the lane).
    std::vector<double> loads(kLoads.begin(), kLoads.end());
    std::vector<double> wholeLaneTruth;
    double prominentShare = 0.0;
    for (int lane = 0; lane < kLanes; ++lane) {
        double sum = 0.0;
        for (int y = 0; y < kHeight; ++y) {
            sum += stainProfile(design, lane, y);
        }
        wholeLaneTruth.push_back(kLoads[static_cast<std::size_t>(lane)] * sum);
        if (lane == 0) {
            StainDesign without = design;
            without.bandPeak[design.prominent] = 0.0;
            double rest = 0.0;
            for (int y = 0; y < kHeight; ++y) {
                rest += stainProfile(without, lane, y);
            }
            prominentShare = 1.0 - rest / sum;
        }
    }

    std::vector<double> wholeLane;
    for (const QuantifiedLane& lane : report.experiment->quantification.lanes) {
        ASSERT_TRUE(lane.stain.has_value()) << "lane " << lane.lane;
        EXPECT_EQ(lane.normalizedBy, Normalizer::Stain);
        wholeLane.push_back(*lane.stain);
    }
    ASSERT_EQ(wholeLane.size(), loads.size());

    // The one-band path (before issue 15): the stain image's band row with the largest
    // summed volume, per lane. Its own detection takes each smeared lane for a strip, so it is
    // analysed as the user would have had to ask: one region over the membrane, 8 lanes.
    AnalysisSettings oneStrip;
    oneStrip.stripRegions = {cv::Rect(0, 0, kWidth, kHeight)};
    oneStrip.expectedLanes = kLanes;
    const auto stainImage = analyzeImage(dir / "in" / "ponceau.tif", oneStrip);
    ASSERT_TRUE(stainImage.has_value()) << stainImage.error().describe();
    BlotRow stainRow;
    stainRow.image = "ponceau.tif";
    stainRow.membrane = "M1";
    stainRow.measure = Measure::Stain;
    const int largestRow = bandRowOfRow(stainRow, stainImage->analysis, 1);
    std::map<int, double> oneBandByLane;
    for (const Band& band : stainImage->analysis.bands) {
        if (band.row != largestRow) {
            continue;
        }
        const double centre = band.box.x + band.box.width / 2.0;
        const int lane = static_cast<int>(std::lround((centre - kFirstCentre) / kPitch));
        oneBandByLane[lane] = band.volume;
    }
    std::vector<double> oneBand;
    std::vector<double> oneBandLoads;
    for (const auto& [lane, volume] : oneBandByLane) {
        oneBand.push_back(volume);
        oneBandLoads.push_back(kLoads[static_cast<std::size_t>(lane)]);
    }

    const double wholeLaneLoadError = relativeError(wholeLane, loads);
    const double wholeLaneSignalError = relativeError(wholeLane, wholeLaneTruth);
    const double oneBandLoadError = relativeError(oneBand, oneBandLoads);
    std::printf("stain normalisation, 8 lanes, loads 0.7-1.3; prominent band %.1f%% of the lane, "
                "x%.2f in treated lanes:\n"
                "  whole lane: largest error vs true loads %.2f%%, vs true whole-lane stain "
                "%.2f%%\n"
                "  one band (row %d, %zu lanes): largest error vs true loads %.2f%%\n",
                100.0 * prominentShare, design.treatedFactor, 100.0 * wholeLaneLoadError,
                100.0 * wholeLaneSignalError, largestRow, oneBand.size(), 100.0 * oneBandLoadError);
    EXPECT_LT(wholeLaneLoadError, 0.02);
    EXPECT_LT(wholeLaneSignalError, 0.01);
    // The one-band path picks the changed band: treated lanes read ~30% heavier.
    EXPECT_GT(oneBandLoadError, 0.10);
}

/// Two flat lanes (columns 20-39 and 60-79) of `height` counts per pixel over a membrane at
/// 50 + y, 100 x 100 px.
cv::Mat twoFlatLanes(float height) {
    cv::Mat signal(100, 100, CV_32FC1);
    for (int y = 0; y < signal.rows; ++y) {
        for (int x = 0; x < signal.cols; ++x) {
            const bool isLane = (x >= 20 && x <= 39) || (x >= 60 && x <= 79);
            signal.at<float>(y, x) = static_cast<float>(50 + y) + (isLane ? height : 0.0f);
        }
    }
    return signal;
}

/// The two lanes of twoFlatLanes, shifted right by `shiftPx`.
std::vector<Lane> twoLanes(double shiftPx = 0.0) {
    std::vector<Lane> lanes(2);
    for (std::size_t i = 0; i < 2; ++i) {
        lanes[i].index = static_cast<int>(i) + 1;
        lanes[i].xCenterPx = 29.5 + 40.0 * static_cast<double>(i) + shiftPx;
        lanes[i].leftPx = 20.0 + 40.0 * static_cast<double>(i) + shiftPx;
        lanes[i].rightPx = 39.0 + 40.0 * static_cast<double>(i) + shiftPx;
        lanes[i].yMiddlePx = 50.0;
    }
    return lanes;
}

/// An analysis of the two lanes with one band row, band volumes `volumes`.
BlotAnalysis twoLaneAnalysis(std::array<double, 2> volumes, double shiftPx = 0.0) {
    BlotAnalysis analysis;
    analysis.strips = {Strip{1, cv::Rect(0, 0, 100, 100), false}};
    analysis.lanes = twoLanes(shiftPx);
    for (int lane = 1; lane <= 2; ++lane) {
        Band band;
        band.lane = lane;
        band.box = cv::Rect(20 + 40 * (lane - 1), 40, 20, 20);
        band.volume = volumes[static_cast<std::size_t>(lane - 1)];
        analysis.bands.push_back(band);
    }
    return analysis;
}

Layout layoutOf(std::string_view blots) {
    const auto layout =
        parseLayout(parseCsv(blots, "blots.csv").value(),
                    parseCsv("membrane,lane,sample,condition,replicate\nM1,1,a,control,1\n"
                             "M1,2,b,treated,1\n",
                             "samples.csv")
                        .value(),
                    {});
    if (!layout) {
        ADD_FAILURE() << layout.error().front().describe();
        return {};
    }
    return *layout;
}

TEST(StainNormalization, LaneTotalSubtractsTheMembraneBetweenLanes) {
    // The background is taken from the gaps row by row, so the volume is exactly the lanes'
    // own signal although the membrane rises down the lane.
    const cv::Mat signal = twoFlatLanes(100.0f);
    const Strip strip{1, cv::Rect(0, 0, 100, 100), false};
    const std::vector<Lane> lanes = twoLanes();
    SignalModel model;
    model.saturationRaw = 1e9;
    const LaneTotal whole = measureLaneTotal(signal, {}, model, strip, lanes, 0, std::nullopt);
    EXPECT_TRUE(whole.hasBackground);
    EXPECT_EQ(whole.rows, 100);
    EXPECT_NEAR(whole.volume, 100.0 * 20 * 100, 1e-6);
    const LaneTotal window = measureLaneTotal(signal, {}, model, strip, lanes, 1, {{10, 19}});
    EXPECT_EQ(window.rows, 10);
    EXPECT_NEAR(window.volume, 100.0 * 20 * 10, 1e-6);
    EXPECT_EQ(window.saturatedPixels, 0);
}

TEST(StainNormalization, StainLanesAreTheMembraneGridWhenTheImagesShareGeometry) {
    // The stain image's own lanes are found 10 px off (a smear fooled detection); the target
    // image of the same membrane and size carries the membrane's grid, and the stain is
    // measured there: 20 x 100 px of 100 counts per lane.
    const Layout layout = layoutOf("image,membrane,target,measure\nirs1.tif,M1,IRS-1,total\n"
                                   "stain.tif,M1,Ponceau S,stain\n");
    const BlotAnalysis target = twoLaneAnalysis({1000.0, 3000.0});
    const BlotAnalysis stainOwn = twoLaneAnalysis({0.0, 0.0}, 10.0);
    const cv::Mat signal = twoFlatLanes(100.0f);
    SignalModel model;
    model.saturationRaw = 60000.0;
    const std::vector<NamedAnalysis> named{
        {"irs1.tif", &target, cv::Size(100, 100)},
        {"stain.tif", &stainOwn, cv::Size(100, 100), &signal, nullptr, &model}};
    EXPECT_EQ(stainLaneGrid(layout, layout.blots[1], named).gridImage, "irs1.tif");
    const auto outcome = analyzeExperiment(layout, named, {});
    ASSERT_TRUE(outcome.has_value()) << outcome.error().describe();
    const auto& lanes = outcome->quantification.lanes;
    ASSERT_EQ(lanes.size(), 2u);
    EXPECT_NEAR(*lanes[0].stain, 200000.0, 1e-6);
    EXPECT_NEAR(*lanes[1].stain, 200000.0, 1e-6);
    EXPECT_EQ(lanes[1].normalizedBy, Normalizer::Stain);
    EXPECT_NEAR(*lanes[1].foldChange, 3.0, 1e-12);

    // Images of other sizes do not share a grid: the stain's own lanes are used.
    const std::vector<NamedAnalysis> apart{
        {"irs1.tif", &target, cv::Size(120, 100)},
        {"stain.tif", &stainOwn, cv::Size(100, 100), &signal, nullptr, &model}};
    EXPECT_EQ(stainLaneGrid(layout, layout.blots[1], apart).gridImage, "stain.tif");

    // Without the stain image's pixels there is nothing to integrate.
    const std::vector<NamedAnalysis> withoutPixels{{"irs1.tif", &target, cv::Size(100, 100)},
                                                   {"stain.tif", &stainOwn, cv::Size(100, 100)}};
    const auto refused = analyzeExperiment(layout, withoutPixels, {});
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().describe(),
              "stain.tif: the pixels of this total-protein stain image were not kept for its "
              "whole-lane measures");
}

TEST(StainNormalization, AnUnvalidatedHousekeepingProteinAloneIsWarnedAbout) {
    const Layout layout = layoutOf("image,membrane,target,measure\nirs1.tif,M1,IRS-1,total\n"
                                   "gapdh.tif,M1,GAPDH,loading\n");
    const BlotAnalysis target = twoLaneAnalysis({1000.0, 3000.0});
    const BlotAnalysis loading = twoLaneAnalysis({500.0, 500.0});
    const std::vector<NamedAnalysis> named{{"gapdh.tif", &loading}, {"irs1.tif", &target}};
    const auto outcome = analyzeExperiment(layout, named, {});
    ASSERT_TRUE(outcome.has_value()) << outcome.error().describe();
    EXPECT_EQ(outcome->quantification.lanes[1].normalizedBy, Normalizer::Loading);
    EXPECT_NE(std::find(outcome->warnings.begin(), outcome->warnings.end(),
                        "membrane \"M1\": IRS-1 normalised by the housekeeping protein GAPDH "
                        "alone, which no dilution series on this membrane validates; its "
                        "expression can change with treatment and it saturates early (a "
                        "total-protein stain row is preferred)"),
              outcome->warnings.end())
        << fmt::format("{}", fmt::join(outcome->warnings, "\n"));
}

} // namespace
} // namespace densito
