#pragma once

#include "core/image/image.h"

#include <cstdint>
#include <expected>
#include <filesystem>
#include <span>
#include <string>

namespace densito::detail {

/// Float pages with a value of larger magnitude are refused.
inline constexpr double kMaxFloatMagnitude = 1e12;

/// Decodes one page of a TIFF held in memory with libtiff: 8/16-bit unsigned or 32-bit
/// float samples, any codec libtiff was built with, strips or tiles, either byte order,
/// contiguous or separate planes. Colour pages become luminance with a warning.
/// Returns the reason on failure. Thread-safe (errors are collected per call).
std::expected<Image, std::string> readTiff(std::span<const std::uint8_t> bytes, int pageIndex,
                                           std::uint64_t maxPixels);

/// The number of directories (pages) of a TIFF file, read with libtiff from the file
/// itself (read-only, no memory mapping). Returns the reason on failure.
std::expected<int, std::string> countTiffPages(const std::filesystem::path& path);

} // namespace densito::detail
