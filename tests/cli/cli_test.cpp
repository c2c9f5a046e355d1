// End-to-end tests of the shipped densito-cli executable.
#include "core/io/sha256.h"
#include "core/version.h"

#include "support/file_io.h"
#include "support/process.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

namespace {

using densito::test::readJson;
using densito::test::readLines;
using densito::test::readText;
using densito::test::runCli;
using densito::test::TempDir;
namespace fs = std::filesystem;

std::vector<std::uint8_t> readBytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeText(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

/// A folder with one good light-band 16-bit TIFF, its inverted twin and one bad file.
struct MixedInputs {
    TempDir dir;
    fs::path in = dir / "in";
    fs::path light = in / "light.tif";
    fs::path dark = in / "dark.tif";
    fs::path broken = in / "broken.tif";
    MixedInputs() {
        fs::create_directories(in);
        const cv::Mat blot = densito::test::makeSyntheticBlot({});
        EXPECT_TRUE(cv::imwrite(light.string(), blot));
        EXPECT_TRUE(cv::imwrite(dark.string(), densito::test::invert16(blot)));
        writeText(broken, "this is a text file, not a TIFF\n");
    }
};

TEST(Cli, VersionPrintsProjectVersion) {
    const auto result = runCli({"--version"});
    EXPECT_EQ(result.exitCode, 0);
    EXPECT_EQ(result.out, std::string("densito-cli ") + densito::kVersion + "\n");
}

TEST(Cli, HelpListsAnalyzeCommand) {
    const auto result = runCli({"--help"});
    EXPECT_EQ(result.exitCode, 0);
    EXPECT_NE(result.out.find("analyze"), std::string::npos);
}

TEST(Cli, NoCommandIsUsageError) {
    const auto result = runCli({});
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("subcommand"), std::string::npos) << result.err;
}

TEST(Cli, UnknownOptionIsUsageError) {
    TempDir dir;
    const auto result =
        runCli({"analyze", dir.path().string(), "--out", (dir / "o").string(), "--frobnicate"});
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("--frobnicate"), std::string::npos) << result.err;
}

TEST(Cli, BadPolarityValueIsUsageError) {
    TempDir dir;
    const auto result = runCli(
        {"analyze", dir.path().string(), "--out", (dir / "o").string(), "--polarity", "sideways"});
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("sideways"), std::string::npos) << result.err;
}

TEST(Cli, AnalyzeMissingOutIsUsageError) {
    MixedInputs inputs;
    const auto result = runCli({"analyze", inputs.light.string()});
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("--out"), std::string::npos) << result.err;
}

TEST(Cli, FailingFileDoesNotStopTheOthers) {
    MixedInputs inputs;
    const fs::path out = inputs.dir / "out";
    const auto result = runCli({"analyze", inputs.in.string(), "--out", out.string()});
    EXPECT_EQ(result.exitCode, 1) << result.err;
    EXPECT_NE(result.err.find("error: broken.tif: not an image: the file holds text"),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.out.find("light.tif"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("dark.tif"), std::string::npos) << result.out;

    const auto run = readJson(out / "run.json");
    EXPECT_EQ(run["densito_version"], densito::kVersion);
    EXPECT_EQ(run["command"], "analyze");
    ASSERT_EQ(run["inputs"].size(), 2u);
    ASSERT_EQ(run["failed"].size(), 1u);
    EXPECT_EQ(run["failed"][0]["file"], "broken.tif");
    EXPECT_EQ(run["summary"]["analysed"], 2);
    EXPECT_EQ(run["summary"]["failed"], 1);
    // Folder contents come in path order.
    EXPECT_EQ(run["inputs"][0]["file"], "dark.tif");
    EXPECT_EQ(run["inputs"][1]["file"], "light.tif");
}

TEST(Cli, RunJsonDescribesEachInput) {
    MixedInputs inputs;
    const fs::path out = inputs.dir / "out";
    const auto result =
        runCli({"analyze", inputs.light.string(), inputs.dark.string(), "--out", out.string()});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto run = readJson(out / "run.json");
    ASSERT_EQ(run["inputs"].size(), 2u);
    const auto& light = run["inputs"][0];
    EXPECT_EQ(light["file"], "light.tif");
    EXPECT_EQ(light["sha256"], densito::sha256Hex(readBytes(inputs.light)));
    EXPECT_EQ(light["size_bytes"], fs::file_size(inputs.light));
    EXPECT_EQ(light["width"], 240);
    EXPECT_EQ(light["height"], 160);
    EXPECT_EQ(light["bit_depth"], 16);
    EXPECT_EQ(light["format"], "TIFF");
    EXPECT_EQ(light["polarity"], "light-bands");
    EXPECT_EQ(light["polarity_source"], "pixels");
    EXPECT_EQ(light["saturation_level"], 65535);
    EXPECT_EQ(light["saturated_pixels"], 0);
    const auto& dark = run["inputs"][1];
    EXPECT_EQ(dark["polarity"], "dark-bands");
    EXPECT_EQ(dark["saturation_level"], 0);
    EXPECT_EQ(run["parameters"]["polarity"], "auto");
}

TEST(Cli, ForcedPolarityIsRecorded) {
    MixedInputs inputs;
    const fs::path out = inputs.dir / "out";
    const auto result = runCli(
        {"analyze", inputs.light.string(), "--out", out.string(), "--polarity", "dark-bands"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto run = readJson(out / "run.json");
    EXPECT_EQ(run["inputs"][0]["polarity"], "dark-bands");
    EXPECT_EQ(run["inputs"][0]["polarity_source"], "user");
    EXPECT_EQ(run["parameters"]["polarity"], "dark-bands");
}

TEST(Cli, NothingAnalysedExitsThree) {
    MixedInputs inputs;
    const fs::path out = inputs.dir / "out";
    const auto result = runCli({"analyze", inputs.broken.string(), "--out", out.string()});
    EXPECT_EQ(result.exitCode, 3);
    const auto run = readJson(out / "run.json");
    EXPECT_EQ(run["inputs"].size(), 0u);
    EXPECT_EQ(run["failed"].size(), 1u);
}

TEST(Cli, MissingInputIsReportedByName) {
    TempDir dir;
    const auto result =
        runCli({"analyze", (dir / "nowhere.tif").string(), "--out", (dir / "out").string()});
    EXPECT_EQ(result.exitCode, 3);
    EXPECT_NE(result.err.find("nowhere.tif: does not exist"), std::string::npos) << result.err;
}

TEST(Cli, EmptyFolderHasNothingToAnalyse) {
    TempDir dir;
    fs::create_directories(dir / "empty");
    const auto result =
        runCli({"analyze", (dir / "empty").string(), "--out", (dir / "out").string()});
    EXPECT_EQ(result.exitCode, 3);
    EXPECT_NE(result.err.find("no image files found"), std::string::npos) << result.err;
}

TEST(Cli, OutputInsideInputFolderIsRefused) {
    MixedInputs inputs;
    const auto result =
        runCli({"analyze", inputs.in.string(), "--out", (inputs.in / "results").string()});
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("inside the input folder"), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(inputs.in / "results"));
}

TEST(Cli, InputFilesAreNeverWritten) {
    MixedInputs inputs;
    const auto before = readBytes(inputs.light);
    const auto timeBefore = fs::last_write_time(inputs.light);
    const auto result =
        runCli({"analyze", inputs.in.string(), "--out", (inputs.dir / "out").string()});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_EQ(readBytes(inputs.light), before);
    EXPECT_EQ(fs::last_write_time(inputs.light), timeBefore);
    // Only the documented outputs are written, and no temporary file is left behind.
    std::vector<std::string> written;
    for (const auto& entry : fs::recursive_directory_iterator(inputs.dir / "out")) {
        written.push_back(fs::relative(entry.path(), inputs.dir / "out").string());
    }
    std::sort(written.begin(), written.end());
    EXPECT_EQ(written,
              (std::vector<std::string>{"bands.csv", "lanes.csv", "overlays", "overlays/dark.png",
                                        "overlays/light.png", "run.json"}));
}

TEST(Cli, PageOptionSelectsTiffPage) {
    TempDir dir;
    const fs::path file = dir / "two_pages.tif";
    const cv::Mat first = densito::test::makeSyntheticBlot({});
    densito::test::SyntheticBlotSpec wide;
    wide.width = 300;
    ASSERT_TRUE(cv::imwritemulti(
        file.string(), std::vector<cv::Mat>{first, densito::test::makeSyntheticBlot(wide)}));
    const auto second =
        runCli({"analyze", file.string(), "--out", (dir / "o2").string(), "--page", "2"});
    ASSERT_EQ(second.exitCode, 0) << second.err;
    const auto run = readJson(dir / "o2" / "run.json");
    EXPECT_EQ(run["inputs"][0]["pages"], 2);
    EXPECT_EQ(run["inputs"][0]["page"], 2);
    EXPECT_EQ(run["inputs"][0]["width"], 300);

    const auto missing =
        runCli({"analyze", file.string(), "--out", (dir / "o5").string(), "--page", "5"});
    EXPECT_EQ(missing.exitCode, 3);
    EXPECT_NE(missing.err.find("two_pages.tif: page 5 requested, but the file has 2 pages"),
              std::string::npos)
        << missing.err;
}

TEST(Cli, ThreadCountDoesNotChangeResults) {
    MixedInputs inputs;
    const auto one = runCli(
        {"analyze", inputs.in.string(), "--out", (inputs.dir / "t1").string(), "--threads", "1"});
    const auto two = runCli(
        {"analyze", inputs.in.string(), "--out", (inputs.dir / "t2").string(), "--threads", "2"});
    EXPECT_EQ(one.exitCode, 1);
    EXPECT_EQ(two.exitCode, 1);
    EXPECT_EQ(one.out, two.out);
    auto strip = [](nlohmann::json run) {
        run.erase("timings");
        run["parameters"].erase("threads");
        for (auto& input : run["inputs"]) {
            input.erase("seconds");
        }
        return run;
    };
    EXPECT_EQ(strip(readJson(inputs.dir / "t1" / "run.json")),
              strip(readJson(inputs.dir / "t2" / "run.json")));
    for (const char* csv : {"lanes.csv", "bands.csv"}) {
        EXPECT_EQ(readBytes(inputs.dir / "t1" / csv), readBytes(inputs.dir / "t2" / csv)) << csv;
    }
}

TEST(Cli, AnalyzeWritesLanesBandsAndOverlays) {
    MixedInputs inputs;
    const fs::path out = inputs.dir / "out";
    const auto result = runCli({"analyze", inputs.light.string(), "--out", out.string()});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto lanes = readLines(out / "lanes.csv");
    ASSERT_EQ(lanes.size(), 7u); // header + the generated blot's 6 lanes
    EXPECT_EQ(lanes[0], "image,lane,x_center,left,right,strip,kind,confidence");
    EXPECT_EQ(lanes[1].rfind("light.tif,1,", 0), 0u) << lanes[1];
    const auto bands = readLines(out / "bands.csv");
    ASSERT_EQ(bands.size(), 13u); // 6 lanes x 2 band rows
    EXPECT_EQ(bands[0], "image,lane,band,x,y,width,height,volume,strip,background,peak,"
                        "saturated_pixels,snr,flags,mw_kda,peak_y");
    EXPECT_EQ(bands[1].rfind("light.tif,1,1,", 0), 0u) << bands[1];
    EXPECT_EQ(bands[2].rfind("light.tif,1,2,", 0), 0u) << bands[2];
    const cv::Mat overlay = cv::imread((out / "overlays" / "light.png").string());
    ASSERT_FALSE(overlay.empty());
    EXPECT_EQ(overlay.cols, 240);
    const auto run = readJson(out / "run.json");
    EXPECT_EQ(run["parameters"]["background"], "border-median");
    EXPECT_EQ(run["inputs"][0]["lanes"], 6);
    EXPECT_EQ(run["inputs"][0]["bands"], 12);
    EXPECT_EQ(run["inputs"][0]["overlay"], "overlays/light.png");
}

TEST(Cli, NoOverlaysWritesNone) {
    MixedInputs inputs;
    const fs::path out = inputs.dir / "out";
    const auto result =
        runCli({"analyze", inputs.light.string(), "--out", out.string(), "--no-overlays"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_FALSE(fs::exists(out / "overlays"));
    EXPECT_TRUE(readJson(out / "run.json")["inputs"][0]["overlay"].is_null());
}

TEST(Cli, UnknownBackgroundMethodIsUsageError) {
    MixedInputs inputs;
    const auto result = runCli({"analyze", inputs.light.string(), "--out",
                                (inputs.dir / "o").string(), "--background", "rolling-pin"});
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("rolling-pin"), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(inputs.dir / "o"));
}

TEST(Cli, LaneCountHintThatDisagreesIsWarned) {
    MixedInputs inputs;
    const fs::path out = inputs.dir / "out";
    const auto result =
        runCli({"analyze", inputs.light.string(), "--out", out.string(), "--lanes", "5"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    // The image shows 6 lanes with signal: all 6 are kept (a lane with signal is never
    // dropped), the image is marked for review, and the run says so at the end.
    EXPECT_NE(result.err.find("light.tif: strip 1: 5 lanes requested but the image shows 6 "
                              "lanes with signal; all 6 kept"),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("light.tif: needs review: strip 1: 5 lanes requested"),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("1 of 1 images need review"), std::string::npos) << result.err;
    EXPECT_EQ(readLines(out / "lanes.csv").size(), 7u);
    const std::string run = readText(out / "run.json");
    EXPECT_NE(run.find("\"needs_review\": true"), std::string::npos) << run;
}

TEST(Cli, QuietKeepsErrorsOnly) {
    MixedInputs inputs;
    const auto result =
        runCli({"--quiet", "analyze", inputs.in.string(), "--out", (inputs.dir / "out").string()});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_EQ(result.err.find("info:"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("error: broken.tif"), std::string::npos) << result.err;
}

} // namespace
