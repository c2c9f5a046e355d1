#include "core/image/opencv_reader.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace densito::detail {
namespace {

std::uint32_t bigEndian32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

std::expected<void, std::string> checkDimensions(std::uint64_t width, std::uint64_t height,
                                                 std::uint64_t maxPixels) {
    if (width == 0 || height == 0) {
        return std::unexpected(fmt::format("the image is {}x{} pixels (empty)", width, height));
    }
    if (width * height > maxPixels) {
        return std::unexpected(
            fmt::format("the image is {}x{} = {} pixels, above the limit of {} pixels", width,
                        height, width * height, maxPixels));
    }
    return {};
}

cv::Mat decode(std::span<const std::uint8_t> bytes) {
    // imdecode only reads its input; the header is built over the caller's bytes.
    const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8UC1,
                          const_cast<std::uint8_t*>(bytes.data()));
    try {
        return cv::imdecode(encoded, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception&) {
        return {};
    }
}

/// Reduces a decoded BGR/BGRA image to luminance (BT.601, as cv::cvtColor).
cv::Mat luminance(const cv::Mat& colour) {
    cv::Mat grey;
    cv::cvtColor(colour, grey, colour.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    return grey;
}

bool hasEqualColourChannels(const cv::Mat& colour) {
    std::vector<cv::Mat> channels;
    cv::split(colour, channels);
    return cv::norm(channels[0], channels[1], cv::NORM_INF) == 0 &&
           cv::norm(channels[0], channels[2], cv::NORM_INF) == 0;
}

constexpr std::array<std::uint8_t, 8> kPngSignature{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
constexpr std::array<std::uint8_t, 3> kJpegSignature{0xFF, 0xD8, 0xFF};

template <std::size_t N>
bool hasSignature(std::span<const std::uint8_t> bytes,
                  const std::array<std::uint8_t, N>& signature) {
    return bytes.size() >= N && std::equal(signature.begin(), signature.end(), bytes.begin());
}

constexpr const char* kColourWarning =
    "colour image read as luminance: this is an exported picture, not raw detector data";

} // namespace

std::expected<Image, std::string> readPng(std::span<const std::uint8_t> bytes,
                                          std::uint64_t maxPixels) {
    // Signature (8) + IHDR length (4) + "IHDR" (4) + width, height (8) + depth, colour type.
    // cv::imdecode picks its decoder from the bytes, so only PNG bytes may reach it here
    // (fuzzing found a DICOM decoder assertion behind it).
    if (bytes.size() < 33 || !hasSignature(bytes, kPngSignature) ||
        std::string_view(reinterpret_cast<const char*>(bytes.data()) + 12, 4) != "IHDR") {
        return std::unexpected("the PNG header (IHDR) is missing or truncated");
    }
    const std::uint32_t width = bigEndian32(bytes.data() + 16);
    const std::uint32_t height = bigEndian32(bytes.data() + 20);
    const int bitDepth = bytes[24];
    const int colourType = bytes[25];
    if (auto ok = checkDimensions(width, height, maxPixels); !ok) {
        return std::unexpected(ok.error());
    }
    cv::Mat decoded = decode(bytes);
    if (decoded.empty()) {
        return std::unexpected("the PNG data cannot be decoded (corrupt or truncated)");
    }

    Image image;
    ImageMetadata& meta = image.metadata;
    meta.format = FileFormat::Png;
    meta.width = decoded.cols;
    meta.height = decoded.rows;
    meta.bitsPerSample = decoded.depth() == CV_16U ? 16 : 8;
    meta.compression = "Deflate";
    meta.samplesPerPixel = colourType == 0   ? 1
                           : colourType == 4 ? 2
                           : colourType == 2 ? 3
                           : colourType == 6 ? 4
                                             : 1;
    const bool greyContent = colourType == 0 || colourType == 4;
    meta.photometric = greyContent       ? Photometric::MinIsBlack
                       : colourType == 3 ? Photometric::Palette
                                         : Photometric::Rgb;
    if (bitDepth < 8 && greyContent) {
        image.warnings.push_back(fmt::format("{}-bit grey PNG expanded to 8 bits", bitDepth));
    }
    if (decoded.channels() == 4) {
        cv::Mat alpha;
        cv::extractChannel(decoded, alpha, 3);
        const cv::Mat opaque = alpha > 0;
        const auto transparent =
            static_cast<std::int64_t>(opaque.total()) - cv::countNonZero(opaque);
        if (transparent > 0) {
            image.validMask = opaque;
            image.warnings.push_back(
                fmt::format("{} fully transparent pixels are padding, not image; they are left out",
                            transparent));
        }
    }
    if (decoded.channels() == 1) {
        image.raw = decoded;
    } else if (greyContent || hasEqualColourChannels(decoded)) {
        // Grey values stored as colour (OpenCV also expands grey+alpha to BGRA): exact copy.
        cv::extractChannel(decoded, image.raw, 0);
        if (!greyContent) {
            image.warnings.push_back(
                "grey values stored as RGB: this is an exported picture, not raw detector data");
        }
    } else {
        image.raw = luminance(decoded);
        image.warnings.push_back(kColourWarning);
    }
    return image;
}

std::expected<Image, std::string> readJpeg(std::span<const std::uint8_t> bytes,
                                           std::uint64_t maxPixels) {
    if (!hasSignature(bytes, kJpegSignature)) {
        return std::unexpected("not a JPEG file (no start-of-image marker)");
    }
    // Walk the markers to the frame header (SOFn) for the size, before decoding.
    std::size_t pos = 2;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::size_t scanStart = 0;
    while (pos + 4 <= bytes.size()) {
        if (bytes[pos] != 0xFF) {
            return std::unexpected("the JPEG marker structure is corrupt");
        }
        const std::uint8_t marker = bytes[pos + 1];
        if (marker == 0xFF) {
            ++pos; // fill byte
            continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            pos += 2;
            continue;
        }
        const std::size_t length = (std::size_t{bytes[pos + 2]} << 8) | bytes[pos + 3];
        const bool isFrame =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (isFrame && pos + 9 <= bytes.size()) {
            height = (std::uint32_t{bytes[pos + 5]} << 8) | bytes[pos + 6];
            width = (std::uint32_t{bytes[pos + 7]} << 8) | bytes[pos + 8];
        }
        if (marker == 0xDA) {
            scanStart = pos + 2 + length;
            break;
        }
        pos += 2 + length;
    }
    if (width == 0 && height == 0 && scanStart == 0) {
        return std::unexpected("the JPEG header has no frame size (corrupt or truncated)");
    }
    if (auto ok = checkDimensions(width, height, maxPixels); !ok) {
        return std::unexpected(ok.error());
    }
    // libjpeg fills a truncated scan with grey and carries on; refuse instead.
    bool hasEnd = false;
    for (std::size_t i = bytes.size() - 1; i > scanStart && i >= 1; --i) {
        if (bytes[i - 1] == 0xFF && bytes[i] == 0xD9) {
            hasEnd = true;
            break;
        }
    }
    if (scanStart == 0 || !hasEnd) {
        return std::unexpected("the JPEG file is truncated (no end-of-image marker)");
    }
    cv::Mat decoded = decode(bytes);
    if (decoded.empty()) {
        return std::unexpected("the JPEG data cannot be decoded (corrupt or unsupported)");
    }

    Image image;
    ImageMetadata& meta = image.metadata;
    meta.format = FileFormat::Jpeg;
    meta.width = decoded.cols;
    meta.height = decoded.rows;
    meta.bitsPerSample = 8;
    meta.compression = "JPEG";
    meta.lossy = true;
    meta.samplesPerPixel = decoded.channels();
    meta.photometric = decoded.channels() == 1 ? Photometric::MinIsBlack : Photometric::Rgb;
    image.warnings.push_back(
        "lossy JPEG: pixel values carry compression error, so volumes do too; quantify the "
        "imager's TIFF export when you have it");
    if (decoded.channels() == 1) {
        image.raw = decoded;
    } else {
        image.raw = luminance(decoded);
        image.warnings.push_back(kColourWarning);
    }
    return image;
}

} // namespace densito::detail
