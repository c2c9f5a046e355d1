#include "core/io/tiff_writer.h"

#include "core/io/atomic_file.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <memory>
#include <tiffio.h>
#include <vector>

namespace densito {
namespace {

/// zlib level: noisy 16-bit data compresses barely better at 6 than at 1, at twice the time.
constexpr int kDeflateLevel = 1;

/// A growable byte buffer that libtiff writes into (it seeks back to patch offsets).
struct MemorySink {
    std::string bytes;
    std::uint64_t position = 0;
    std::string firstError;
};

tmsize_t sinkRead(thandle_t handle, void* buffer, tmsize_t size) {
    auto* sink = static_cast<MemorySink*>(handle);
    if (size <= 0 || sink->position >= sink->bytes.size()) {
        return 0;
    }
    const std::uint64_t count = std::min<std::uint64_t>(sink->bytes.size() - sink->position,
                                                        static_cast<std::uint64_t>(size));
    std::memcpy(buffer, sink->bytes.data() + sink->position, count);
    sink->position += count;
    return static_cast<tmsize_t>(count);
}

tmsize_t sinkWrite(thandle_t handle, void* buffer, tmsize_t size) {
    auto* sink = static_cast<MemorySink*>(handle);
    if (size < 0) {
        return -1;
    }
    const auto count = static_cast<std::uint64_t>(size);
    if (sink->position + count > sink->bytes.size()) {
        sink->bytes.resize(sink->position + count);
    }
    std::memcpy(sink->bytes.data() + sink->position, buffer, count);
    sink->position += count;
    return size;
}

toff_t sinkSeek(thandle_t handle, toff_t offset, int whence) {
    auto* sink = static_cast<MemorySink*>(handle);
    std::uint64_t base = 0;
    if (whence == SEEK_CUR) {
        base = sink->position;
    } else if (whence == SEEK_END) {
        base = sink->bytes.size();
    }
    // libtiff passes negative relative offsets as wrapped unsigned values.
    sink->position = base + offset;
    return sink->position;
}

int sinkClose(thandle_t) {
    return 0;
}
toff_t sinkSize(thandle_t handle) {
    return static_cast<MemorySink*>(handle)->bytes.size();
}
int sinkMap(thandle_t, void**, toff_t*) {
    return 0;
}
void sinkUnmap(thandle_t, void*, toff_t) {}

int collectError(TIFF*, void* userData, const char* module, const char* format, va_list args) {
    auto* sink = static_cast<MemorySink*>(userData);
    if (sink->firstError.empty()) {
        char text[512];
        std::vsnprintf(text, sizeof text, format, args);
        sink->firstError = module != nullptr && module[0] != '\0'
                               ? fmt::format("{} ({})", text, module)
                               : std::string(text);
    }
    return 1; // handled: keep libtiff from printing to stderr
}

int ignoreWarning(TIFF*, void*, const char*, const char*, va_list) {
    return 1;
}

} // namespace

std::expected<std::string, Error> encodeTiff16(const cv::Mat& image, std::string_view description,
                                               std::string_view software,
                                               TiffCompression compression) {
    if (image.type() != CV_16UC1 || image.empty()) {
        return std::unexpected(
            Error{"", "only non-empty 16-bit single-channel images are written"});
    }
    MemorySink sink;
    const auto fail = [&sink](const char* what) {
        return std::unexpected(Error{"", sink.firstError.empty()
                                             ? std::string(what)
                                             : fmt::format("{}: {}", what, sink.firstError)});
    };
    std::unique_ptr<TIFFOpenOptions, void (*)(TIFFOpenOptions*)> options(TIFFOpenOptionsAlloc(),
                                                                         TIFFOpenOptionsFree);
    TIFFOpenOptionsSetErrorHandlerExtR(options.get(), collectError, &sink);
    TIFFOpenOptionsSetWarningHandlerExtR(options.get(), ignoreWarning, &sink);
    TIFF* tif = TIFFClientOpenExt("output", "wl", &sink, sinkRead, sinkWrite, sinkSeek, sinkClose,
                                  sinkSize, sinkMap, sinkUnmap, options.get());
    if (tif == nullptr) {
        return fail("libtiff cannot start the file");
    }
    const auto rowBytes = static_cast<std::uint32_t>(image.cols) * 2U;
    const std::uint32_t rowsPerStrip = std::max<std::uint32_t>(1, 65536U / rowBytes);
    const std::string descriptionText(description);
    const std::string softwareText(software);
    bool ok = TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(image.cols)) == 1 &&
              TIFFSetField(tif, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(image.rows)) == 1 &&
              TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 16) == 1 &&
              TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1) == 1 &&
              TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT) == 1 &&
              TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK) == 1 &&
              TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) == 1 &&
              TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, rowsPerStrip) == 1;
    if (ok && compression == TiffCompression::Deflate) {
        ok = TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE) == 1 &&
             TIFFSetField(tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL) == 1 &&
             TIFFSetField(tif, TIFFTAG_ZIPQUALITY, kDeflateLevel) == 1;
    } else if (ok) {
        ok = TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_NONE) == 1;
    }
    if (ok && !descriptionText.empty()) {
        ok = TIFFSetField(tif, TIFFTAG_IMAGEDESCRIPTION, descriptionText.c_str()) == 1;
    }
    if (ok && !softwareText.empty()) {
        ok = TIFFSetField(tif, TIFFTAG_SOFTWARE, softwareText.c_str()) == 1;
    }
    // libtiff's predictor works in place, so each row is copied first.
    std::vector<std::uint16_t> row(static_cast<std::size_t>(image.cols));
    for (int y = 0; ok && y < image.rows; ++y) {
        std::memcpy(row.data(), image.ptr<std::uint16_t>(y), row.size() * sizeof(std::uint16_t));
        ok = TIFFWriteScanline(tif, row.data(), static_cast<std::uint32_t>(y), 0) == 1;
    }
    ok = ok && TIFFFlush(tif) == 1;
    TIFFClose(tif);
    if (!ok || !sink.firstError.empty()) {
        return fail("libtiff cannot encode the image");
    }
    return std::move(sink.bytes);
}

std::expected<void, Error> writeTiff16(const std::filesystem::path& path, const cv::Mat& image,
                                       std::string_view description, std::string_view software,
                                       TiffCompression compression) {
    auto bytes = encodeTiff16(image, description, software, compression);
    if (!bytes) {
        return std::unexpected(Error{path.filename().string(), bytes.error().reason});
    }
    return writeFileAtomically(path, *bytes);
}

} // namespace densito
