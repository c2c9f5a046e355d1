#pragma once

// Hand-made PNG and JPEG files for the reader tests, written with libpng and libjpeg directly:
// the kinds OpenCV's encoder cannot make (palette, grey+alpha, interlaced, CMYK, EXIF).

#include <csetjmp>
#include <cstdint>
#include <cstdio> // jpeglib.h needs FILE declared first
#include <cstdlib>
#include <jpeglib.h>
#include <png.h>
#include <stdexcept>
#include <vector>

namespace densito::test {

/// What goes into a hand-made PNG: samples row by row as PNG stores them (16-bit samples
/// big-endian, sub-byte samples packed), plus an optional palette and tRNS chunk.
struct PngSpec {
    int width = 0;
    int height = 0;
    int bitDepth = 8;
    int colourType = PNG_COLOR_TYPE_GRAY;
    bool interlaced = false;
    std::vector<std::vector<std::uint8_t>> rows;
    std::vector<png_color> palette;
    std::vector<std::uint8_t> paletteAlpha; // tRNS for a palette image
};

namespace detail {
inline void appendPngBytes(png_structp png, png_bytep data, png_size_t length) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
    out->insert(out->end(), data, data + length);
}
inline void flushPng(png_structp) {}
inline bool writePngSpec(png_structp png, png_infop info, const PngSpec& spec, png_bytepp rows,
                         std::vector<std::uint8_t>* out) {
    if (setjmp(png_jmpbuf(png)) != 0) {
        return false;
    }
    png_set_write_fn(png, out, appendPngBytes, flushPng);
    png_set_IHDR(png, info, static_cast<png_uint_32>(spec.width),
                 static_cast<png_uint_32>(spec.height), spec.bitDepth, spec.colourType,
                 spec.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (!spec.palette.empty()) {
        png_set_PLTE(png, info, spec.palette.data(), static_cast<int>(spec.palette.size()));
    }
    if (!spec.paletteAlpha.empty()) {
        png_set_tRNS(png, info, spec.paletteAlpha.data(),
                     static_cast<int>(spec.paletteAlpha.size()), nullptr);
    }
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, info);
    return true;
}
} // namespace detail

/// The PNG file bytes of `spec`; throws when libpng refuses it.
inline std::vector<std::uint8_t> encodePngSpec(const PngSpec& spec) {
    std::vector<png_bytep> rows;
    for (const auto& row : spec.rows) {
        rows.push_back(const_cast<png_bytep>(row.data()));
    }
    std::vector<std::uint8_t> out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    const bool ok = detail::writePngSpec(png, info, spec, rows.data(), &out);
    png_destroy_write_struct(&png, &info);
    if (!ok) {
        throw std::runtime_error("libpng could not write the test PNG");
    }
    return out;
}

/// A CMYK JPEG (Adobe convention: stored inverted, with an Adobe APP14 marker) of
/// `cmyk` (4 bytes per pixel, row by row), quality 95.
inline std::vector<std::uint8_t> encodeCmykJpeg(int width, int height,
                                                const std::vector<std::uint8_t>& cmyk) {
    jpeg_compress_struct info{};
    jpeg_error_mgr errors{};
    info.err = jpeg_std_error(&errors); // the default error_exit ends the test program
    jpeg_create_compress(&info);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&info, &buffer, &size);
    info.image_width = static_cast<JDIMENSION>(width);
    info.image_height = static_cast<JDIMENSION>(height);
    info.input_components = 4;
    info.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, 95, TRUE);
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = const_cast<JSAMPROW>(cmyk.data() + std::size_t{info.next_scanline} *
                                                              static_cast<std::size_t>(width) * 4);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    std::vector<std::uint8_t> out(buffer, buffer + size);
    jpeg_destroy_compress(&info);
    std::free(buffer);
    return out;
}

/// `jpeg` with an EXIF APP1 segment saying "rotate 90 degrees clockwise to display"
/// (orientation 6) inserted after the start-of-image marker.
inline std::vector<std::uint8_t> withExifOrientation(const std::vector<std::uint8_t>& jpeg,
                                                     std::uint16_t orientation) {
    // "Exif\0\0", then a little-endian TIFF header and one IFD with one entry.
    const std::vector<std::uint8_t> exif{'E',
                                         'x',
                                         'i',
                                         'f',
                                         0,
                                         0, // EXIF identifier
                                         'I',
                                         'I',
                                         42,
                                         0,
                                         8,
                                         0,
                                         0,
                                         0, // TIFF header, IFD at offset 8
                                         1,
                                         0, // one entry
                                         0x12,
                                         0x01,
                                         3,
                                         0,
                                         1,
                                         0,
                                         0,
                                         0, // tag 0x0112 Orientation, SHORT, count 1
                                         static_cast<std::uint8_t>(orientation),
                                         0,
                                         0,
                                         0, // value
                                         0,
                                         0,
                                         0,
                                         0}; // no next IFD
    const std::size_t length = exif.size() + 2;
    const std::vector<std::uint8_t> marker{0xFF, 0xE1, static_cast<std::uint8_t>(length >> 8),
                                           static_cast<std::uint8_t>(length & 0xFF)};
    // Byte by byte: g++ 12 warns falsely (-Warray-bounds) on vector::insert of short ranges.
    std::vector<std::uint8_t> out;
    out.reserve(jpeg.size() + marker.size() + exif.size());
    for (std::size_t i = 0; i < jpeg.size(); ++i) {
        if (i == 2) {
            for (const std::uint8_t byte : marker) {
                out.push_back(byte);
            }
            for (const std::uint8_t byte : exif) {
                out.push_back(byte);
            }
        }
        out.push_back(jpeg[i]);
    }
    return out;
}

} // namespace densito::test
