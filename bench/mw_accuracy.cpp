// Molecular-weight accuracy on synthetic ladder blots (generateLadderBlot: PageRuler Plus
// ladders, three sample rows at random kDa, log-linear or bent migration, the realistic
// profile's smile and rotation). Per seed the blot is analysed like any image, calibrated from
// its ladder lanes, and every detected sample band is read and compared with its row's kDa.
// Prints figures; never a pass/fail test (tests/core/mw_calibration_test.cpp asserts 5%).
//   build/rel/bench/densito_mw_accuracy [--seeds N] [--first-seed S]
#include "core/analysis/mw_calibration.h"
#include "core/image/signal.h"
#include "core/pipeline/image_analysis.h"
#include "core/synth/ladder_blot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace densito;

struct Figures {
    std::vector<double> relativeErrors;
    int sampleBands = 0;
    int found = 0; ///< detected (a band of the lane within two sigmas of the truth)
    int read = 0;  ///< of those, given a mass
    int laddersUsed = 0;
    int laddersDrawn = 0;
    int unsureLadders = 0;
};

void runSeed(std::uint64_t seed, bool hasTwoLadders, Figures& figures) {
    LadderBlotParams params;
    params.seed = seed;
    params.hasTwoLadders = hasTwoLadders;
    const auto ladderBlot = generateLadderBlot(params);
    if (!ladderBlot) {
        std::fprintf(stderr, "seed %llu: %s\n", static_cast<unsigned long long>(seed),
                     ladderBlot.error().describe().c_str());
        return;
    }
    const SyntheticBlot& blot = ladderBlot->blot;
    Image image;
    image.raw = blot.raw;
    std::vector<std::string> warnings;
    const SignalModel model = describeSignal(image, PolarityMode::LightBands, warnings);
    AnalysisSettings settings;
    settings.expectedLanes = params.lanes;
    const BlotAnalysis analysis =
        analyzeSignal(bandsPositiveSignal(blot.raw, model), image, model, settings);
    const std::vector<std::vector<double>> ladderKda(ladderBlot->ladderLanes.size(),
                                                     params.markerKda);
    const StripCalibration calibration =
        calibrateStrip("synthetic.tif", analysis, 1, ladderBlot->ladderLanes, ladderKda);
    figures.laddersDrawn += static_cast<int>(ladderBlot->ladderLanes.size());
    figures.laddersUsed += static_cast<int>(calibration.ladders.size());
    for (const LadderCalibration& ladder : calibration.ladders) {
        figures.unsureLadders += ladder.isUnsure ? 1 : 0;
    }
    for (const TrueBand& truth : blot.bands) {
        if (std::ranges::find(ladderBlot->ladderLanes, truth.lane) !=
                ladderBlot->ladderLanes.end() ||
            truth.volume <= 0.0) {
            continue;
        }
        ++figures.sampleBands;
        const Band* found = nullptr;
        for (const Band& band : analysis.bands) {
            const double offset = std::abs(band.peakYPx - truth.yCenterPx);
            if (band.lane == truth.lane && offset < 2.0 * truth.sigmaYPx + 2.0 &&
                (found == nullptr || offset < std::abs(found->peakYPx - truth.yCenterPx))) {
                found = &band;
            }
        }
        if (found == nullptr) {
            continue;
        }
        ++figures.found;
        if (const auto mass = calibration.kdaAt(bandXPx(*found), bandYPx(*found))) {
            ++figures.read;
            const double kda = ladderBlot->rowKda[static_cast<std::size_t>(truth.row - 1)];
            figures.relativeErrors.push_back(std::abs(*mass / kda - 1.0));
        }
    }
}

double quantile(std::vector<double> values, double q) {
    std::ranges::sort(values);
    return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
}

} // namespace

int main(int argc, char** argv) {
    int seeds = 200;
    std::uint64_t firstSeed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--seeds") {
            seeds = std::atoi(argv[i + 1]);
        } else if (flag == "--first-seed") {
            firstSeed = std::strtoull(argv[i + 1], nullptr, 10);
        }
    }
    std::printf("%-8s %6s %17s %8s %8s %8s %6s %8s\n", "ladders", "seeds", "found/read/bands",
                "median", "p95", "worst", ">5%", "unsure");
    for (const bool hasTwoLadders : {false, true}) {
        Figures figures;
        for (int s = 0; s < seeds; ++s) {
            runSeed(firstSeed + static_cast<std::uint64_t>(s), hasTwoLadders, figures);
        }
        const long over =
            std::ranges::count_if(figures.relativeErrors, [](double e) { return e >= 0.05; });
        std::printf("%-8s %6d %5d/%5d/%-5d %7.2f%% %7.2f%% %7.2f%% %6ld %4d/%-4d\n",
                    hasTwoLadders ? "two" : "one", seeds, figures.found, figures.read,
                    figures.sampleBands, 100.0 * quantile(figures.relativeErrors, 0.5),
                    100.0 * quantile(figures.relativeErrors, 0.95),
                    100.0 * quantile(figures.relativeErrors, 1.0), over, figures.unsureLadders,
                    figures.laddersUsed);
        std::printf("         ladders used %d of %d drawn\n", figures.laddersUsed,
                    figures.laddersDrawn);
    }
    return 0;
}
