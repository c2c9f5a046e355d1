#pragma once

#include "core/error.h"
#include "core/image/image.h"

#include <cstdint>
#include <expected>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace densito {

/// Images with more pixels than this are refused from the header, before any pixel buffer
/// is allocated (about 800 MB as 32-bit float; a 4000x3000 imager frame is 12 Mpx).
inline constexpr std::uint64_t kDefaultMaxPixels = 200'000'000;

/// Files larger than this are refused before they are read.
inline constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{4} << 30;

/// The warning every 8-bit grey-scale image carries, whatever its format: imagers store 12-16
/// bits, so an 8-bit file is an export that has thrown most grey levels away.
inline constexpr std::string_view kEightBitWarning =
    "8-bit image: only 256 grey levels, so faint bands and band ratios are less precise than in "
    "the imager's 16-bit export";

struct LoadOptions {
    int pageIndex = 0; ///< TIFF page (channel) to read, 0-based
    std::uint64_t maxPixels = kDefaultMaxPixels;

    friend bool operator==(const LoadOptions&, const LoadOptions&) = default;
};

/// Reads a TIFF, PNG or JPEG file read-only and returns its raw values and metadata.
/// The format is recognised from the file's signature, not its name. Errors name the file
/// (its file name, not the full path) and the reason; nothing is ever thrown.
std::expected<Image, Error> loadImage(const std::filesystem::path& path,
                                      const LoadOptions& options = {});

/// As loadImage, from bytes already in memory; `name` is used in messages. Thread-safe.
std::expected<Image, Error> decodeImage(std::span<const std::uint8_t> bytes,
                                        const std::string& name, const LoadOptions& options = {});

/// The number of pages (TIFF directories) in an image file, from its header and directory
/// chain only, so a caller can ask which page to load before reading pixels. PNG and JPEG
/// have one page. Errors name the file; the file is opened read-only.
std::expected<int, Error> countPages(const std::filesystem::path& path);

/// True when the file name has an extension Densito reads (.tif .tiff .png .jpg .jpeg).
bool hasImageExtension(const std::filesystem::path& path);

} // namespace densito
