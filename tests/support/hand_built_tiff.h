#pragma once

#include <cstdint>
#include <vector>

namespace densito::test {

/// One single-valued entry of a hand-built TIFF directory (a SHORT or LONG value).
struct IfdEntry {
    std::uint16_t tag;
    std::uint16_t type; ///< 3 SHORT, 4 LONG
    std::uint32_t value;
};

/// A classic little-endian TIFF built byte by byte, for headers libtiff would never write:
/// the header, one directory of `entries` (sorted by tag), then `pixelData`. A StripOffsets
/// entry (tag 273) whose value is 0 points at `pixelData`.
std::vector<std::uint8_t> buildTiff(std::vector<IfdEntry> entries,
                                    const std::vector<std::uint8_t>& pixelData);

/// The entries of a one-strip min-is-black grey image of unsigned samples, in tag order;
/// StripOffsets is 0 (the pixel data, see buildTiff).
std::vector<IfdEntry> greyEntries(std::uint32_t width, std::uint32_t height,
                                  std::uint16_t bitsPerSample, std::uint16_t compression,
                                  std::uint32_t stripBytes);

/// buildTiff(greyEntries(...), pixelData) with the strip's byte count taken from
/// `pixelData`; a `stripOffset` other than 0 replaces the offset of the pixel data.
std::vector<std::uint8_t> handBuiltTiff(std::uint32_t width, std::uint32_t height,
                                        std::uint16_t bitsPerSample, std::uint16_t compression,
                                        const std::vector<std::uint8_t>& pixelData,
                                        std::uint32_t stripOffset = 0);

} // namespace densito::test
