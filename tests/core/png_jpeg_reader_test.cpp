#include "core/image/image_loader.h"
#include "core/io/png_writer.h"

#include "file_bytes.h"
#include "png_jpeg_fixtures.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace densito {
namespace {

using test::encodeCmykJpeg;
using test::encodeImage;
using test::encodePngSpec;
using test::isIdentical;
using test::makeTestPixels;
using test::PngSpec;
using test::TempDir;
using test::writeFileBytes;

/// The grey image Densito made of `bytes` when it decoded through OpenCV (cv::imdecode,
/// unchanged, then grey or luminance): the reference the libpng/libjpeg readers must match.
cv::Mat openCvReference(const std::vector<std::uint8_t>& bytes) {
    const cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    if (decoded.channels() == 1) {
        return decoded;
    }
    std::vector<cv::Mat> channels;
    cv::split(decoded, channels);
    if (cv::norm(channels[0], channels[1], cv::NORM_INF) == 0 &&
        cv::norm(channels[0], channels[2], cv::NORM_INF) == 0) {
        return channels[0];
    }
    cv::Mat grey;
    cv::cvtColor(decoded, grey, decoded.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    return grey;
}

cv::Mat loadRaw(const TempDir& dir, const std::string& name,
                const std::vector<std::uint8_t>& bytes) {
    writeFileBytes(dir / name, bytes);
    const auto image = loadImage(dir / name);
    if (!image) {
        ADD_FAILURE() << image.error().describe();
        return {};
    }
    return image->raw;
}

bool hasWarningContaining(const Image& image, const std::string& text) {
    for (const std::string& warning : image.warnings) {
        if (warning.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

TEST(PngReader, GreyRoundTripsExactly) {
    TempDir dir;
    for (const int type : {CV_8UC1, CV_16UC1}) {
        SCOPED_TRACE(type);
        const cv::Mat pixels = makeTestPixels(41, 67, type, 21);
        const auto path = dir / "grey.png";
        writeFileBytes(path, encodeImage(".png", pixels));

        const auto image = loadImage(path);
        ASSERT_TRUE(image.has_value()) << image.error().describe();
        EXPECT_TRUE(isIdentical(image->raw, pixels));
        EXPECT_TRUE(image->validMask.empty());
        EXPECT_EQ(image->warnings, type == CV_8UC1
                                       ? std::vector<std::string>{std::string(kEightBitWarning)}
                                       : std::vector<std::string>{});
        EXPECT_EQ(image->metadata.format, FileFormat::Png);
        EXPECT_EQ(image->metadata.width, 67);
        EXPECT_EQ(image->metadata.height, 41);
        EXPECT_EQ(image->metadata.bitsPerSample, type == CV_8UC1 ? 8 : 16);
        EXPECT_EQ(image->metadata.samplesPerPixel, 1);
        EXPECT_EQ(image->metadata.pageCount, 1);
        EXPECT_EQ(image->metadata.photometric, Photometric::MinIsBlack);
        EXPECT_FALSE(image->metadata.lossy);
    }
}

TEST(PngReader, TransparentPixelsGiveAValidMaskAndAWarning) {
    // A figure tool's padding: fully transparent columns on the left of 16-bit grey content.
    const cv::Mat grey = makeTestPixels(30, 40, CV_16UC1, 8);
    cv::Mat alpha(30, 40, CV_16UC1, cv::Scalar(65535));
    alpha.colRange(0, 5).setTo(0);
    alpha.at<std::uint16_t>(10, 20) = 1; // nearly transparent is still content
    cv::Mat bgra;
    cv::merge(std::vector<cv::Mat>{grey, grey, grey, alpha}, bgra);
    TempDir dir;
    writeFileBytes(dir / "padded.png", encodeImage(".png", bgra));

    const auto image = loadImage(dir / "padded.png");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_TRUE(isIdentical(image->raw, grey));
    ASSERT_FALSE(image->validMask.empty());
    EXPECT_EQ(image->validMask.type(), CV_8UC1);
    EXPECT_EQ(cv::countNonZero(image->validMask), 30 * 35);
    EXPECT_EQ(cv::countNonZero(image->validMask.colRange(0, 5)), 0);
    EXPECT_NE(image->validMask.at<std::uint8_t>(10, 20), 0);
    EXPECT_TRUE(hasWarningContaining(*image, "150 fully transparent pixels"));
    EXPECT_EQ(image->metadata.bitsPerSample, 16);
    EXPECT_EQ(image->metadata.samplesPerPixel, 4);
}

TEST(PngReader, OpaqueAlphaGivesNoMask) {
    const cv::Mat grey = makeTestPixels(10, 12, CV_8UC1, 2);
    const cv::Mat alpha(10, 12, CV_8UC1, cv::Scalar(255));
    cv::Mat bgra;
    cv::merge(std::vector<cv::Mat>{grey, grey, grey, alpha}, bgra);
    TempDir dir;
    writeFileBytes(dir / "opaque.png", encodeImage(".png", bgra));

    const auto image = loadImage(dir / "opaque.png");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_TRUE(image->validMask.empty());
    EXPECT_FALSE(hasWarningContaining(*image, "transparent"));
}

TEST(PngReader, RgbWithEqualChannelsGivesTheExactGrey) {
    TempDir dir;
    for (const int depth : {CV_8U, CV_16U}) {
        SCOPED_TRACE(depth);
        const cv::Mat grey = makeTestPixels(25, 35, CV_MAKETYPE(depth, 1), 13);
        cv::Mat bgr;
        cv::merge(std::vector<cv::Mat>{grey, grey, grey}, bgr);
        writeFileBytes(dir / "grey_rgb.png", encodeImage(".png", bgr));

        const auto image = loadImage(dir / "grey_rgb.png");
        ASSERT_TRUE(image.has_value()) << image.error().describe();
        EXPECT_TRUE(isIdentical(image->raw, grey));
        EXPECT_EQ(image->metadata.photometric, Photometric::Rgb);
        EXPECT_TRUE(hasWarningContaining(*image, "grey values stored as RGB"));
    }
}

TEST(PngReader, ColourIsReadAsLuminanceWithAWarning) {
    const cv::Mat bgr = makeTestPixels(25, 35, CV_8UC3, 17);
    TempDir dir;
    writeFileBytes(dir / "colour.png", encodeImage(".png", bgr));

    const auto image = loadImage(dir / "colour.png");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    cv::Mat expected;
    cv::cvtColor(bgr, expected, cv::COLOR_BGR2GRAY);
    EXPECT_TRUE(isIdentical(image->raw, expected));
    EXPECT_TRUE(hasWarningContaining(*image, "colour image read as luminance"));
}

TEST(PngReader, BilevelIsExpandedToEightBitsWithAWarning) {
    cv::Mat pixels = makeTestPixels(16, 24, CV_8UC1, 4);
    pixels = pixels > 127; // 0 or 255
    TempDir dir;
    writeFileBytes(dir / "bilevel.png", encodeImage(".png", pixels, {cv::IMWRITE_PNG_BILEVEL, 1}));

    const auto image = loadImage(dir / "bilevel.png");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_TRUE(isIdentical(image->raw, pixels));
    EXPECT_TRUE(hasWarningContaining(*image, "1-bit grey PNG expanded to 8 bits"));
}

TEST(PngReader, OnlyPageOneExists) {
    TempDir dir;
    writeFileBytes(dir / "one.png", encodeImage(".png", makeTestPixels(5, 5, CV_8UC1)));
    LoadOptions options;
    options.pageIndex = 1;
    const auto image = loadImage(dir / "one.png", options);
    ASSERT_FALSE(image.has_value());
    EXPECT_EQ(image.error().describe(), "one.png: page 2 requested, but a PNG has 1 page");
}

TEST(JpegReader, IsLossyWithAWarning) {
    const cv::Mat pixels = makeTestPixels(48, 64, CV_8UC1, 5);
    TempDir dir;
    writeFileBytes(dir / "blot.jpg", encodeImage(".jpg", pixels, {cv::IMWRITE_JPEG_QUALITY, 95}));

    const auto image = loadImage(dir / "blot.jpg");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_TRUE(image->metadata.lossy);
    EXPECT_EQ(image->metadata.format, FileFormat::Jpeg);
    EXPECT_EQ(image->metadata.compression, "JPEG");
    EXPECT_EQ(image->metadata.bitsPerSample, 8);
    EXPECT_EQ(image->raw.type(), CV_8UC1);
    EXPECT_EQ(image->raw.size(), pixels.size());
    ASSERT_EQ(image->warnings.size(), 2u);
    EXPECT_NE(image->warnings[0].find("lossy JPEG"), std::string::npos);
    EXPECT_EQ(image->warnings[1], kEightBitWarning);
}

TEST(JpegReader, ColourIsLossyAndReadAsLuminance) {
    TempDir dir;
    writeFileBytes(dir / "colour.jpeg", encodeImage(".jpg", makeTestPixels(16, 16, CV_8UC3, 6)));

    const auto image = loadImage(dir / "colour.jpeg");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_TRUE(image->metadata.lossy);
    EXPECT_EQ(image->raw.type(), CV_8UC1);
    EXPECT_TRUE(hasWarningContaining(*image, "lossy JPEG"));
    EXPECT_TRUE(hasWarningContaining(*image, "colour image read as luminance"));
}

/// An 8-bit palette image: index = (x + 3y) mod entries, as PNG stores it.
PngSpec paletteSpec(int width, int height, int bitDepth, const std::vector<png_color>& palette) {
    PngSpec spec{width, height, bitDepth, PNG_COLOR_TYPE_PALETTE, false, {}, palette, {}};
    const int perByte = 8 / bitDepth;
    for (int y = 0; y < height; ++y) {
        std::vector<std::uint8_t> row(static_cast<std::size_t>((width + perByte - 1) / perByte), 0);
        for (int x = 0; x < width; ++x) {
            const int index = (x + 3 * y) % static_cast<int>(palette.size());
            const int shift = 8 - bitDepth * (x % perByte + 1);
            row[static_cast<std::size_t>(x / perByte)] |= static_cast<std::uint8_t>(index << shift);
        }
        spec.rows.push_back(row);
    }
    return spec;
}

TEST(PngReader, ColourPaletteGivesTheLuminanceOpenCvGave) {
    const std::vector<png_color> palette{
        {0, 0, 0}, {200, 30, 10}, {5, 250, 90}, {255, 255, 255}, {17, 99, 201}};
    TempDir dir;
    for (const int bitDepth : {4, 8}) {
        SCOPED_TRACE(bitDepth);
        const auto bytes = encodePngSpec(paletteSpec(23, 9, bitDepth, palette));
        writeFileBytes(dir / "palette.png", bytes);
        const auto image = loadImage(dir / "palette.png");
        ASSERT_TRUE(image.has_value()) << image.error().describe();
        EXPECT_TRUE(isIdentical(image->raw, openCvReference(bytes)));
        // The expected values from the palette itself (BT.601 luminance of each entry).
        const png_color entry = palette[(5 + 3 * 2) % palette.size()];
        cv::Mat one(1, 1, CV_8UC3, cv::Scalar(entry.blue, entry.green, entry.red));
        cv::cvtColor(one, one, cv::COLOR_BGR2GRAY);
        EXPECT_EQ(image->raw.at<std::uint8_t>(2, 5), one.at<std::uint8_t>(0, 0));
        EXPECT_EQ(image->metadata.photometric, Photometric::Palette);
        EXPECT_EQ(image->metadata.samplesPerPixel, 1);
        EXPECT_TRUE(hasWarningContaining(*image, "colour image read as luminance"));
    }
}

TEST(PngReader, GreyPaletteGivesTheExactGrey) {
    const std::vector<png_color> palette{{0, 0, 0}, {7, 7, 7}, {128, 128, 128}, {255, 255, 255}};
    TempDir dir;
    const auto bytes = encodePngSpec(paletteSpec(17, 5, 2, palette));
    const cv::Mat raw = loadRaw(dir, "grey_palette.png", bytes);
    EXPECT_TRUE(isIdentical(raw, openCvReference(bytes)));
    EXPECT_EQ(raw.at<std::uint8_t>(1, 0), 255); // index 3
    EXPECT_EQ(raw.at<std::uint8_t>(0, 1), 7);   // index 1
}

TEST(PngReader, PaletteTransparencyGivesAValidMask) {
    const std::vector<png_color> palette{{0, 0, 0}, {50, 50, 50}, {90, 90, 90}};
    PngSpec spec = paletteSpec(12, 4, 8, palette);
    spec.paletteAlpha = {0, 255, 128}; // entry 0 is padding
    const auto bytes = encodePngSpec(spec);
    TempDir dir;
    writeFileBytes(dir / "trns.png", bytes);
    const auto image = loadImage(dir / "trns.png");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_TRUE(isIdentical(image->raw, openCvReference(bytes)));
    ASSERT_FALSE(image->validMask.empty());
    // Index 0 where (x + 3y) mod 3 == 0, i.e. x mod 3 == 0: 4 columns of 4 rows.
    EXPECT_EQ(cv::countNonZero(image->validMask), 12 * 4 - 16);
    EXPECT_EQ(image->validMask.at<std::uint8_t>(0, 0), 0);
    EXPECT_NE(image->validMask.at<std::uint8_t>(0, 1), 0);
}

TEST(PngReader, SixteenBitGreyAlphaKeepsGreyAndMask) {
    const cv::Mat grey = makeTestPixels(6, 10, CV_16UC1, 31);
    PngSpec spec{10, 6, 16, PNG_COLOR_TYPE_GRAY_ALPHA, false, {}, {}, {}};
    for (int y = 0; y < 6; ++y) {
        std::vector<std::uint8_t> row;
        for (int x = 0; x < 10; ++x) {
            const std::uint16_t value = grey.at<std::uint16_t>(y, x);
            const std::uint16_t alpha = x < 2 ? 0 : 65535;
            row.insert(row.end(), {static_cast<std::uint8_t>(value >> 8),
                                   static_cast<std::uint8_t>(value & 0xFF),
                                   static_cast<std::uint8_t>(alpha >> 8),
                                   static_cast<std::uint8_t>(alpha & 0xFF)});
        }
        spec.rows.push_back(row);
    }
    const auto bytes = encodePngSpec(spec);
    TempDir dir;
    writeFileBytes(dir / "grey_alpha.png", bytes);
    const auto image = loadImage(dir / "grey_alpha.png");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_TRUE(isIdentical(image->raw, grey));
    EXPECT_TRUE(isIdentical(image->raw, openCvReference(bytes)));
    EXPECT_EQ(cv::countNonZero(image->validMask), 6 * 8);
    EXPECT_EQ(image->metadata.samplesPerPixel, 2);
    EXPECT_EQ(image->metadata.photometric, Photometric::MinIsBlack);
    EXPECT_TRUE(hasWarningContaining(*image, "12 fully transparent pixels"));
}

TEST(PngReader, InterlacedSixteenBitIsReadExactly) {
    const cv::Mat grey = makeTestPixels(19, 13, CV_16UC1, 3);
    PngSpec spec{13, 19, 16, PNG_COLOR_TYPE_GRAY, true, {}, {}, {}};
    for (int y = 0; y < 19; ++y) {
        std::vector<std::uint8_t> row;
        for (int x = 0; x < 13; ++x) {
            const std::uint16_t value = grey.at<std::uint16_t>(y, x);
            row.insert(row.end(), {static_cast<std::uint8_t>(value >> 8),
                                   static_cast<std::uint8_t>(value & 0xFF)});
        }
        spec.rows.push_back(row);
    }
    TempDir dir;
    EXPECT_TRUE(isIdentical(loadRaw(dir, "adam7.png", encodePngSpec(spec)), grey));
}

TEST(PngReader, CorruptDataIsAnError) {
    auto bytes = encodeImage(".png", makeTestPixels(32, 32, CV_16UC1, 9));
    bytes[bytes.size() / 2] ^= 0x5A; // inside IDAT: the chunk's CRC no longer matches
    TempDir dir;
    writeFileBytes(dir / "flipped.png", bytes);
    const auto image = loadImage(dir / "flipped.png");
    ASSERT_FALSE(image.has_value());
    EXPECT_EQ(image.error().describe(),
              "flipped.png: the PNG data cannot be decoded (corrupt or truncated)");
}

TEST(JpegReader, BaselineAndProgressiveGiveThePixelsOpenCvGave) {
    TempDir dir;
    for (const int type : {CV_8UC1, CV_8UC3}) {
        for (const int progressive : {0, 1}) {
            SCOPED_TRACE(testing::Message() << type << " progressive " << progressive);
            cv::Mat pixels = makeTestPixels(37, 53, type, 11);
            cv::GaussianBlur(pixels, pixels, cv::Size(5, 5), 1.5); // photograph-like content
            const auto bytes = encodeImage(
                ".jpg", pixels,
                {cv::IMWRITE_JPEG_QUALITY, 90, cv::IMWRITE_JPEG_PROGRESSIVE, progressive});
            EXPECT_TRUE(isIdentical(loadRaw(dir, "blot.jpg", bytes), openCvReference(bytes)));
        }
    }
}

TEST(JpegReader, CmykGivesTheLuminanceOpenCvGave) {
    const int width = 24;
    const int height = 16;
    std::vector<std::uint8_t> cmyk(static_cast<std::size_t>(width * height * 4));
    for (std::size_t i = 0; i < cmyk.size(); ++i) {
        cmyk[i] = static_cast<std::uint8_t>((i * 37 + (i / 4) * 11) % 256);
    }
    const auto bytes = encodeCmykJpeg(width, height, cmyk);
    TempDir dir;
    writeFileBytes(dir / "cmyk.jpg", bytes);
    const auto image = loadImage(dir / "cmyk.jpg");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_TRUE(isIdentical(image->raw, openCvReference(bytes)));
    EXPECT_EQ(image->raw.size(), cv::Size(width, height));
    EXPECT_TRUE(hasWarningContaining(*image, "colour image read as luminance"));
}

TEST(JpegReader, ExifOrientationIsNotApplied) {
    // Pixels stay in stored order, as cv::imdecode(IMREAD_UNCHANGED) left them: a detector's
    // export is never rotated behind the user's back.
    const cv::Mat pixels = makeTestPixels(20, 44, CV_8UC1, 12);
    const auto plain = encodeImage(".jpg", pixels, {cv::IMWRITE_JPEG_QUALITY, 95});
    const auto rotated = test::withExifOrientation(plain, 6);
    TempDir dir;
    const cv::Mat raw = loadRaw(dir, "exif.jpg", rotated);
    EXPECT_EQ(raw.size(), cv::Size(44, 20));
    EXPECT_TRUE(isIdentical(raw, openCvReference(plain)));
    EXPECT_TRUE(isIdentical(raw, openCvReference(rotated)));
}

TEST(JpegReader, CorruptHeaderIsAnError) {
    auto bytes = encodeImage(".jpg", makeTestPixels(16, 16, CV_8UC1, 2));
    // The frame header's component count (SOF0 + 9) set to 0: libjpeg refuses the frame.
    for (std::size_t i = 2; i + 9 < bytes.size(); ++i) {
        if (bytes[i] == 0xFF && bytes[i + 1] == 0xC0) {
            bytes[i + 9] = 0;
            break;
        }
    }
    TempDir dir;
    writeFileBytes(dir / "broken.jpg", bytes);
    const auto image = loadImage(dir / "broken.jpg");
    ASSERT_FALSE(image.has_value());
    EXPECT_EQ(image.error().describe(),
              "broken.jpg: the JPEG data cannot be decoded (corrupt or unsupported)");
}

TEST(PngWriter, WritesTheBytesOpenCvWrote) {
    // Overlays and charts kept their exact files when imencode was replaced.
    for (const int type : {CV_8UC1, CV_8UC3, CV_8UC4, CV_16UC1, CV_16UC3}) {
        SCOPED_TRACE(type);
        cv::Mat pixels = makeTestPixels(33, 47, type, 5);
        cv::GaussianBlur(pixels, pixels, cv::Size(3, 3), 1.0);
        EXPECT_EQ(writePng(pixels), encodeImage(".png", pixels));
    }
    EXPECT_TRUE(writePng(cv::Mat()).empty());
    EXPECT_TRUE(writePng(cv::Mat(4, 4, CV_32FC1, cv::Scalar(1.0))).empty());
}

} // namespace
} // namespace densito
