// The sample experiment (sample_blots/experiment): the generator's explicit layout,
// placement and imaging overrides it is built on, its determinism, its truth against the
// pixels, its design, its layout sheets, and the shipped files against the generator.
#include "core/analysis/csv_table.h"
#include "core/analysis/layout_sheets.h"
#include "core/image/image_loader.h"
#include "core/io/tiff_writer.h"
#include "core/synth/sample_experiment.h"
#include "core/synth/synth_truth.h"
#include "core/synth/synthetic_blot.h"

#include "support/file_io.h"

#include <cmath>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <numbers>
#include <opencv2/core.hpp>
#include <set>
#include <string>

namespace {

using namespace densito;
namespace fs = std::filesystem;

const fs::path kShippedDir = fs::path(DENSITO_SOURCE_DIR) / "sample_blots" / "experiment";

/// Generated once per test program: each generation renders 54 images.
const SampleExperiment& experiment(SampleRendering rendering = SampleRendering::Realistic) {
    static const auto generate = [](SampleRendering which) {
        auto generated = generateSampleExperiment(kSampleExperimentSeed, which);
        EXPECT_TRUE(generated.has_value()) << (generated ? "" : generated.error().describe());
        return generated ? std::move(*generated) : SampleExperiment{};
    };
    static const SampleExperiment realistic = generate(SampleRendering::Realistic);
    static const SampleExperiment ideal = generate(SampleRendering::Ideal);
    return rendering == SampleRendering::Realistic ? realistic : ideal;
}

bool samePixels(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() && cv::countNonZero(a != b) == 0;
}

double boxSignal(const SyntheticBlot& blot, const cv::Rect& box) {
    double sum = 0.0;
    for (int y = box.y; y < box.br().y; ++y) {
        for (int x = box.x; x < box.br().x; ++x) {
            sum += blot.raw.at<std::uint16_t>(y, x) - blot.backgroundMean;
        }
    }
    return sum;
}

SynthParams explicitParams() {
    SynthParams params;
    params.seed = 12;
    params.widthPx = 400;
    params.heightPx = 300;
    params.rows = {{0.2, 1.0}, {0.3, 0.8}, {0.9, 0.5}};
    params.bandVolumes = {{0, 0, 30000}, {50000, 20000, 0}, {100000, 40000, 0}, {0, 0, 0}};
    return params;
}

// --- The generator's overrides the experiment is built on ------------------------------

TEST(SyntheticBlotLayout, ExplicitVolumesAndRowsAreRendered) {
    SynthParams params = explicitParams();
    params.isIdeal = true;
    const auto blot = generateSyntheticBlot(params);
    ASSERT_TRUE(blot.has_value()) << blot.error().describe();
    EXPECT_EQ(blot->lanes.size(), 4U);
    EXPECT_EQ(blot->params.bandRows, 3);
    ASSERT_EQ(blot->bands.size(), 5U); // zero volumes leave their bands out
    double previousRowY = -1.0;
    for (const TrueBand& band : blot->bands) {
        const double asked = params.bandVolumes[static_cast<std::size_t>(band.lane - 1)]
                                               [static_cast<std::size_t>(band.row - 1)];
        // Off only by rounding each pixel to whole counts (the box holds them all).
        EXPECT_NEAR(band.volume, asked, 0.5 * band.box.area()) << "lane " << band.lane;
        EXPECT_EQ(band.saturatedPixels, 0);
        if (band.lane == 2) { // rows top to bottom at their fractions
            EXPECT_GT(band.yCenterPx, previousRowY);
            previousRowY = band.yCenterPx;
        }
    }
    // Row 3 asks for half the drawn sigma: sharper than row 1 even at the extremes of the
    // drawn row sigmas (0.8..1.25) and band jitter (+-5 %).
    const TrueBand& marker = blot->bands[0];
    const TrueBand& broad = blot->bands[1];
    ASSERT_EQ(marker.row, 3);
    ASSERT_EQ(broad.row, 1);
    EXPECT_LT(marker.sigmaYPx, 0.5 * (1.25 / 0.8) * (1.05 / 0.95) * broad.sigmaYPx);
}

TEST(SyntheticBlotLayout, ExplicitVolumesMayClip) {
    SynthParams params = explicitParams();
    params.bandVolumes[2][0] = 5e7; // far beyond what 16 bits hold in one band
    const auto blot = generateSyntheticBlot(params);
    ASSERT_TRUE(blot.has_value());
    int clipped = 0;
    for (const TrueBand& band : blot->bands) {
        clipped += band.saturatedPixels > 0 ? 1 : 0;
        if (band.lane == 3 && band.row == 1) {
            EXPECT_GT(band.saturatedPixels, 0);
            EXPECT_NEAR(band.volume, 5e7, 1e-3 * 5e7); // the truth is before clipping
        }
    }
    EXPECT_GE(clipped, 1);
}

TEST(SyntheticBlotLayout, PlacementMovesTheWholeScene) {
    SynthParams params = explicitParams();
    params.isIdeal = true;
    const auto still = generateSyntheticBlot(params);
    params.placementShiftXPx = 7;
    params.placementShiftYPx = -4;
    const auto moved = generateSyntheticBlot(params);
    ASSERT_TRUE(still && moved);
    // A whole-pixel shift of an ideal image samples the same scene at the same points.
    const cv::Rect inner(10, 10, still->raw.cols - 20, still->raw.rows - 20);
    EXPECT_TRUE(samePixels(still->raw(inner), moved->raw(inner + cv::Point(7, -4))));
    // Lanes are placed at the middle row: a tilted lane met 4 px higher is tan(angle) over.
    const double tilt = std::tan(still->scene.rotationDeg * std::numbers::pi / 180.0);
    for (std::size_t i = 0; i < still->lanes.size(); ++i) {
        EXPECT_NEAR(moved->lanes[i].xCenterPx, still->lanes[i].xCenterPx + 7.0 - 4.0 * tilt, 1e-9);
    }
    params.placementShiftXPx = 0;
    params.placementShiftYPx = 0;
    params.placementRotationDeg = 0.5;
    const auto turned = generateSyntheticBlot(params);
    ASSERT_TRUE(turned.has_value());
    EXPECT_NEAR(turned->scene.rotationDeg, still->scene.rotationDeg + 0.5, 1e-12);
    for (std::size_t i = 0; i < still->bands.size(); ++i) { // same band, other pixels
        EXPECT_NEAR(turned->bands[i].volume, still->bands[i].volume,
                    0.002 * still->bands[i].volume);
    }
}

TEST(SyntheticBlotLayout, ImagingSeedKeepsTheLayoutAndChangesTheImage) {
    SynthParams params = explicitParams();
    const auto first = generateSyntheticBlot(params);
    params.imagingSeed = 99;
    const auto second = generateSyntheticBlot(params);
    ASSERT_TRUE(first && second);
    EXPECT_FALSE(samePixels(first->raw, second->raw));
    ASSERT_EQ(first->lanes.size(), second->lanes.size());
    for (std::size_t i = 0; i < first->lanes.size(); ++i) {
        EXPECT_EQ(first->lanes[i].xCenterPx, second->lanes[i].xCenterPx);
    }
    for (std::size_t i = 0; i < first->bands.size(); ++i) {
        EXPECT_EQ(first->bands[i].box, second->bands[i].box);
    }
}

TEST(SyntheticBlotLayout, BackgroundOverridesAreHonoured) {
    SynthParams params = explicitParams();
    params.backgroundOffset = 5000;
    params.backgroundGradient = 1.0;
    const auto blot = generateSyntheticBlot(params);
    ASSERT_TRUE(blot.has_value());
    EXPECT_EQ(blot->scene.backgroundOffset, 5000.0);
    const cv::Scalar left = cv::mean(blot->raw(cv::Rect(0, 0, 8, blot->raw.rows)));
    const cv::Scalar right =
        cv::mean(blot->raw(cv::Rect(blot->raw.cols - 8, 0, 8, blot->raw.rows)));
    EXPECT_GT(right[0] - left[0], 0.8 * 5000.0);
}

TEST(SyntheticBlotLayout, InconsistentOverridesAreErrors) {
    SynthParams params = explicitParams();
    params.lanes = 5;
    EXPECT_FALSE(generateSyntheticBlot(params).has_value());
    params = explicitParams();
    params.bandVolumes[1].pop_back();
    EXPECT_FALSE(generateSyntheticBlot(params).has_value());
    params = explicitParams();
    params.rows.pop_back();
    EXPECT_FALSE(generateSyntheticBlot(params).has_value());
    params = explicitParams();
    params.bandVolumes[0][0] = -1;
    EXPECT_FALSE(generateSyntheticBlot(params).has_value());
    params = explicitParams();
    params.rows[0].positionFraction = 1.5;
    EXPECT_FALSE(generateSyntheticBlot(params).has_value());
    params = explicitParams();
    params.placementShiftXPx = 150; // over a quarter of 400 px
    EXPECT_FALSE(generateSyntheticBlot(params).has_value());
    params = explicitParams();
    params.placementRotationDeg = 8;
    EXPECT_FALSE(generateSyntheticBlot(params).has_value());
    params = explicitParams();
    params.backgroundGradient = 3;
    EXPECT_FALSE(generateSyntheticBlot(params).has_value());
}

// --- The experiment ---------------------------------------------------------------------

TEST(SampleExperiment, SameSeedGivesIdenticalBytes) {
    const auto again = generateSampleExperiment(kSampleExperimentSeed);
    ASSERT_TRUE(again.has_value());
    const SampleExperiment& first = experiment();
    ASSERT_EQ(again->images.size(), first.images.size());
    for (std::size_t i = 0; i < first.images.size(); ++i) {
        const SampleImage& a = first.images[i];
        const SampleImage& b = again->images[i];
        EXPECT_EQ(a.fileName, b.fileName);
        EXPECT_EQ(encodeTiff16(a.blot.raw, a.description).value_or("a"),
                  encodeTiff16(b.blot.raw, b.description).value_or("b"))
            << a.fileName;
    }
    EXPECT_EQ(sampleExperimentTextFiles(first), sampleExperimentTextFiles(*again));

    const auto other = generateSampleExperiment(kSampleExperimentSeed + 1);
    ASSERT_TRUE(other.has_value());
    EXPECT_FALSE(samePixels(other->images.front().blot.raw, first.images.front().blot.raw));
    EXPECT_NE(other->truth, first.truth);
}

TEST(SampleExperiment, HasTheDesignedImagesAndNames) {
    const SampleExperiment& generated = experiment();
    ASSERT_EQ(generated.images.size(), 27U);
    std::set<std::string> names;
    for (const SampleImage& image : generated.images) {
        names.insert(image.fileName);
        EXPECT_EQ(image.blot.raw.type(), CV_16UC1);
        EXPECT_EQ(image.blot.lanes.size(), 9U) << image.fileName;
        EXPECT_EQ(image.blot.polarity, Polarity::LightBands);
    }
    for (const char* name :
         {"membrane1_p-Akt_Ser473.tif", "membrane1_Akt_total.tif", "membrane1_beta-actin.tif",
          "membrane3_p-mTOR_Ser2448.tif", "membrane2_p-S6K1_Thr389.tif", "membrane2_S6K1_total.tif",
          "membrane3_p-IRS-1_Ser307.tif", "membrane2_IRS-1_total.tif"}) {
        EXPECT_TRUE(names.contains(name)) << name;
    }
    EXPECT_EQ(names.size(), 27U);
}

// In the ideal rendering every band is on a flat whole-count background without noise, so
// the signal in a band's box is its volume; the volumes are those of the shipped rendering.
TEST(SampleExperiment, TruthVolumesEqualTheRenderedBands) {
    const SampleExperiment& ideal = experiment(SampleRendering::Ideal);
    const SampleExperiment& realistic = experiment();
    ASSERT_EQ(ideal.images.size(), realistic.images.size());
    int checked = 0;
    for (std::size_t i = 0; i < ideal.images.size(); ++i) {
        const SyntheticBlot& blot = ideal.images[i].blot;
        const SyntheticBlot& shipped = realistic.images[i].blot;
        ASSERT_EQ(blot.bands.size(), shipped.bands.size());
        double volumes = 0.0;
        bool isClipped = false;
        for (std::size_t b = 0; b < blot.bands.size(); ++b) {
            const TrueBand& band = blot.bands[b];
            EXPECT_EQ(band.volume, shipped.bands[b].volume) << ideal.images[i].fileName;
            volumes += band.volume;
            bool isIsolated = true;
            for (const TrueBand& other : blot.bands) {
                isIsolated = isIsolated && (&other == &band || (other.box & band.box).empty());
            }
            double peakRaw = 0.0;
            cv::minMaxLoc(blot.raw(band.box), nullptr, &peakRaw);
            const bool isBandClipped = peakRaw >= blot.saturationLevel;
            isClipped = isClipped || isBandClipped;
            if (isIsolated && !isBandClipped) {
                EXPECT_NEAR(boxSignal(blot, band.box), band.volume, 1e-9 * band.volume)
                    << ideal.images[i].fileName << " lane " << band.lane << " row " << band.row;
                ++checked;
            }
        }
        if (!isClipped) { // overlapping bands (the S6K1 doublet) add up
            const cv::Rect whole(0, 0, blot.raw.cols, blot.raw.rows);
            EXPECT_NEAR(boxSignal(blot, whole), volumes, 1e-9 * volumes)
                << ideal.images[i].fileName;
        }
    }
    EXPECT_GT(checked, 200);

    // truth.json lists exactly these volumes for the sample lanes.
    int listed = 0;
    for (const auto& band : realistic.truth["bands"]) {
        const auto image = std::ranges::find(realistic.images, band["image"].get<std::string>(),
                                             &SampleImage::fileName);
        ASSERT_NE(image, realistic.images.end());
        bool found = false;
        for (const TrueBand& truth : image->blot.bands) {
            if (truth.lane == band["lane"] && truth.row == band["row"]) {
                EXPECT_EQ(truth.volume, band["volume"].get<double>());
                found = true;
            }
        }
        EXPECT_TRUE(found);
        ++listed;
    }
    // 3 membranes x 8 sample lanes x (4 phospho + 4 total + 2 more for the doublet + actin).
    EXPECT_EQ(listed, 3 * 8 * 11);
}

// Volume = exposure x loading x effect x replicate response x duplicate jitter: the
// loading is shared by every probe of a lane, so only normalisation recovers the effect.
TEST(SampleExperiment, VolumesFollowTheDesign) {
    const SampleExperiment& generated = experiment();
    const nlohmann::json& truth = generated.truth;
    const auto text = [](const nlohmann::json& value) {
        return value.get<std::string>();
    };
    std::map<std::pair<std::string, int>, double> loading;
    for (const auto& membrane : truth["membranes"]) {
        for (const auto& lane : membrane["lanes"]) {
            if (lane["content"] == "sample") {
                loading[{text(membrane["membrane"]), lane["lane"].get<int>()}] =
                    lane["loading"].get<double>();
            }
        }
    }
    std::map<std::string, double> perAmount;
    for (const auto& image : truth["images"]) {
        perAmount[text(image["file"])] = image["volume_per_amount"].get<double>();
    }
    std::map<std::tuple<std::string, std::string, std::string>, double> effect;
    for (const auto& change : truth["true_fold_changes"]) {
        for (const auto& [membrane, value] : change["per_membrane"].items()) {
            effect[{text(change["target"]), text(change["condition"]), membrane}] =
                value.get<double>();
        }
    }
    std::map<std::pair<std::string, std::string>, double> amount; // target, band label
    for (const auto& target : truth["targets"]) {
        for (const auto& band : target["bands"]) {
            amount[{text(target["target"]), text(band["label"])}] = band["amount"].get<double>();
        }
    }
    for (const auto& band : truth["bands"]) {
        const std::string membrane = text(band["membrane"]);
        double expected = perAmount.at(text(band["image"])) *
                          loading.at({membrane, band["lane"].get<int>()}) *
                          amount.at({text(band["target"]), text(band["band"])});
        if (band["measure"] == "phospho" && band["condition"] != "Control") {
            expected *= effect.at({text(band["target"]), text(band["condition"]), membrane});
        }
        const double jitter = band["volume"].get<double>() / expected;
        EXPECT_GT(jitter, 0.879) << band.dump();
        EXPECT_LT(jitter, 1.121) << band.dump();
    }
    // The designed effect is the geometric mean of the replicates' own.
    for (const auto& change : truth["true_fold_changes"]) {
        double logSum = 0.0;
        for (const auto& [membrane, value] : change["per_membrane"].items()) {
            logSum += std::log(value.get<double>());
        }
        EXPECT_NEAR(std::exp(logSum / 3.0), change["designed"].get<double>(), 1e-12);
    }
}

TEST(SampleExperiment, TroubleIsWhereTheTruthSaysItIs) {
    const SampleExperiment& generated = experiment();
    const nlohmann::json& saturated = generated.truth["saturated_bands"];
    ASSERT_EQ(saturated.size(), 1U) << saturated.dump();
    EXPECT_EQ(saturated[0]["image"], "membrane2_p-Akt_Ser473.tif");
    EXPECT_EQ(saturated[0]["lane"], 3);
    int clippedBands = 0;
    for (const SampleImage& image : generated.images) {
        for (const TrueBand& band : image.blot.bands) {
            clippedBands += band.saturatedPixels > 0 ? 1 : 0;
        }
    }
    EXPECT_EQ(clippedBands, 1);
    EXPECT_EQ(generated.truth["weak_lane"]["membrane"], "membrane3");
    EXPECT_EQ(generated.truth["uneven_background"]["image"], "membrane1_p-IRS-1_Ser307.tif");
    // The S6K1 images quantify the lower band of the doublet (p70), row 2.
    for (const SampleImage& image : generated.images) {
        EXPECT_EQ(image.quantifiedRow, image.target == "S6K1" ? 2 : 1) << image.fileName;
    }
}

TEST(SampleExperiment, SheetsParseWithoutErrors) {
    const SampleExperiment& generated = experiment();
    const auto blots = parseCsv(generated.blotsCsv, "blots.csv");
    const auto samples = parseCsv(generated.samplesCsv, "samples.csv");
    ASSERT_TRUE(blots && samples);
    const auto layout = parseLayout(*blots, *samples, LayoutSettings{});
    ASSERT_TRUE(layout.has_value()) << layout.error().front().describe();
    EXPECT_EQ(layout->blots.size(), 27U);
    EXPECT_EQ(layout->samples.size(), 24U); // the ladder lanes are not listed
    EXPECT_EQ(layout->control, "Control");
    EXPECT_EQ(layout->conditions, (std::vector<std::string>{"Control", "Insulin", "L-isoleucine",
                                                            "L-isoleucine + Insulin"}));
    for (const BlotRow& row : layout->blots) {
        EXPECT_EQ(row.band.has_value(), row.target == "S6K1") << row.image;
        EXPECT_EQ(row.band.value_or(2), 2);
    }
    for (const SampleRow& sample : layout->samples) {
        EXPECT_GE(sample.lane, 2);
        EXPECT_LE(sample.lane, 9);
    }
    // The shipped sheets too, as a user's analysis reads them.
    const auto shipped =
        readLayout(kShippedDir / "blots.csv", kShippedDir / "samples.csv", LayoutSettings{});
    ASSERT_TRUE(shipped.has_value()) << shipped.error().front().describe();
    EXPECT_EQ(shipped->blots.size(), 27U);
}

// sample_blots/experiment is what the generator makes; after a deliberate change to the
// generator (or to the analysis behind expected/), regenerate it with
// `densito-cli synth --experiment --out sample_blots/experiment`.
TEST(SampleExperiment, ShippedFilesEqualTheGenerator) {
    const SampleExperiment& generated = experiment();
    std::set<std::string> expectedFiles;
    for (const auto& [name, text] : sampleExperimentTextFiles(generated)) {
        expectedFiles.insert(name);
        EXPECT_EQ(test::readText(kShippedDir / name), text) << name << " differs";
    }
    for (const SampleImage& image : generated.images) {
        expectedFiles.insert(image.fileName);
        const auto loaded = loadImage(kShippedDir / image.fileName);
        ASSERT_TRUE(loaded.has_value()) << loaded.error().describe();
        EXPECT_TRUE(samePixels(loaded->raw, image.blot.raw)) << image.fileName << " differs";
    }
    std::set<std::string> shippedFiles;
    for (const auto& entry : fs::recursive_directory_iterator(kShippedDir)) {
        if (entry.is_regular_file()) {
            shippedFiles.insert(fs::relative(entry.path(), kShippedDir).generic_string());
        }
    }
    EXPECT_EQ(shippedFiles, expectedFiles);
}

} // namespace
