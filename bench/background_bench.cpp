// Background model speed on a 4000x3000 float signal (the size of a large blot scan):
// ImageJ-semantics rolling ball for radii 25, 50 and 100 px (shrink factors 2, 4, 4) on all
// OpenCV threads, with a fresh result image per call and with the result image reused (no
// allocation and first touch of 48 MB), pre-smoothed, and on one thread (run last: with TBB a
// one-thread limit can outlive the call); plus the per-band border median and the lane rubber
// band. Run: build/release/bench/densito_background_bench
#include "core/measure/border_median.h"
#include "core/measure/lane_baseline.h"
#include "core/measure/rolling_ball.h"

#include <benchmark/benchmark.h>
#include <opencv2/core.hpp>
#include <random>
#include <vector>

namespace {

/// Gradient background, rows of bands in lanes, and read noise, as signal (bands positive).
const cv::Mat& benchSignal() {
    static const cv::Mat signal = [] {
        cv::Mat image(3000, 4000, CV_32FC1);
        std::mt19937 random(1);
        std::normal_distribution<float> noise(0.0f, 30.0f);
        for (int y = 0; y < image.rows; ++y) {
            auto* row = image.ptr<float>(y);
            for (int x = 0; x < image.cols; ++x) {
                const bool band = (x / 250) % 2 == 0 && (y / 150) % 4 == 1;
                row[x] = 600.0f + 0.05f * static_cast<float>(x) + 0.02f * static_cast<float>(y) +
                         (band ? 20000.0f : 0.0f) + noise(random);
            }
        }
        return image;
    }();
    return signal;
}

void rollingBall(benchmark::State& state, int threads, bool reuseOutput) {
    const cv::Mat& signal = benchSignal();
    const int previous = cv::getNumThreads();
    if (threads > 0) {
        cv::setNumThreads(threads);
    }
    state.counters["threads"] = cv::getNumThreads();
    const double radius = static_cast<double>(state.range(0));
    state.counters["shrink"] = densito::rollingBallShrinkFactor(radius);
    cv::Mat reused;
    for (auto _ : state) {
        if (reuseOutput) {
            densito::rollingBallBackground(signal, radius, reused);
            benchmark::DoNotOptimize(reused.data);
        } else {
            const cv::Mat background = densito::rollingBallBackground(signal, radius);
            benchmark::DoNotOptimize(background.data);
        }
    }
    cv::setNumThreads(previous);
}

void rollingBallAllThreads(benchmark::State& state) {
    rollingBall(state, 0, false);
}
void rollingBallReusedOutput(benchmark::State& state) {
    rollingBall(state, 0, true);
}
void rollingBallOneThread(benchmark::State& state) {
    rollingBall(state, 1, false);
}

void rollingBallPresmoothed(benchmark::State& state) {
    const cv::Mat& signal = benchSignal();
    for (auto _ : state) {
        const cv::Mat background =
            densito::rollingBallBackground(signal, static_cast<double>(state.range(0)), true);
        benchmark::DoNotOptimize(background.data);
    }
}

/// 16 lanes x 6 bands of 200 x 40 px, ring 5 px, other boxes masked.
void borderMedianAllBands(benchmark::State& state) {
    const cv::Mat& signal = benchSignal();
    std::vector<cv::Rect> boxes;
    for (int lane = 0; lane < 16; ++lane) {
        for (int row = 0; row < 6; ++row) {
            boxes.emplace_back(50 + 245 * lane, 200 + 450 * row, 200, 40);
        }
    }
    cv::Mat mask(signal.size(), CV_8UC1, cv::Scalar(0));
    for (const cv::Rect& box : boxes) {
        mask(box).setTo(255);
    }
    for (auto _ : state) {
        double sum = 0.0;
        for (const cv::Rect& box : boxes) {
            sum += densito::borderMedian(signal, box, 5, mask);
        }
        benchmark::DoNotOptimize(sum);
    }
}

/// One rubber band per lane over the full image height.
void rubberBandAllLanes(benchmark::State& state) {
    const cv::Mat& signal = benchSignal();
    std::vector<std::vector<double>> profiles(16, std::vector<double>(3000));
    for (std::size_t lane = 0; lane < profiles.size(); ++lane) {
        for (int y = 0; y < 3000; ++y) {
            profiles[lane][static_cast<std::size_t>(y)] =
                signal.at<float>(y, 100 + 245 * static_cast<int>(lane));
        }
    }
    for (auto _ : state) {
        for (const auto& profile : profiles) {
            const auto baseline = densito::rubberBandBaseline(profile);
            benchmark::DoNotOptimize(baseline.data());
        }
    }
}

} // namespace

BENCHMARK(rollingBallAllThreads)
    ->Arg(10)
    ->Arg(25)
    ->Arg(50)
    ->Arg(100)
    ->Arg(200)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(rollingBallReusedOutput)
    ->Arg(25)
    ->Arg(50)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(rollingBallPresmoothed)->Arg(50)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(borderMedianAllBands)->Unit(benchmark::kMillisecond);
BENCHMARK(rubberBandAllLanes)->Unit(benchmark::kMillisecond);
BENCHMARK(rollingBallOneThread)
    ->Arg(25)
    ->Arg(50)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
