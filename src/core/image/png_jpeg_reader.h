#pragma once

#include "core/image/image.h"

#include <cstdint>
#include <expected>
#include <span>
#include <string>

namespace densito::detail {

/// Decodes a PNG (8/16-bit, grey, grey+alpha, RGB, RGBA, palette) with libpng, or a JPEG
/// (baseline or progressive; grey, YCbCr or CMYK) with libjpeg-turbo, held in memory; the
/// pixels are those OpenCV's imdecode gave before (EXIF orientation is not applied). The pixel
/// count is checked from the file header before decoding; a corrupt file gives an error.
/// Colour images become luminance (ITU-R BT.601 weights, as cv::cvtColor) with a warning.
std::expected<Image, std::string> readPng(std::span<const std::uint8_t> bytes,
                                          std::uint64_t maxPixels);
std::expected<Image, std::string> readJpeg(std::span<const std::uint8_t> bytes,
                                           std::uint64_t maxPixels);

} // namespace densito::detail
