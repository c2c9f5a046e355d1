// The README's "Bad input" table, proven on the shipped densito-cli: each kind of bad file sits
// in a batch folder beside one good blot; the bad file gets one error line naming it, run.json
// lists it as failed with the reason, and the good blot is analysed and written as if alone.
// Bad layout sheets stop the run before anything is written.
#include "support/file_io.h"
#include "support/process.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace densito {
namespace {

namespace fs = std::filesystem;
using test::readJson;
using test::readText;
using test::runCli;
using test::TempDir;

void writeBytes(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> readBytes(const fs::path& path) {
    const std::string text = readText(path);
    return {text.begin(), text.end()};
}

void writeText(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

bool hasLine(const std::string& text, const std::string& line) {
    const auto lines = linesOf(text);
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

void put16(std::vector<std::uint8_t>& out, std::uint32_t value) {
    out.push_back(static_cast<std::uint8_t>(value & 0xFF));
    out.push_back(static_cast<std::uint8_t>((value >> 8) & 0xFF));
}

void put32(std::vector<std::uint8_t>& out, std::uint32_t value) {
    put16(out, value & 0xFFFF);
    put16(out, value >> 16);
}

/// A one-strip grey little-endian TIFF built by hand, for headers libtiff would never write:
/// the directory first, then `pixelData`. `stripOffset` 0 points at the pixel data.
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

/// lanes.csv and bands.csv of the good blot analysed alone: what every batch must still write.
struct GoodAlone {
    TempDir dir;
    std::string lanes;
    std::string bands;
    GoodAlone() {
        EXPECT_TRUE(test::writeSyntheticBlots(dir / "in", 1));
        const auto result = runCli({"analyze", (dir / "in").string(), "--out",
                                    (dir / "out").string(), "--no-overlays", "--threads", "1"});
        EXPECT_EQ(result.exitCode, 0) << result.err;
        lanes = readText(dir / "out" / "lanes.csv");
        bands = readText(dir / "out" / "bands.csv");
        EXPECT_NE(bands.find("\nblot_1.tif,6,2,"), std::string::npos) << bands;
    }
};

const GoodAlone& goodAlone() {
    static const GoodAlone good;
    return good;
}

/// A batch folder holding the good synthetic blot (blot_1.tif) and one bad file.
struct Batch {
    TempDir dir;
    fs::path in = dir / "in";
    fs::path out = dir / "out";
    Batch() { EXPECT_TRUE(test::writeSyntheticBlots(in, 1)); }
    test::ProcessResult run() const {
        return runCli({"analyze", in.string(), "--out", out.string(), "--threads", "1"});
    }
};

/// The whole contract for one bad file in a batch: exit 1, the exact error line, the good
/// blot's rows as if it were alone, the bad file failed in run.json, nothing written for it.
void expectBadFileReported(const Batch& batch, const std::string& badName,
                           const std::string& reason) {
    const auto result = batch.run();
    EXPECT_EQ(result.exitCode, 1) << result.err;
    EXPECT_TRUE(hasLine(result.err, fmt::format("error: {}: {}", badName, reason))) << result.err;
    EXPECT_TRUE(hasLine(result.err, fmt::format("info: 1 analysed, 1 failed; wrote {}",
                                                (batch.out / "run.json").string())))
        << result.err;

    EXPECT_EQ(readText(batch.out / "lanes.csv"), goodAlone().lanes);
    EXPECT_EQ(readText(batch.out / "bands.csv"), goodAlone().bands);
    EXPECT_TRUE(fs::exists(batch.out / "overlays" / "blot_1.png"));
    const fs::path badOverlay =
        batch.out / "overlays" / (fs::path(badName).stem().string() + ".png");
    EXPECT_FALSE(fs::exists(badOverlay));

    const nlohmann::json run = readJson(batch.out / "run.json");
    ASSERT_EQ(run["inputs"].size(), 1u);
    EXPECT_EQ(run["inputs"][0]["file"], "blot_1.tif");
    ASSERT_EQ(run["failed"].size(), 1u);
    EXPECT_EQ(run["failed"][0]["file"], badName);
    EXPECT_EQ(run["failed"][0]["error"], reason);
    EXPECT_EQ(run["summary"]["analysed"], 1);
    EXPECT_EQ(run["summary"]["failed"], 1);
}

TEST(BadInputCli, EmptyFileFailsAndTheRestOfTheBatchRuns) {
    Batch batch;
    writeBytes(batch.in / "empty.tif", {});
    expectBadFileReported(batch, "empty.tif", "the file is empty");
}

TEST(BadInputCli, TruncatedFileFailsAndTheRestOfTheBatchRuns) {
    Batch batch;
    test::TiffEncoding lzw;
    lzw.compression = 5;
    test::writeTiff(batch.dir / "full.tif", {test::makeSyntheticBlot({})}, lzw);
    auto bytes = readBytes(batch.dir / "full.tif");
    const std::uint32_t directory = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) |
                                    (static_cast<std::uint32_t>(bytes[7]) << 24);
    bytes.resize(bytes.size() / 2); // a copy cut off half-way
    writeBytes(batch.in / "half.tif", bytes);
    expectBadFileReported(batch, "half.tif",
                          fmt::format("the file is truncated: its TIFF directory starts at byte "
                                      "{}, but the file has {} bytes",
                                      directory, bytes.size()));
}

TEST(BadInputCli, GarbageBytesFailAndTheRestOfTheBatchRuns) {
    std::vector<std::uint8_t> bytes(4096);
    std::mt19937 random(42);
    for (auto& byte : bytes) {
        byte = static_cast<std::uint8_t>(random());
    }
    bytes[0] = 0x00; // a control byte: never text, never an image signature
    Batch batch;
    writeBytes(batch.in / "garbage.tif", bytes);
    expectBadFileReported(
        batch, "garbage.tif",
        "not an image: unrecognised file signature (Densito reads TIFF, PNG and JPEG)");
}

TEST(BadInputCli, TextFileNamedTifFailsAndTheRestOfTheBatchRuns) {
    Batch batch;
    writeText(batch.in / "notes.tif", "lane,volume\n1,234.5\n2,345.6\n");
    expectBadFileReported(batch, "notes.tif",
                          "not an image: the file holds text, not TIFF, PNG or JPEG data");
}

TEST(BadInputCli, AbsurdDimensionsFailFromTheHeaderAndTheRestOfTheBatchRuns) {
    Batch batch;
    writeBytes(batch.in / "huge.tif",
               handBuiltTiff(200000, 200000, 8, 5, std::vector<std::uint8_t>(16, 0)));
    expectBadFileReported(batch, "huge.tif",
                          "the image is 200000x200000 = 40000000000 pixels, above the limit of "
                          "200000000 pixels");
}

TEST(BadInputCli, BadStripOffsetsFailAndTheRestOfTheBatchRuns) {
    Batch batch;
    const std::vector<std::uint8_t> pixels(64 * 64 * 2, 0x7F);
    const auto bytes = handBuiltTiff(64, 64, 16, 1, pixels);
    writeBytes(
        batch.in / "offsets.tif",
        handBuiltTiff(64, 64, 16, 1, pixels, static_cast<std::uint32_t>(bytes.size() + 1000)));
    // The text after the colon is libtiff's own.
    expectBadFileReported(batch, "offsets.tif",
                          "strip 0 (rows 0-63) is truncated or corrupt: Read error at scanline "
                          "4294967295; got 0 bytes, expected 8192 (TIFFReadEncodedStrip)");
}

// Not an error: an image without lanes is analysed, warned about, and adds no rows.
TEST(BadInputCli, ZeroLanesFoundIsAWarningAndTheRestOfTheBatchRuns) {
    Batch batch;
    test::writeTiff(batch.in / "flat.tif", {cv::Mat(160, 240, CV_16UC1, cv::Scalar(800))});
    test::SyntheticBlotSpec noiseOnly;
    noiseOnly.lanes = 0;
    test::writeTiff(batch.in / "noise.tif", {test::makeSyntheticBlot(noiseOnly)});
    const auto result = batch.run();
    EXPECT_EQ(result.exitCode, 0) << result.err;
    for (const std::string name : {"flat.tif", "noise.tif"}) {
        EXPECT_TRUE(
            hasLine(result.err, "warning: " + name + ": strip 1: no lanes found (no band signal)"))
            << result.err;
        EXPECT_TRUE(hasLine(result.err, "warning: " + name + ": no lanes found")) << result.err;
        EXPECT_NE(result.err.find("warning: " + name + ": polarity is unclear from the pixels"),
                  std::string::npos)
            << result.err;
        EXPECT_TRUE(fs::exists(batch.out / "overlays" / (fs::path(name).stem().string() + ".png")));
    }
    EXPECT_TRUE(hasLine(result.err, fmt::format("info: 3 analysed, 0 failed; wrote {}",
                                                (batch.out / "run.json").string())))
        << result.err;
    EXPECT_EQ(readText(batch.out / "lanes.csv"), goodAlone().lanes);
    EXPECT_EQ(readText(batch.out / "bands.csv"), goodAlone().bands);

    const nlohmann::json run = readJson(batch.out / "run.json");
    EXPECT_TRUE(run["failed"].empty());
    ASSERT_EQ(run["inputs"].size(), 3u);
    EXPECT_EQ(run["inputs"][0]["file"], "blot_1.tif");
    EXPECT_EQ(run["inputs"][0]["lanes"], 6);
    for (const std::size_t i : {std::size_t{1}, std::size_t{2}}) {
        EXPECT_EQ(run["inputs"][i]["lanes"], 0);
        EXPECT_EQ(run["inputs"][i]["bands"], 0);
        EXPECT_EQ(run["inputs"][i]["analysis_warnings"],
                  nlohmann::json({"strip 1: no lanes found (no band signal)", "no lanes found"}));
    }
}

/// A batch with the good blot and a layout whose sheets are given as text.
struct SheetBatch : Batch {
    fs::path blots = dir / "blots.csv";
    fs::path samples = dir / "samples.csv";
    SheetBatch(const std::string& blotsCsv, const std::string& samplesCsv) {
        test::SyntheticBlotSpec total;
        total.seed = 2;
        test::writeTiff(in / "blot_2.tif", {test::makeSyntheticBlot(total)});
        writeText(blots, blotsCsv);
        writeText(samples, samplesCsv);
    }
    test::ProcessResult runWithLayout() const {
        return runCli({"analyze", in.string(), "--out", out.string(), "--blots", blots.string(),
                       "--samples", samples.string()});
    }
};

constexpr const char* kGoodBlots = "image,membrane,target,measure\n"
                                   "blot_1.tif,M1,p-Akt,phospho\n"
                                   "blot_2.tif,M1,Akt,total\n";
constexpr const char* kGoodSamples = "membrane,lane,sample,condition,replicate\n"
                                     "M1,1,a,control,1\n"
                                     "M1,2,b,insulin,1\n";

TEST(BadInputCli, SheetWithAMissingColumnStopsTheRunAndWritesNothing) {
    const SheetBatch batch(kGoodBlots, "membrane,lane,sample,replicate\n"
                                       "M1,1,a,1\n"
                                       "M1,2,b,1\n");
    const auto result = batch.runWithLayout();
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_TRUE(hasLine(result.err, "error: samples.csv:1: missing required column \"condition\" "
                                    "(columns found: membrane, lane, sample, replicate)"))
        << result.err;
    EXPECT_TRUE(hasLine(result.err, "error: the layout does not fit: nothing was written"))
        << result.err;
    EXPECT_FALSE(fs::exists(batch.out));
}

TEST(BadInputCli, SheetWithWrongTypesStopsTheRunAndWritesNothing) {
    const SheetBatch batch(kGoodBlots, "membrane,lane,sample,condition,replicate\n"
                                       "M1,1,a,control,1\n"
                                       "M1,two,b,insulin,1\n");
    const auto result = batch.runWithLayout();
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_TRUE(
        hasLine(result.err, "error: samples.csv:3: column \"lane\": \"two\" is not a whole number"))
        << result.err;
    EXPECT_TRUE(hasLine(result.err, "error: the layout does not fit: nothing was written"))
        << result.err;
    EXPECT_FALSE(fs::exists(batch.out));
}

} // namespace
} // namespace densito
