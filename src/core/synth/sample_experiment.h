#pragma once

#include "core/analysis/layout_sheets.h"
#include "core/error.h"
#include "core/synth/synthetic_blot.h"

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace densito {

/// The seed of the experiment shipped in sample_blots/experiment/.
inline constexpr std::uint64_t kSampleExperimentSeed = 1;

/// Format tag and version of the experiment's truth.json.
inline constexpr const char* kSampleExperimentTruthFormat = "densito-sample-experiment-truth";
inline constexpr int kSampleExperimentTruthVersion = 1;

/// How the experiment's images are rendered.
enum class SampleRendering {
    Realistic, ///< the shipped images: noise, uneven background, smears, clipping
    /// Same layout and band volumes, but SynthParams::isIdeal (flat background, no noise),
    /// so the truth volumes can be checked against the pixels. Bands may still clip.
    Ideal
};

/// One image of the experiment: one probe of one membrane.
struct SampleImage {
    std::string fileName; ///< e.g. "membrane1_p-Akt_Ser473.tif"
    std::string membrane; ///< as in blots.csv, e.g. "membrane1"
    std::string target;   ///< canonical panel name, e.g. "Akt", "beta-actin"
    Measure measure = Measure::Total;
    std::string site;        ///< phospho site, e.g. "Ser473"; empty otherwise
    int quantifiedRow = 1;   ///< band row (1-based from the top) that blots.csv points to
    std::string description; ///< one line for the TIFF ImageDescription tag
    SyntheticBlot blot;      ///< raw CV_16UC1 light-band image and its exact truth
};

/// A complete synthetic Western blot experiment with its layout sheets and truth.
struct SampleExperiment {
    std::uint64_t seed = kSampleExperimentSeed;
    std::vector<SampleImage> images; ///< membrane by membrane, in blots.csv order
    std::string blotsCsv;            ///< image,membrane,target,measure,site,band
    /// membrane,lane,sample,condition,replicate,insulin,isoleucine: the conditions are a
    /// 2 x 2 of the last two columns (yes/no), for `--factors insulin,isoleucine`.
    std::string samplesCsv;
    /// Volumes of every sample band, designed and per-replicate fold changes, the trouble
    /// (saturated band, weak and overloaded lanes, uneven background) and each image's
    /// synthetic truth (core/synth/synth_truth.h); README.md describes the fields.
    nlohmann::json truth;
    /// quantification.csv, summary.csv and contrasts.csv (with `--factors
    /// insulin,isoleucine`) as the analysis computes them from the true volumes (the
    /// saturated band flagged, as a measurement would flag it): what a perfect measurement
    /// gives.
    std::string expectedQuantificationCsv;
    std::string expectedSummaryCsv;
    std::string expectedContrastsCsv;
    std::string readme; ///< README.md of the experiment folder
};

/// Generates the sample experiment of issue 4, modelled on studies of insulin and
/// L-isoleucine signalling in C2C12 myotubes: conditions Control, Insulin, L-isoleucine and
/// L-isoleucine + Insulin; three membranes (biological replicates), each with a marker
/// ladder in lane 1 and every condition twice (technical duplicates) in lanes 2-9; for each
/// of mTOR, S6K1 (p85/p70 doublet), IRS-1 and Akt a phospho and a total image (strip and
/// re-probe: each image is the membrane placed on the imager again, slightly shifted and
/// rotated), plus a beta-actin image.
/// Band volume = exposure (per image) x loading (per lane, shared by all probes of the lane)
/// x condition effect (phospho only, varied per biological replicate) x duplicate jitter
/// (per band). Total protein and beta-actin do not change with treatment, so
/// phospho / total of a lane is the phospho effect; the loading differences make
/// normalisation necessary. Trouble: one saturated band (an overloaded lane's p-Akt), one
/// weak lane and one image with a strongly uneven background.
/// Deterministic for the seed and rendering; about 27 images of 640x400 px in a few seconds.
std::expected<SampleExperiment, Error>
generateSampleExperiment(std::uint64_t seed = kSampleExperimentSeed,
                         SampleRendering rendering = SampleRendering::Realistic);

/// The experiment's text files by path relative to its folder: blots.csv, samples.csv,
/// truth.json, README.md, expected/quantification.csv, expected/summary.csv,
/// expected/contrasts.csv.
std::vector<std::pair<std::string, std::string>>
sampleExperimentTextFiles(const SampleExperiment& experiment);

} // namespace densito
