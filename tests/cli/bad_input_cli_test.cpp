// The README's "Bad input" table, proven on the shipped densito-cli: each kind of bad file sits
// in a batch folder beside one good blot; the bad file gets one error line naming it, run.json
// lists it as failed with the reason, and the good blot is analysed and written as if alone.
// Bad layout sheets stop the run before anything is written. The bad files and sheets are
// support/bad_input_files.h's, which the document tests use too.
#include "support/bad_input_files.h"
#include "support/file_io.h"
#include "support/process.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
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
using test::writeText;

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

TEST(BadInputCli, EachBadFileFailsAndTheRestOfTheBatchRuns) {
    for (const test::BadInputFile& bad : test::badInputFiles()) {
        SCOPED_TRACE(bad.name);
        const Batch batch;
        expectBadFileReported(batch, bad.name, bad.write(batch.in / bad.name));
    }
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

constexpr const char* kGoodBlots = "image,membrane,target,measure\n"
                                   "blot_1.tif,M1,p-Akt,phospho\n"
                                   "blot_2.tif,M1,Akt,total\n";

/// A batch with the good blot, a second one as its total, and a layout whose samples sheet is
/// given as text.
struct SheetBatch : Batch {
    fs::path blots = dir / "blots.csv";
    fs::path samples = dir / "samples.csv";
    explicit SheetBatch(const std::string& samplesCsv) {
        test::SyntheticBlotSpec total;
        total.seed = 2;
        test::writeTiff(in / "blot_2.tif", {test::makeSyntheticBlot(total)});
        writeText(blots, kGoodBlots);
        writeText(samples, samplesCsv);
    }
    test::ProcessResult runWithLayout() const {
        return runCli({"analyze", in.string(), "--out", out.string(), "--blots", blots.string(),
                       "--samples", samples.string()});
    }
};

TEST(BadInputCli, EachBadSheetStopsTheRunAndWritesNothing) {
    for (const test::BadSamplesSheet& bad : test::badSamplesSheets()) {
        SCOPED_TRACE(bad.name);
        const SheetBatch batch(bad.samplesCsv);
        const auto result = batch.runWithLayout();
        EXPECT_EQ(result.exitCode, 2) << result.err;
        EXPECT_TRUE(hasLine(result.err, "error: " + bad.problem)) << result.err;
        EXPECT_TRUE(hasLine(result.err, "error: the layout does not fit: nothing was written"))
            << result.err;
        EXPECT_FALSE(fs::exists(batch.out));
    }
}

} // namespace
} // namespace densito
