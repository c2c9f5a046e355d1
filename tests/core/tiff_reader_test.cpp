#include "core/image/image_loader.h"

#include "file_bytes.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <limits>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <tiffio.h>
#include <vector>

namespace densito {
namespace {

using test::isIdentical;
using test::makeTestPixels;
using test::TempDir;
using test::TiffEncoding;
using test::writeTiff;

// Not a multiple of any tile size, and several default strips high at every depth.
constexpr int kRows = 97;
constexpr int kCols = 301;

enum class Layout { DefaultStrips, OneRowPerStrip, OddStrips, Tiles16, Tiles32 };

struct Codec {
    std::uint16_t compression;
    std::uint16_t predictor;
    const char* name;     // for the test name
    const char* reported; // ImageMetadata::compression
};

struct RoundTripCase {
    int depth;
    Codec codec;
    Layout layout;
    bool isBigEndian;
};

std::string depthName(int depth) {
    return depth == CV_8U ? "UInt8" : depth == CV_16U ? "UInt16" : "Float32";
}

std::string layoutName(Layout layout) {
    switch (layout) {
    case Layout::DefaultStrips:
        return "DefaultStrips";
    case Layout::OneRowPerStrip:
        return "OneRowPerStrip";
    case Layout::OddStrips:
        return "SevenRowStrips";
    case Layout::Tiles16:
        return "Tiles16";
    case Layout::Tiles32:
        return "Tiles32";
    }
    return "?";
}

std::string describeCase(const RoundTripCase& c) {
    return depthName(c.depth) + "_" + c.codec.name + "_" + layoutName(c.layout) + "_" +
           (c.isBigEndian ? "BigEndian" : "LittleEndian");
}

/// One ctest case per sample type and codec; each runs every layout and byte order.
struct SampleAndCodec {
    int depth;
    Codec codec;
};

std::string caseName(const testing::TestParamInfo<SampleAndCodec>& info) {
    return depthName(info.param.depth) + "_" + info.param.codec.name;
}

// gtest prints the parameter of a failing case with this instead of its bytes.
[[maybe_unused]] void PrintTo(const SampleAndCodec& c, std::ostream* out) {
    *out << depthName(c.depth) << " " << c.codec.name;
}

std::vector<SampleAndCodec> allSampleTypesAndCodecs() {
    const std::vector<Codec> codecs = {
        {COMPRESSION_NONE, PREDICTOR_NONE, "None", "none"},
        {COMPRESSION_LZW, PREDICTOR_NONE, "Lzw", "LZW"},
        {COMPRESSION_LZW, PREDICTOR_HORIZONTAL, "LzwPredictor", "LZW"},
        {COMPRESSION_ADOBE_DEFLATE, PREDICTOR_NONE, "Deflate", "Deflate"},
        {COMPRESSION_ADOBE_DEFLATE, PREDICTOR_HORIZONTAL, "DeflatePredictor", "Deflate"},
        {COMPRESSION_PACKBITS, PREDICTOR_NONE, "PackBits", "PackBits"},
    };
    std::vector<SampleAndCodec> cases;
    for (const int depth : {CV_8U, CV_16U, CV_32F}) {
        for (const Codec& codec : codecs) {
            cases.push_back({depth, codec});
        }
    }
    return cases;
}

/// Reads the tags of the fixture back with libtiff, so that a writer that silently ignored
/// a setting cannot make a round trip look tested.
void expectFixtureEncoding(const std::filesystem::path& path, const TiffEncoding& encoding,
                           int rows) {
    std::unique_ptr<TIFF, void (*)(TIFF*)> tif(TIFFOpen(path.c_str(), "r"), TIFFClose);
    ASSERT_NE(tif, nullptr);
    std::uint16_t compression = 0;
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_COMPRESSION, &compression);
    EXPECT_EQ(compression, encoding.compression);
    if (compression == COMPRESSION_LZW || compression == COMPRESSION_ADOBE_DEFLATE) {
        std::uint16_t predictor = 0;
        TIFFGetFieldDefaulted(tif.get(), TIFFTAG_PREDICTOR, &predictor);
        EXPECT_EQ(predictor, encoding.predictor);
    }
    EXPECT_EQ(TIFFIsBigEndian(tif.get()) != 0, encoding.isBigEndian);
    ASSERT_EQ(TIFFIsTiled(tif.get()) != 0, encoding.isTiled);
    if (encoding.isTiled) {
        std::uint32_t tileWidth = 0;
        TIFFGetField(tif.get(), TIFFTAG_TILEWIDTH, &tileWidth);
        EXPECT_EQ(tileWidth, static_cast<std::uint32_t>(encoding.tileSize));
        return;
    }
    std::uint32_t rowsPerStrip = 0;
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_ROWSPERSTRIP, &rowsPerStrip);
    if (encoding.rowsPerStrip > 0) {
        EXPECT_EQ(rowsPerStrip, static_cast<std::uint32_t>(encoding.rowsPerStrip));
    }
    EXPECT_GT(TIFFNumberOfStrips(tif.get()), 1u) << "the image should span several strips";
    EXPECT_LT(rowsPerStrip, static_cast<std::uint32_t>(rows));
}

void expectRoundTrip(const RoundTripCase& c) {
    SCOPED_TRACE(describeCase(c));
    TiffEncoding encoding;
    encoding.compression = c.codec.compression;
    encoding.predictor = c.codec.predictor;
    encoding.isBigEndian = c.isBigEndian;
    encoding.isTiled = c.layout == Layout::Tiles16 || c.layout == Layout::Tiles32;
    encoding.tileSize = c.layout == Layout::Tiles32 ? 32 : 16;
    encoding.rowsPerStrip = c.layout == Layout::OneRowPerStrip ? 1
                            : c.layout == Layout::OddStrips    ? 7
                                                               : 0;
    const cv::Mat pixels = makeTestPixels(kRows, kCols, CV_MAKETYPE(c.depth, 1), 11);
    TempDir dir;
    const auto path = dir / "round_trip.tif";
    writeTiff(path, {pixels}, encoding);
    expectFixtureEncoding(path, encoding, kRows);

    const auto image = loadImage(path);
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_TRUE(isIdentical(image->raw, pixels))
        << "type " << image->raw.type() << " vs " << pixels.type();
    EXPECT_TRUE(image->validMask.empty());
    EXPECT_EQ(image->warnings, c.depth == CV_8U
                                   ? std::vector<std::string>{std::string(kEightBitWarning)}
                                   : std::vector<std::string>{});
    const ImageMetadata& meta = image->metadata;
    EXPECT_EQ(meta.format, FileFormat::Tiff);
    EXPECT_EQ(meta.width, kCols);
    EXPECT_EQ(meta.height, kRows);
    EXPECT_EQ(meta.bitsPerSample, c.depth == CV_8U ? 8 : c.depth == CV_16U ? 16 : 32);
    EXPECT_EQ(meta.sampleKind, c.depth == CV_32F ? SampleKind::Float : SampleKind::UnsignedInt);
    EXPECT_EQ(meta.samplesPerPixel, 1);
    EXPECT_EQ(meta.pageCount, 1);
    EXPECT_EQ(meta.pageIndex, 0);
    EXPECT_EQ(meta.photometric, Photometric::MinIsBlack);
    EXPECT_EQ(meta.compression, c.codec.reported);
    EXPECT_EQ(meta.tiled, encoding.isTiled);
    EXPECT_EQ(meta.bigEndian, c.isBigEndian);
    EXPECT_FALSE(meta.lossy);
}

class TiffRoundTrip : public testing::TestWithParam<SampleAndCodec> {};

TEST_P(TiffRoundTrip, KeepsEveryPixelValue) {
    for (const Layout layout : {Layout::DefaultStrips, Layout::OneRowPerStrip, Layout::OddStrips,
                                Layout::Tiles16, Layout::Tiles32}) {
        for (const bool isBigEndian : {false, true}) {
            expectRoundTrip({GetParam().depth, GetParam().codec, layout, isBigEndian});
        }
    }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, TiffRoundTrip, testing::ValuesIn(allSampleTypesAndCodecs()),
                         caseName);

TEST(TiffReader, MinIsWhiteKeepsStoredValues) {
    TempDir dir;
    for (const int depth : {CV_8U, CV_16U}) {
        SCOPED_TRACE(depthName(depth));
        const cv::Mat pixels = makeTestPixels(40, 50, depth, 3);
        TiffEncoding encoding;
        encoding.photometric = PHOTOMETRIC_MINISWHITE;
        encoding.compression = COMPRESSION_LZW;
        const auto path = dir / ("min_is_white_" + depthName(depth) + ".tif");
        writeTiff(path, {pixels}, encoding);

        const auto image = loadImage(path);
        ASSERT_TRUE(image.has_value()) << image.error().describe();
        EXPECT_TRUE(isIdentical(image->raw, pixels)) << "the tag must never invert the data";
        EXPECT_EQ(image->metadata.photometric, Photometric::MinIsWhite);
        EXPECT_EQ(image->warnings, depth == CV_8U
                                       ? std::vector<std::string>{std::string(kEightBitWarning)}
                                       : std::vector<std::string>{});
    }
}

TEST(TiffReader, MultiPageReadsTheChosenPage) {
    const std::vector<cv::Mat> pages = {makeTestPixels(30, 40, CV_16UC1, 1),
                                        makeTestPixels(30, 40, CV_16UC1, 2),
                                        makeTestPixels(30, 40, CV_16UC1, 3)};
    TempDir dir;
    const auto path = dir / "channels.tif";
    TiffEncoding encoding;
    encoding.compression = COMPRESSION_ADOBE_DEFLATE;
    writeTiff(path, pages, encoding);

    for (int page = 0; page < 3; ++page) {
        SCOPED_TRACE(page);
        LoadOptions options;
        options.pageIndex = page;
        const auto image = loadImage(path, options);
        ASSERT_TRUE(image.has_value()) << image.error().describe();
        EXPECT_TRUE(isIdentical(image->raw, pages[static_cast<std::size_t>(page)]));
        EXPECT_EQ(image->metadata.pageCount, 3);
        EXPECT_EQ(image->metadata.pageIndex, page);
    }
    const auto first = loadImage(path);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->metadata.pageIndex, 0) << "the first page is the default";
    EXPECT_TRUE(isIdentical(first->raw, pages[0]));
}

TEST(TiffReader, PagesMayDifferInSizeAndType) {
    const std::vector<cv::Mat> pages = {makeTestPixels(30, 40, CV_16UC1, 1),
                                        makeTestPixels(17, 23, CV_8UC1, 2),
                                        makeTestPixels(64, 9, CV_32FC1, 3)};
    TempDir dir;
    const auto path = dir / "mixed.tif";
    writeTiff(path, pages);
    for (int page = 0; page < 3; ++page) {
        SCOPED_TRACE(page);
        LoadOptions options;
        options.pageIndex = page;
        const auto image = loadImage(path, options);
        ASSERT_TRUE(image.has_value()) << image.error().describe();
        const cv::Mat& expected = pages[static_cast<std::size_t>(page)];
        EXPECT_TRUE(isIdentical(image->raw, expected));
        EXPECT_EQ(image->metadata.width, expected.cols);
        EXPECT_EQ(image->metadata.height, expected.rows);
        EXPECT_EQ(image->metadata.bitsPerSample, static_cast<int>(8 * expected.elemSize1()));
    }
}

TEST(TiffReader, PageOutOfRangeIsAnErrorNamingTheFile) {
    TempDir dir;
    const auto path = dir / "two_pages.tif";
    writeTiff(path, {makeTestPixels(8, 8, CV_8UC1, 1), makeTestPixels(8, 8, CV_8UC1, 2)});

    LoadOptions options;
    options.pageIndex = 2;
    const auto beyond = loadImage(path, options);
    ASSERT_FALSE(beyond.has_value());
    EXPECT_EQ(beyond.error().describe(),
              "two_pages.tif: page 3 requested, but the file has 2 pages");

    options.pageIndex = -1;
    const auto negative = loadImage(path, options);
    ASSERT_FALSE(negative.has_value());
    EXPECT_EQ(negative.error().subject, "two_pages.tif");
}

struct ColourCase {
    int depth;
    int channels;
    bool isSeparatePlanes;
    bool isTiled = false;
    bool isBigEndian = false;
};

TEST(TiffReader, RgbIsReadAsLuminanceWithAWarning) {
    TempDir dir;
    const std::vector<ColourCase> cases = {{CV_8U, 3, false},
                                           {CV_8U, 3, true},
                                           {CV_16U, 3, false},
                                           {CV_16U, 3, true},
                                           {CV_8U, 4, false},
                                           {CV_16U, 4, true},
                                           {CV_8U, 3, false, true},
                                           {CV_16U, 3, true, true},
                                           {CV_16U, 3, false, false, true},
                                           {CV_16U, 3, true, false, true},
                                           {CV_8U, 3, true, true, true}};
    for (const ColourCase& c : cases) {
        const std::string name = depthName(c.depth) + "_" + std::to_string(c.channels) +
                                 (c.isSeparatePlanes ? "_separate" : "_contiguous") +
                                 (c.isTiled ? "_tiled" : "_strips") +
                                 (c.isBigEndian ? "_big" : "_little");
        SCOPED_TRACE(name);
        const cv::Mat rgb = makeTestPixels(33, 47, CV_MAKETYPE(c.depth, c.channels), 5);
        TiffEncoding encoding;
        encoding.photometric = PHOTOMETRIC_RGB;
        encoding.isSeparatePlanes = c.isSeparatePlanes;
        encoding.isTiled = c.isTiled;
        encoding.isBigEndian = c.isBigEndian;
        encoding.compression = COMPRESSION_LZW;
        encoding.predictor = PREDICTOR_HORIZONTAL;
        const auto path = dir / (name + ".tif");
        writeTiff(path, {rgb}, encoding);

        const auto image = loadImage(path);
        ASSERT_TRUE(image.has_value()) << image.error().describe();
        cv::Mat expected;
        cv::cvtColor(rgb, expected, c.channels == 4 ? cv::COLOR_RGBA2GRAY : cv::COLOR_RGB2GRAY);
        EXPECT_TRUE(isIdentical(image->raw, expected));
        EXPECT_EQ(image->metadata.photometric, Photometric::Rgb);
        EXPECT_EQ(image->metadata.samplesPerPixel, c.channels);
        EXPECT_EQ(image->metadata.bitsPerSample, c.depth == CV_8U ? 8 : 16);
        EXPECT_EQ(image->metadata.tiled, c.isTiled);
        ASSERT_EQ(image->warnings.size(), 1u);
        EXPECT_NE(image->warnings[0].find("read as luminance"), std::string::npos);
        EXPECT_NE(image->warnings[0].find("not raw detector data"), std::string::npos);
    }
}

TEST(TiffReader, RgbWithEqualChannelsGivesTheExactGrey) {
    const cv::Mat grey = makeTestPixels(20, 30, CV_16UC1, 9);
    cv::Mat rgb;
    cv::merge(std::vector<cv::Mat>{grey, grey, grey}, rgb);
    TempDir dir;
    const auto path = dir / "grey_as_rgb.tif";
    TiffEncoding encoding;
    encoding.photometric = PHOTOMETRIC_RGB;
    writeTiff(path, {rgb}, encoding);

    const auto image = loadImage(path);
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_TRUE(isIdentical(image->raw, grey));
}

TEST(TiffReader, GreyWithAnExtraSampleMeasuresTheFirst) {
    const cv::Mat grey = makeTestPixels(20, 30, CV_16UC1, 4);
    const cv::Mat alpha(20, 30, CV_16UC1, cv::Scalar(65535));
    cv::Mat both;
    cv::merge(std::vector<cv::Mat>{grey, alpha}, both);
    TempDir dir;
    const auto path = dir / "grey_alpha.tif";
    writeTiff(path, {both});

    const auto image = loadImage(path);
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_TRUE(isIdentical(image->raw, grey));
    EXPECT_EQ(image->metadata.samplesPerPixel, 2);
    ASSERT_EQ(image->warnings.size(), 1u);
    EXPECT_NE(image->warnings[0].find("extra sample"), std::string::npos);
}

TEST(TiffReader, ResolutionTagIsKept) {
    TempDir dir;
    const auto path = dir / "dpi.tif";
    TiffEncoding encoding;
    encoding.xResolution = 300.0f;
    writeTiff(path, {makeTestPixels(10, 10, CV_16UC1)}, encoding);

    const auto image = loadImage(path);
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    ASSERT_TRUE(image->metadata.xResolution.has_value());
    ASSERT_TRUE(image->metadata.yResolution.has_value());
    EXPECT_DOUBLE_EQ(*image->metadata.xResolution, 300.0);
    EXPECT_DOUBLE_EQ(*image->metadata.yResolution, 300.0);
    EXPECT_EQ(image->metadata.resolutionUnit, "inch");
}

TEST(TiffReader, NoResolutionTagLeavesResolutionUnset) {
    TempDir dir;
    const auto path = dir / "no_dpi.tif";
    writeTiff(path, {makeTestPixels(10, 10, CV_8UC1)});

    const auto image = loadImage(path);
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_FALSE(image->metadata.xResolution.has_value());
    EXPECT_FALSE(image->metadata.yResolution.has_value());
}

TEST(TiffReader, FloatWithNanIsRefused) {
    cv::Mat pixels = makeTestPixels(10, 10, CV_32FC1);
    pixels.at<float>(4, 5) = std::numeric_limits<float>::quiet_NaN();
    TempDir dir;
    const auto path = dir / "nan.tif";
    writeTiff(path, {pixels});

    const auto image = loadImage(path);
    ASSERT_FALSE(image.has_value());
    EXPECT_EQ(image.error().describe(), "nan.tif: the float image holds NaN or infinite values");
}

TEST(TiffReader, FloatWithAbsurdValuesIsRefused) {
    cv::Mat pixels = makeTestPixels(10, 10, CV_32FC1);
    pixels.at<float>(2, 3) = -3e38F;
    TempDir dir;
    const auto path = dir / "huge_values.tif";
    writeTiff(path, {pixels});

    const auto image = loadImage(path);
    ASSERT_FALSE(image.has_value());
    EXPECT_EQ(image.error().describe(), "huge_values.tif: the float image holds values up to "
                                        "3e+38, beyond the +-1e+12 that Densito measures");
}

TEST(TiffReader, FormatComesFromTheSignatureNotTheName) {
    TempDir dir;
    const auto path = dir / "actually_tiff.png";
    const cv::Mat pixels = makeTestPixels(12, 13, CV_16UC1);
    writeTiff(path, {pixels});

    const auto image = loadImage(path);
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_EQ(image->metadata.format, FileFormat::Tiff);
    EXPECT_TRUE(isIdentical(image->raw, pixels));
}

} // namespace
} // namespace densito
