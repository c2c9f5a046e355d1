// The GUI column of the README's "Bad input" table: the messages ProjectDocument gives the
// main window (imageFailed, warningsReported) and the experiment panel (layoutProblems) for
// the same bad files and sheets the command-line tests use, and the good image opened in the
// same call still being opened.
#include "core/io/project_file.h"
#include "document/project_document.h"
#include "document/qt_strings.h"

#include "project_fixtures.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <QSignalSpy>
#include <QStringList>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <random>
#include <string>
#include <vector>

namespace densito {
namespace {

namespace fs = std::filesystem;

void writeBytes(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> readBytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void put16(std::vector<std::uint8_t>& out, std::uint32_t value) {
    out.push_back(static_cast<std::uint8_t>(value & 0xFF));
    out.push_back(static_cast<std::uint8_t>((value >> 8) & 0xFF));
}

void put32(std::vector<std::uint8_t>& out, std::uint32_t value) {
    put16(out, value & 0xFFFF);
    put16(out, value >> 16);
}

/// A one-strip grey little-endian TIFF built by hand (as in bad_input_cli_test.cpp): the
/// directory first, then `pixelData`. `stripOffset` 0 points at the pixel data.
std::vector<std::uint8_t> handBuiltTiff(std::uint32_t width, std::uint32_t height,
                                        std::uint32_t bitsPerSample, std::uint32_t compression,
                                        const std::vector<std::uint8_t>& pixelData,
                                        std::uint32_t stripOffset = 0) {
    constexpr std::uint32_t kShort = 3;
    constexpr std::uint32_t kLong = 4;
    struct Entry {
        std::uint32_t tag;
        std::uint32_t type;
        std::uint32_t value;
    };
    constexpr std::uint32_t kEntries = 9;
    const std::uint32_t dataOffset = 8 + 2 + 12 * kEntries + 4;
    const auto dataBytes = static_cast<std::uint32_t>(pixelData.size());
    const Entry entries[kEntries] = {{256, kLong, width},
                                     {257, kLong, height},
                                     {258, kShort, bitsPerSample},
                                     {259, kShort, compression},
                                     {262, kShort, 1}, // min-is-black
                                     {273, kLong, stripOffset == 0 ? dataOffset : stripOffset},
                                     {277, kShort, 1},
                                     {278, kLong, height},
                                     {279, kLong, dataBytes}};
    std::vector<std::uint8_t> out = {'I', 'I', 42, 0};
    put32(out, 8);
    put16(out, kEntries);
    for (const Entry& entry : entries) {
        put16(out, entry.tag);
        put16(out, entry.type);
        put32(out, 1);
        if (entry.type == kShort) {
            put16(out, entry.value);
            put16(out, 0);
        } else {
            put32(out, entry.value);
        }
    }
    put32(out, 0); // no next directory
    out.insert(out.end(), pixelData.begin(), pixelData.end());
    return out;
}

/// One row of the table: the bad file's name, how to write it, and the message it must get.
struct BadFile {
    std::string name;
    std::function<std::string(const fs::path&)> write; ///< writes the file, returns the message
};

std::vector<BadFile> badFiles() {
    return {
        {"empty.tif",
         [](const fs::path& path) {
             writeBytes(path, {});
             return std::string("empty.tif: the file is empty");
         }},
        {"half.tif",
         [](const fs::path& path) {
             test::TiffEncoding lzw;
             lzw.compression = 5;
             const fs::path full = path.parent_path() / "full" / "full.tif";
             fs::create_directories(full.parent_path());
             test::writeTiff(full, {test::makeSyntheticBlot({})}, lzw);
             auto bytes = readBytes(full);
             const std::uint32_t directory = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) |
                                             (static_cast<std::uint32_t>(bytes[7]) << 24);
             bytes.resize(bytes.size() / 2);
             writeBytes(path, bytes);
             return "half.tif: the file is truncated: its TIFF directory starts at byte " +
                    std::to_string(directory) + ", but the file has " +
                    std::to_string(bytes.size()) + " bytes";
         }},
        {"garbage.tif",
         [](const fs::path& path) {
             std::vector<std::uint8_t> bytes(4096);
             std::mt19937 random(42);
             for (auto& byte : bytes) {
                 byte = static_cast<std::uint8_t>(random());
             }
             bytes[0] = 0x00;
             writeBytes(path, bytes);
             return std::string("garbage.tif: not an image: unrecognised file signature "
                                "(Densito reads TIFF, PNG and JPEG)");
         }},
        {"notes.tif",
         [](const fs::path& path) {
             std::ofstream(path, std::ios::binary) << "lane,volume\n1,234.5\n2,345.6\n";
             return std::string(
                 "notes.tif: not an image: the file holds text, not TIFF, PNG or JPEG data");
         }},
        {"huge.tif",
         [](const fs::path& path) {
             writeBytes(path,
                        handBuiltTiff(200000, 200000, 8, 5, std::vector<std::uint8_t>(16, 0)));
             return std::string("huge.tif: the image is 200000x200000 = 40000000000 pixels, "
                                "above the limit of 200000000 pixels");
         }},
        {"offsets.tif",
         [](const fs::path& path) {
             const std::vector<std::uint8_t> pixels(64 * 64 * 2, 0x7F);
             const auto size =
                 static_cast<std::uint32_t>(handBuiltTiff(64, 64, 16, 1, pixels).size());
             writeBytes(path, handBuiltTiff(64, 64, 16, 1, pixels, size + 1000));
             return std::string("offsets.tif: strip 0 (rows 0-63) is truncated or corrupt: Read "
                                "error at scanline 4294967295; got 0 bytes, expected 8192 "
                                "(TIFFReadEncodedStrip)");
         }},
    };
}

TEST(BadInputDocument, EachBadFileIsReportedAndTheGoodOneOpens) {
    for (const BadFile& bad : badFiles()) {
        SCOPED_TRACE(bad.name);
        const test::TempDir dir;
        const QString good = test::writeBlot(dir, "blot.tif");
        const std::string message = bad.write(dir / bad.name);
        ProjectDocument document;
        QSignalSpy failed(&document, &ProjectDocument::imageFailed);
        document.addImages({toQString(dir / bad.name), good});
        ASSERT_TRUE(test::waitUntilIdle(document));

        ASSERT_EQ(failed.count(), 1);
        EXPECT_EQ(failed.front().front().toString(), toQString(message));
        ASSERT_EQ(document.imageCount(), 1);
        EXPECT_EQ(document.imageName(0), QStringLiteral("blot.tif"));
        EXPECT_EQ(document.analysis(0).lanes.size(), 6u);
    }
}

TEST(BadInputDocument, ZeroLanesFoundIsAWarningAndTheImageOpens) {
    const test::TempDir dir;
    const QString good = test::writeBlot(dir, "blot.tif");
    test::SyntheticBlotSpec noiseOnly;
    noiseOnly.lanes = 0;
    test::writeTiff(dir / "noise.tif", {test::makeSyntheticBlot(noiseOnly)});
    ProjectDocument document;
    QSignalSpy failed(&document, &ProjectDocument::imageFailed);
    QSignalSpy warnings(&document, &ProjectDocument::warningsReported);
    document.addImages({toQString(dir / "noise.tif"), good});
    ASSERT_TRUE(test::waitUntilIdle(document));

    EXPECT_EQ(failed.count(), 0);
    ASSERT_EQ(document.imageCount(), 2);
    EXPECT_EQ(document.imageName(0), QStringLiteral("blot.tif"));
    EXPECT_EQ(document.analysis(0).lanes.size(), 6u);
    EXPECT_EQ(document.imageName(1), QStringLiteral("noise.tif"));
    EXPECT_TRUE(document.analysis(1).lanes.empty());
    ASSERT_EQ(warnings.count(), 1);
    const QStringList lines = warnings.front().front().toStringList();
    EXPECT_TRUE(
        lines.contains(QStringLiteral("noise.tif: strip 1: no lanes found (no band signal)")))
        << lines.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(lines.contains(QStringLiteral("noise.tif: no lanes found")))
        << lines.join(QLatin1Char('\n')).toStdString();
}

/// The layout problems of `blotsCsv` and `samplesCsv` set on a document holding one good
/// image, as the experiment panel sets sheets it imported or the user edited.
std::vector<std::string> layoutProblemsOf(const std::string& blotsCsv,
                                          const std::string& samplesCsv) {
    const test::TempDir dir;
    ProjectDocument document;
    document.addImages({test::writeBlot(dir, "blot.tif")});
    EXPECT_TRUE(test::waitUntilIdle(document));
    ProjectLayout layout;
    layout.blotsCsv = blotsCsv;
    layout.samplesCsv = samplesCsv;
    document.setLayout(layout);
    EXPECT_EQ(document.imageCount(), 1); // the image stays open
    EXPECT_FALSE(document.experiment().has_value());
    std::vector<std::string> problems;
    for (const Error& problem : document.layoutProblems()) {
        problems.push_back(problem.describe());
    }
    return problems;
}

constexpr const char* kBlots = "image,membrane,target,measure\n"
                               "blot.tif,M1,p-Akt,phospho\n"
                               "blot_total.tif,M1,Akt,total\n";

TEST(BadInputDocument, SheetWithAMissingColumnIsReportedByFileAndLine) {
    EXPECT_EQ(layoutProblemsOf(kBlots, "membrane,lane,sample,replicate\nM1,1,a,1\nM1,2,b,1\n"),
              std::vector<std::string>{"samples.csv:1: missing required column \"condition\" "
                                       "(columns found: membrane, lane, sample, replicate)"});
}

TEST(BadInputDocument, SheetWithWrongTypesIsReportedByFileLineAndColumn) {
    EXPECT_EQ(
        layoutProblemsOf(kBlots, "membrane,lane,sample,condition,replicate\n"
                                 "M1,1,a,control,1\nM1,two,b,insulin,1\n"),
        std::vector<std::string>{"samples.csv:3: column \"lane\": \"two\" is not a whole number"});
}

} // namespace
} // namespace densito
