#include "support/tiff_writer.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <opencv2/core.hpp>
#include <stdexcept>
#include <string>
#include <tiffio.h>

namespace densito::test {
namespace {

struct TiffCloser {
    void operator()(TIFF* tif) const { TIFFClose(tif); }
};
using TiffHandle = std::unique_ptr<TIFF, TiffCloser>;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
    throw std::runtime_error("writeTiff " + path.string() + ": " + what);
}

std::uint16_t sampleFormatOf(int depth) {
    switch (depth) {
    case CV_8U:
    case CV_16U:
        return SAMPLEFORMAT_UINT;
    case CV_8S:
    case CV_16S:
    case CV_32S:
        return SAMPLEFORMAT_INT;
    case CV_32F:
    case CV_64F:
        return SAMPLEFORMAT_IEEEFP;
    default:
        return 0;
    }
}

bool codecHasPredictor(std::uint16_t compression) {
    return compression == COMPRESSION_LZW || compression == COMPRESSION_ADOBE_DEFLATE ||
           compression == COMPRESSION_DEFLATE;
}

void setField(TIFF* tif, const std::filesystem::path& path, ttag_t tag, auto... values) {
    if (TIFFSetField(tif, tag, values...) != 1) {
        fail(path, "cannot set tag " + std::to_string(tag));
    }
}

/// Copies rows [y0, y0 + rows) and columns [x0, x0 + cols) of `plane` into `buffer`, which
/// holds blocks of `blockWidth` pixels per row; the rest of the buffer stays zero.
void fillBlock(const cv::Mat& plane, int x0, int y0, int cols, int rows, int blockWidth,
               std::vector<std::uint8_t>& buffer) {
    std::fill(buffer.begin(), buffer.end(), std::uint8_t{0});
    const std::size_t pixelBytes = plane.elemSize();
    const std::size_t blockRowBytes = static_cast<std::size_t>(blockWidth) * pixelBytes;
    for (int row = 0; row < rows; ++row) {
        std::memcpy(buffer.data() + static_cast<std::size_t>(row) * blockRowBytes,
                    plane.ptr<std::uint8_t>(y0 + row) + static_cast<std::size_t>(x0) * pixelBytes,
                    static_cast<std::size_t>(cols) * pixelBytes);
    }
}

void writePage(TIFF* tif, const std::filesystem::path& path, const cv::Mat& page,
               const TiffEncoding& encoding, int pageIndex, int pageCount) {
    const std::uint16_t sampleFormat = sampleFormatOf(page.depth());
    if (sampleFormat == 0 || page.empty()) {
        fail(path, "unsupported Mat type " + std::to_string(page.type()));
    }
    const auto width = static_cast<std::uint32_t>(page.cols);
    const auto height = static_cast<std::uint32_t>(page.rows);
    const auto channels = static_cast<std::uint16_t>(page.channels());
    const auto bits = static_cast<std::uint16_t>(8 * page.elemSize1());
    const bool separate = encoding.isSeparatePlanes && channels > 1;

    setField(tif, path, TIFFTAG_IMAGEWIDTH, width);
    setField(tif, path, TIFFTAG_IMAGELENGTH, height);
    setField(tif, path, TIFFTAG_BITSPERSAMPLE, bits);
    setField(tif, path, TIFFTAG_SAMPLESPERPIXEL, channels);
    setField(tif, path, TIFFTAG_SAMPLEFORMAT, sampleFormat);
    setField(tif, path, TIFFTAG_PHOTOMETRIC, encoding.photometric);
    setField(tif, path, TIFFTAG_PLANARCONFIG,
             separate ? PLANARCONFIG_SEPARATE : PLANARCONFIG_CONTIG);
    setField(tif, path, TIFFTAG_COMPRESSION, encoding.compression);
    if (encoding.predictor != PREDICTOR_NONE) {
        if (!codecHasPredictor(encoding.compression)) {
            fail(path, "a predictor needs LZW or Deflate compression");
        }
        setField(tif, path, TIFFTAG_PREDICTOR, encoding.predictor);
    }
    const int colourSamples = encoding.photometric == PHOTOMETRIC_RGB ? 3 : 1;
    if (channels > colourSamples) {
        const std::vector<std::uint16_t> extra(static_cast<std::size_t>(channels - colourSamples),
                                               EXTRASAMPLE_UNASSALPHA);
        setField(tif, path, TIFFTAG_EXTRASAMPLES, static_cast<std::uint16_t>(extra.size()),
                 extra.data());
    }
    if (encoding.xResolution > 0) {
        const auto resolution = static_cast<double>(encoding.xResolution);
        setField(tif, path, TIFFTAG_XRESOLUTION, resolution);
        setField(tif, path, TIFFTAG_YRESOLUTION, resolution);
        setField(tif, path, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    }
    if (pageCount > 1) {
        setField(tif, path, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
        setField(tif, path, TIFFTAG_PAGENUMBER, static_cast<std::uint16_t>(pageIndex),
                 static_cast<std::uint16_t>(pageCount));
    }

    std::vector<cv::Mat> planes;
    if (separate) {
        cv::split(page, planes);
    } else {
        planes.push_back(page.isContinuous() ? page : page.clone());
    }

    if (encoding.isTiled) {
        const auto tile = static_cast<std::uint32_t>(encoding.tileSize);
        if (tile == 0 || tile % 16 != 0) {
            fail(path, "the tile size must be a multiple of 16");
        }
        setField(tif, path, TIFFTAG_TILEWIDTH, tile);
        setField(tif, path, TIFFTAG_TILELENGTH, tile);
        std::vector<std::uint8_t> buffer(static_cast<std::size_t>(TIFFTileSize(tif)));
        for (std::size_t p = 0; p < planes.size(); ++p) {
            for (int y = 0; y < page.rows; y += encoding.tileSize) {
                for (int x = 0; x < page.cols; x += encoding.tileSize) {
                    fillBlock(planes[p], x, y, std::min(encoding.tileSize, page.cols - x),
                              std::min(encoding.tileSize, page.rows - y), encoding.tileSize,
                              buffer);
                    if (TIFFWriteTile(tif, buffer.data(), static_cast<std::uint32_t>(x),
                                      static_cast<std::uint32_t>(y), 0,
                                      static_cast<std::uint16_t>(p)) < 0) {
                        fail(path, "cannot write a tile");
                    }
                }
            }
        }
        return;
    }

    const std::uint32_t rowsPerStrip = encoding.rowsPerStrip > 0
                                           ? static_cast<std::uint32_t>(encoding.rowsPerStrip)
                                           : TIFFDefaultStripSize(tif, 0);
    setField(tif, path, TIFFTAG_ROWSPERSTRIP, rowsPerStrip);
    // Scanlines, plane after plane: libtiff cuts them into strips of rowsPerStrip rows.
    std::vector<std::uint8_t> row(static_cast<std::size_t>(TIFFScanlineSize(tif)));
    for (std::size_t p = 0; p < planes.size(); ++p) {
        for (int y = 0; y < page.rows; ++y) {
            std::memcpy(row.data(), planes[p].ptr<std::uint8_t>(y), row.size());
            if (TIFFWriteScanline(tif, row.data(), static_cast<std::uint32_t>(y),
                                  static_cast<std::uint16_t>(p)) != 1) {
                fail(path, "cannot write row " + std::to_string(y));
            }
        }
    }
}

} // namespace

void writeTiff(const std::filesystem::path& path, const std::vector<cv::Mat>& pages,
               const TiffEncoding& encoding) {
    if (pages.empty()) {
        fail(path, "no pages");
    }
    TiffHandle tif(TIFFOpen(path.c_str(), encoding.isBigEndian ? "wb" : "wl"));
    if (!tif) {
        fail(path, "cannot open for writing");
    }
    const int pageCount = static_cast<int>(pages.size());
    for (int i = 0; i < pageCount; ++i) {
        writePage(tif.get(), path, pages[static_cast<std::size_t>(i)], encoding, i, pageCount);
        if (TIFFWriteDirectory(tif.get()) != 1) {
            fail(path, "cannot write page " + std::to_string(i));
        }
    }
}

} // namespace densito::test
