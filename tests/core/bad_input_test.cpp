#include "core/image/image_loader.h"

#include "file_bytes.h"
#include "support/hand_built_tiff.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <random>
#include <string>
#include <tiffio.h>
#include <vector>

namespace densito {
namespace {

using test::buildTiff;
using test::encodeImage;
using test::greyEntries;
using test::makeTestPixels;
using test::readFileBytes;
using test::TempDir;
using test::TiffEncoding;
using test::writeFileBytes;
using test::writeTiff;

/// The error of loading `path`, or a failure when it loads.
Error loadError(const std::filesystem::path& path, const LoadOptions& options = {}) {
    const auto image = loadImage(path, options);
    EXPECT_FALSE(image.has_value()) << path.filename() << " loaded but should not";
    return image.has_value() ? Error{} : image.error();
}

bool startsWith(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

/// Sets the single-valued LONG or SHORT entry `tag` of the first IFD of a little-endian
/// TIFF held in `bytes`.
void patchFirstIfd(std::vector<std::uint8_t>& bytes, std::uint16_t tag, std::uint32_t value) {
    auto read16 = [&](std::size_t at) {
        return static_cast<std::uint32_t>(bytes[at] | (bytes[at + 1] << 8));
    };
    auto read32 = [&](std::size_t at) {
        return read16(at) | (read16(at + 2) << 16);
    };
    ASSERT_EQ(bytes[0], 'I');
    const std::size_t ifd = read32(4);
    const std::uint32_t count = read16(ifd);
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t entry = ifd + 2 + 12 * i;
        if (read16(entry) == tag) {
            ASSERT_EQ(read32(entry + 4), 1u) << "only single-valued entries are patched";
            const bool isShort = read16(entry + 2) == TIFF_SHORT;
            for (std::size_t b = 0; b < (isShort ? 2u : 4u); ++b) {
                bytes[entry + 8 + b] = static_cast<std::uint8_t>((value >> (8 * b)) & 0xFF);
            }
            return;
        }
    }
    FAIL() << "tag " << tag << " not found";
}

TEST(BadInput, MissingFile) {
    TempDir dir;
    EXPECT_EQ(loadError(dir / "missing.tif").describe(), "missing.tif: the file does not exist");
}

TEST(BadInput, Folder) {
    TempDir dir;
    std::filesystem::create_directory(dir / "blots.tif");
    EXPECT_EQ(loadError(dir / "blots.tif").describe(),
              "blots.tif: this is a folder, not an image file");
}

TEST(BadInput, EmptyFile) {
    TempDir dir;
    writeFileBytes(dir / "empty.tif", {});
    EXPECT_EQ(loadError(dir / "empty.tif").describe(), "empty.tif: the file is empty");
}

TEST(BadInput, TooShort) {
    TempDir dir;
    writeFileBytes(dir / "short.tif", {'I', 'I', 42, 0, 8});
    EXPECT_EQ(loadError(dir / "short.tif").describe(),
              "short.tif: the file is too short to be an image (5 bytes)");
}

TEST(BadInput, TextFileNamedTif) {
    TempDir dir;
    const std::string text = "lane,volume\n1,234.5\n2,345.6\n";
    writeFileBytes(dir / "notes.tif", {text.begin(), text.end()});
    EXPECT_EQ(loadError(dir / "notes.tif").describe(),
              "notes.tif: not an image: the file holds text, not TIFF, PNG or JPEG data");
}

TEST(BadInput, RandomGarbage) {
    std::vector<std::uint8_t> bytes(4096);
    std::mt19937 random(42);
    for (auto& b : bytes) {
        b = static_cast<std::uint8_t>(random());
    }
    bytes[0] = 0x00; // a control byte: never text, never an image signature
    TempDir dir;
    writeFileBytes(dir / "garbage.png", bytes);
    EXPECT_EQ(loadError(dir / "garbage.png").describe(),
              "garbage.png: not an image: unrecognised file signature (Densito reads TIFF, PNG "
              "and JPEG)");
}

TEST(BadInput, TruncatedLzwTiff) {
    TempDir dir;
    TiffEncoding encoding;
    encoding.compression = COMPRESSION_LZW;
    writeTiff(dir / "full.tif", {makeTestPixels(64, 64, CV_16UC1)}, encoding);
    auto bytes = readFileBytes(dir / "full.tif");
    bytes.resize(bytes.size() / 2);
    writeFileBytes(dir / "half.tif", bytes);

    const Error error = loadError(dir / "half.tif");
    EXPECT_EQ(error.subject, "half.tif");
    // libtiff writes the directory after the pixels, so the cut removes it.
    EXPECT_TRUE(startsWith(error.reason, "the file is truncated: its TIFF directory starts at "))
        << error.reason;
}

TEST(BadInput, TruncatedStripData) {
    // Directory first, pixels after it: the cut removes half of the pixels only.
    const std::vector<std::uint8_t> pixels(64 * 64 * 2, 0x7F);
    auto bytes = buildTiff(greyEntries(64, 64, 16, COMPRESSION_NONE, 64 * 64 * 2), pixels);
    const std::size_t offset = bytes.size() - pixels.size();
    bytes.resize(bytes.size() - pixels.size() / 2);
    TempDir dir;
    writeFileBytes(dir / "cut.tif", bytes);

    const Error error = loadError(dir / "cut.tif");
    EXPECT_EQ(error.subject, "cut.tif");
    EXPECT_EQ(error.reason, "strip 0 (rows 0-63) lies past the end of the file (bytes " +
                                std::to_string(offset) + " to " +
                                std::to_string(offset + pixels.size() - 1) + " of a " +
                                std::to_string(bytes.size()) + "-byte file)");
}

TEST(BadInput, TruncatedPng) {
    auto bytes = encodeImage(".png", makeTestPixels(64, 64, CV_16UC1));
    bytes.resize(bytes.size() / 2);
    TempDir dir;
    writeFileBytes(dir / "half.png", bytes);
    EXPECT_EQ(loadError(dir / "half.png").describe(),
              "half.png: the PNG data cannot be decoded (corrupt or truncated)");
}

TEST(BadInput, TruncatedJpeg) {
    auto bytes = encodeImage(".jpg", makeTestPixels(64, 64, CV_8UC1));
    bytes.resize(bytes.size() / 2);
    TempDir dir;
    writeFileBytes(dir / "half.jpg", bytes);
    EXPECT_EQ(loadError(dir / "half.jpg").describe(),
              "half.jpg: the JPEG file is truncated (no end-of-image marker)");
}

TEST(BadInput, HugeTiffIsRefusedFromTheHeader) {
    // The header claims 40 gigapixels over a few bytes of data: refused before allocating.
    TempDir dir;
    writeFileBytes(dir / "huge.tif", buildTiff(greyEntries(200000, 200000, 8, COMPRESSION_LZW, 16),
                                               std::vector<std::uint8_t>(16, 0)));
    EXPECT_EQ(loadError(dir / "huge.tif").describe(),
              "huge.tif: the image is 200000x200000 = 40000000000 pixels, above the limit of "
              "200000000 pixels");
}

TEST(BadInput, AbsurdSideLengthIsRefusedWithTheRightReason) {
    // Few pixels in all, but a side longer than any imager makes.
    TempDir dir;
    writeFileBytes(dir / "long.tif", buildTiff(greyEntries(2'000'000, 1, 8, COMPRESSION_LZW, 16),
                                               std::vector<std::uint8_t>(16, 0)));
    EXPECT_EQ(loadError(dir / "long.tif").describe(),
              "long.tif: the image is 2000000x1 pixels, above the limit of 1000000 pixels per "
              "side");
}

TEST(BadInput, PixelLimitAppliesToEveryFormat) {
    TempDir dir;
    const cv::Mat pixels = makeTestPixels(20, 30, CV_8UC1);
    writeTiff(dir / "small.tif", {pixels});
    writeFileBytes(dir / "small.png", encodeImage(".png", pixels));
    writeFileBytes(dir / "small.jpg", encodeImage(".jpg", pixels));
    LoadOptions options;
    options.maxPixels = 599;
    for (const char* name : {"small.tif", "small.png", "small.jpg"}) {
        EXPECT_EQ(loadError(dir / name, options).describe(),
                  std::string(name) +
                      ": the image is 30x20 = 600 pixels, above the limit of 599 pixels");
    }
    options.maxPixels = 600;
    for (const char* name : {"small.tif", "small.png", "small.jpg"}) {
        EXPECT_TRUE(loadImage(dir / name, options).has_value()) << name;
    }
}

TEST(BadInput, HugePngIsRefusedFromTheHeader) {
    auto bytes = encodeImage(".png", makeTestPixels(8, 8, CV_8UC1));
    // IHDR width and height (big-endian) at bytes 16 and 20: 200000 x 200000.
    for (const std::size_t at : {std::size_t{16}, std::size_t{20}}) {
        bytes[at] = 0x00;
        bytes[at + 1] = 0x03;
        bytes[at + 2] = 0x0D;
        bytes[at + 3] = 0x40;
    }
    TempDir dir;
    writeFileBytes(dir / "huge.png", bytes);
    EXPECT_EQ(loadError(dir / "huge.png").describe(),
              "huge.png: the image is 200000x200000 = 40000000000 pixels, above the limit of "
              "200000000 pixels");
}

TEST(BadInput, SignedSixteenBitIsUnsupported) {
    TempDir dir;
    writeTiff(dir / "signed.tif", {cv::Mat(8, 8, CV_16SC1, cv::Scalar(-5))});
    EXPECT_EQ(loadError(dir / "signed.tif").describe(),
              "signed.tif: unsupported sample format: 16-bit signed integer samples (Densito "
              "reads 8- and 16-bit unsigned and 32-bit float)");
}

TEST(BadInput, ThirtyTwoBitUnsignedIsUnsupported) {
    TempDir dir;
    writeFileBytes(dir / "uint32.tif", buildTiff(greyEntries(8, 8, 32, COMPRESSION_NONE, 8 * 8 * 4),
                                                 std::vector<std::uint8_t>(8 * 8 * 4, 1)));
    EXPECT_EQ(loadError(dir / "uint32.tif").describe(),
              "uint32.tif: unsupported sample format: 32-bit unsigned integer samples (Densito "
              "reads 8- and 16-bit unsigned and 32-bit float)");
}

TEST(BadInput, OneBitBilevelIsUnsupported) {
    TempDir dir;
    writeFileBytes(dir / "bilevel.tif", buildTiff(greyEntries(16, 8, 1, COMPRESSION_NONE, 16),
                                                  std::vector<std::uint8_t>(16, 0xAA)));
    EXPECT_EQ(loadError(dir / "bilevel.tif").describe(),
              "bilevel.tif: unsupported sample format: 1-bit unsigned integer samples (Densito "
              "reads 8- and 16-bit unsigned and 32-bit float)");
}

TEST(BadInput, SixtyFourBitFloatIsUnsupported) {
    TempDir dir;
    writeTiff(dir / "double.tif", {cv::Mat(8, 8, CV_64FC1, cv::Scalar(0.5))});
    EXPECT_EQ(loadError(dir / "double.tif").describe(),
              "double.tif: unsupported sample format: 64-bit floating-point samples (Densito "
              "reads 8- and 16-bit unsigned and 32-bit float)");
}

TEST(BadInput, StripOffsetsPastTheEndOfTheFile) {
    TempDir dir;
    for (const std::uint16_t compression :
         {std::uint16_t{COMPRESSION_NONE}, std::uint16_t{COMPRESSION_LZW}}) {
        SCOPED_TRACE(compression);
        TiffEncoding encoding;
        encoding.compression = compression;
        encoding.rowsPerStrip = 32; // one strip, so StripOffsets is a single inline value
        writeTiff(dir / "valid.tif", {makeTestPixels(32, 40, CV_16UC1)}, encoding);
        auto bytes = readFileBytes(dir / "valid.tif");
        patchFirstIfd(bytes, TIFFTAG_STRIPOFFSETS, static_cast<std::uint32_t>(bytes.size() + 1000));
        writeFileBytes(dir / "offsets.tif", bytes);

        const Error error = loadError(dir / "offsets.tif");
        EXPECT_EQ(error.subject, "offsets.tif");
        EXPECT_TRUE(
            startsWith(error.reason, "strip 0 (rows 0-31) lies past the end of the file (bytes " +
                                         std::to_string(bytes.size() + 1000) + " to "))
            << error.reason;
    }
}

TEST(BadInput, TileOffsetsPastTheEndOfTheFile) {
    TempDir dir;
    TiffEncoding encoding;
    encoding.isTiled = true;
    encoding.tileSize = 32;
    writeTiff(dir / "valid.tif", {makeTestPixels(32, 32, CV_16UC1)}, encoding);
    auto bytes = readFileBytes(dir / "valid.tif");
    patchFirstIfd(bytes, TIFFTAG_TILEOFFSETS, static_cast<std::uint32_t>(bytes.size() + 1000));
    writeFileBytes(dir / "tiles.tif", bytes);

    const Error error = loadError(dir / "tiles.tif");
    EXPECT_EQ(error.subject, "tiles.tif");
    EXPECT_TRUE(startsWith(error.reason, "tile 0 at (0, 0) lies past the end of the file (bytes " +
                                             std::to_string(bytes.size() + 1000) + " to "))
        << error.reason;
}

TEST(BadInput, MissingDimensionsAreReported) {
    auto entries = greyEntries(8, 8, 8, COMPRESSION_NONE, 64);
    entries.erase(entries.begin() + 1); // no ImageLength
    TempDir dir;
    writeFileBytes(dir / "no_height.tif", buildTiff(entries, std::vector<std::uint8_t>(64, 3)));
    const Error error = loadError(dir / "no_height.tif");
    EXPECT_EQ(error.subject, "no_height.tif");
    EXPECT_TRUE(startsWith(error.reason, "not a readable TIFF")) << error.reason;
}

/// Every prefix and many single-byte corruptions of valid files: each must either load or
/// give an error naming the file; none may crash or hang.
TEST(BadInput, CorruptedFilesNeverCrash) {
    TempDir dir;
    std::vector<std::pair<std::string, std::vector<std::uint8_t>>> originals;
    TiffEncoding lzw;
    lzw.compression = COMPRESSION_LZW;
    lzw.predictor = PREDICTOR_HORIZONTAL;
    writeTiff(dir / "a.tif", {makeTestPixels(24, 20, CV_16UC1)}, lzw);
    originals.emplace_back("lzw.tif", readFileBytes(dir / "a.tif"));
    TiffEncoding tiled;
    tiled.isTiled = true;
    tiled.compression = COMPRESSION_ADOBE_DEFLATE;
    tiled.isBigEndian = true;
    writeTiff(dir / "b.tif", {makeTestPixels(20, 24, CV_32FC1)}, tiled);
    originals.emplace_back("tiled.tif", readFileBytes(dir / "b.tif"));
    originals.emplace_back("grey.png", encodeImage(".png", makeTestPixels(20, 24, CV_16UC1)));
    originals.emplace_back("grey.jpg", encodeImage(".jpg", makeTestPixels(20, 24, CV_8UC1)));

    std::mt19937 random(7);
    int decoded = 0;
    int refused = 0;
    for (const auto& [name, original] : originals) {
        SCOPED_TRACE(name);
        auto check = [&](const std::vector<std::uint8_t>& bytes) {
            const auto image = decodeImage(bytes, name);
            if (image.has_value()) {
                ++decoded;
                EXPECT_FALSE(image->raw.empty());
            } else {
                ++refused;
                EXPECT_EQ(image.error().subject, name);
                EXPECT_FALSE(image.error().reason.empty());
            }
        };
        for (std::size_t length = 0; length < original.size(); length += 7) {
            check(std::vector<std::uint8_t>(
                original.begin(), original.begin() + static_cast<std::ptrdiff_t>(length)));
        }
        for (int trial = 0; trial < 300; ++trial) {
            auto bytes = original;
            for (int flips = 0; flips < 1 + trial % 3; ++flips) {
                bytes[random() % bytes.size()] = static_cast<std::uint8_t>(random());
            }
            check(bytes);
        }
    }
    EXPECT_GT(refused, 0);
    EXPECT_GT(decoded, 0);
}

} // namespace
} // namespace densito
