// Time from an edit to updated results on a 4000x3000 blot (the size of a large imager frame):
// remeasure() of the detected geometry with one band box moved, without a cache (the pixel
// noise and, for rolling-ball, the whole-image background computed again) and with a
// MeasurementCache kept between edits (only the per-band work), for each background method;
// detection (detectGeometry) for comparison. Prints the median of the runs.
// Run: build/release/bench/densito_remeasure_bench [runs]
#include "core/image/signal.h"
#include "core/pipeline/image_analysis.h"
#include "core/pipeline/remeasure.h"
#include "core/synth/synthetic_blot.h"

#include "edit_scene.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace {

using densito::AnalysisSettings;
using densito::ImageGeometry;

double medianMs(int runs, const std::function<void()>& work) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
    const auto blot = densito::generateSyntheticBlot(densito::bench::editScene());
    if (!blot) {
        std::fprintf(stderr, "%s\n", blot.error().describe().c_str());
        return 1;
    }
    densito::Image image;
    image.raw = blot->raw;
    std::vector<std::string> warnings;
    const densito::SignalModel model =
        densito::describeSignal(image, densito::PolarityMode::Auto, warnings);
    const cv::Mat signal = densito::bandsPositiveSignal(image.raw, model);

    const AnalysisSettings detection;
    ImageGeometry geometry = densito::detectGeometry(signal, image, detection);
    std::printf("%dx%d image, %zu lanes, %zu bands, %d OpenCV threads, median of %d runs\n",
                signal.cols, signal.rows, geometry.lanes.size(), geometry.bands.size(),
                cv::getNumThreads(), runs);
    if (geometry.bands.empty()) {
        std::fprintf(stderr, "no bands detected\n");
        return 1;
    }
    std::printf("%-22s %8.1f ms\n", "detectGeometry",
                medianMs(runs, [&] { densito::detectGeometry(signal, image, detection); }));
    std::printf("%-22s %14s %16s\n", "remeasure after edit", "no cache (ms)", "with cache (ms)");

    for (const char* text : {"border-median", "rolling-ball", "lane-baseline", "none"}) {
        AnalysisSettings settings;
        settings.background = *densito::parseBackgroundMethod(text);
        // The edit: one band's box one row taller, then back, so every run measures an edit.
        int step = 1;
        auto edit = [&] {
            geometry.bands[geometry.bands.size() / 2].candidate.bottomPx += step;
            step = -step;
        };
        const double uncached = medianMs(runs, [&] {
            edit();
            densito::remeasure(signal, image, model, settings, geometry);
        });
        densito::MeasurementCache cache;
        densito::remeasure(signal, image, model, settings, geometry, cache); // fills the cache
        const double cached = medianMs(runs, [&] {
            edit();
            densito::remeasure(signal, image, model, settings, geometry, cache);
        });
        std::printf(
            "%-22s %14.1f %16.1f\n",
            densito::toString(densito::backgroundMethodFor(settings.background, geometry)).c_str(),
            uncached, cached);
    }
    return 0;
}
