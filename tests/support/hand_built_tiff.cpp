#include "support/hand_built_tiff.h"

#include <algorithm>
#include <tiffio.h>
#include <utility>

namespace densito::test {
namespace {

void put16(std::vector<std::uint8_t>& out, std::uint32_t value) {
    out.push_back(static_cast<std::uint8_t>(value & 0xFF));
    out.push_back(static_cast<std::uint8_t>((value >> 8) & 0xFF));
}

void put32(std::vector<std::uint8_t>& out, std::uint32_t value) {
    put16(out, value & 0xFFFF);
    put16(out, value >> 16);
}

} // namespace

std::vector<std::uint8_t> buildTiff(std::vector<IfdEntry> entries,
                                    const std::vector<std::uint8_t>& pixelData) {
    std::sort(entries.begin(), entries.end(),
              [](const IfdEntry& a, const IfdEntry& b) { return a.tag < b.tag; });
    const auto dataOffset = static_cast<std::uint32_t>(8 + 2 + 12 * entries.size() + 4);
    std::vector<std::uint8_t> out = {'I', 'I', 42, 0};
    put32(out, 8);
    put16(out, static_cast<std::uint32_t>(entries.size()));
    for (const IfdEntry& entry : entries) {
        put16(out, entry.tag);
        put16(out, entry.type);
        put32(out, 1);
        const std::uint32_t value =
            entry.tag == TIFFTAG_STRIPOFFSETS && entry.value == 0 ? dataOffset : entry.value;
        if (entry.type == TIFF_SHORT) {
            put16(out, value);
            put16(out, 0);
        } else {
            put32(out, value);
        }
    }
    put32(out, 0); // no next directory
    out.insert(out.end(), pixelData.begin(), pixelData.end());
    return out;
}

std::vector<IfdEntry> greyEntries(std::uint32_t width, std::uint32_t height,
                                  std::uint16_t bitsPerSample, std::uint16_t compression,
                                  std::uint32_t stripBytes) {
    return {{TIFFTAG_IMAGEWIDTH, TIFF_LONG, width},
            {TIFFTAG_IMAGELENGTH, TIFF_LONG, height},
            {TIFFTAG_BITSPERSAMPLE, TIFF_SHORT, bitsPerSample},
            {TIFFTAG_COMPRESSION, TIFF_SHORT, compression},
            {TIFFTAG_PHOTOMETRIC, TIFF_SHORT, PHOTOMETRIC_MINISBLACK},
            {TIFFTAG_STRIPOFFSETS, TIFF_LONG, 0},
            {TIFFTAG_SAMPLESPERPIXEL, TIFF_SHORT, 1},
            {TIFFTAG_ROWSPERSTRIP, TIFF_LONG, height},
            {TIFFTAG_STRIPBYTECOUNTS, TIFF_LONG, stripBytes},
            {TIFFTAG_SAMPLEFORMAT, TIFF_SHORT, SAMPLEFORMAT_UINT}};
}

std::vector<std::uint8_t> handBuiltTiff(std::uint32_t width, std::uint32_t height,
                                        std::uint16_t bitsPerSample, std::uint16_t compression,
                                        const std::vector<std::uint8_t>& pixelData,
                                        std::uint32_t stripOffset) {
    auto entries = greyEntries(width, height, bitsPerSample, compression,
                               static_cast<std::uint32_t>(pixelData.size()));
    for (IfdEntry& entry : entries) {
        if (entry.tag == TIFFTAG_STRIPOFFSETS) {
            entry.value = stripOffset;
        }
    }
    return buildTiff(std::move(entries), pixelData);
}

} // namespace densito::test
