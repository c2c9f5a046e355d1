#pragma once

#include "core/error.h"

#include <cstdint>
#include <expected>
#include <filesystem>
#include <opencv2/core/mat.hpp>
#include <string>
#include <string_view>

namespace densito {

/// How the pixel data of a written TIFF is stored.
enum class TiffCompression {
    Deflate, ///< Deflate with horizontal differencing: small files
    None,    ///< uncompressed, as many imagers write raw files (decoding is a copy)
};

/// Encodes a CV_16UC1 image as a single-page TIFF in memory: 16-bit unsigned, one sample,
/// min-is-black, `compression`, strips of about 64 KiB.
/// `description` (may be empty) goes into the ImageDescription tag, `software` into Software.
/// Thread-safe (libtiff messages are collected per call).
std::expected<std::string, Error>
encodeTiff16(const cv::Mat& image, std::string_view description = {},
             std::string_view software = {},
             TiffCompression compression = TiffCompression::Deflate);

/// Writes encodeTiff16(image) to `path` atomically (temporary file in the same folder,
/// flushed, then renamed over), so a reader never sees half a file.
std::expected<void, Error> writeTiff16(const std::filesystem::path& path, const cv::Mat& image,
                                       std::string_view description = {},
                                       std::string_view software = {},
                                       TiffCompression compression = TiffCompression::Deflate);

} // namespace densito
