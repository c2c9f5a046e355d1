#include "core/io/png_writer.h"

#include <png.h>
#include <zlib.h>

namespace densito {
namespace {

// libpng reports errors by longjmp; writeRows holds no C++ object with a destructor, so a
// longjmp skips none. The output vector lives in the caller's frame.

void appendBytes(png_structp png, png_bytep data, png_size_t length) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
    out->insert(out->end(), data, data + length);
}

void flushNothing(png_structp /*png*/) {}

[[noreturn]] void onError(png_structp png, png_const_charp /*message*/) {
    png_longjmp(png, 1);
}

void onWarning(png_structp /*png*/, png_const_charp /*message*/) {}

bool writeRows(png_structp png, png_infop info, const cv::Mat& image, png_bytepp rows,
               std::vector<std::uint8_t>* out) {
    if (setjmp(png_jmpbuf(png)) != 0) {
        return false;
    }
    png_set_write_fn(png, out, appendBytes, flushNothing);
    // OpenCV's imencode defaults, tuned for speed: sub filter, zlib level 1, RLE strategy.
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_compression_level(png, Z_BEST_SPEED);
    png_set_compression_strategy(png, Z_RLE);
    const int channels = image.channels();
    png_set_IHDR(png, info, static_cast<png_uint_32>(image.cols),
                 static_cast<png_uint_32>(image.rows), image.depth() == CV_16U ? 16 : 8,
                 channels == 1   ? PNG_COLOR_TYPE_GRAY
                 : channels == 3 ? PNG_COLOR_TYPE_RGB
                                 : PNG_COLOR_TYPE_RGB_ALPHA,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    png_set_bgr(png);
    png_set_swap(png); // PNG stores 16-bit samples big-endian; this machine is little-endian
    png_write_image(png, rows);
    png_write_end(png, info);
    return true;
}

} // namespace

std::vector<std::uint8_t> writePng(const cv::Mat& image) {
    const int channels = image.channels();
    if (image.empty() || (image.depth() != CV_8U && image.depth() != CV_16U) ||
        (channels != 1 && channels != 3 && channels != 4)) {
        return {};
    }
    std::vector<png_bytep> rows(static_cast<std::size_t>(image.rows));
    for (int y = 0; y < image.rows; ++y) {
        // libpng only reads the rows it is given to write.
        rows[static_cast<std::size_t>(y)] = const_cast<png_bytep>(image.ptr(y));
    }
    std::vector<std::uint8_t> out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, onError, onWarning);
    if (png == nullptr) {
        return {};
    }
    png_infop info = png_create_info_struct(png);
    const bool written = info != nullptr && writeRows(png, info, image, rows.data(), &out);
    png_destroy_write_struct(&png, info != nullptr ? &info : nullptr);
    if (!written) {
        out.clear();
    }
    return out;
}

} // namespace densito
