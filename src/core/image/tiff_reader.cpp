#include "core/image/tiff_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <tiffio.h>
#include <vector>

namespace densito::detail {
namespace {

/// No imager makes a side this long; a longer one is a corrupt header.
constexpr std::uint32_t kMaxSidePx = 1'000'000;

/// The bytes libtiff reads through; libtiff gets no write access (the write callback fails).
struct MemoryStream {
    std::span<const std::uint8_t> bytes;
    std::uint64_t position = 0;
    std::string firstError; // libtiff's first error message in this call
};

tmsize_t streamRead(thandle_t handle, void* buffer, tmsize_t size) {
    auto* stream = static_cast<MemoryStream*>(handle);
    if (size <= 0 || stream->position >= stream->bytes.size()) {
        return 0;
    }
    const std::uint64_t available = stream->bytes.size() - stream->position;
    const std::uint64_t count =
        std::min<std::uint64_t>(available, static_cast<std::uint64_t>(size));
    std::memcpy(buffer, stream->bytes.data() + stream->position, count);
    stream->position += count;
    return static_cast<tmsize_t>(count);
}

tmsize_t streamWrite(thandle_t, void*, tmsize_t) {
    return -1;
}

toff_t streamSeek(thandle_t handle, toff_t offset, int whence) {
    auto* stream = static_cast<MemoryStream*>(handle);
    std::uint64_t base = 0;
    if (whence == SEEK_CUR) {
        base = stream->position;
    } else if (whence == SEEK_END) {
        base = stream->bytes.size();
    }
    // libtiff passes negative relative offsets as wrapped unsigned values.
    stream->position = base + offset;
    return stream->position;
}

int streamClose(thandle_t) {
    return 0;
}
toff_t streamSize(thandle_t handle) {
    return static_cast<MemoryStream*>(handle)->bytes.size();
}
int streamMap(thandle_t, void**, toff_t*) {
    return 0;
}
void streamUnmap(thandle_t, void*, toff_t) {}

// The format attribute tells the compiler `format` is libtiff's printf format, passed on.
[[gnu::format(printf, 4, 0)]] int collectError(TIFF*, void* userData, const char* module,
                                               const char* format, va_list args) {
    auto* stream = static_cast<MemoryStream*>(userData);
    if (stream->firstError.empty()) {
        char text[512];
        std::vsnprintf(text, sizeof text, format, args);
        stream->firstError = module != nullptr && module[0] != '\0'
                                 ? fmt::format("{} ({})", text, module)
                                 : std::string(text);
    }
    return 1; // handled: keep libtiff from printing to stderr
}

int ignoreWarning(TIFF*, void*, const char*, const char*, va_list) {
    return 1;
}

struct TiffCloser {
    void operator()(TIFF* tif) const { TIFFClose(tif); }
};
using TiffHandle = std::unique_ptr<TIFF, TiffCloser>;

std::string withLibtiffReason(const std::string& what, const MemoryStream& stream) {
    return stream.firstError.empty() ? what : fmt::format("{}: {}", what, stream.firstError);
}

std::string codecName(std::uint16_t compression) {
    switch (compression) {
    case COMPRESSION_NONE:
        return "none";
    case COMPRESSION_LZW:
        return "LZW";
    case COMPRESSION_ADOBE_DEFLATE:
    case COMPRESSION_DEFLATE:
        return "Deflate";
    case COMPRESSION_PACKBITS:
        return "PackBits";
    case COMPRESSION_JPEG:
    case COMPRESSION_OJPEG:
        return "JPEG";
    case COMPRESSION_LZMA:
        return "LZMA";
    case COMPRESSION_ZSTD:
        return "ZSTD";
    case COMPRESSION_WEBP:
        return "WebP";
    case COMPRESSION_CCITTRLE:
    case COMPRESSION_CCITTFAX3:
    case COMPRESSION_CCITTFAX4:
        return "CCITT";
    default: {
        const TIFFCodec* codec = TIFFFindCODEC(compression);
        return codec != nullptr ? codec->name : fmt::format("scheme {}", compression);
    }
    }
}

std::string tagString(TIFF* tif, ttag_t tag) {
    char* value = nullptr;
    if (TIFFGetField(tif, tag, &value) == 1 && value != nullptr) {
        std::string text(value);
        while (!text.empty() &&
               (text.back() == '\0' || text.back() == ' ' || text.back() == '\n')) {
            text.pop_back();
        }
        return text;
    }
    return {};
}

/// Copies the valid part of one decoded block (strip or tile) into the destination image.
/// `blockPixelsPerRow` is the block's stored width; `channels` is samples per pixel in the block.
void copyBlock(const std::uint8_t* block, std::size_t blockRowBytes, cv::Mat& destination, int x0,
               int y0, int copyWidth, int copyHeight, int plane, int planes) {
    const std::size_t sampleBytes = destination.elemSize1();
    const auto pixelBytes = static_cast<std::size_t>(destination.elemSize());
    for (int row = 0; row < copyHeight; ++row) {
        const std::uint8_t* source = block + static_cast<std::size_t>(row) * blockRowBytes;
        std::uint8_t* target =
            destination.ptr<std::uint8_t>(y0 + row) + static_cast<std::size_t>(x0) * pixelBytes;
        if (planes == 1) {
            std::memcpy(target, source, static_cast<std::size_t>(copyWidth) * pixelBytes);
        } else {
            for (int x = 0; x < copyWidth; ++x) {
                std::memcpy(target + static_cast<std::size_t>(x) * pixelBytes +
                                static_cast<std::size_t>(plane) * sampleBytes,
                            source + static_cast<std::size_t>(x) * sampleBytes, sampleBytes);
            }
        }
    }
}

/// Where strip or tile `index` lies when its bytes reach past the end of the file (bad
/// offsets, a cut-off file): libtiff's own words for that are a read error at a nonsense row.
std::optional<std::string> beyondTheFile(TIFF* tif, std::uint32_t index, std::size_t fileBytes) {
    int isError = 0;
    const std::uint64_t offset = TIFFGetStrileOffsetWithErr(tif, index, &isError);
    const std::uint64_t count = TIFFGetStrileByteCountWithErr(tif, index, &isError);
    if (isError != 0 || count == 0 || (offset <= fileBytes && count <= fileBytes - offset)) {
        return std::nullopt;
    }
    return fmt::format("lies past the end of the file (bytes {} to {} of a {}-byte file)", offset,
                       offset + count - 1, fileBytes);
}

std::expected<void, std::string> readStrips(TIFF* tif, MemoryStream& stream, cv::Mat& pixels,
                                            int planes) {
    const int width = pixels.cols;
    const int height = pixels.rows;
    std::uint32_t rowsPerStrip = 0;
    TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rowsPerStrip);
    rowsPerStrip = std::clamp<std::uint32_t>(rowsPerStrip, 1, static_cast<std::uint32_t>(height));
    const int samplesInBlock = planes == 1 ? pixels.channels() : 1;
    const std::size_t rowBytes = static_cast<std::size_t>(width) *
                                 static_cast<std::size_t>(samplesInBlock) * pixels.elemSize1();
    const auto stripsPerPlane = static_cast<std::uint32_t>(
        (static_cast<std::uint32_t>(height) + rowsPerStrip - 1) / rowsPerStrip);
    if (TIFFNumberOfStrips(tif) < stripsPerPlane * static_cast<std::uint32_t>(planes)) {
        return std::unexpected(fmt::format("the file lists {} strips where {} are needed",
                                           TIFFNumberOfStrips(tif),
                                           stripsPerPlane * static_cast<std::uint32_t>(planes)));
    }
    // Interleaved samples in a continuous image: each strip is decoded straight into its rows
    // (no strip buffer, no copy). Separate planes go through the buffer to be interleaved.
    const bool isDirect = planes == 1 && pixels.isContinuous();
    std::vector<std::uint8_t> buffer(isDirect ? 0 : rowBytes * rowsPerStrip);
    for (int plane = 0; plane < planes; ++plane) {
        for (std::uint32_t strip = 0; strip < stripsPerPlane; ++strip) {
            const int y0 = static_cast<int>(strip * rowsPerStrip);
            const int rows = std::min<int>(static_cast<int>(rowsPerStrip), height - y0);
            const auto wanted = static_cast<tmsize_t>(rowBytes * static_cast<std::size_t>(rows));
            const std::uint32_t index = strip + static_cast<std::uint32_t>(plane) * stripsPerPlane;
            if (const auto where = beyondTheFile(tif, index, stream.bytes.size())) {
                return std::unexpected(
                    fmt::format("strip {} (rows {}-{}) {}", index, y0, y0 + rows - 1, *where));
            }
            std::uint8_t* target = isDirect ? pixels.ptr<std::uint8_t>(y0) : buffer.data();
            const tmsize_t got = TIFFReadEncodedStrip(tif, index, target, wanted);
            if (got < wanted) {
                return std::unexpected(
                    withLibtiffReason(fmt::format("strip {} (rows {}-{}) is truncated or corrupt",
                                                  index, y0, y0 + rows - 1),
                                      stream));
            }
            if (!isDirect) {
                copyBlock(buffer.data(), rowBytes, pixels, 0, y0, width, rows, plane, planes);
            }
        }
    }
    return {};
}

std::expected<void, std::string> readTiles(TIFF* tif, MemoryStream& stream, cv::Mat& pixels,
                                           int planes) {
    std::uint32_t tileWidth = 0;
    std::uint32_t tileHeight = 0;
    TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tileWidth);
    TIFFGetField(tif, TIFFTAG_TILELENGTH, &tileHeight);
    if (tileWidth == 0 || tileHeight == 0 || tileWidth > 65536 || tileHeight > 65536) {
        return std::unexpected(fmt::format("invalid tile size {}x{}", tileWidth, tileHeight));
    }
    const int samplesInBlock = planes == 1 ? pixels.channels() : 1;
    const std::size_t tileRowBytes =
        std::size_t{tileWidth} * static_cast<std::size_t>(samplesInBlock) * pixels.elemSize1();
    const auto wanted = static_cast<tmsize_t>(tileRowBytes * tileHeight);
    std::vector<std::uint8_t> buffer(static_cast<std::size_t>(wanted));
    for (int plane = 0; plane < planes; ++plane) {
        for (int y0 = 0; y0 < pixels.rows; y0 += static_cast<int>(tileHeight)) {
            for (int x0 = 0; x0 < pixels.cols; x0 += static_cast<int>(tileWidth)) {
                const std::uint32_t tile = TIFFComputeTile(tif, static_cast<std::uint32_t>(x0),
                                                           static_cast<std::uint32_t>(y0), 0,
                                                           static_cast<std::uint16_t>(plane));
                if (const auto where = beyondTheFile(tif, tile, stream.bytes.size())) {
                    return std::unexpected(
                        fmt::format("tile {} at ({}, {}) {}", tile, x0, y0, *where));
                }
                const tmsize_t got = TIFFReadEncodedTile(tif, tile, buffer.data(), wanted);
                if (got < wanted) {
                    return std::unexpected(withLibtiffReason(
                        fmt::format("tile {} at ({}, {}) is truncated or corrupt", tile, x0, y0),
                        stream));
                }
                const int copyWidth = std::min<int>(static_cast<int>(tileWidth), pixels.cols - x0);
                const int copyHeight =
                    std::min<int>(static_cast<int>(tileHeight), pixels.rows - y0);
                copyBlock(buffer.data(), tileRowBytes, pixels, x0, y0, copyWidth, copyHeight, plane,
                          planes);
            }
        }
    }
    return {};
}

/// Maps 8-bit palette indices through the TIFF colour map: grey maps give their grey
/// level, colour maps their luminance. Either way the result is a picture, not raw data.
std::expected<cv::Mat, std::string> applyColourMap(TIFF* tif, const cv::Mat& indices,
                                                   std::vector<std::string>& warnings) {
    std::uint16_t* red = nullptr;
    std::uint16_t* green = nullptr;
    std::uint16_t* blue = nullptr;
    if (TIFFGetField(tif, TIFFTAG_COLORMAP, &red, &green, &blue) != 1 || red == nullptr ||
        green == nullptr || blue == nullptr) {
        return std::unexpected("the palette image has no colour map");
    }
    bool grey = true;
    cv::Mat lookUp(1, 256, CV_8UC1);
    for (int i = 0; i < 256; ++i) {
        grey = grey && red[i] == green[i] && red[i] == blue[i];
        // BT.601 luminance, as cv::cvtColor; equals the grey level when r = g = b.
        const double y = 0.299 * red[i] + 0.587 * green[i] + 0.114 * blue[i];
        lookUp.at<std::uint8_t>(i) = cv::saturate_cast<std::uint8_t>(y / 257.0);
    }
    cv::Mat mapped;
    cv::LUT(indices, lookUp, mapped);
    warnings.push_back(grey ? "palette (indexed) grey image mapped through its colour map: this "
                              "is an exported picture, not raw detector data"
                            : "palette (indexed) colour image read as luminance: this is an "
                              "exported picture, not raw detector data");
    return mapped;
}

Photometric toPhotometric(std::uint16_t tag) {
    switch (tag) {
    case PHOTOMETRIC_MINISBLACK:
        return Photometric::MinIsBlack;
    case PHOTOMETRIC_MINISWHITE:
        return Photometric::MinIsWhite;
    case PHOTOMETRIC_RGB:
    case PHOTOMETRIC_YCBCR:
        return Photometric::Rgb;
    case PHOTOMETRIC_PALETTE:
        return Photometric::Palette;
    default:
        return Photometric::Other;
    }
}

/// The offset of the first directory (IFD) named by a classic or BigTIFF header, when the
/// header is complete.
std::optional<std::uint64_t> firstDirectoryOffset(std::span<const std::uint8_t> bytes) {
    const bool isLittleEndian = bytes.size() >= 2 && bytes[0] == 'I';
    auto read = [&](std::size_t at, std::size_t count) {
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t shift = 8 * (isLittleEndian ? i : count - 1 - i);
            value |= std::uint64_t{bytes[at + i]} << shift;
        }
        return value;
    };
    if (bytes.size() >= 8 && read(2, 2) == 42) {
        return read(4, 4);
    }
    if (bytes.size() >= 16 && read(2, 2) == 43) {
        return read(8, 8);
    }
    return std::nullopt;
}

} // namespace

std::expected<Image, std::string> readTiff(std::span<const std::uint8_t> bytes, int pageIndex,
                                           std::uint64_t maxPixels) {
    MemoryStream stream{bytes, 0, {}};
    std::unique_ptr<TIFFOpenOptions, void (*)(TIFFOpenOptions*)> options(TIFFOpenOptionsAlloc(),
                                                                         TIFFOpenOptionsFree);
    TIFFOpenOptionsSetErrorHandlerExtR(options.get(), collectError, &stream);
    TIFFOpenOptionsSetWarningHandlerExtR(options.get(), ignoreWarning, &stream);
    // Bounds libtiff's own buffers, so a corrupt header cannot request gigabytes.
    TIFFOpenOptionsSetMaxSingleMemAlloc(
        options.get(),
        static_cast<tmsize_t>(std::min<std::uint64_t>(maxPixels * 16, std::uint64_t{1} << 34)));
    // "m": no memory mapping; the callbacks are the only access to the bytes.
    TiffHandle tif(TIFFClientOpenExt("input", "rm", &stream, streamRead, streamWrite, streamSeek,
                                     streamClose, streamSize, streamMap, streamUnmap,
                                     options.get()));
    if (!tif) {
        // libtiff writes the directory after the pixels, so a cut-off copy loses it first;
        // say so rather than passing on libtiff's "cannot read directory count".
        const std::optional<std::uint64_t> directory = firstDirectoryOffset(bytes);
        if (directory && *directory + 2 > bytes.size()) {
            return std::unexpected(fmt::format(
                "the file is truncated: its TIFF directory starts at byte {}, but the file "
                "has {} bytes",
                *directory, bytes.size()));
        }
        return std::unexpected(withLibtiffReason("not a readable TIFF", stream));
    }

    Image image;
    ImageMetadata& meta = image.metadata;
    meta.format = FileFormat::Tiff;
    meta.bigEndian = TIFFIsBigEndian(tif.get()) != 0;
    const tdir_t pages = TIFFNumberOfDirectories(tif.get());
    meta.pageCount = static_cast<int>(pages);
    if (pageIndex < 0 || pageIndex >= static_cast<int>(pages)) {
        return std::unexpected(fmt::format("page {} requested, but the file has {} page{}",
                                           pageIndex + 1, pages, pages == 1 ? "" : "s"));
    }
    if (pageIndex > 0 && TIFFSetDirectory(tif.get(), static_cast<tdir_t>(pageIndex)) != 1) {
        return std::unexpected(
            withLibtiffReason(fmt::format("page {} cannot be read", pageIndex + 1), stream));
    }
    meta.pageIndex = pageIndex;

    std::uint32_t width = 0;
    std::uint32_t height = 0;
    if (TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &width) != 1 ||
        TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &height) != 1) {
        return std::unexpected("the image width or height tag is missing");
    }
    if (width == 0 || height == 0) {
        return std::unexpected(fmt::format("the image is {}x{} pixels (empty)", width, height));
    }
    const std::uint64_t pixelCount = std::uint64_t{width} * height;
    if (pixelCount > maxPixels) {
        return std::unexpected(
            fmt::format("the image is {}x{} = {} pixels, above the limit of {} pixels", width,
                        height, pixelCount, maxPixels));
    }
    if (width > kMaxSidePx || height > kMaxSidePx) {
        return std::unexpected(
            fmt::format("the image is {}x{} pixels, above the limit of {} pixels per side", width,
                        height, kMaxSidePx));
    }
    meta.width = static_cast<int>(width);
    meta.height = static_cast<int>(height);

    std::uint16_t bitsPerSample = 1;
    std::uint16_t samplesPerPixel = 1;
    std::uint16_t sampleFormat = SAMPLEFORMAT_UINT;
    std::uint16_t planarConfig = PLANARCONFIG_CONTIG;
    std::uint16_t compression = COMPRESSION_NONE;
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_BITSPERSAMPLE, &bitsPerSample);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLESPERPIXEL, &samplesPerPixel);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLEFORMAT, &sampleFormat);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_PLANARCONFIG, &planarConfig);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_COMPRESSION, &compression);
    std::uint16_t photometricTag = 0;
    if (TIFFGetField(tif.get(), TIFFTAG_PHOTOMETRIC, &photometricTag) != 1) {
        photometricTag = samplesPerPixel >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
        image.warnings.push_back("the photometric tag is missing; assumed " +
                                 std::string(samplesPerPixel >= 3 ? "RGB" : "min-is-black"));
    }
    meta.photometric = toPhotometric(photometricTag);
    meta.compression = codecName(compression);
    meta.tiled = TIFFIsTiled(tif.get()) != 0;
    meta.samplesPerPixel = samplesPerPixel;
    meta.bitsPerSample = bitsPerSample;

    int depth = -1;
    if ((sampleFormat == SAMPLEFORMAT_UINT || sampleFormat == SAMPLEFORMAT_VOID) &&
        bitsPerSample == 8) {
        depth = CV_8U;
    } else if ((sampleFormat == SAMPLEFORMAT_UINT || sampleFormat == SAMPLEFORMAT_VOID) &&
               bitsPerSample == 16) {
        depth = CV_16U;
    } else if (sampleFormat == SAMPLEFORMAT_IEEEFP && bitsPerSample == 32) {
        depth = CV_32F;
        meta.sampleKind = SampleKind::Float;
    }
    if (depth < 0) {
        const char* kind = sampleFormat == SAMPLEFORMAT_INT      ? "signed integer"
                           : sampleFormat == SAMPLEFORMAT_IEEEFP ? "floating-point"
                                                                 : "unsigned integer";
        return std::unexpected(
            fmt::format("unsupported sample format: {}-bit {} samples (Densito reads 8- and 16-bit "
                        "unsigned and 32-bit float)",
                        bitsPerSample, kind));
    }
    if (samplesPerPixel < 1 || samplesPerPixel > 16) {
        return std::unexpected(fmt::format("unsupported samples per pixel: {}", samplesPerPixel));
    }
    const bool colour = meta.photometric == Photometric::Rgb;
    const bool palette = meta.photometric == Photometric::Palette;
    if (palette && (depth != CV_8U || samplesPerPixel != 1)) {
        return std::unexpected(
            fmt::format("unsupported palette (indexed) image with {}-bit samples", bitsPerSample));
    }
    if (meta.photometric == Photometric::Other) {
        return std::unexpected(fmt::format(
            "unsupported photometric interpretation {} (Densito reads grey-scale and RGB)",
            photometricTag));
    }
    if (colour && samplesPerPixel < 3) {
        return std::unexpected(
            fmt::format("RGB page with {} sample(s) per pixel is malformed", samplesPerPixel));
    }
    if (TIFFIsCODECConfigured(compression) != 1) {
        return std::unexpected(fmt::format("compression {} is not supported", meta.compression));
    }
    if (photometricTag == PHOTOMETRIC_YCBCR) {
        if (compression != COMPRESSION_JPEG) {
            return std::unexpected("YCbCr colour without JPEG compression is not supported");
        }
        TIFFSetField(tif.get(), TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
    }
    if (compression == COMPRESSION_JPEG || compression == COMPRESSION_OJPEG ||
        compression == COMPRESSION_WEBP) {
        meta.lossy = true;
        image.warnings.push_back(
            "lossy compression: pixel values carry compression error, so volumes do too");
    }

    float xResolution = 0;
    float yResolution = 0;
    std::uint16_t resolutionUnit = RESUNIT_INCH;
    if (TIFFGetField(tif.get(), TIFFTAG_XRESOLUTION, &xResolution) == 1 && xResolution > 0) {
        meta.xResolution = xResolution;
    }
    if (TIFFGetField(tif.get(), TIFFTAG_YRESOLUTION, &yResolution) == 1 && yResolution > 0) {
        meta.yResolution = yResolution;
    }
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_RESOLUTIONUNIT, &resolutionUnit);
    meta.resolutionUnit = resolutionUnit == RESUNIT_CENTIMETER ? "centimeter"
                          : resolutionUnit == RESUNIT_NONE     ? "none"
                                                               : "inch";
    meta.software = tagString(tif.get(), TIFFTAG_SOFTWARE);
    meta.make = tagString(tif.get(), TIFFTAG_MAKE);
    meta.model = tagString(tif.get(), TIFFTAG_MODEL);
    meta.description = tagString(tif.get(), TIFFTAG_IMAGEDESCRIPTION);
    meta.dateTime = tagString(tif.get(), TIFFTAG_DATETIME);

    const int planes = planarConfig == PLANARCONFIG_SEPARATE ? samplesPerPixel : 1;
    cv::Mat pixels(meta.height, meta.width, CV_MAKETYPE(depth, samplesPerPixel));
    const auto status = meta.tiled ? readTiles(tif.get(), stream, pixels, planes)
                                   : readStrips(tif.get(), stream, pixels, planes);
    if (!status) {
        return std::unexpected(status.error());
    }

    if (palette) {
        auto mapped = applyColourMap(tif.get(), pixels, image.warnings);
        if (!mapped) {
            return std::unexpected(mapped.error());
        }
        image.raw = *mapped;
    } else if (colour) {
        cv::Mat rgb;
        if (samplesPerPixel == 3) {
            rgb = pixels;
        } else {
            std::vector<cv::Mat> channels;
            cv::split(pixels, channels);
            channels.resize(3);
            cv::merge(channels, rgb);
        }
        cv::cvtColor(rgb, image.raw, cv::COLOR_RGB2GRAY);
        image.warnings.push_back(
            "colour (RGB) image read as luminance: this is an exported picture, not raw "
            "detector data");
    } else if (samplesPerPixel > 1) {
        cv::extractChannel(pixels, image.raw, 0);
        image.warnings.push_back(fmt::format(
            "{} extra sample(s) per pixel (such as alpha) ignored; the first is measured",
            samplesPerPixel - 1));
    } else {
        image.raw = pixels;
    }

    if (depth == CV_32F) {
        const cv::Mat finite = image.raw == image.raw; // NaN compares unequal to itself
        const int nonFinite = static_cast<int>(image.raw.total()) - cv::countNonZero(finite);
        double low = 0;
        double high = 0;
        cv::minMaxLoc(image.raw, &low, &high, nullptr, nullptr, finite);
        if (nonFinite > 0 || !std::isfinite(low) || !std::isfinite(high)) {
            return std::unexpected("the float image holds NaN or infinite values");
        }
        // Sums and differences of such values overflow single precision on the way to a
        // volume (fuzzing found a 3e38 pixel turning a lane profile into NaN); no detector or
        // export comes near this.
        if (std::max(std::abs(low), std::abs(high)) > kMaxFloatMagnitude) {
            return std::unexpected(
                fmt::format("the float image holds values up to {:g}, beyond the +-{:g} that "
                            "Densito measures",
                            std::max(std::abs(low), std::abs(high)), kMaxFloatMagnitude));
        }
    }
    return image;
}

std::expected<int, std::string> countTiffPages(const std::filesystem::path& path) {
    MemoryStream messages; // only its error slot is used
    std::unique_ptr<TIFFOpenOptions, void (*)(TIFFOpenOptions*)> options(TIFFOpenOptionsAlloc(),
                                                                         TIFFOpenOptionsFree);
    TIFFOpenOptionsSetErrorHandlerExtR(options.get(), collectError, &messages);
    TIFFOpenOptionsSetWarningHandlerExtR(options.get(), ignoreWarning, &messages);
    TiffHandle tif(TIFFOpenExt(path.c_str(), "rm", options.get()));
    if (!tif) {
        return std::unexpected(withLibtiffReason("not a readable TIFF", messages));
    }
    return static_cast<int>(TIFFNumberOfDirectories(tif.get()));
}

} // namespace densito::detail
