// Measuring from given geometry without detection (remeasure): the same CSV as the analysis
// the geometry came from, for every background method, on synthetic and real blots; an edit
// changes exactly the bands it touches; manual bands; the measurement cache.
#include "core/detect/profile_tools.h"
#include "core/image/image_loader.h"
#include "core/image/signal.h"
#include "core/io/results_csv.h"
#include "core/measure/rolling_ball.h"
#include "core/pipeline/image_analysis.h"
#include "core/pipeline/image_geometry.h"
#include "core/pipeline/remeasure.h"
#include "core/synth/synthetic_blot.h"

#include "support/synthetic_blot.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace densito {
namespace {

const std::filesystem::path kSampleBlots =
    std::filesystem::path(DENSITO_SOURCE_DIR) / "sample_blots" / "real";

/// Every background method, automatic and with a given parameter.
const std::vector<std::string> kMethods = {"border-median",   "border-median:4", "rolling-ball",
                                           "rolling-ball:30", "lane-baseline",   "none"};

/// An image ready to measure, as analyzeImage holds it.
struct LoadedBlot {
    std::string name;
    Image image;
    SignalModel model;
    cv::Mat signal;
};

LoadedBlot blotOf(std::string name, Image image) {
    LoadedBlot blot;
    blot.name = std::move(name);
    blot.image = std::move(image);
    std::vector<std::string> warnings;
    blot.model = describeSignal(blot.image, PolarityMode::Auto, warnings);
    blot.signal = bandsPositiveSignal(blot.image.raw, blot.model);
    return blot;
}

LoadedBlot syntheticBlot(const test::SyntheticBlotSpec& spec) {
    Image image;
    image.raw = test::makeSyntheticBlot(spec);
    return blotOf("synthetic.tif", std::move(image));
}

/// Test blots: the small synthetic one, the generator's realistic and hard profiles (smile,
/// gradients, noise), touching doublets, and every image in sample_blots/real.
std::vector<LoadedBlot> testBlots() {
    std::vector<LoadedBlot> blots;
    test::SyntheticBlotSpec spec;
    spec.width = 480;
    spec.height = 300;
    spec.bandRows = 3;
    blots.push_back(syntheticBlot(spec));
    for (const SynthProfile profile : {SynthProfile::Realistic, SynthProfile::Hard}) {
        SynthParams params;
        params.seed = 11;
        params.profile = profile;
        params.widthPx = 1200;
        params.heightPx = 800;
        const auto generated = generateSyntheticBlot(params);
        EXPECT_TRUE(generated.has_value()) << generated.error().describe();
        if (generated) {
            Image image;
            image.raw = generated->raw;
            blots.push_back(blotOf(std::string(toString(profile)) + ".tif", std::move(image)));
        }
    }
    // Two band rows close enough to touch: doublets, measured together and split.
    SynthParams doublets;
    doublets.profile = SynthProfile::Clean;
    doublets.widthPx = 600;
    doublets.heightPx = 400;
    doublets.lanes = 6;
    doublets.rows = {{0.3, 1.0}, {0.34, 1.0}, {0.75, 1.0}};
    const auto generated = generateSyntheticBlot(doublets);
    EXPECT_TRUE(generated.has_value()) << generated.error().describe();
    if (generated) {
        Image image;
        image.raw = generated->raw;
        blots.push_back(blotOf("doublets.tif", std::move(image)));
    }
    for (const char* file : {"a1at_standard_dilution_gelblotanalyzer/TEST_GEL_AK_original.png",
                             "amersham_iq800_actin_csitron/antiActin_20240710_131425_Ch_Chemi.tif",
                             "chemidoc_xrs_biorad1sc/test4_imglab_analysis.tif",
                             "coomassie_protease_gelquant_elife/gel-example.png",
                             "plos_one_raw_blots_ccby/pone.0237759.s005.tif",
                             "plos_one_raw_blots_ccby/pone.0265461.g006.tif"}) {
        auto image = loadImage(kSampleBlots / file);
        EXPECT_TRUE(image.has_value()) << image.error().describe();
        if (image) {
            blots.push_back(
                blotOf(std::filesystem::path(file).filename().string(), std::move(*image)));
        }
    }
    return blots;
}

std::string lanesCsvOf(const std::string& name, const BlotAnalysis& analysis) {
    return lanesCsv({{name, &analysis}});
}

std::string bandsCsvOf(const std::string& name, const BlotAnalysis& analysis) {
    return bandsCsv({{name, &analysis}});
}

/// One band's bands.csv row: every number the band has, written exactly.
std::string bandRow(const Band& band) {
    BlotAnalysis single;
    single.bands = {band};
    return bandsCsvOf("x", single);
}

AnalysisSettings settingsWith(const std::string& method) {
    AnalysisSettings settings;
    settings.background = *parseBackgroundMethod(method);
    return settings;
}

TEST(Remeasure, GeometryOfAnAnalysisGivesTheSameCsvForEveryBackgroundMethod) {
    std::size_t compared = 0;
    std::size_t split = 0;
    for (const LoadedBlot& blot : testBlots()) {
        MeasurementCache cache;
        for (const std::string& method : kMethods) {
            const AnalysisSettings settings = settingsWith(method);
            const BlotAnalysis analysis =
                analyzeSignal(blot.signal, blot.image, blot.model, settings);
            const ImageGeometry geometry = geometryOf(analysis);
            const BlotAnalysis again =
                remeasure(blot.signal, blot.image, blot.model, settings, geometry);
            const BlotAnalysis cached =
                remeasure(blot.signal, blot.image, blot.model, settings, geometry, cache);
            SCOPED_TRACE(blot.name + " " + method);
            EXPECT_EQ(bandsCsvOf(blot.name, again), bandsCsvOf(blot.name, analysis));
            EXPECT_EQ(lanesCsvOf(blot.name, again), lanesCsvOf(blot.name, analysis));
            EXPECT_EQ(bandsCsvOf(blot.name, cached), bandsCsvOf(blot.name, analysis));
            EXPECT_EQ(again.backgroundMethod, analysis.backgroundMethod);
            EXPECT_EQ(again.noiseSigma, analysis.noiseSigma);
            EXPECT_EQ(cached.noiseSigma, analysis.noiseSigma);
            compared += analysis.bands.size();
            split += static_cast<std::size_t>(
                std::count_if(analysis.bands.begin(), analysis.bands.end(),
                              [](const Band& band) { return (band.flags & kBandSplit) != 0; }));
        }
    }
    EXPECT_GT(compared, 500u);
    EXPECT_GT(split, 0u) << "no blot has split doublets any more: add one that does";
}

// Band holds what detection decided (box rows = extent, overlap flag, inferred), so the
// geometry rebuilt from an analysis is the geometry detection found.
TEST(Remeasure, GeometryOfAnAnalysisIsTheDetectedGeometry) {
    for (const LoadedBlot& blot : testBlots()) {
        const AnalysisSettings settings;
        ImageGeometry detected = detectGeometry(blot.signal, blot.image, settings);
        const BlotAnalysis analysis =
            remeasure(blot.signal, blot.image, blot.model, settings, detected);
        detected.warnings.clear(); // an analysis's warnings are not geometry
        EXPECT_EQ(geometryOf(analysis), detected) << blot.name;
        EXPECT_FALSE(detected.bands.empty()) << blot.name;
    }
}

/// The small synthetic blot, analysed with `method`.
struct EditFixture {
    LoadedBlot blot;
    AnalysisSettings settings;
    ImageGeometry geometry;
    BlotAnalysis analysis;
};

EditFixture editFixture(const std::string& method) {
    test::SyntheticBlotSpec spec;
    spec.width = 480;
    spec.height = 300;
    spec.bandRows = 3;
    EditFixture fixture{syntheticBlot(spec), settingsWith(method), {}, {}};
    fixture.geometry = detectGeometry(fixture.blot.signal, fixture.blot.image, fixture.settings);
    fixture.analysis = remeasure(fixture.blot.signal, fixture.blot.image, fixture.blot.model,
                                 fixture.settings, fixture.geometry);
    return fixture;
}

BlotAnalysis remeasured(const EditFixture& fixture, const ImageGeometry& geometry) {
    return remeasure(fixture.blot.signal, fixture.blot.image, fixture.blot.model, fixture.settings,
                     geometry);
}

/// Bands whose numbers an edit of the bands `changed` may change: those bands and, with
/// border-median, every band whose ring reaches the old or the new box of one of them (a box
/// is left out of the other bands' rings).
std::set<std::size_t> mayChange(const BlotAnalysis& before, const BlotAnalysis& after,
                                const std::set<std::size_t>& changed) {
    std::set<std::size_t> bands = changed;
    const BackgroundMethod method = *parseBackgroundMethod(before.backgroundMethod);
    if (method.kind != BackgroundKind::BorderMedian) {
        return bands;
    }
    const int width = static_cast<int>(*method.parameterPx);
    for (std::size_t j = 0; j < after.bands.size(); ++j) {
        const cv::Rect& box = after.bands[j].box;
        const cv::Rect ring(box.x - width, box.y - width, box.width + 2 * width,
                            box.height + 2 * width);
        for (const std::size_t i : changed) {
            if ((ring & before.bands[i].box).area() > 0 || (ring & after.bands[i].box).area() > 0) {
                bands.insert(j);
            }
        }
    }
    return bands;
}

/// Bands outside `mayChange` are unchanged to the last bit; each band in `changed` is not.
void expectOnlyChanged(const BlotAnalysis& before, const BlotAnalysis& after,
                       const std::set<std::size_t>& changed) {
    ASSERT_EQ(before.bands.size(), after.bands.size());
    const std::set<std::size_t> allowed = mayChange(before, after, changed);
    EXPECT_LT(allowed.size(), before.bands.size());
    for (std::size_t i = 0; i < before.bands.size(); ++i) {
        if (changed.contains(i)) {
            EXPECT_NE(bandRow(after.bands[i]), bandRow(before.bands[i])) << "band " << i;
            EXPECT_NE(after.bands[i].volume, before.bands[i].volume) << "band " << i;
        } else if (!allowed.contains(i)) {
            EXPECT_EQ(bandRow(after.bands[i]), bandRow(before.bands[i])) << "band " << i;
        }
    }
}

TEST(Remeasure, MovingALaneEdgeChangesOnlyThatLanesBands) {
    for (const std::string& method : kMethods) {
        SCOPED_TRACE(method);
        const EditFixture fixture = editFixture(method);
        ASSERT_EQ(fixture.geometry.lanes.size(), 6u);
        ImageGeometry edited = fixture.geometry;
        Lane& lane = edited.lanes[2];
        lane.leftPx -= 6.0;
        lane.xCenterPx -= 3.0;
        lane.isManual = true;
        std::set<std::size_t> changed;
        for (std::size_t i = 0; i < edited.bands.size(); ++i) {
            if (edited.bands[i].candidate.lane == lane.index) {
                changed.insert(i);
            }
        }
        ASSERT_EQ(changed.size(), 3u);
        const BlotAnalysis after = remeasured(fixture, edited);
        EXPECT_EQ(after.backgroundMethod, fixture.analysis.backgroundMethod);
        for (const std::size_t i : changed) {
            EXPECT_EQ(after.bands[i].box.x, fixture.analysis.bands[i].box.x - 6);
            EXPECT_EQ(after.bands[i].box.width, fixture.analysis.bands[i].box.width + 6);
        }
        expectOnlyChanged(fixture.analysis, after, changed);
        BlotAnalysis editedLanes;
        editedLanes.lanes = edited.lanes;
        EXPECT_EQ(lanesCsvOf("x", after), lanesCsvOf("x", editedLanes));
    }
}

// The automatic radius and width stay those of the detected bands, so a taller box changes
// that band alone (resolving them again from the edited bands could change every band).
TEST(Remeasure, MovingABandBoxChangesOnlyThatBand) {
    for (const std::string& method : kMethods) {
        SCOPED_TRACE(method);
        const EditFixture fixture = editFixture(method);
        ImageGeometry edited = fixture.geometry;
        const std::size_t moved = 7;
        edited.bands[moved].candidate.topPx -= 8;
        edited.bands[moved].candidate.bottomPx += 12;
        edited.bands[moved].isManual = true;
        const BlotAnalysis after = remeasured(fixture, edited);
        EXPECT_EQ(after.backgroundMethod, fixture.analysis.backgroundMethod);
        EXPECT_EQ(after.bands[moved].box.y, fixture.analysis.bands[moved].box.y - 8);
        EXPECT_EQ(after.bands[moved].box.height, fixture.analysis.bands[moved].box.height + 20);
        EXPECT_TRUE(after.bands[moved].isManual);
        expectOnlyChanged(fixture.analysis, after, {moved});
    }
}

TEST(Remeasure, AManualBandIsMeasuredWithItsLanesBoxWidth) {
    for (const std::string& method : kMethods) {
        SCOPED_TRACE(method);
        const EditFixture fixture = editFixture(method);
        ImageGeometry edited = fixture.geometry;
        // Below the three band rows (at y = 75, 150, 225), in lane 4.
        const std::size_t added = addManualBand(edited, 1, 4, 266, 288);
        const BlotAnalysis after = remeasured(fixture, edited);
        ASSERT_EQ(after.bands.size(), fixture.analysis.bands.size() + 1);
        const Band& band = after.bands[added];
        EXPECT_EQ(band.lane, 4);
        EXPECT_EQ(band.row, 4);
        EXPECT_TRUE(band.isManual);
        EXPECT_FALSE(after.bands[added - 1].isManual);
        const Lane& lane = edited.lanes[3];
        const double centre = lane.centreAt(277.0);
        const int left = static_cast<int>(std::lround(centre - 0.5 * lane.widthPx()));
        const int right = static_cast<int>(std::lround(centre + 0.5 * lane.widthPx()));
        EXPECT_EQ(band.box, cv::Rect(left, 266, right - left + 1, 23));
        for (const Band& other : after.bands) {
            if (other.lane == 4 && !other.isManual) {
                EXPECT_NEAR(other.box.width, band.box.width, 1);
            }
        }
        EXPECT_GT(band.areaPx, 0);
        // The other bands keep their numbers (indices after the new band shift by one).
        BlotAnalysis withoutAdded = after;
        withoutAdded.bands.erase(withoutAdded.bands.begin() + static_cast<std::ptrdiff_t>(added));
        if (method.starts_with("border-median")) {
            continue; // the new box leaves ring pixels out of its neighbours' rings
        }
        EXPECT_EQ(bandsCsvOf("x", withoutAdded), bandsCsvOf("x", fixture.analysis));
    }
}

// A geometry saved without automatic parameters resolves them from the detected bands only.
TEST(Remeasure, AManualBandNeverChangesTheAutomaticBackgroundParameter) {
    for (const char* method : {"rolling-ball", "border-median"}) {
        EditFixture fixture = editFixture(method);
        fixture.geometry.automaticRollingBallRadiusPx.reset();
        fixture.geometry.automaticBorderMedianWidthPx.reset();
        ImageGeometry edited = fixture.geometry;
        addManualBand(edited, 1, 2, 60, 290);
        addManualBand(edited, 1, 5, 60, 290);
        EXPECT_EQ(remeasured(fixture, edited).backgroundMethod, fixture.analysis.backgroundMethod);
        EXPECT_EQ(remeasured(fixture, fixture.geometry).backgroundMethod,
                  fixture.analysis.backgroundMethod);
    }
}

TEST(AddManualBand, JoinsTheRowAtItsHeightWhereTheLaneHasNoBand) {
    EditFixture fixture = editFixture("none");
    ImageGeometry& geometry = fixture.geometry;
    // Lane 2 loses its row-2 band; a band drawn there joins row 2 again.
    const auto removed =
        std::find_if(geometry.bands.begin(), geometry.bands.end(), [](const BandGeometry& b) {
            return b.candidate.lane == 2 && b.candidate.row == 2;
        });
    ASSERT_NE(removed, geometry.bands.end());
    const BandCandidate old = removed->candidate;
    const auto position = static_cast<std::size_t>(removed - geometry.bands.begin());
    geometry.bands.erase(removed);
    const std::size_t added = addManualBand(geometry, 1, 2, old.topPx + 2, old.bottomPx - 2);
    EXPECT_EQ(added, position);
    EXPECT_EQ(geometry.bands[added].candidate.row, 2);
    EXPECT_EQ(geometry.bands.size(), fixture.analysis.bands.size());
}

TEST(AddManualBand, StartsANewRowBetweenRowsAndRenumbersTheRowsBelow) {
    EditFixture fixture = editFixture("none");
    ImageGeometry& geometry = fixture.geometry;
    const ImageGeometry before = geometry;
    // Between row 1 (y = 75) and row 2 (y = 150), farther than a half-height from either.
    const std::size_t added = addManualBand(geometry, 1, 1, 104, 120);
    EXPECT_EQ(geometry.bands[added].candidate.row, 2);
    EXPECT_EQ(geometry.bands[added].candidate.peakYPx, 112.0);
    ASSERT_EQ(geometry.bands.size(), before.bands.size() + 1);
    std::size_t k = 0;
    for (std::size_t i = 0; i < geometry.bands.size(); ++i) {
        if (i == added) {
            continue;
        }
        const BandCandidate& was = before.bands[k++].candidate;
        EXPECT_EQ(geometry.bands[i].candidate.row, was.row >= 2 ? was.row + 1 : was.row);
        EXPECT_EQ(geometry.bands[i].candidate.peakYPx, was.peakYPx);
    }
    // A band in the same row twice in a lane would be two rows of bands.csv: lane 1 has a
    // band at row 1's height, so a second one there starts a row of its own.
    const BandCandidate first = geometry.bands.front().candidate;
    addManualBand(geometry, 1, 1, first.topPx, first.bottomPx);
    std::set<std::tuple<int, int, int>> places;
    for (const BandGeometry& band : geometry.bands) {
        const BandCandidate& c = band.candidate;
        EXPECT_TRUE(places.insert({c.strip, c.lane, c.row}).second)
            << "lane " << c.lane << " row " << c.row;
    }
}

TEST(Remeasure, TheCacheGivesTheSameNumbersAfterEveryEdit) {
    for (const std::string& method : kMethods) {
        SCOPED_TRACE(method);
        const EditFixture fixture = editFixture(method);
        MeasurementCache cache;
        ImageGeometry geometry = fixture.geometry;
        for (int edit = 0; edit < 4; ++edit) {
            geometry.bands[static_cast<std::size_t>(3 * edit)].candidate.bottomPx += 3;
            geometry.lanes[static_cast<std::size_t>(edit)].rightPx += 2.0;
            const BlotAnalysis cached =
                remeasure(fixture.blot.signal, fixture.blot.image, fixture.blot.model,
                          fixture.settings, geometry, cache);
            EXPECT_EQ(bandsCsvOf("x", cached), bandsCsvOf("x", remeasured(fixture, geometry)));
        }
    }
}

TEST(MeasurementCache, KeepsTheRollingBallBackgroundUntilTheRadiusOrImageChanges) {
    const EditFixture fixture = editFixture("rolling-ball");
    const cv::Mat& signal = fixture.blot.signal;
    const cv::Mat mask;
    MeasurementCache cache;
    const cv::Mat first = cache.rollingBall(signal, mask, 30.0);
    EXPECT_EQ(cv::norm(first, rollingBallBackground(signal, 30.0), cv::NORM_INF), 0.0);
    EXPECT_EQ(cache.rollingBall(signal, mask, 30.0).data, first.data);
    const cv::Mat other = cache.rollingBall(signal, mask, 12.0);
    EXPECT_EQ(cv::norm(other, rollingBallBackground(signal, 12.0), cv::NORM_INF), 0.0);
    // Another image (a new buffer) is never measured with the old one's background.
    const cv::Mat brighter = signal + 100.0;
    const cv::Mat shifted = cache.rollingBall(brighter, mask, 12.0);
    EXPECT_EQ(cv::norm(shifted, rollingBallBackground(brighter, 12.0), cv::NORM_INF), 0.0);
    EXPECT_EQ(cache.pixelNoise(brighter, mask), estimatePixelNoise(brighter, mask));
}

TEST(Remeasure, AStripBeyondTheImageIsMeasuredInsideIt) {
    const EditFixture fixture = editFixture("border-median");
    ImageGeometry edited = fixture.geometry;
    ASSERT_EQ(edited.strips.size(), 1u);
    const cv::Rect region = edited.strips[0].region;
    edited.strips[0].region = cv::Rect(region.x, region.y, 900, 700);
    edited.bands[0].candidate.bottomPx = 650;
    const BlotAnalysis after = remeasured(fixture, edited);
    ASSERT_FALSE(after.warnings.empty());
    EXPECT_EQ(after.warnings.front(),
              fmt::format("strip 1 ({};{};900;700) reaches beyond the 480x300 image; measured "
                          "inside it",
                          region.x, region.y));
    EXPECT_EQ(after.strips[0].region & cv::Rect(0, 0, 480, 300), after.strips[0].region);
    EXPECT_LE(after.bands[0].box.br().y, 300);
}

TEST(Remeasure, ABandOfALaneNotInTheGeometryHasNoNumbers) {
    const EditFixture fixture = editFixture("none");
    ImageGeometry edited = fixture.geometry;
    edited.bands[0].candidate.lane = 42;
    const BlotAnalysis after = remeasured(fixture, edited);
    EXPECT_EQ(after.bands[0].box.area(), 0);
    EXPECT_EQ(after.bands[0].volume, 0.0);
}

/// The band of `lane` and `row` in the analysis; nullptr when there is none.
const Band* bandAt(const BlotAnalysis& analysis, int lane, int row) {
    const auto found = std::find_if(analysis.bands.begin(), analysis.bands.end(),
                                    [&](const Band& b) { return b.lane == lane && b.row == row; });
    return found == analysis.bands.end() ? nullptr : &*found;
}

TEST(InsertLane, GoesBetweenItsNeighboursAndRenumbersTheLanesAndBandsRightOfIt) {
    const EditFixture fixture = editFixture("none");
    ASSERT_EQ(fixture.geometry.lanes.size(), 6u);
    ImageGeometry geometry = fixture.geometry;
    Lane added = geometry.lanes[2];
    added.xCenterPx = 0.5 * (geometry.lanes[2].xCenterPx + geometry.lanes[3].xCenterPx);
    added.leftPx = added.xCenterPx - 4.0;
    added.rightPx = added.xCenterPx + 4.0;
    added.index = 99; // numbered by its place, whatever it says
    const std::size_t position = insertLane(geometry, added);
    EXPECT_EQ(position, 3u);
    ASSERT_EQ(geometry.lanes.size(), 7u);
    for (std::size_t i = 0; i < geometry.lanes.size(); ++i) {
        EXPECT_EQ(geometry.lanes[i].index, static_cast<int>(i) + 1);
    }
    EXPECT_EQ(geometry.lanes[position].xCenterPx, added.xCenterPx);
    // The bands of lanes 4..6 are now those of lanes 5..7, with the same numbers.
    const BlotAnalysis after = remeasured(fixture, geometry);
    ASSERT_EQ(after.bands.size(), fixture.analysis.bands.size());
    EXPECT_EQ(bandAt(after, 4, 1), nullptr);
    for (const Band& was : fixture.analysis.bands) {
        const Band* now = bandAt(after, was.lane >= 4 ? was.lane + 1 : was.lane, was.row);
        ASSERT_NE(now, nullptr) << "lane " << was.lane << " row " << was.row;
        EXPECT_EQ(now->volume, was.volume);
        EXPECT_EQ(now->box, was.box);
    }
    removeLane(geometry, position);
    EXPECT_EQ(geometry, fixture.geometry);
}

TEST(RemoveLane, TakesItsBandsAndRenumbersTheLanesRightOfIt) {
    const EditFixture fixture = editFixture("none");
    ImageGeometry geometry = fixture.geometry;
    const Lane removed = geometry.lanes[1];
    std::vector<std::pair<std::size_t, BandGeometry>> removedBands;
    for (std::size_t i = 0; i < geometry.bands.size(); ++i) {
        if (geometry.bands[i].candidate.lane == removed.index) {
            removedBands.emplace_back(i, geometry.bands[i]);
        }
    }
    ASSERT_FALSE(removedBands.empty());
    removeLane(geometry, 1);
    ASSERT_EQ(geometry.lanes.size(), 5u);
    EXPECT_EQ(geometry.bands.size(), fixture.geometry.bands.size() - removedBands.size());
    for (std::size_t i = 0; i < geometry.lanes.size(); ++i) {
        EXPECT_EQ(geometry.lanes[i].index, static_cast<int>(i) + 1);
    }
    const BlotAnalysis after = remeasured(fixture, geometry);
    for (const Band& was : fixture.analysis.bands) {
        if (was.lane == 2) {
            continue;
        }
        const Band* now = bandAt(after, was.lane > 2 ? was.lane - 1 : was.lane, was.row);
        ASSERT_NE(now, nullptr) << "lane " << was.lane << " row " << was.row;
        EXPECT_EQ(now->volume, was.volume);
    }
    // Putting the lane back where it was, then its bands where they were, is an exact undo.
    EXPECT_EQ(insertLane(geometry, removed, 1), 1u);
    for (const auto& [position, band] : removedBands) {
        geometry.bands.insert(geometry.bands.begin() + static_cast<std::ptrdiff_t>(position), band);
    }
    EXPECT_EQ(geometry, fixture.geometry);
    removeLane(geometry, 42);
    EXPECT_EQ(geometry, fixture.geometry);
}

TEST(InsertLane, RenumbersOnlyTheLanesOfItsStrip) {
    ImageGeometry geometry;
    geometry.strips = {{1, cv::Rect(0, 0, 100, 50)}, {2, cv::Rect(0, 60, 100, 50)}};
    for (const int strip : {1, 2}) {
        for (const int index : {1, 2}) {
            Lane lane;
            lane.strip = strip;
            lane.index = index;
            lane.xCenterPx = 30.0 * index;
            geometry.lanes.push_back(lane);
            BandGeometry band;
            band.candidate.strip = strip;
            band.candidate.lane = index;
            geometry.bands.push_back(band);
        }
    }
    Lane first;
    first.strip = 2;
    first.xCenterPx = 10.0;
    EXPECT_EQ(insertLane(geometry, first), 2u);
    std::vector<std::pair<int, int>> lanes;
    for (const Lane& lane : geometry.lanes) {
        lanes.emplace_back(lane.strip, lane.index);
    }
    EXPECT_EQ(lanes, (std::vector<std::pair<int, int>>{{1, 1}, {1, 2}, {2, 1}, {2, 2}, {2, 3}}));
    std::vector<std::pair<int, int>> bands;
    for (const BandGeometry& band : geometry.bands) {
        bands.emplace_back(band.candidate.strip, band.candidate.lane);
    }
    EXPECT_EQ(bands, (std::vector<std::pair<int, int>>{{1, 1}, {1, 2}, {2, 2}, {2, 3}}));
    Lane last;
    last.strip = 1;
    last.xCenterPx = 95.0;
    EXPECT_EQ(insertLane(geometry, last), 2u);
    EXPECT_EQ(geometry.lanes[2].index, 3);
}

} // namespace
} // namespace densito
