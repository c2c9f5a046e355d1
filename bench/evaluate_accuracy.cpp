// Accuracy of lane/band detection and quantification on the synthetic suite, per profile and
// background method. Prints figures; never a pass/fail test.
//   build/release/bench/densito_evaluate_accuracy [--images N] [--first-seed S]
//       [--profile clean|realistic|hard] [--background METHOD] [--details]
// --details prints, per image, what went wrong: lane count, missed and spurious bands.
#include "core/image/signal.h"
#include "core/measure/background_method.h"
#include "core/pipeline/image_analysis.h"
#include "core/synth/synthetic_blot.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace densito;

struct Figures {
    int images = 0;
    int imagesWithExactLanes = 0;
    std::vector<double> laneCentreErrors;
    int trueBands = 0;
    int foundTrueBands = 0;
    int detectedBands = 0;
    int matchedDetections = 0;
    std::vector<double> relativeErrors;
    int saturatedTrue = 0;
    int saturatedFlagged = 0;
    double seconds = 0;
};

double percentile(std::vector<double> values, double q) {
    if (values.empty()) {
        return std::nan("");
    }
    std::sort(values.begin(), values.end());
    const double position = q * static_cast<double>(values.size() - 1);
    const auto lower = static_cast<std::size_t>(std::floor(position));
    const auto upper = std::min(lower + 1, values.size() - 1);
    return values[lower] +
           (position - static_cast<double>(lower)) * (values[upper] - values[lower]);
}

/// Detected lane matched to each true lane (nearest centre within half the true width), or -1.
std::vector<int> matchLanes(const std::vector<TrueLane>& truth, const std::vector<Lane>& lanes) {
    std::vector<int> match(truth.size(), -1);
    for (std::size_t t = 0; t < truth.size(); ++t) {
        double best = 0.5 * truth[t].widthPx;
        for (std::size_t d = 0; d < lanes.size(); ++d) {
            const double distance = std::abs(lanes[d].xCenterPx - truth[t].xCenterPx);
            if (distance < best) {
                best = distance;
                match[t] = static_cast<int>(d);
            }
        }
    }
    return match;
}

void evaluate(const SyntheticBlot& blot, const BlotAnalysis& analysis, Figures& figures,
              bool printDetails) {
    ++figures.images;
    if (analysis.lanes.size() == blot.lanes.size()) {
        ++figures.imagesWithExactLanes;
    }
    const std::vector<int> laneMatch = matchLanes(blot.lanes, analysis.lanes);
    for (std::size_t t = 0; t < blot.lanes.size(); ++t) {
        if (laneMatch[t] >= 0) {
            figures.laneCentreErrors.push_back(
                std::abs(analysis.lanes[static_cast<std::size_t>(laneMatch[t])].xCenterPx -
                         blot.lanes[t].xCenterPx));
        }
    }
    // A true band is found by the detected band of its lane whose peak lies in its box.
    std::vector<int> bandMatch(blot.bands.size(), -1);
    std::vector<bool> detectionUsed(analysis.bands.size(), false);
    for (std::size_t t = 0; t < blot.bands.size(); ++t) {
        const TrueBand& truth = blot.bands[t];
        const int lane = laneMatch[static_cast<std::size_t>(truth.lane - 1)];
        if (lane < 0) {
            continue;
        }
        const int laneIndex = analysis.lanes[static_cast<std::size_t>(lane)].index;
        double best = 1e9;
        for (std::size_t d = 0; d < analysis.bands.size(); ++d) {
            const Band& band = analysis.bands[d];
            if (band.lane != laneIndex || detectionUsed[d]) {
                continue;
            }
            if (band.peakYPx >= truth.box.y && band.peakYPx < truth.box.y + truth.box.height) {
                const double distance = std::abs(band.peakYPx - truth.yCenterPx);
                if (distance < best) {
                    best = distance;
                    bandMatch[t] = static_cast<int>(d);
                }
            }
        }
        if (bandMatch[t] >= 0) {
            detectionUsed[static_cast<std::size_t>(bandMatch[t])] = true;
        }
    }
    figures.trueBands += static_cast<int>(blot.bands.size());
    figures.detectedBands += static_cast<int>(analysis.bands.size());
    for (std::size_t t = 0; t < blot.bands.size(); ++t) {
        if (bandMatch[t] >= 0) {
            ++figures.foundTrueBands;
            ++figures.matchedDetections;
        } else if (printDetails) {
            const TrueBand& truth = blot.bands[t];
            std::printf("  seed %llu: missed band lane %d row %d y %.1f volume %.4g\n",
                        static_cast<unsigned long long>(blot.params.seed), truth.lane, truth.row,
                        truth.yCenterPx, truth.volume);
        }
        if (blot.bands[t].saturatedPixels > 0) {
            ++figures.saturatedTrue;
            if (bandMatch[t] >= 0 && (analysis.bands[static_cast<std::size_t>(bandMatch[t])].flags &
                                      kBandSaturated) != 0) {
                ++figures.saturatedFlagged;
            }
        }
    }
    if (printDetails) {
        int inferredTrue = 0;
        int inferredEmpty = 0;
        for (std::size_t d = 0; d < analysis.bands.size(); ++d) {
            if (analysis.bands[d].isInferred) {
                ++(detectionUsed[d] ? inferredTrue : inferredEmpty);
            }
        }
        int bentLanes = 0;
        double largestBend = 0;
        for (const Lane& lane : analysis.lanes) {
            bentLanes += lane.bend.empty() ? 0 : 1;
            for (const LaneBendPoint& point : lane.bend) {
                largestBend = std::max(largestBend, std::abs(point.dxPx));
            }
        }
        if (bentLanes > 0) {
            std::printf("  seed %llu: %d lane(s) bent, by up to %.1f px\n",
                        static_cast<unsigned long long>(blot.params.seed), bentLanes, largestBend);
        }
        if (inferredTrue + inferredEmpty > 0) {
            std::printf("  seed %llu: inferred bands: %d on a true band, %d on none\n",
                        static_cast<unsigned long long>(blot.params.seed), inferredTrue,
                        inferredEmpty);
        }
        if (analysis.lanes.size() != blot.lanes.size()) {
            std::printf("  seed %llu: %zu lanes found, %zu true\n",
                        static_cast<unsigned long long>(blot.params.seed), analysis.lanes.size(),
                        blot.lanes.size());
        }
        for (std::size_t d = 0; d < analysis.bands.size(); ++d) {
            if (!detectionUsed[d]) {
                const Band& band = analysis.bands[d];
                std::printf(
                    "  seed %llu: spurious %sband lane %d row %d y %.1f volume %.4g flags %s\n",
                    static_cast<unsigned long long>(blot.params.seed),
                    band.isInferred ? "inferred " : "", band.lane, band.row, band.peakYPx,
                    band.volume, bandFlagsText(band.flags).c_str());
            }
        }
    }
    // Relative quantification within each band row: measured and true volumes normalised to
    // their mean over the row's matched, unsaturated bands.
    std::map<int, std::vector<std::pair<double, double>>> rows;
    for (std::size_t t = 0; t < blot.bands.size(); ++t) {
        if (bandMatch[t] < 0 || blot.bands[t].saturatedPixels > 0) {
            continue;
        }
        rows[blot.bands[t].row].push_back(
            {analysis.bands[static_cast<std::size_t>(bandMatch[t])].volume, blot.bands[t].volume});
    }
    for (const auto& [row, pairs] : rows) {
        if (pairs.size() < 2) {
            continue;
        }
        double measuredMean = 0;
        double trueMean = 0;
        for (const auto& [measured, truth] : pairs) {
            measuredMean += measured;
            trueMean += truth;
        }
        measuredMean /= static_cast<double>(pairs.size());
        trueMean /= static_cast<double>(pairs.size());
        for (const auto& [measured, truth] : pairs) {
            figures.relativeErrors.push_back(
                std::abs((measured / measuredMean) / (truth / trueMean) - 1.0));
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    int images = 20;
    std::uint64_t firstSeed = 1;
    std::string onlyProfile;
    std::string onlyMethod;
    bool printDetails = false;
    for (int i = 1; i < argc; ++i) {
        const std::string option = argv[i];
        if (option == "--details") {
            printDetails = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "%s needs a value\n", option.c_str());
            return 2;
        }
        if (option == "--images") {
            images = std::atoi(argv[i + 1]);
        } else if (option == "--first-seed") {
            firstSeed = std::strtoull(argv[i + 1], nullptr, 10);
        } else if (option == "--profile") {
            onlyProfile = argv[i + 1];
        } else if (option == "--background") {
            onlyMethod = argv[i + 1];
        } else {
            std::fprintf(stderr, "unknown option %s\n", option.c_str());
            return 2;
        }
        ++i;
    }
    std::vector<std::string> methods = {"rolling-ball", "lane-baseline", "border-median", "none"};
    if (!onlyMethod.empty()) {
        if (!parseBackgroundMethod(onlyMethod)) {
            std::fprintf(stderr, "unknown background method %s\n", onlyMethod.c_str());
            return 2;
        }
        methods = {onlyMethod};
    }
    std::printf("%-10s %-14s %6s %9s %9s %9s %8s %9s %8s %8s %8s %8s %7s\n", "profile",
                "background", "images", "lanes ok", "centre50", "centre90", "recall", "precision",
                "rel50", "rel90", "relmax", "satflag", "s/img");
    for (const SynthProfile profile :
         {SynthProfile::Clean, SynthProfile::Realistic, SynthProfile::Hard}) {
        if (!onlyProfile.empty() && onlyProfile != toString(profile)) {
            continue;
        }
        std::vector<SyntheticBlot> blots;
        for (int i = 0; i < images; ++i) {
            SynthParams params;
            params.seed = firstSeed + static_cast<std::uint64_t>(i);
            params.profile = profile;
            auto blot = generateSyntheticBlot(params);
            if (blot) {
                blots.push_back(std::move(*blot));
            }
        }
        for (const std::string& methodText : methods) {
            AnalysisSettings settings;
            settings.background = *parseBackgroundMethod(methodText);
            Figures figures;
            for (const SyntheticBlot& blot : blots) {
                Image image;
                image.raw = blot.raw;
                std::vector<std::string> warnings;
                const SignalModel model = describeSignal(image, PolarityMode::Auto, warnings);
                const cv::Mat signal = bandsPositiveSignal(image.raw, model);
                const auto start = std::chrono::steady_clock::now();
                const BlotAnalysis analysis = analyzeSignal(signal, image, model, settings);
                figures.seconds +=
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                evaluate(blot, analysis, figures, printDetails);
            }
            std::printf(
                "%-10s %-14s %6d %8.1f%% %9.2f %9.2f %8.3f %9.3f %7.2f%% %7.2f%% %7.1f%% %7.2f "
                "%7.3f\n",
                toString(profile), methodText.c_str(), figures.images,
                100.0 * figures.imagesWithExactLanes / std::max(1, figures.images),
                percentile(figures.laneCentreErrors, 0.5),
                percentile(figures.laneCentreErrors, 0.9),
                static_cast<double>(figures.foundTrueBands) / std::max(1, figures.trueBands),
                static_cast<double>(figures.matchedDetections) / std::max(1, figures.detectedBands),
                100.0 * percentile(figures.relativeErrors, 0.5),
                100.0 * percentile(figures.relativeErrors, 0.9),
                100.0 * percentile(figures.relativeErrors, 1.0),
                figures.saturatedTrue > 0
                    ? static_cast<double>(figures.saturatedFlagged) / figures.saturatedTrue
                    : std::nan(""),
                figures.seconds / std::max(1, figures.images));
            std::fflush(stdout);
        }
    }
    return 0;
}
