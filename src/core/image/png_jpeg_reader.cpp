#include "core/image/png_jpeg_reader.h"

#include <algorithm>
#include <array>
#include <csetjmp>
#include <cstdio> // jpeglib.h needs FILE declared first
#include <cstring>
#include <fmt/format.h>
#include <jpeglib.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <png.h>
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

// ---- PNG through libpng ----
// libpng reports errors by longjmp. Each function that calls setjmp holds no C++ object with
// a destructor, so a longjmp never skips one; the pixel buffer is allocated between the two
// stages, outside any setjmp frame, and the libpng structures are freed by PngDecoder.

struct PngSource {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
    std::size_t position = 0;
};

void readPngBytes(png_structp png, png_bytep out, png_size_t length) {
    auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
    if (length > source->size - source->position) {
        png_error(png, "PNG input buffer is incomplete");
    }
    std::memcpy(out, source->data + source->position, length);
    source->position += length;
}

[[noreturn]] void onPngError(png_structp png, png_const_charp /*message*/) {
    png_longjmp(png, 1);
}

// Warnings (a bad CRC in an ancillary chunk, say) leave the pixels intact; the core never
// prints, and OpenCV's decoder, which this reader replaces, ignored them too.
void onPngWarning(png_structp /*png*/, png_const_charp /*message*/) {}

/// What OpenCV's PNG decoder (cv::IMREAD_UNCHANGED) produced, reproduced with the same libpng
/// transforms so that the pixels stay identical: 8 or 16 bits as stored; palette expanded to
/// BGR; colour in BGR order; an alpha channel (or tRNS on colour) kept as a fourth channel;
/// grey below 8 bits scaled to 8. Grey+alpha stays two channels (OpenCV made BGRA of it with
/// three equal channels; the grey and alpha values are the same).
struct PngDecoder {
    png_structp png = nullptr;
    png_infop info = nullptr;
    PngSource source;
    png_uint_32 width = 0;
    png_uint_32 height = 0;
    int bitDepth = 0;
    int colourType = 0;
    int channels = 0;

    PngDecoder() = default;
    PngDecoder(const PngDecoder&) = delete;
    PngDecoder& operator=(const PngDecoder&) = delete;
    ~PngDecoder() {
        if (png != nullptr) {
            png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
        }
    }
};

bool readPngHeader(PngDecoder& decoder) {
    png_structp png = decoder.png;
    if (setjmp(png_jmpbuf(png)) != 0) {
        return false;
    }
    png_set_read_fn(png, &decoder.source, readPngBytes);
    png_read_info(png, decoder.info);
    int interlace = 0;
    png_get_IHDR(png, decoder.info, &decoder.width, &decoder.height, &decoder.bitDepth,
                 &decoder.colourType, &interlace, nullptr, nullptr);
    const bool hasTrns = png_get_valid(png, decoder.info, PNG_INFO_tRNS) != 0;
    switch (decoder.colourType) {
    case PNG_COLOR_TYPE_RGB:
    case PNG_COLOR_TYPE_PALETTE:
        decoder.channels = hasTrns ? 4 : 3;
        break;
    case PNG_COLOR_TYPE_RGB_ALPHA:
        decoder.channels = 4;
        break;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
        decoder.channels = 2;
        break;
    default:
        decoder.channels = 1;
        break;
    }
    if (decoder.bitDepth == 16) {
        png_set_swap(png); // PNG stores 16-bit samples big-endian
    }
    if (decoder.channels == 4) {
        png_set_tRNS_to_alpha(png);
    } else if (decoder.channels != 2) {
        png_set_strip_alpha(png); // a tRNS chunk on grey is ignored, as OpenCV did
    }
    if (decoder.colourType == PNG_COLOR_TYPE_PALETTE) {
        png_set_palette_to_rgb(png);
    }
    if ((decoder.colourType & PNG_COLOR_MASK_COLOR) == 0 && decoder.bitDepth < 8) {
        png_set_expand_gray_1_2_4_to_8(png);
    }
    if ((decoder.colourType & PNG_COLOR_MASK_COLOR) != 0) {
        png_set_bgr(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, decoder.info);
    return png_get_channels(png, decoder.info) == decoder.channels;
}

bool readPngPixels(PngDecoder& decoder, png_bytepp rows) {
    png_structp png = decoder.png;
    if (setjmp(png_jmpbuf(png)) != 0) {
        return false;
    }
    png_read_image(png, rows);
    png_read_end(png, nullptr);
    return true;
}

/// Decodes PNG bytes, or returns an empty matrix when libpng cannot.
cv::Mat decodePng(std::span<const std::uint8_t> bytes) {
    PngDecoder decoder;
    decoder.source = {bytes.data(), bytes.size(), 0};
    decoder.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, onPngError, onPngWarning);
    if (decoder.png == nullptr) {
        return {};
    }
    decoder.info = png_create_info_struct(decoder.png);
    if (decoder.info == nullptr || !readPngHeader(decoder)) {
        return {};
    }
    cv::Mat pixels(static_cast<int>(decoder.height), static_cast<int>(decoder.width),
                   CV_MAKETYPE(decoder.bitDepth == 16 ? CV_16U : CV_8U, decoder.channels));
    std::vector<png_bytep> rows(decoder.height);
    for (png_uint_32 y = 0; y < decoder.height; ++y) {
        rows[y] = pixels.ptr(static_cast<int>(y));
    }
    if (!readPngPixels(decoder, rows.data())) {
        return {};
    }
    return pixels;
}

// ---- JPEG through libjpeg-turbo ----
// Same discipline as for PNG: error_exit longjmps back into a setjmp frame without C++
// objects; the structures are freed by JpegDecoder.

struct JpegErrorManager {
    jpeg_error_mgr base; // first member: libjpeg hands back a pointer to it
    std::jmp_buf jump;
};

[[noreturn]] void onJpegError(j_common_ptr info) {
    std::longjmp(reinterpret_cast<JpegErrorManager*>(info->err)->jump, 1);
}

// Corrupt-data warnings: libjpeg carries on, as it did behind OpenCV; the core never prints.
void onJpegMessage(j_common_ptr /*info*/) {}

struct JpegDecoder {
    jpeg_decompress_struct info{};
    JpegErrorManager errors{};
    bool created = false;
    bool isColour = false;

    JpegDecoder() = default;
    JpegDecoder(const JpegDecoder&) = delete;
    JpegDecoder& operator=(const JpegDecoder&) = delete;
    ~JpegDecoder() {
        if (created) {
            jpeg_destroy_decompress(&info);
        }
    }
};

bool readJpegHeader(JpegDecoder& decoder, std::span<const std::uint8_t> bytes) {
    decoder.info.err = jpeg_std_error(&decoder.errors.base);
    decoder.errors.base.error_exit = onJpegError;
    decoder.errors.base.output_message = onJpegMessage;
    if (setjmp(decoder.errors.jump) != 0) {
        return false;
    }
    jpeg_create_decompress(&decoder.info);
    decoder.created = true;
    jpeg_mem_src(&decoder.info, bytes.data(), static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&decoder.info, TRUE);
    // As OpenCV's decoder: more than one component is colour, read as BGR; four components
    // (CMYK, or YCCK which libjpeg turns into CMYK) are read as CMYK and converted below.
    decoder.isColour = decoder.info.num_components > 1;
    if (decoder.info.num_components == 4) {
        decoder.info.out_color_space = JCS_CMYK;
    } else {
        decoder.info.out_color_space = decoder.isColour ? JCS_EXT_BGR : JCS_GRAYSCALE;
    }
    jpeg_start_decompress(&decoder.info);
    return true;
}

/// CMYK as stored by Adobe applications (inverted) to BGR, with OpenCV's integer formula
/// (imgcodecs icvCvt_CMYK2BGR_8u_C4C3R) so that the values stay what they were.
void cmykToBgr(const std::uint8_t* cmyk, std::uint8_t* bgr, JDIMENSION width) {
    for (JDIMENSION x = 0; x < width; ++x, cmyk += 4, bgr += 3) {
        const int k = cmyk[3];
        bgr[2] = static_cast<std::uint8_t>(k - (((255 - cmyk[0]) * k) >> 8));
        bgr[1] = static_cast<std::uint8_t>(k - (((255 - cmyk[1]) * k) >> 8));
        bgr[0] = static_cast<std::uint8_t>(k - (((255 - cmyk[2]) * k) >> 8));
    }
}

bool readJpegPixels(JpegDecoder& decoder, std::uint8_t* pixels, std::size_t rowStep) {
    if (setjmp(decoder.errors.jump) != 0) {
        return false;
    }
    jpeg_decompress_struct& info = decoder.info;
    const bool isCmyk = info.out_color_space == JCS_CMYK;
    // The CMYK row lives in libjpeg's image pool, freed with the decompressor.
    JSAMPARRAY cmykRow = isCmyk ? (*info.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&info),
                                                            JPOOL_IMAGE, info.output_width * 4, 1)
                                : nullptr;
    while (info.output_scanline < info.output_height) {
        std::uint8_t* row = pixels + rowStep * info.output_scanline;
        if (isCmyk) {
            jpeg_read_scanlines(&info, cmykRow, 1);
            cmykToBgr(cmykRow[0], row, info.output_width);
        } else {
            JSAMPROW target = row;
            jpeg_read_scanlines(&info, &target, 1);
        }
    }
    jpeg_finish_decompress(&info);
    return true;
}

/// Decodes JPEG bytes to 8-bit grey or BGR, or returns an empty matrix when libjpeg cannot.
/// EXIF orientation is not applied: the pixels stay in stored order, as before.
cv::Mat decodeJpeg(std::span<const std::uint8_t> bytes) {
    JpegDecoder decoder;
    if (!readJpegHeader(decoder, bytes)) {
        return {};
    }
    cv::Mat pixels(static_cast<int>(decoder.info.output_height),
                   static_cast<int>(decoder.info.output_width),
                   decoder.isColour ? CV_8UC3 : CV_8UC1);
    if (!readJpegPixels(decoder, pixels.data, pixels.step)) {
        return {};
    }
    return pixels;
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
    cv::Mat decoded = decodePng(bytes);
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
    if (decoded.channels() == 2 || decoded.channels() == 4) {
        cv::Mat alpha;
        cv::extractChannel(decoded, alpha, decoded.channels() - 1);
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
        // Grey (+alpha), or grey values stored as colour: channel 0 is the exact grey.
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
    cv::Mat decoded = decodeJpeg(bytes);
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
