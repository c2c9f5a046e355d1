#include "core/image/image_loader.h"

#include "file_bytes.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace densito {
namespace {

using test::encodeImage;
using test::isIdentical;
using test::makeTestPixels;
using test::TempDir;
using test::writeFileBytes;

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

} // namespace
} // namespace densito
