// Image loading speed on a 4000x3000 16-bit blot-sized TIFF, against a bare libtiff decode
// of the same file. Run: build/release/bench/densito_load_bench
#include "core/image/image_loader.h"
#include "core/image/signal.h"
#include "core/pipeline/image_inspection.h"

#include <benchmark/benchmark.h>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <tiffio.h>
#include <vector>

namespace {

/// Writes the benchmark image once per compression: smooth background, bands and noise.
std::filesystem::path benchImage(int compression) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("densito_bench_4000x3000_c" + std::to_string(compression) + ".tif");
    if (std::filesystem::exists(path)) {
        return path;
    }
    cv::Mat image(3000, 4000, CV_16UC1);
    std::mt19937 random(1);
    std::normal_distribution<float> noise(0.0f, 30.0f);
    for (int y = 0; y < image.rows; ++y) {
        for (int x = 0; x < image.cols; ++x) {
            const float band = ((x / 250) % 2 == 0 && (y / 150) % 4 == 1) ? 20000.0f : 0.0f;
            const float value = 600.0f + 0.05f * static_cast<float>(x) + band + noise(random);
            image.at<std::uint16_t>(y, x) = cv::saturate_cast<std::uint16_t>(value);
        }
    }
    cv::imwrite(path.string(), image, {cv::IMWRITE_TIFF_COMPRESSION, compression});
    return path;
}

void bareLibtiffDecode(benchmark::State& state) {
    const auto path = benchImage(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        TIFF* tif = TIFFOpen(path.c_str(), "r");
        const tmsize_t stripSize = TIFFStripSize(tif);
        std::vector<std::uint8_t> pixels(static_cast<std::size_t>(stripSize) *
                                         TIFFNumberOfStrips(tif));
        for (std::uint32_t s = 0; s < TIFFNumberOfStrips(tif); ++s) {
            TIFFReadEncodedStrip(tif, s, pixels.data() + static_cast<std::size_t>(stripSize) * s,
                                 -1);
        }
        benchmark::DoNotOptimize(pixels.data());
        TIFFClose(tif);
    }
}

void densitoLoadImage(benchmark::State& state) {
    const auto path = benchImage(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto image = densito::loadImage(path);
        benchmark::DoNotOptimize(image->raw.data);
    }
}

void densitoInspectImage(benchmark::State& state) {
    const auto path = benchImage(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto inspection = densito::inspectImage(path, {});
        benchmark::DoNotOptimize(inspection->signal.saturatedPixels);
    }
}

// Argument: TIFF compression (1 none, 5 LZW).
BENCHMARK(bareLibtiffDecode)->Arg(1)->Arg(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(densitoLoadImage)->Arg(1)->Arg(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(densitoInspectImage)->Arg(1)->Arg(5)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
