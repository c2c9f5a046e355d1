#include "core/image/image_loader.h"
#include "core/io/sha256.h"

#include "file_bytes.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <cmath>
#include <filesystem>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <string>
#include <tiffio.h>

namespace densito {
namespace {

using test::encodeImage;
using test::isIdentical;
using test::makeTestPixels;
using test::readFileBytes;
using test::TempDir;
using test::writeFileBytes;
using test::writeTiff;

TEST(ImageLoader, Sha256IsThatOfTheFileBytes) {
    TempDir dir;
    test::TiffEncoding encoding;
    encoding.compression = COMPRESSION_LZW;
    writeTiff(dir / "a.tif", {makeTestPixels(20, 30, CV_16UC1)}, encoding);
    writeFileBytes(dir / "b.png", encodeImage(".png", makeTestPixels(20, 30, CV_8UC1)));
    writeFileBytes(dir / "c.jpg", encodeImage(".jpg", makeTestPixels(20, 30, CV_8UC1)));
    for (const char* name : {"a.tif", "b.png", "c.jpg"}) {
        SCOPED_TRACE(name);
        const auto bytes = readFileBytes(dir / name);
        const auto image = loadImage(dir / name);
        ASSERT_TRUE(image.has_value()) << image.error().describe();
        EXPECT_EQ(image->metadata.sha256, sha256Hex(bytes));
        EXPECT_EQ(image->metadata.sha256.size(), 64u);
        EXPECT_EQ(image->metadata.fileSizeBytes, bytes.size());
    }
}

TEST(ImageLoader, DecodeFromMemoryEqualsLoadFromFile) {
    TempDir dir;
    const cv::Mat pixels = makeTestPixels(20, 30, CV_16UC1);
    writeTiff(dir / "blot.tif", {pixels});
    const auto bytes = readFileBytes(dir / "blot.tif");

    const auto fromFile = loadImage(dir / "blot.tif");
    const auto fromMemory = decodeImage(bytes, "blot.tif");
    ASSERT_TRUE(fromFile.has_value());
    ASSERT_TRUE(fromMemory.has_value());
    EXPECT_TRUE(isIdentical(fromFile->raw, fromMemory->raw));
    EXPECT_TRUE(isIdentical(fromMemory->raw, pixels));
    EXPECT_EQ(fromFile->metadata.sha256, fromMemory->metadata.sha256);

    const auto bad = decodeImage(std::vector<std::uint8_t>{}, "from memory");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().describe(), "from memory: the file is empty");
}

TEST(ImageLoader, InputFileIsLeftUntouched) {
    TempDir dir;
    const auto path = dir / "input.tif";
    writeTiff(path, {makeTestPixels(20, 30, CV_16UC1)});
    std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::group_read |
                                           std::filesystem::perms::others_read);
    const auto before = readFileBytes(path);
    const auto modifiedBefore = std::filesystem::last_write_time(path);

    ASSERT_TRUE(loadImage(path).has_value());
    EXPECT_EQ(readFileBytes(path), before);
    EXPECT_EQ(std::filesystem::last_write_time(path), modifiedBefore);
}

TEST(ImageLoader, ErrorsNameTheFileNotItsFolder) {
    TempDir dir;
    std::filesystem::create_directories(dir / "deep" / "folder");
    const auto error = loadImage(dir / "deep" / "folder" / "gone.tif");
    ASSERT_FALSE(error.has_value());
    EXPECT_EQ(error.error().subject, "gone.tif");
}

TEST(ImageLoader, CountPagesReadsTheTiffDirectoryChain) {
    TempDir dir;
    const cv::Mat page = makeTestPixels(20, 30, CV_16UC1);
    writeTiff(dir / "three.tif", {page, page, page});
    writeTiff(dir / "one.tif", {page});
    writeFileBytes(dir / "one.png", encodeImage(".png", makeTestPixels(20, 30, CV_8UC1)));
    EXPECT_EQ(countPages(dir / "three.tif").value_or(-1), 3);
    EXPECT_EQ(countPages(dir / "one.tif").value_or(-1), 1);
    EXPECT_EQ(countPages(dir / "one.png").value_or(-1), 1);

    const auto missing = countPages(dir / "missing.tif");
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().describe(),
              "missing.tif: the file is missing, unreadable or too short");
    auto bytes = readFileBytes(dir / "one.tif");
    bytes.resize(8); // header only: the directory offset points past the end
    writeFileBytes(dir / "cut.tif", bytes);
    const auto cut = countPages(dir / "cut.tif");
    ASSERT_FALSE(cut.has_value());
    EXPECT_EQ(cut.error().subject, "cut.tif");
}

TEST(ImageLoader, ImageExtensionsAreRecognisedInAnyCase) {
    for (const char* name : {"a.tif", "a.tiff", "a.png", "a.jpg", "a.jpeg", "A.TIF", "b.TiFf",
                             "c.PNG", "d.JPG", "dir.d/e.JpEg"}) {
        EXPECT_TRUE(hasImageExtension(name)) << name;
    }
    for (const char* name : {"a.txt", "a", "tif", "a.tif.bak", "a.1sc", "a.bmp", ".tif.x"}) {
        EXPECT_FALSE(hasImageExtension(name)) << name;
    }
}

TEST(ImageLoader, TypeMaximumAndNames) {
    EXPECT_EQ(typeMaximum(cv::Mat(1, 1, CV_8UC1)), 255.0);
    EXPECT_EQ(typeMaximum(cv::Mat(1, 1, CV_16UC1)), 65535.0);
    EXPECT_TRUE(std::isinf(typeMaximum(cv::Mat(1, 1, CV_32FC1))));
    EXPECT_STREQ(toString(FileFormat::Tiff), "TIFF");
    EXPECT_STREQ(toString(Photometric::MinIsWhite), "min-is-white");
}

} // namespace
} // namespace densito
