// Molecular weight from the ladder lanes (issue 15, item 3): marker sets, matching a ladder
// lane's bands to its markers, reading masses across a strip with smile and tilt, on
// synthetic ladders of known kDa and on the real a1at gel (skipped when ../shared/real_blots
// is absent).
#include "core/analysis/csv_table.h"
#include "core/analysis/layout_sheets.h"
#include "core/analysis/marker_sets.h"
#include "core/analysis/mw_calibration.h"
#include "core/image/signal.h"
#include "core/pipeline/image_analysis.h"
#include "core/synth/synthetic_blot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <fstream>
#include <random>
#include <vector>

namespace densito {
namespace {

const std::filesystem::path kRealBlots = DENSITO_REAL_BLOTS_DIR;

TEST(MarkerSets, BuiltInSetsHaveStrictlyDecreasingMassesAndASource) {
    ASSERT_EQ(builtInMarkerSets().size(), 5u);
    for (const MarkerSet& set : builtInMarkerSets()) {
        EXPECT_GE(set.kda.size(), 9u) << set.name;
        EXPECT_TRUE(std::ranges::adjacent_find(set.kda, std::less_equal<>()) == set.kda.end())
            << set.name;
        EXPECT_FALSE(set.source.empty()) << set.name;
    }
}

TEST(MarkerSets, NamesAliasesAndCatalogueNumbersResolve) {
    const std::vector<double> pageRulerPlus = {250, 130, 100, 70, 55, 35, 25, 15, 10};
    EXPECT_EQ(markerKdaOf("PageRuler Plus").value(), pageRulerPlus);
    EXPECT_EQ(markerKdaOf("pageruler-plus prestained").value(), pageRulerPlus);
    EXPECT_EQ(markerKdaOf(" 26620 ").value(), pageRulerPlus);
    EXPECT_EQ(markerKdaOf("1610374").value(),
              (std::vector<double>{250, 150, 100, 75, 50, 37, 25, 20, 15, 10}));
    EXPECT_EQ(markerKdaOf("P7719").value(),
              (std::vector<double>{250, 180, 130, 95, 72, 55, 43, 34, 26, 17, 10}));
}

TEST(MarkerSets, ATypedListIsSortedTopToBottom) {
    EXPECT_EQ(markerKdaOf("15;250;70.5;130").value(), (std::vector<double>{250, 130, 70.5, 15}));
}

TEST(MarkerSets, BadListsAndUnknownNamesSayWhy) {
    EXPECT_EQ(markerKdaOf("250;x;100").error(),
              "\"x\" in the marker list \"250;x;100\" is not a mass in kDa (a number above 0)");
    EXPECT_EQ(markerKdaOf("250;100;100").error(), "the marker list \"250;100;100\" repeats a mass");
    EXPECT_EQ(markerKdaOf("SeeBlue").error(),
              "\"SeeBlue\" is not a known marker set (PageRuler Plus Prestained, PageRuler "
              "Prestained, Precision Plus Protein Dual Color, Precision Plus Protein All Blue, "
              "NEB Color Prestained Broad Range) nor a `;`-separated kDa list such as "
              "\"250;130;100;70;55;35;25;15\"");
}

Layout layoutWith(const std::string& samples) {
    auto layout = parseLayout(
        parseCsv("image,membrane,target,measure\nm.tif,M1,Akt,phospho\nm.tif,M1,Akt,total\n",
                 "blots.csv")
            .value(),
        parseCsv(samples, "samples.csv").value(), {});
    EXPECT_TRUE(layout.has_value());
    return layout.value_or(Layout{});
}

TEST(LadderRows, ALadderRowIsNoSampleAndNeedsNoReplicate) {
    const Layout layout = layoutWith("membrane,lane,sample,condition,replicate\n"
                                     "M1,1,Precision Plus Protein Dual Color,ladder,\n"
                                     "M1,2,a,control,1\nM1,3,b,treated,1\n"
                                     "M1,4,250;100;50;25,Ladder,\n");
    ASSERT_EQ(layout.samples.size(), 2u);
    EXPECT_EQ(layout.conditions, (std::vector<std::string>{"control", "treated"}));
    ASSERT_EQ(layout.ladders.size(), 2u);
    EXPECT_EQ(layout.ladders[0].line, 2);
    EXPECT_EQ(layout.ladders[0].lane, 1);
    EXPECT_EQ(layout.ladders[0].kda.size(), 10u);
    EXPECT_EQ(layout.ladders[1].kda, (std::vector<double>{250, 100, 50, 25}));
    EXPECT_EQ(layout.blots[0].targetMassesKda, (std::vector<double>{60}));
}

TEST(LadderRows, AnUnknownMarkerSetNamesTheFileRowAndKnownSets) {
    const auto layout = parseLayout(
        parseCsv("image,membrane,target,measure\nm.tif,M1,Akt,total\nm.tif,M1,GAPDH,loading\n",
                 "blots.csv")
            .value(),
        parseCsv("membrane,lane,sample,condition,replicate\nM1,1,Rainbow,ladder,\n"
                 "M1,2,a,control,1\n",
                 "samples.csv")
            .value(),
        {});
    ASSERT_FALSE(layout.has_value());
    ASSERT_EQ(layout.error().size(), 1u);
    EXPECT_EQ(layout.error()[0].describe(),
              "samples.csv:2: column \"sample\": ladder lane: \"Rainbow\" is not a known marker "
              "set (PageRuler Plus Prestained, PageRuler Prestained, Precision Plus Protein Dual "
              "Color, Precision Plus Protein All Blue, NEB Color Prestained Broad Range) nor a "
              "`;`-separated kDa list such as \"250;130;100;70;55;35;25;15\"");
}

TEST(LadderRows, ALadderLaneListedTwiceIsReported) {
    const auto layout = parseLayout(
        parseCsv("image,membrane,target,measure\nm.tif,M1,Akt,total\nm.tif,M1,GAPDH,loading\n",
                 "blots.csv")
            .value(),
        parseCsv("membrane,lane,sample,condition,replicate\nM1,1,a,control,1\n"
                 "M1,1,PageRuler,ladder,\n",
                 "samples.csv")
            .value(),
        {});
    ASSERT_FALSE(layout.has_value());
    EXPECT_EQ(layout.error()[0].describe(),
              "samples.csv:3: column \"lane\": lane 1 of membrane \"M1\" is already listed on "
              "line 2");
}

Lane straightLane(double x) {
    Lane lane;
    lane.xCenterPx = x;
    lane.leftPx = x - 10;
    lane.rightPx = x + 10;
    return lane;
}

/// Bands at y = 40 + 500 * (log10 300 - log10 kDa) / (log10 300 - 1): log-linear.
double linearY(double kda) {
    return 40.0 + 500.0 * (std::log10(300.0) - std::log10(kda)) / (std::log10(300.0) - 1.0);
}

const std::vector<double> kPrecisionPlus = {250, 150, 100, 75, 50, 37, 25, 20, 15, 10};

std::vector<MarkerBand> bandsAt(const std::vector<double>& kda) {
    std::vector<MarkerBand> bands;
    for (const double k : kda) {
        bands.push_back({0.0, 20.0, linearY(k)});
    }
    return bands;
}

TEST(LadderMatching, AllMarkersFoundAreMatchedInOrder) {
    const LadderCalibration ladder =
        matchLadderBands(straightLane(20), bandsAt(kPrecisionPlus), kPrecisionPlus);
    ASSERT_EQ(ladder.markers.size(), 10u);
    EXPECT_FALSE(ladder.isUnsure);
    for (std::size_t k = 0; k < 10; ++k) {
        EXPECT_EQ(ladder.markers[k].kda, kPrecisionPlus[k]);
        EXPECT_DOUBLE_EQ(ladder.markers[k].yPx, linearY(kPrecisionPlus[k]));
    }
    EXPECT_EQ(ladder.note, "");
}

TEST(LadderMatching, AMissingTopOrBottomMarkerDoesNotShiftTheOthers) {
    for (const std::vector<double>& seen :
         {std::vector<double>(kPrecisionPlus.begin() + 1, kPrecisionPlus.end()),
          std::vector<double>(kPrecisionPlus.begin(), kPrecisionPlus.end() - 1),
          std::vector<double>(kPrecisionPlus.begin() + 1, kPrecisionPlus.end() - 1)}) {
        const LadderCalibration ladder =
            matchLadderBands(straightLane(20), bandsAt(seen), kPrecisionPlus);
        ASSERT_EQ(ladder.markers.size(), seen.size());
        for (std::size_t k = 0; k < seen.size(); ++k) {
            EXPECT_EQ(ladder.markers[k].kda, seen[k]);
        }
        EXPECT_FALSE(ladder.isUnsure);
    }
    const LadderCalibration ladder = matchLadderBands(
        straightLane(20), bandsAt({150, 100, 75, 50, 37, 25, 20, 15, 10}), kPrecisionPlus);
    EXPECT_EQ(ladder.note, "no band for 250 kDa");
}

TEST(LadderMatching, AnExtraBandIsLeftOut) {
    std::vector<MarkerBand> bands = bandsAt(kPrecisionPlus);
    bands.push_back({0.0, 20.0, 0.5 * (linearY(50) + linearY(37))}); // a doublet's partner
    const LadderCalibration ladder = matchLadderBands(straightLane(20), bands, kPrecisionPlus);
    ASSERT_EQ(ladder.markers.size(), 10u);
    EXPECT_EQ(ladder.extraBands, 1);
    EXPECT_EQ(ladder.note, "1 band not a marker");
}

TEST(LadderMatching, EvenlySpacedMarkersAreUnsureWhenOneIsMissing) {
    // Markers equally spaced on the log scale look the same shifted by one.
    const std::vector<double> even = {160, 80, 40, 20, 10};
    std::vector<MarkerBand> bands;
    for (const double k : {80.0, 40.0, 20.0, 10.0}) {
        bands.push_back({0.0, 20.0, linearY(k)});
    }
    const LadderCalibration ladder = matchLadderBands(straightLane(20), bands, even);
    EXPECT_TRUE(ladder.isUnsure);
}

TEST(LadderMatching, TooFewBandsGiveNoCalibration) {
    const LadderCalibration ladder =
        matchLadderBands(straightLane(20), bandsAt({100, 50}), kPrecisionPlus);
    EXPECT_TRUE(ladder.markers.empty());
    EXPECT_EQ(ladder.note, "2 bands found for 10 markers, and no three of them match the "
                           "markers' spacing");
}

TEST(LadderCalibration, MassesBetweenMarkersAndNoReadingFarBeyondThem) {
    const LadderCalibration ladder =
        matchLadderBands(straightLane(20), bandsAt(kPrecisionPlus), kPrecisionPlus);
    StripCalibration strip;
    strip.ladders = {ladder};
    EXPECT_NEAR(*strip.kdaAt(20, linearY(60)), 60.0, 1e-9); // log-linear law: exact
    EXPECT_NEAR(*strip.kdaAt(20, linearY(250)), 250.0, 1e-9);
    // Half the end segment beyond the last marker is read; further is not.
    const double bottomGap = linearY(10) - linearY(15);
    EXPECT_TRUE(strip.kdaAt(20, linearY(10) + 0.45 * bottomGap).has_value());
    EXPECT_FALSE(strip.kdaAt(20, linearY(10) + 0.55 * bottomGap).has_value());
    const double topGap = linearY(150) - linearY(250);
    EXPECT_FALSE(strip.kdaAt(20, linearY(250) - 0.55 * topGap).has_value());
}

TEST(LadderCalibration, TwoLaddersFollowUnevenRunningBetweenThem) {
    // The right ladder ran 30 px further: equal masses lie on lines sloping across the strip.
    std::vector<MarkerBand> right = bandsAt(kPrecisionPlus);
    for (MarkerBand& band : right) {
        band.xPx = 420;
        band.yPx += 30;
    }
    StripCalibration strip;
    strip.ladders = {matchLadderBands(straightLane(20), bandsAt(kPrecisionPlus), kPrecisionPlus),
                     matchLadderBands(straightLane(420), right, kPrecisionPlus)};
    EXPECT_NEAR(*strip.kdaAt(220, linearY(42) + 15), 42.0, 1e-6);
    EXPECT_NEAR(*strip.kdaAt(120, linearY(42) + 7.5), 42.0, 1e-6);
}

// ---- Synthetic ladders through the whole analysis ----

/// The kDa a synthetic trial reads and the truth, for every sample band it read.
struct TrialReading {
    std::vector<double> relativeErrors;
    int sampleBands = 0; ///< true sample bands
    int read = 0;        ///< of them, found and given a mass
};

/// A blot with ladders (PageRuler Plus, 9 markers) in lane 1, and in the last lane when
/// `twoLadders`, and three sample rows at random kDa in lanes 2..; rows placed by a migration
/// law log-linear or bent (position u + bend u (1 - u), u log-linear, bend in +-0.35), with
/// the realistic profile's smile and rotation. Each detected sample band is read at its
/// position and compared with its row's kDa.
TrialReading runSyntheticLadderTrial(std::uint64_t seed, bool twoLadders) {
    std::mt19937_64 random(seed * 7919 + (twoLadders ? 1 : 0));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const std::vector<double> markers = {250, 130, 100, 70, 55, 35, 25, 15, 10};
    const double bend = (seed % 3 == 0) ? 0.0 : -0.35 + 0.7 * unit(random);
    const auto position = [&](double kda) {
        const double u = std::log(320.0 / kda) / std::log(320.0 / 8.0);
        return u + bend * u * (1.0 - u);
    };
    std::vector<double> sampleKda;
    while (sampleKda.size() < 3) {
        const double kda = std::pow(10.0, std::log10(12.0) + unit(random) * std::log10(200.0 / 12.0));
        const bool isApart = std::ranges::none_of(sampleKda, [&](double other) {
            return std::abs(position(kda) - position(other)) < 0.08;
        });
        if (isApart) {
            sampleKda.push_back(kda);
        }
    }
    const int lanes = 8;
    SynthParams params;
    params.seed = seed;
    params.profile = SynthProfile::Realistic;
    params.polarity = Polarity::LightBands;
    params.widthPx = 640;
    params.heightPx = 560;
    params.lanes = lanes;
    std::vector<double> rowKda;
    for (const double kda : markers) {
        params.rows.push_back({position(kda), 0.55});
        rowKda.push_back(kda);
    }
    for (const double kda : sampleKda) {
        params.rows.push_back({position(kda), 1.0});
        rowKda.push_back(kda);
    }
    const auto isLadder = [&](int lane) { return lane == 1 || (twoLadders && lane == lanes); };
    params.bandVolumes.assign(lanes, std::vector<double>(rowKda.size(), 0.0));
    for (int lane = 1; lane <= lanes; ++lane) {
        for (std::size_t r = 0; r < rowKda.size(); ++r) {
            const bool isMarker = r < markers.size();
            if (isMarker == isLadder(lane)) {
                params.bandVolumes[static_cast<std::size_t>(lane - 1)][r] =
                    (isMarker ? 0.6 : 1.0) * (0.6 + 0.8 * unit(random)) * 4e5;
            }
        }
    }
    params.backgroundOffset = 1000.0;
    const auto blot = generateSyntheticBlot(params);
    EXPECT_TRUE(blot.has_value()) << blot.error().describe();
    if (!blot) {
        return {};
    }
    Image image;
    image.raw = blot->raw;
    std::vector<std::string> warnings;
    const SignalModel model = describeSignal(image, PolarityMode::LightBands, warnings);
    const cv::Mat signal = bandsPositiveSignal(blot->raw, model);
    AnalysisSettings settings;
    settings.expectedLanes = lanes;
    const BlotAnalysis analysis = analyzeSignal(signal, image, model, settings);
    std::vector<int> ladderLanes = {1};
    std::vector<std::vector<double>> ladderKda = {markers};
    if (twoLadders) {
        ladderLanes.push_back(lanes);
        ladderKda.push_back(markers);
    }
    const StripCalibration calibration =
        calibrateStrip("synthetic.tif", analysis, 1, ladderLanes, ladderKda);
    TrialReading reading;
    for (const TrueBand& truth : blot->bands) {
        if (isLadder(truth.lane) || truth.volume <= 0.0) {
            continue;
        }
        ++reading.sampleBands;
        const double kda = rowKda[static_cast<std::size_t>(truth.row - 1)];
        // The detected band of this lane nearest the truth, within its sigma.
        const Band* found = nullptr;
        for (const Band& band : analysis.bands) {
            if (band.lane == truth.lane &&
                std::abs(band.peakYPx - truth.yCenterPx) < 2.0 * truth.sigmaYPx + 2.0 &&
                (found == nullptr ||
                 std::abs(band.peakYPx - truth.yCenterPx) < std::abs(found->peakYPx - truth.yCenterPx))) {
                found = &band;
            }
        }
        if (found == nullptr) {
            continue;
        }
        const auto mass = calibration.kdaAt(bandXPx(*found), bandYPx(*found));
        if (mass) {
            ++reading.read;
            reading.relativeErrors.push_back(std::abs(*mass / kda - 1.0));
        }
    }
    return reading;
}

TEST(SyntheticLadders, BandMassesWithinFivePercentWithSmileAndTilt) {
    for (const bool twoLadders : {false, true}) {
        std::vector<double> errors;
        int sampleBands = 0;
        int read = 0;
        for (std::uint64_t seed = 1; seed <= 24; ++seed) {
            const TrialReading trial = runSyntheticLadderTrial(seed, twoLadders);
            errors.insert(errors.end(), trial.relativeErrors.begin(), trial.relativeErrors.end());
            sampleBands += trial.sampleBands;
            read += trial.read;
            for (const double e : trial.relativeErrors) {
                EXPECT_LT(e, 0.05) << "seed " << seed << (twoLadders ? ", two ladders" : "");
            }
        }
        ASSERT_FALSE(errors.empty());
        std::ranges::sort(errors);
        std::printf("%s: %d of %d sample bands read; error median %.2f%%, worst %.2f%%\n",
                    twoLadders ? "two ladders" : "one ladder", read, sampleBands,
                    100.0 * errors[errors.size() / 2], 100.0 * errors.back());
        // Nearly every band gets a mass: all rows lie within the ladders' range.
        EXPECT_GE(read, sampleBands * 9 / 10);
    }
}

// ---- The real a1at gel: Precision Plus Protein ladders in lanes 1 and 8 ----

struct ConfigMarker {
    double yPx;
    double kda;
};

/// A ladder's marker positions as the config (Gel-Blot-Analyzer) reads them.
std::vector<ConfigMarker> configMarkers(const nlohmann::json& config, const char* side) {
    std::vector<ConfigMarker> markers;
    for (const auto& entry : config.at("marker_positions").at(side)) {
        markers.push_back({entry.at(0).get<double>(), std::stod(entry.at(1).get<std::string>())});
    }
    return markers;
}

/// log10 kDa at y by point-to-point interpolation of the config's markers.
double configLog10KdaAt(const std::vector<ConfigMarker>& markers, double y) {
    std::size_t k = 0;
    while (k + 2 < markers.size() && y > markers[k + 1].yPx) {
        ++k;
    }
    const double f = (y - markers[k].yPx) / (markers[k + 1].yPx - markers[k].yPx);
    return std::log10(markers[k].kda) +
           f * (std::log10(markers[k + 1].kda) - std::log10(markers[k].kda));
}

TEST(RealLadders, A1atMarkersAndSampleBandMatchTheConfigWithinFivePercent) {
    const auto folder = kRealBlots / "a1at_standard_dilution_gelblotanalyzer";
    if (!std::filesystem::exists(folder / "TEST_GEL_AK_original.png")) {
        GTEST_SKIP() << "real blots not present at " << kRealBlots;
    }
    std::ifstream configFile(folder / "TEST_GEL_AK_config.json");
    const nlohmann::json config = nlohmann::json::parse(configFile);
    AnalysisSettings settings;
    settings.expectedLanes = 8;
    const auto result = analyzeImage(folder / "TEST_GEL_AK_original.png", settings);
    ASSERT_TRUE(result.has_value()) << result.error().describe();
    const BlotAnalysis& analysis = result->analysis;
    const std::vector<int> ladderLanes = {1, 8};
    const std::vector<std::vector<double>> kda = {markerKdaOf("1610374").value(),
                                                  markerKdaOf("1610374").value()};
    const StripCalibration calibration =
        calibrateStrip("TEST_GEL_AK_original.png", analysis, 1, ladderLanes, kda);
    for (const std::string& warning : calibration.warnings) {
        std::printf("warning: %s\n", warning.c_str());
    }
    ASSERT_EQ(calibration.ladders.size(), 2u);
    const std::vector<ConfigMarker> left = configMarkers(config, "left");
    const std::vector<ConfigMarker> right = configMarkers(config, "right");
    // Every marker the config places is read within 5% of its mass at its place.
    for (const auto& [ladder, markers] :
         {std::pair(&calibration.ladders[0], &left), std::pair(&calibration.ladders[1], &right)}) {
        EXPECT_EQ(ladder->markers.size(), 10u) << ladder->note;
        for (const ConfigMarker& marker : *markers) {
            const auto m = ladder->log10KdaAt(marker.yPx);
            ASSERT_TRUE(m.has_value()) << marker.kda << " kDa";
            std::printf("lane %d: %g kDa marker at y %.0f read as %.1f kDa\n", ladder->lane.index,
                        marker.kda, marker.yPx, std::pow(10.0, *m));
            EXPECT_NEAR(std::pow(10.0, *m) / marker.kda, 1.0, 0.05) << marker.kda << " kDa";
        }
    }
    // The sample band (one main band per lane, lanes 2-7): its mass by Densito's calibration
    // and by the config's marker positions (interpolated across x like Densito's) agree.
    const double xLeft = calibration.ladders[0].xPx;
    const double xRight = calibration.ladders[1].xPx;
    int compared = 0;
    for (int lane = 2; lane <= 7; ++lane) {
        const Band* strongest = nullptr;
        for (const Band& band : analysis.bands) {
            if (band.lane == lane && (strongest == nullptr || band.volume > strongest->volume)) {
                strongest = &band;
            }
        }
        ASSERT_NE(strongest, nullptr) << "lane " << lane;
        const double x = bandXPx(*strongest);
        const double y = bandYPx(*strongest);
        const double t = (x - xLeft) / (xRight - xLeft);
        const double reference = std::pow(
            10.0, (1.0 - t) * configLog10KdaAt(left, y) + t * configLog10KdaAt(right, y));
        const auto mass = calibration.kdaAt(x, y);
        ASSERT_TRUE(mass.has_value()) << "lane " << lane;
        std::printf("lane %d band at y %.1f: %.1f kDa (config's markers: %.1f kDa)\n", lane,
                    y, *mass, reference);
        EXPECT_NEAR(*mass / reference, 1.0, 0.05) << "lane " << lane;
        ++compared;
    }
    EXPECT_EQ(compared, 6);
}

} // namespace
} // namespace densito
