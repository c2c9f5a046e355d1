// Fuzz target for one image reader (TIFF, PNG or JPEG, chosen at compile time): decodes the
// bytes, and when they decode, builds the signal model and analyses the image, as a batch
// would. Any crash, sanitizer report or uncaught exception is a finding.
#include "core/image/png_jpeg_reader.h"
#include "core/image/signal.h"
#include "core/image/tiff_reader.h"
#include "core/pipeline/image_analysis.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace {

// Far below the product's limit so that a header asking for a large image is still decoded
// within libFuzzer's memory limit; the limit check itself is tested in bad_input_test.
constexpr std::uint64_t kMaxFuzzPixels = std::uint64_t{4} << 20;
// Detection and measurement run on images up to this size (a few milliseconds each).
constexpr int kMaxAnalysedPixels = 512 * 512;

std::expected<densito::Image, std::string> decode(std::span<const std::uint8_t> bytes,
                                                  int pageIndex) {
#if defined(DENSITO_FUZZ_FORMAT_TIFF)
    return densito::detail::readTiff(bytes, pageIndex, kMaxFuzzPixels);
#elif defined(DENSITO_FUZZ_FORMAT_PNG)
    (void)pageIndex;
    return densito::detail::readPng(bytes, kMaxFuzzPixels);
#elif defined(DENSITO_FUZZ_FORMAT_JPEG)
    (void)pageIndex;
    return densito::detail::readJpeg(bytes, kMaxFuzzPixels);
#else
#error "define DENSITO_FUZZ_FORMAT_TIFF, _PNG or _JPEG"
#endif
}

void analyse(const densito::Image& image) {
    std::vector<std::string> warnings;
    const auto model = densito::describeSignal(image, densito::PolarityMode::Auto, warnings);
    const cv::Mat signal = densito::bandsPositiveSignal(image.raw, model);
    if (image.raw.total() <= static_cast<std::size_t>(kMaxAnalysedPixels)) {
        (void)densito::analyzeSignal(signal, image, model, densito::AnalysisSettings{});
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    for (int page = 0; page < 2; ++page) { // a second page exercises the directory chain
        const auto image = decode(bytes, page);
        if (!image) {
            break;
        }
        analyse(*image);
    }
    return 0;
}
