// Molecular weight through the command line: a synthetic ladder blot with its ladder lanes in
// samples.csv gets masses in bands.csv, and a `quantify` of its shard reads the same masses.
#include "core/analysis/csv_table.h"
#include "core/synth/ladder_blot.h"

#include "support/file_io.h"
#include "support/process.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <cmath>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace densito {
namespace {

namespace fs = std::filesystem;
using test::readText;
using test::runCli;
using test::TempDir;
using test::writeText;

/// blots.csv and samples.csv for one ladder blot: ladders (PageRuler Plus by catalogue number)
/// in lanes 1 and 8, six sample lanes; target and loading rows on the same image.
void writeLayout(const fs::path& dir) {
    writeText(dir / "blots.csv", "image,membrane,target,measure,band\n"
                                 "ladder.tif,M1,S6K1,total,\n"
                                 "ladder.tif,M1,GAPDH,loading,\n");
    writeText(dir / "samples.csv", "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,26620,ladder,\n"
                                   "M1,2,c1,control,1\nM1,3,c2,control,2\nM1,4,c3,control,3\n"
                                   "M1,5,t1,treated,1\nM1,6,t2,treated,2\nM1,7,t3,treated,3\n"
                                   "M1,8,PageRuler Plus,ladder,\n");
}

std::vector<std::string> layoutArguments(const fs::path& dir) {
    return {"--blots", (dir / "blots.csv").string(), "--samples", (dir / "samples.csv").string()};
}

TEST(CliMolecularWeight, BandsGetMassesAndQuantifyReadsTheSame) {
    TempDir dir;
    LadderBlotParams params;
    params.seed = 2;
    params.hasTwoLadders = true;
    const auto ladderBlot = generateLadderBlot(params);
    ASSERT_TRUE(ladderBlot.has_value());
    test::writeTiff(dir.path() / "ladder.tif", {ladderBlot->blot.raw});
    writeLayout(dir.path());

    std::vector<std::string> whole = {"analyze", (dir.path() / "ladder.tif").string(),
                                      "--out",   (dir.path() / "whole").string(),
                                      "--lanes", "8"};
    std::vector<std::string> shard = {"analyze",       (dir.path() / "ladder.tif").string(),
                                      "--out",         (dir.path() / "shard").string(),
                                      "--lanes",       "8",
                                      "--no-overlays", "--shard"};
    for (const std::string& arg : layoutArguments(dir.path())) {
        whole.push_back(arg);
        shard.push_back(arg);
    }
    const auto wholeRun = runCli(whole);
    ASSERT_EQ(wholeRun.exitCode, 0) << wholeRun.err;
    const auto shardRun = runCli(shard);
    ASSERT_EQ(shardRun.exitCode, 0) << shardRun.err;
    std::vector<std::string> merge = {"quantify", (dir.path() / "shard").string(), "--out",
                                      (dir.path() / "merged").string()};
    for (const std::string& arg : layoutArguments(dir.path())) {
        merge.push_back(arg);
    }
    const auto mergeRun = runCli(merge);
    ASSERT_EQ(mergeRun.exitCode, 0) << mergeRun.err;
    const std::string bands = readText(dir.path() / "whole" / "bands.csv");
    EXPECT_EQ(readText(dir.path() / "merged" / "bands.csv"), bands);

    // Every band of a sample lane has a mass within 5% of its row's kDa; ladder bands read
    // their own marker's mass.
    const CsvTable table = parseCsv(bands, "bands.csv").value();
    const std::size_t laneColumn = table.findColumn("lane").value();
    const std::size_t massColumn = table.findColumn("mw_kda").value();
    const std::size_t peakColumn = table.findColumn("peak_y").value();
    EXPECT_EQ(massColumn, 14u); // appended after the fourteen columns before it
    int sampleBands = 0;
    for (const CsvRow& row : table.rows) {
        const int lane = parseWholeNumber(table.text(row, laneColumn)).value();
        const double peakY = parseDecimalNumber(table.text(row, peakColumn), false).value();
        const auto mass = parseDecimalNumber(table.text(row, massColumn), false);
        ASSERT_TRUE(mass.has_value()) << "lane " << lane << " at y " << peakY;
        // The true band of this lane nearest the detected one.
        const TrueBand* truth = nullptr;
        for (const TrueBand& band : ladderBlot->blot.bands) {
            if (band.lane == lane && band.volume > 0 &&
                (truth == nullptr ||
                 std::abs(band.yCenterPx - peakY) < std::abs(truth->yCenterPx - peakY))) {
                truth = &band;
            }
        }
        ASSERT_NE(truth, nullptr);
        const double kda = ladderBlot->rowKda[static_cast<std::size_t>(truth->row - 1)];
        EXPECT_NEAR(*mass / kda, 1.0, 0.05) << "lane " << lane << " at y " << peakY;
        sampleBands += lane != 1 && lane != 8 ? 1 : 0;
    }
    EXPECT_EQ(sampleBands, 18); // six sample lanes, three rows
    EXPECT_TRUE(fs::exists(dir.path() / "whole" / "overlays" / "ladder.png"));
}

/// `analyze` of dir/ladder.tif with dir's layout sheets, 8 lanes, into dir/out.
test::ProcessResult analyzeWithLayout(const fs::path& dir, const std::string& out) {
    std::vector<std::string> arguments = {"analyze",      (dir / "ladder.tif").string(),
                                          "--out",        (dir / out).string(),
                                          "--lanes",      "8",
                                          "--no-overlays"};
    for (const std::string& arg : layoutArguments(dir)) {
        arguments.push_back(arg);
    }
    return runCli(arguments);
}

/// lanes.csv's kind column of one strip, lane by lane.
std::vector<std::string> laneKinds(const fs::path& lanesCsv) {
    const CsvTable table = parseCsv(readText(lanesCsv), "lanes.csv").value();
    const std::size_t kindColumn = table.findColumn("kind").value();
    std::vector<std::string> kinds;
    for (const CsvRow& row : table.rows) {
        kinds.emplace_back(table.text(row, kindColumn));
    }
    return kinds;
}

TEST(CliMolecularWeight, TheLayoutSaysWhichLanesAreLadders) {
    TempDir dir;
    ASSERT_TRUE(test::writeTwoLadderBlot(dir.path() / "ladder.tif"));
    const auto analyze = [&](const std::string& out) {
        const auto run = analyzeWithLayout(dir.path(), out);
        EXPECT_EQ(run.exitCode, 0) << run.err;
        return laneKinds(dir.path() / out / "lanes.csv");
    };
    // Ladders in lanes 1 and 8 (detection alone, asked for 8 lanes, calls every lane a sample).
    writeLayout(dir.path());
    EXPECT_EQ(analyze("two"), (std::vector<std::string>{"ladder", "sample", "sample", "sample",
                                                        "sample", "sample", "sample", "ladder"}));
    // Lane 8 listed as a sample: only lane 1 is a ladder.
    writeText(dir.path() / "samples.csv", "membrane,lane,sample,condition,replicate\n"
                                          "M1,1,26620,ladder,\n"
                                          "M1,2,c1,control,1\nM1,3,c2,control,2\n"
                                          "M1,4,c3,control,3\nM1,5,t1,treated,1\n"
                                          "M1,6,t2,treated,2\nM1,7,t3,treated,3\n"
                                          "M1,8,t4,treated,4\n");
    EXPECT_EQ(analyze("one"), (std::vector<std::string>{"ladder", "sample", "sample", "sample",
                                                        "sample", "sample", "sample", "sample"}));
}

TEST(CliMolecularWeight, ALadderThatCannotBeReadMarksItsImageForReview) {
    TempDir dir;
    ASSERT_TRUE(test::writeTwoLadderBlot(dir.path() / "ladder.tif"));
    const auto analyze = [&](const std::string& out) {
        return analyzeWithLayout(dir.path(), out);
    };
    writeLayout(dir.path());
    const auto good = analyze("good");
    ASSERT_EQ(good.exitCode, 0) << good.err;
    const nlohmann::json goodRecord = test::readJson(dir.path() / "good" / "run.json");
    EXPECT_FALSE(goodRecord["inputs"][0]["needs_review"].get<bool>()) << goodRecord.dump(1);

    // Lane 4 holds three sample bands, not the thirteen markers of PageRuler Plus.
    writeText(dir.path() / "samples.csv", "membrane,lane,sample,condition,replicate\n"
                                          "M1,1,26620,ladder,\n"
                                          "M1,2,c1,control,1\nM1,3,c2,control,2\n"
                                          "M1,4,26620,ladder,\nM1,5,t1,treated,1\n"
                                          "M1,6,t2,treated,2\nM1,7,t3,treated,3\n"
                                          "M1,8,26620,ladder,\n");
    const auto doubtful = analyze("doubtful");
    ASSERT_EQ(doubtful.exitCode, 0) << doubtful.err;
    const nlohmann::json record = test::readJson(dir.path() / "doubtful" / "run.json");
    const nlohmann::json& image = record["inputs"][0];
    EXPECT_TRUE(image["needs_review"].get<bool>());
    const std::string reasons = image["review_reasons"].dump();
    EXPECT_NE(reasons.find("ladder.tif strip 1 ladder lane 4: not used for molecular weights"),
              std::string::npos)
        << reasons;
    EXPECT_NE(doubtful.err.find("ladder.tif: needs review: "), std::string::npos) << doubtful.err;

    // A shard cannot read ladders (it has no experiment); quantify marks the image as analyze
    // does.
    std::vector<std::string> shard = {"analyze",       (dir.path() / "ladder.tif").string(),
                                      "--out",         (dir.path() / "shard").string(),
                                      "--lanes",       "8",
                                      "--no-overlays", "--shard"};
    std::vector<std::string> merge = {"quantify", (dir.path() / "shard").string(), "--out",
                                      (dir.path() / "merged").string()};
    for (const std::string& arg : layoutArguments(dir.path())) {
        shard.push_back(arg);
        merge.push_back(arg);
    }
    ASSERT_EQ(runCli(shard).exitCode, 0);
    const auto merged = runCli(merge);
    ASSERT_EQ(merged.exitCode, 0) << merged.err;
    const nlohmann::json mergedRecord = test::readJson(dir.path() / "merged" / "run.json");
    EXPECT_TRUE(mergedRecord["inputs"][0]["needs_review"].get<bool>());
    EXPECT_EQ(mergedRecord["inputs"][0]["review_reasons"], image["review_reasons"]);
}

TEST(CliMolecularWeight, AnUnknownMarkerSetIsAUsageErrorNamingTheRow) {
    TempDir dir;
    writeText(dir.path() / "blots.csv", "image,membrane,target,measure\n"
                                        "ladder.tif,M1,S6K1,total\nladder.tif,M1,GAPDH,loading\n");
    writeText(dir.path() / "samples.csv", "membrane,lane,sample,condition,replicate\n"
                                          "M1,1,Magic Mark,ladder,\nM1,2,c1,control,1\n");
    const auto run =
        runCli({"analyze", (dir.path() / "ladder.tif").string(), "--out",
                (dir.path() / "out").string(), "--blots", (dir.path() / "blots.csv").string(),
                "--samples", (dir.path() / "samples.csv").string()});
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_NE(run.err.find("samples.csv:2: column \"sample\": ladder lane: \"Magic Mark\" is not "
                           "a known marker set (PageRuler Plus Prestained,"),
              std::string::npos)
        << run.err;
    EXPECT_FALSE(fs::exists(dir.path() / "out"));
}

} // namespace
} // namespace densito
