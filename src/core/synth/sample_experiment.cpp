#include "core/synth/sample_experiment.h"

#include "core/analysis/analysis_csv.h"
#include "core/analysis/csv_table.h"
#include "core/analysis/quantification.h"
#include "core/measure/blot_analysis.h"
#include "core/synth/synth_random.h"
#include "core/synth/synth_truth.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <opencv2/core.hpp>
#include <string_view>

namespace densito {
namespace {

constexpr int kWidthPx = 512;
constexpr int kHeightPx = 320;
constexpr int kMembranes = 3;
constexpr int kLanes = 9; ///< lane 1 the ladder, lanes 2-5 and 6-9 the conditions, twice
constexpr std::size_t kConditionCount = 4;
constexpr std::array<const char*, kConditionCount> kConditions = {
    "Control", "Insulin", "L-isoleucine", "L-isoleucine + Insulin"};
/// The conditions are a 2 x 2: the factor columns of samples.csv (`--factors
/// insulin,isoleucine`) and each condition's levels.
constexpr std::array<const char*, 2> kFactors = {"insulin", "isoleucine"};
constexpr std::array<std::array<const char*, 2>, kConditionCount> kFactorLevels = {
    {{"no", "no"}, {"yes", "no"}, {"no", "yes"}, {"yes", "yes"}}};

/// Marker bands of the ladder lane: all below the smallest target (beta-actin, 42 kDa), so
/// no marker row lies between or above target rows and the S6K1 band numbers hold.
constexpr std::array<double, 3> kMarkerKda = {30.0, 25.0, 20.0};
constexpr std::array<double, 3> kMarkerAmount = {1.0, 0.8, 1.2}; ///< relative
constexpr double kMarkerSigmaScale = 0.55;                       ///< markers run sharper
constexpr double kMarkerShare = 0.35; ///< marker volume / mean sample band of the image

/// The trouble, 0-based membrane indices and 1-based lanes.
constexpr int kOverloadedMembrane = 1; ///< membrane2 ...
constexpr int kOverloadedLane = 3;     ///< ... lane 3 (Insulin, first duplicate)
constexpr double kOverload = 1.6;
constexpr int kWeakMembrane = 2; ///< membrane3 ...
constexpr int kWeakLane = 8;     ///< ... lane 8 (L-isoleucine, second duplicate)
constexpr double kWeakLoad = 0.2;
/// The overloaded lane's band in this image peaks above the clipping level.
constexpr const char* kSaturatedTarget = "Akt";
constexpr double kSaturatedPeak = 1.4;   ///< peak over the room below the clipping level
constexpr double kUnsaturatedPeak = 0.8; ///< the most any other band reaches
constexpr int kUnevenMembrane = 0;
constexpr const char* kUnevenTarget = "IRS-1"; ///< its phospho image
constexpr double kUnevenOffset = 4000.0;       ///< counts
constexpr double kUnevenGradient = 1.0;        ///< rise across the image, of the offset

/// Biological and technical spread, as natural-log standard deviations.
constexpr double kLoadingSigma = 0.1;
constexpr double kReplicateSigma = 0.1;
constexpr double kDuplicateSigma = 0.04;

/// Streams of the experiment's own draws (the images draw from SynthParams seeds).
enum ExperimentStream : std::uint64_t {
    kDesignStream = 0x5E'0000'0001ULL,
    kSceneSeedStream = 0x5E'0000'0002ULL,
};

struct ProteinBand {
    double kda = 0;
    double amount = 1; ///< relative to the other bands of the target
    const char* label = "";
};

struct TargetSpec {
    const char* name = "";         ///< canonical panel name
    const char* phosphoLabel = ""; ///< as written in blots.csv; empty: loading control
    const char* site = "";
    std::vector<ProteinBand> bands; ///< top to bottom
    std::size_t quantified = 0;     ///< which of `bands` blots.csv points to
    /// Band sigma over the drawn one: the S6K1 doublet is sharper, so that its rows stay
    /// close (about 4-6 sigmas apart) yet resolvable.
    double sigmaScale = 1.0;
    /// Designed phospho / total fold change against Control, per condition.
    std::array<double, kConditionCount> effect{1, 1, 1, 1};
};

/// The targets and their designed effects, after the C2C12 insulin / L-isoleucine studies:
/// insulin raises p-Akt Ser473 about 4-fold and p-S6K1 Thr389 about 2-fold; isoleucine raises
/// p-mTOR Ser2448 by about 30 %, p-S6K1 Thr389 (about 3.7-fold with insulin) and p-IRS-1
/// Ser307 (the inhibitory site), and blunts the insulin-stimulated p-Akt Ser473.
const std::vector<TargetSpec>& targets() {
    static const std::vector<TargetSpec> specs = {
        {.name = "mTOR",
         .phosphoLabel = "p-mTOR",
         .site = "Ser2448",
         .bands = {{289, 1.0, "mTOR"}},
         .effect = {1.0, 1.5, 1.3, 1.8}},
        {.name = "S6K1",
         .phosphoLabel = "p-S6K1",
         .site = "Thr389",
         .bands = {{85, 0.35, "p85"}, {70, 1.0, "p70"}},
         .quantified = 1,
         .sigmaScale = 0.75,
         .effect = {1.0, 2.0, 1.6, 3.7}},
        {.name = "IRS-1",
         .phosphoLabel = "p-IRS-1",
         .site = "Ser307",
         .bands = {{180, 1.0, "IRS-1"}},
         .effect = {1.0, 1.4, 1.8, 2.3}},
        {.name = "Akt",
         .phosphoLabel = "p-Akt",
         .site = "Ser473",
         .bands = {{60, 1.0, "Akt"}},
         .effect = {1.0, 4.0, 0.9, 2.5}},
        {.name = "beta-actin", .bands = {{42, 1.0, "beta-actin"}}},
    };
    return specs;
}

/// Gel position (0 top .. 1 bottom) of a protein, log-linear in its mass from 350 kDa at the
/// top of the band region to 18 kDa at its bottom.
double positionOf(double kda) {
    return std::log(350.0 / kda) / std::log(350.0 / 18.0);
}

std::string membraneName(int m) {
    return fmt::format("membrane{}", m + 1);
}

/// 0-based condition of a sample lane (2..9).
std::size_t conditionOfLane(int lane) {
    return static_cast<std::size_t>((lane - 2) % static_cast<int>(kConditionCount));
}

char duplicateOfLane(int lane) {
    return lane < 2 + static_cast<int>(kConditionCount) ? 'a' : 'b';
}

std::uint64_t nonZero(std::uint64_t value) {
    return value == 0 ? 1 : value;
}

/// Everything drawn for one membrane.
struct MembraneDraws {
    std::uint64_t sceneSeed = 1;
    std::array<double, kLanes + 1> loading{}; ///< by 1-based lane; [0] and the ladder unused
    /// Per target and condition: this replicate's response over the designed effect.
    std::vector<std::array<double, kConditionCount>> response;
};

/// One probe of one membrane, before exposure.
struct ImagePlan {
    int membrane = 0;
    std::size_t target = 0;
    Measure measure = Measure::Total;
    std::vector<SynthRow> rows;
    std::vector<double> rowKda;
    std::vector<std::string> rowLabels;
    std::size_t sampleRows = 0; ///< rows 0..sampleRows-1 are the target's, then the markers
    int quantifiedRow = 1;      ///< 1-based
    std::vector<std::vector<double>> amounts; ///< [lane][row], before exposure
    SynthParams params;                       ///< all but bandVolumes and isIdeal
    bool isSaturatedByDesign = false;         ///< the overloaded lane's band clips
    double exposureFraction = 0.5; ///< strongest band's peak over the room, when none clips
    std::string fileName;
};

/// Draws the biological design. One stream, fixed order, so a seed is one experiment.
std::vector<MembraneDraws> drawMembranes(std::uint64_t seed, SynthRandom& design) {
    std::vector<MembraneDraws> membranes(kMembranes);
    for (int m = 0; m < kMembranes; ++m) {
        MembraneDraws& draws = membranes[static_cast<std::size_t>(m)];
        draws.sceneSeed = nonZero(
            splitMix64(seed ^ splitMix64(kSceneSeedStream + static_cast<std::uint64_t>(m))));
        for (int lane = 2; lane <= kLanes; ++lane) {
            double load = std::clamp(std::exp(kLoadingSigma * design.normal()), 0.75, 1.3);
            if (m == kOverloadedMembrane && lane == kOverloadedLane) {
                load *= kOverload;
            }
            if (m == kWeakMembrane && lane == kWeakLane) {
                load *= kWeakLoad;
            }
            draws.loading[static_cast<std::size_t>(lane)] = load;
        }
        for (std::size_t t = 0; t < targets().size(); ++t) {
            std::array<double, kConditionCount> response{1, 1, 1, 1};
            for (std::size_t c = 1; c < kConditionCount; ++c) {
                response[c] = kReplicateSigma * design.normal();
            }
            draws.response.push_back(response);
        }
    }
    // Centred over the replicates, so the designed effect is exactly the geometric mean of
    // the replicates' own effects: the experiment's true fold change.
    for (std::size_t t = 0; t < targets().size(); ++t) {
        for (std::size_t c = 1; c < kConditionCount; ++c) {
            double mean = 0.0;
            for (const MembraneDraws& draws : membranes) {
                mean += draws.response[t][c] / kMembranes;
            }
            for (MembraneDraws& draws : membranes) {
                draws.response[t][c] = std::exp(draws.response[t][c] - mean);
            }
        }
    }
    return membranes;
}

std::string imageFileName(int m, const TargetSpec& target, Measure measure) {
    if (measure == Measure::Phospho) {
        return fmt::format("{}_{}_{}.tif", membraneName(m), target.phosphoLabel, target.site);
    }
    if (measure == Measure::Total) {
        return fmt::format("{}_{}_total.tif", membraneName(m), target.name);
    }
    return fmt::format("{}_{}.tif", membraneName(m), target.name);
}

ImagePlan planImage(int m, std::size_t t, Measure measure, const MembraneDraws& draws,
                    std::uint64_t imageIndex, SynthRandom& design) {
    const TargetSpec& target = targets()[t];
    ImagePlan plan;
    plan.membrane = m;
    plan.target = t;
    plan.measure = measure;
    plan.fileName = imageFileName(m, target, measure);
    for (const ProteinBand& band : target.bands) {
        plan.rows.push_back({positionOf(band.kda), target.sigmaScale});
        plan.rowKda.push_back(band.kda);
        plan.rowLabels.emplace_back(band.label);
    }
    plan.sampleRows = plan.rows.size();
    plan.quantifiedRow = static_cast<int>(target.quantified) + 1;
    for (const double kda : kMarkerKda) {
        plan.rows.push_back({positionOf(kda), kMarkerSigmaScale});
        plan.rowKda.push_back(kda);
        plan.rowLabels.push_back(fmt::format("marker {:g} kDa", kda));
    }

    plan.amounts.assign(kLanes, std::vector<double>(plan.rows.size(), 0.0));
    double sampleSum = 0.0;
    for (int lane = 2; lane <= kLanes; ++lane) {
        const std::size_t c = conditionOfLane(lane);
        const double effect =
            measure == Measure::Phospho ? target.effect[c] * draws.response[t][c] : 1.0;
        for (std::size_t r = 0; r < plan.sampleRows; ++r) {
            const double jitter =
                std::clamp(std::exp(kDuplicateSigma * design.normal()), 0.88, 1.12);
            const double amount = target.bands[r].amount *
                                  draws.loading[static_cast<std::size_t>(lane)] * effect * jitter;
            plan.amounts[static_cast<std::size_t>(lane - 1)][r] = amount;
            if (r == target.quantified) {
                sampleSum += amount;
            }
        }
    }
    const double markerAmount = kMarkerShare * sampleSum / (kLanes - 1);
    for (std::size_t k = 0; k < kMarkerKda.size(); ++k) {
        plan.amounts[0][plan.sampleRows + k] = markerAmount * kMarkerAmount[k];
    }

    plan.exposureFraction = design.uniform(0.4, 0.7);
    plan.isSaturatedByDesign = m == kOverloadedMembrane && measure == Measure::Phospho &&
                               std::string_view(target.name) == kSaturatedTarget;
    SynthParams& params = plan.params;
    params.seed = draws.sceneSeed;
    params.profile = SynthProfile::Realistic;
    params.polarity = Polarity::LightBands;
    params.widthPx = kWidthPx;
    params.heightPx = kHeightPx;
    params.rows = plan.rows;
    params.imagingSeed = nonZero(splitMix64(draws.sceneSeed ^ splitMix64(imageIndex + 1)));
    // Laid on the imager again for every probe: a few pixels and a fraction of a degree.
    const auto signedUniform = [&design](double lo, double hi) {
        const double magnitude = design.uniform(lo, hi);
        return design.chance(0.5) ? magnitude : -magnitude;
    };
    params.placementRotationDeg = signedUniform(0.15, 0.6);
    params.placementShiftXPx = signedUniform(2.0, 10.0);
    params.placementShiftYPx = signedUniform(2.0, 8.0);
    // A moderate background keeps the shot noise, and so the shipped files, modest.
    params.backgroundOffset = design.uniform(400.0, 1200.0);
    if (m == kUnevenMembrane && measure == Measure::Phospho &&
        std::string_view(target.name) == kUnevenTarget) {
        params.backgroundOffset = kUnevenOffset;
        params.backgroundGradient = kUnevenGradient;
    }
    return plan;
}

std::vector<std::vector<double>> scaled(const std::vector<std::vector<double>>& amounts,
                                        double factor) {
    std::vector<std::vector<double>> volumes = amounts;
    for (auto& lane : volumes) {
        for (double& volume : lane) {
            volume *= factor;
        }
    }
    return volumes;
}

/// The largest raw value away from every band: the top of background and noise.
double backgroundTop(const SyntheticBlot& blot) {
    cv::Mat mask(blot.raw.size(), CV_8UC1, cv::Scalar(255));
    for (const TrueBand& band : blot.bands) {
        mask(band.box & cv::Rect(0, 0, blot.raw.cols, blot.raw.rows)).setTo(0);
    }
    double top = 0.0;
    cv::minMaxLoc(blot.raw, nullptr, &top, nullptr, nullptr, mask);
    return top;
}

const TrueBand* findBand(const SyntheticBlot& blot, int lane, int row) {
    for (const TrueBand& band : blot.bands) {
        if (band.lane == lane && band.row == row) {
            return &band;
        }
    }
    return nullptr;
}

/// Renders the plan twice: once to learn each band's peak per volume and the room below the
/// clipping level, then with the exposure a careful user would pick (the strongest band well
/// below clipping), or, for the designed saturated band, an exposure that clips only it.
std::expected<std::pair<SyntheticBlot, double>, Error> renderImage(const ImagePlan& plan,
                                                                   SampleRendering rendering) {
    double largest = 0.0;
    for (const auto& lane : plan.amounts) {
        largest = std::max(largest, *std::max_element(lane.begin(), lane.end()));
    }
    // Any volumes large enough for whole-count rounding not to matter tell the peak per volume.
    const double probeScale = 2e5 / largest;
    SynthParams params = plan.params;
    params.bandVolumes = scaled(plan.amounts, probeScale);
    const auto probe = generateSyntheticBlot(params);
    if (!probe) {
        return std::unexpected(Error{plan.fileName, probe.error().describe()});
    }
    const double room = probe->saturationLevel - backgroundTop(*probe);
    double strongest = 0.0;
    double designed = 0.0;
    for (const TrueBand& band : probe->bands) {
        // The peak this band reaches at exposure 1 (volume = amount).
        const double peakPerAmount = band.peak / band.volume *
                                     plan.amounts[static_cast<std::size_t>(band.lane - 1)]
                                                 [static_cast<std::size_t>(band.row - 1)];
        if (plan.isSaturatedByDesign && band.lane == kOverloadedLane &&
            band.row == plan.quantifiedRow) {
            designed = peakPerAmount;
        } else {
            strongest = std::max(strongest, peakPerAmount);
        }
    }
    double exposure = plan.exposureFraction * room / strongest;
    if (designed > 0.0) {
        exposure = std::min(kSaturatedPeak * room / designed, kUnsaturatedPeak * room / strongest);
    }
    params.bandVolumes = scaled(plan.amounts, exposure);
    params.isIdeal = rendering == SampleRendering::Ideal;
    auto blot = generateSyntheticBlot(params);
    if (!blot) {
        return std::unexpected(Error{plan.fileName, blot.error().describe()});
    }
    return std::pair{std::move(*blot), exposure};
}

std::string blotsCsv(const std::vector<SampleImage>& images) {
    std::string text = "image,membrane,target,measure,site,band\n";
    for (const SampleImage& image : images) {
        const TargetSpec* spec = nullptr;
        for (const TargetSpec& target : targets()) {
            spec = target.name == image.target ? &target : spec;
        }
        const std::string target =
            image.measure == Measure::Phospho ? spec->phosphoLabel : image.target;
        // Only the doublet needs its row named; elsewhere the strongest row is the target.
        const std::string band =
            spec->bands.size() > 1 ? std::to_string(image.quantifiedRow) : "auto";
        text += fmt::format("{},{},{},{},{},{}\n", image.fileName, image.membrane, target,
                            measureName(image.measure), image.site, band);
    }
    return text;
}

std::string sampleName(int m, int lane) {
    return fmt::format("R{} {}", m + 1, kConditions[conditionOfLane(lane)]);
}

std::string samplesCsv() {
    std::string text =
        fmt::format("membrane,lane,sample,condition,replicate,{},{}\n", kFactors[0], kFactors[1]);
    for (int m = 0; m < kMembranes; ++m) {
        for (int lane = 2; lane <= kLanes; ++lane) {
            const std::size_t c = conditionOfLane(lane);
            text +=
                fmt::format("{},{},{},{},{},{},{}\n", membraneName(m), lane, sampleName(m, lane),
                            kConditions[c], m + 1, kFactorLevels[c][0], kFactorLevels[c][1]);
        }
    }
    return text;
}

/// The analysis of the true volumes of the quantified rows.
std::expected<Quantification, Error> quantifyTruth(const SampleExperiment& experiment) {
    const auto blotsTable = parseCsv(experiment.blotsCsv, "blots.csv");
    const auto samplesTable = parseCsv(experiment.samplesCsv, "samples.csv");
    if (!blotsTable || !samplesTable) {
        return std::unexpected(!blotsTable ? blotsTable.error() : samplesTable.error());
    }
    LayoutSettings settings;
    settings.factors = {kFactors[0], kFactors[1]};
    const auto layout = parseLayout(*blotsTable, *samplesTable, settings);
    if (!layout) {
        return std::unexpected(layout.error().front());
    }
    std::vector<MeasuredBand> bands;
    for (const BlotRow& row : layout->blots) {
        const auto image = std::ranges::find(experiment.images, row.image, &SampleImage::fileName);
        if (image == experiment.images.end()) {
            return std::unexpected(Error{"blots.csv", row.image + " is not generated"});
        }
        for (const SampleRow& sample : layout->samples) {
            if (sample.membrane != row.membrane) {
                continue;
            }
            const TrueBand* truth = findBand(image->blot, sample.lane, image->quantifiedRow);
            if (truth == nullptr) {
                continue;
            }
            MeasuredBand band;
            band.membrane = row.membrane;
            band.lane = sample.lane;
            band.target = row.target;
            band.site = row.site;
            band.measure = row.measure;
            band.volume = truth->volume;
            band.flags = truth->saturatedPixels > 0 ? kBandSaturated : 0u;
            band.image = row.image;
            band.bandRow = image->quantifiedRow;
            bands.push_back(std::move(band));
        }
    }
    return quantify(*layout, bands, QuantificationSettings{});
}

nlohmann::json truthJson(const SampleExperiment& experiment,
                         const std::vector<MembraneDraws>& membranes,
                         const std::vector<ImagePlan>& plans,
                         const std::vector<double>& exposures) {
    nlohmann::json json;
    json["format"] = kSampleExperimentTruthFormat;
    json["version"] = kSampleExperimentTruthVersion;
    json["seed"] = experiment.seed;
    json["description"] =
        "Synthetic C2C12 myotube experiment: insulin and L-isoleucine signalling; three "
        "membranes (biological replicates), lane 1 a marker ladder, lanes 2-9 the four "
        "conditions twice (technical duplicates)";
    json["conditions"] = kConditions;
    json["control"] = kConditions[0];
    json["polarity"] = "light-bands";

    nlohmann::json targetList = nlohmann::json::array();
    nlohmann::json foldChanges = nlohmann::json::array();
    for (std::size_t t = 0; t < targets().size(); ++t) {
        const TargetSpec& target = targets()[t];
        nlohmann::json bands = nlohmann::json::array();
        for (const ProteinBand& band : target.bands) {
            bands.push_back({{"label", band.label}, {"kda", band.kda}, {"amount", band.amount}});
        }
        targetList.push_back({{"target", target.name},
                              {"phospho_label", target.phosphoLabel},
                              {"site", target.site},
                              {"bands", bands},
                              {"quantified_band", target.bands[target.quantified].label}});
        if (std::string_view(target.phosphoLabel).empty()) {
            continue;
        }
        for (std::size_t c = 0; c < kConditionCount; ++c) {
            nlohmann::json perMembrane = nlohmann::json::object();
            for (int m = 0; m < kMembranes; ++m) {
                perMembrane[membraneName(m)] =
                    target.effect[c] * membranes[static_cast<std::size_t>(m)].response[t][c];
            }
            foldChanges.push_back({{"target", target.name},
                                   {"site", target.site},
                                   {"condition", kConditions[c]},
                                   {"designed", target.effect[c]},
                                   {"per_membrane", perMembrane}});
        }
    }
    json["targets"] = targetList;
    json["true_fold_changes"] = foldChanges;

    nlohmann::json membraneList = nlohmann::json::array();
    for (int m = 0; m < kMembranes; ++m) {
        nlohmann::json lanes = nlohmann::json::array();
        lanes.push_back({{"lane", 1}, {"content", "ladder"}, {"markers_kda", kMarkerKda}});
        for (int lane = 2; lane <= kLanes; ++lane) {
            lanes.push_back(
                {{"lane", lane},
                 {"content", "sample"},
                 {"sample", sampleName(m, lane)},
                 {"condition", kConditions[conditionOfLane(lane)]},
                 {"duplicate", std::string(1, duplicateOfLane(lane))},
                 {"loading",
                  membranes[static_cast<std::size_t>(m)].loading[static_cast<std::size_t>(lane)]}});
        }
        membraneList.push_back(
            {{"membrane", membraneName(m)}, {"replicate", m + 1}, {"lanes", lanes}});
    }
    json["membranes"] = membraneList;

    nlohmann::json bands = nlohmann::json::array();
    nlohmann::json saturated = nlohmann::json::array();
    nlohmann::json images = nlohmann::json::array();
    for (std::size_t i = 0; i < experiment.images.size(); ++i) {
        const SampleImage& image = experiment.images[i];
        const ImagePlan& plan = plans[i];
        nlohmann::json rows = nlohmann::json::array();
        for (std::size_t r = 0; r < plan.rows.size(); ++r) {
            rows.push_back({{"row", r + 1},
                            {"content", plan.rowLabels[r]},
                            {"kda", plan.rowKda[r]},
                            {"is_marker", r >= plan.sampleRows}});
        }
        images.push_back({{"file", image.fileName},
                          {"membrane", image.membrane},
                          {"target", image.target},
                          {"measure", measureName(image.measure)},
                          {"site", image.site},
                          {"quantified_row", image.quantifiedRow},
                          {"rows", rows},
                          {"volume_per_amount", exposures[i]},
                          {"placement",
                           {{"rotation_deg", plan.params.placementRotationDeg},
                            {"shift_x", plan.params.placementShiftXPx},
                            {"shift_y", plan.params.placementShiftYPx}}},
                          {"truth", toTruthJson(image.blot)}});
        for (const TrueBand& band : image.blot.bands) {
            const auto r = static_cast<std::size_t>(band.row - 1);
            if (band.saturatedPixels > 0) {
                saturated.push_back({{"image", image.fileName},
                                     {"membrane", image.membrane},
                                     {"lane", band.lane},
                                     {"row", band.row},
                                     {"saturated_pixels", band.saturatedPixels}});
            }
            if (band.lane == 1 || r >= plan.sampleRows) {
                continue;
            }
            bands.push_back({{"membrane", image.membrane},
                             {"lane", band.lane},
                             {"condition", kConditions[conditionOfLane(band.lane)]},
                             {"target", image.target},
                             {"measure", measureName(image.measure)},
                             {"site", image.site},
                             {"band", plan.rowLabels[r]},
                             {"is_quantified", band.row == image.quantifiedRow},
                             {"image", image.fileName},
                             {"row", band.row},
                             {"volume", band.volume},
                             {"peak", band.peak},
                             {"saturated_pixels", band.saturatedPixels}});
        }
    }
    json["bands"] = bands;
    json["saturated_bands"] = saturated;
    json["weak_lane"] = {
        {"membrane", membraneName(kWeakMembrane)}, {"lane", kWeakLane}, {"load_factor", kWeakLoad}};
    json["overloaded_lane"] = {{"membrane", membraneName(kOverloadedMembrane)},
                               {"lane", kOverloadedLane},
                               {"load_factor", kOverload}};
    json["uneven_background"] = {
        {"image", imageFileName(kUnevenMembrane, targets()[2], Measure::Phospho)},
        {"offset", kUnevenOffset},
        {"gradient", kUnevenGradient}};
    json["images"] = images;
    return json;
}

/// The designed interaction of a target: the insulin fold change with L-isoleucine over the
/// one without, (both / L-isoleucine) / insulin.
double designedInteraction(const nlohmann::json& truth, const std::string& target) {
    std::array<double, kConditionCount> designed{};
    for (const auto& change : truth["true_fold_changes"]) {
        for (std::size_t c = 0; c < kConditionCount; ++c) {
            if (change["target"] == target && change["condition"] == kConditions[c]) {
                designed[c] = change["designed"].get<double>();
            }
        }
    }
    return designed[3] / designed[2] / (designed[1] / designed[0]);
}

std::string readme(const SampleExperiment& experiment, const Quantification& expected) {
    const nlohmann::json& truth = experiment.truth;
    std::string text;
    text += "# Sample experiment: insulin and L-isoleucine in C2C12 myotubes\n\n";
    text += fmt::format(
        "A complete synthetic Western blot experiment with its exact truth, generated by\n"
        "`densito-cli synth --experiment --out sample_blots/experiment --seed {}`. Do not edit "
        "the\nfiles by hand: a test checks that they equal what the generator produces.\n\n",
        experiment.seed);
    text += "## Design\n\n"
            "Conditions: Control, Insulin, L-isoleucine, L-isoleucine + Insulin. Three "
            "membranes\n(`membrane1`..`membrane3`) are three biological replicates; each "
            "carries\n\n"
            "| Lane | Content |\n| --- | --- |\n"
            "| 1 | marker ladder (chemiluminescent bands at 30, 25 and 20 kDa); not in "
            "samples.csv |\n";
    for (int lane = 2; lane <= kLanes; ++lane) {
        text += fmt::format("| {} | {}, duplicate {} |\n", lane, kConditions[conditionOfLane(lane)],
                            duplicateOfLane(lane));
    }
    text += "\nBand volume = exposure of the image x loading of the lane (the same for every "
            "probe\nof the lane) x the condition's effect (phospho images only; each replicate "
            "responds\na little differently) x a small per-band duplicate jitter. Total protein "
            "and\nbeta-actin do not change with treatment, so phospho / total of a lane is the "
            "phospho\neffect; unequal loading makes the normalisation necessary.\n\n";

    text += "## True fold changes (phospho / total, relative to Control)\n\n"
            "Designed: the effect the generator applies; it is exactly the geometric mean of "
            "the\nthree replicates' own effects (membrane1..3), which vary as biological "
            "replicates do.\nFrom true volumes: `expected/summary.csv`, the analysis of the "
            "true band volumes\n(technical-duplicate jitter included, the saturated band "
            "excluded): what a perfect\nmeasurement gives.\n\n"
            "| Target | Site | Condition | Designed | membrane1 | membrane2 | membrane3 | From "
            "true volumes |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n";
    for (const auto& change : truth["true_fold_changes"]) {
        if (change["condition"] == kConditions[0]) {
            continue;
        }
        const auto& per = change["per_membrane"];
        std::string fromVolumes = "-";
        for (const ConditionSummary& row : expected.summary) {
            if (row.target == change["target"].get<std::string>() &&
                row.condition == change["condition"].get<std::string>() && row.foldChange) {
                fromVolumes = fmt::format("{:.2f}", *row.foldChange);
            }
        }
        text +=
            fmt::format("| {} | {} | {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {} |\n",
                        change["target"].get<std::string>(), change["site"].get<std::string>(),
                        change["condition"].get<std::string>(), change["designed"].get<double>(),
                        per["membrane1"].get<double>(), per["membrane2"].get<double>(),
                        per["membrane3"].get<double>(), fromVolumes);
    }
    text += "\nControl is 1 by definition.\n\n";

    text += fmt::format(
        "## True interaction (insulin x L-isoleucine)\n\n"
        "The conditions are a 2 x 2 (columns `{0}` and `{1}` of samples.csv, yes/no). The\n"
        "interaction is the fold change of insulin with L-isoleucine present over insulin's "
        "fold\nchange without it: (L-isoleucine + Insulin / L-isoleucine) / (Insulin / "
        "Control); 1 when\nL-isoleucine does not change the insulin response, below 1 when it "
        "blunts it. Designed:\nfrom the designed fold changes above; from true volumes: "
        "`expected/contrasts.csv`\n(`--factors {0},{1}`).\n\n"
        "| Target | Site | Designed | From true volumes |\n| --- | --- | ---: | ---: |\n",
        kFactors[0], kFactors[1]);
    for (const TargetSpec& target : targets()) {
        if (std::string_view(target.phosphoLabel).empty()) {
            continue;
        }
        std::string fromVolumes = "-";
        for (const ContrastSummary& row : expected.contrasts) {
            if (row.target == target.name && row.contrast.starts_with("interaction") &&
                row.foldChange) {
                fromVolumes = fmt::format("{:.3f}", *row.foldChange);
            }
        }
        text += fmt::format("| {} | {} | {:.3f} | {} |\n", target.name, target.site,
                            designedInteraction(truth, target.name), fromVolumes);
    }
    text += "\n";

    text += fmt::format("## Images\n\n16-bit TIFF (Deflate), {}x{} px, light bands on a dark "
                        "background\n(chemiluminescence, raw counts). Each membrane was "
                        "probed, stripped and re-probed,\nand laid on the imager again for "
                        "every probe: its images are shifted by a few\npixels and rotated by a "
                        "fraction of a degree against each other. `N` is 1, 2 or 3.\n\n"
                        "| File | Probe | Bands (kDa) | blots.csv band |\n"
                        "| --- | --- | --- | --- |\n",
                        kWidthPx, kHeightPx);
    for (const TargetSpec& target : targets()) {
        std::string kda;
        for (const ProteinBand& band : target.bands) {
            kda += (kda.empty() ? "" : ", ") + fmt::format("{:g} ({})", band.kda, band.label);
        }
        const std::string band = target.bands.size() > 1
                                     ? fmt::format("{} ({})", target.quantified + 1,
                                                   target.bands[target.quantified].label)
                                     : std::string("auto");
        if (!std::string_view(target.phosphoLabel).empty()) {
            text +=
                fmt::format("| `membraneN_{}_{}.tif` | phospho-{} {} | {} | {} |\n",
                            target.phosphoLabel, target.site, target.name, target.site, kda, band);
            text += fmt::format("| `membraneN_{}_total.tif` | total {} | {} | {} |\n", target.name,
                                target.name, kda, band);
        } else {
            text += fmt::format("| `membraneN_{}.tif` | {} (loading control) | {} | {} |\n",
                                target.name, target.name, kda, band);
        }
    }
    text += "\nThe ladder's marker bands lie below every target, so band rows are numbered "
            "from the\ntop over target bands first: in the S6K1 images row 1 is p85 and row 2 "
            "is p70, the\nband quantified.\n\n";

    const auto& weak = truth["weak_lane"];
    const auto& over = truth["overloaded_lane"];
    const auto& uneven = truth["uneven_background"];
    text += "## Trouble, on purpose\n\n";
    for (const auto& band : truth["saturated_bands"]) {
        text += fmt::format("- Saturated band: `{}`, lane {}:\n  {} pixels at the clipping "
                            "level. Its true volume is larger than any\n  measurement can "
                            "show, so the analysis should flag and exclude it.\n",
                            band["image"].get<std::string>(), band["lane"].get<int>(),
                            band["saturated_pixels"].get<int>());
    }
    text += fmt::format("- Overloaded lane: {} lane {} holds {:g} times the usual protein "
                        "(every probe).\n",
                        over["membrane"].get<std::string>(), over["lane"].get<int>(),
                        over["load_factor"].get<double>());
    text += fmt::format("- Weak lane: {} lane {} holds {:g} of the usual protein (every "
                        "probe).\n",
                        weak["membrane"].get<std::string>(), weak["lane"].get<int>(),
                        weak["load_factor"].get<double>());
    text += fmt::format("- Uneven background: `{}`:\n  about {:g} counts, rising by {:g} % "
                        "from left to right. The other images have\n  the milder gradients, "
                        "blotches and lane smears of real imagers.\n\n",
                        uneven["image"].get<std::string>(), uneven["offset"].get<double>(),
                        100.0 * uneven["gradient"].get<double>());

    text += "## Files\n\n"
            "- `blots.csv`, `samples.csv`: the layout sheets (see ARCHITECTURE.md, \"Layout "
            "sheets\").\n"
            "- `truth.json`: `true_fold_changes` (designed and per membrane); "
            "`membranes`\n  (lane contents and loading factors); `bands` (every sample band: "
            "membrane, lane,\n  target, measure, image, band row, true volume in signal counts, "
            "peak, saturated\n  pixels); `saturated_bands`, `weak_lane`, `overloaded_lane`, "
            "`uneven_background`;\n  `images` (band rows, exposure, placement and the full "
            "synthetic truth of each image:\n  lane and band geometry, as `densito-cli synth` "
            "writes it).\n"
            "- `expected/quantification.csv`, `expected/summary.csv`, "
            "`expected/contrasts.csv`: the\n  analysis computed from the true volumes (the "
            "saturated band flagged): what a perfect\n  measurement gives.\n\n"
            "## Analyse\n\n"
            "```\n"
            "densito-cli analyze sample_blots/experiment --out results/experiment \\\n"
            "    --blots sample_blots/experiment/blots.csv \\\n"
            "    --samples sample_blots/experiment/samples.csv --factors insulin,isoleucine\n"
            "```\n";
    return text;
}

} // namespace

std::expected<SampleExperiment, Error> generateSampleExperiment(std::uint64_t seed,
                                                                SampleRendering rendering) {
    SampleExperiment experiment;
    experiment.seed = seed;
    SynthRandom design(seed, kDesignStream);
    const std::vector<MembraneDraws> membranes = drawMembranes(seed, design);

    std::vector<ImagePlan> plans;
    for (int m = 0; m < kMembranes; ++m) {
        const MembraneDraws& draws = membranes[static_cast<std::size_t>(m)];
        for (std::size_t t = 0; t < targets().size(); ++t) {
            const bool isLoading = std::string_view(targets()[t].phosphoLabel).empty();
            for (const Measure measure :
                 isLoading ? std::vector<Measure>{Measure::Loading}
                           : std::vector<Measure>{Measure::Phospho, Measure::Total}) {
                plans.push_back(planImage(m, t, measure, draws, plans.size(), design));
            }
        }
    }

    std::vector<double> exposures;
    for (const ImagePlan& plan : plans) {
        auto rendered = renderImage(plan, rendering);
        if (!rendered) {
            return std::unexpected(rendered.error());
        }
        const TargetSpec& target = targets()[plan.target];
        SampleImage image;
        image.fileName = plan.fileName;
        image.membrane = membraneName(plan.membrane);
        image.target = target.name;
        image.measure = plan.measure;
        image.site = plan.measure == Measure::Phospho ? target.site : "";
        image.quantifiedRow = plan.quantifiedRow;
        image.description = fmt::format(
            "Densito sample experiment, seed {}: {} (biological replicate {}), {} {}{}; lane 1 "
            "ladder, lanes 2-9 in samples.csv; truth in truth.json",
            seed, image.membrane, plan.membrane + 1,
            plan.measure == Measure::Phospho ? target.phosphoLabel : target.name,
            measureName(plan.measure), image.site.empty() ? "" : " " + image.site);
        image.blot = std::move(rendered->first);
        exposures.push_back(rendered->second);
        experiment.images.push_back(std::move(image));
    }
    experiment.blotsCsv = blotsCsv(experiment.images);
    experiment.samplesCsv = samplesCsv();
    experiment.truth = truthJson(experiment, membranes, plans, exposures);
    const auto expected = quantifyTruth(experiment);
    if (!expected) {
        return std::unexpected(expected.error());
    }
    experiment.expectedQuantificationCsv = quantificationCsv(expected->lanes);
    experiment.expectedSummaryCsv = summaryCsv(expected->summary, expected->normalizerChecks);
    experiment.expectedContrastsCsv = contrastsCsv(expected->contrasts);
    experiment.readme = readme(experiment, *expected);
    return experiment;
}

std::vector<std::pair<std::string, std::string>>
sampleExperimentTextFiles(const SampleExperiment& experiment) {
    return {{"blots.csv", experiment.blotsCsv},
            {"samples.csv", experiment.samplesCsv},
            {"truth.json", experiment.truth.dump(1) + "\n"},
            {"README.md", experiment.readme},
            {"expected/quantification.csv", experiment.expectedQuantificationCsv},
            {"expected/summary.csv", experiment.expectedSummaryCsv},
            {"expected/contrasts.csv", experiment.expectedContrastsCsv}};
}

} // namespace densito
