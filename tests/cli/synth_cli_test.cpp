// End-to-end tests of `densito-cli synth`.
#include "core/image/image_loader.h"
#include "core/synth/sample_experiment.h"
#include "core/synth/synth_truth.h"
#include "core/synth/synthetic_blot.h"

#include "support/file_io.h"
#include "support/process.h"
#include "support/temp_dir.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <sstream>

namespace {

using densito::test::readJson;
using densito::test::readLines;
using densito::test::runCli;
using densito::test::TempDir;
namespace fs = std::filesystem;

int countLines(const std::string& text) {
    std::istringstream in(text);
    int lines = 0;
    for (std::string line; std::getline(in, line);) {
        lines += line.empty() ? 0 : 1;
    }
    return lines;
}

TEST(CliSynth, HelpListsSynthCommand) {
    const auto result = runCli({"--help"});
    EXPECT_EQ(result.exitCode, 0);
    EXPECT_NE(result.out.find("synth"), std::string::npos);
}

// The benchmark image (bench/compare_imagej.sh): size, lanes and rows as asked, stored
// uncompressed, with the pixels of the same image written with Deflate.
TEST(CliSynth, SizeLanesRowsAndUncompressedAreHonoured) {
    TempDir dir;
    const std::vector<std::string> fixed{"--seed", "5",       "--width", "640",    "--height",
                                         "480",    "--lanes", "6",       "--rows", "2"};
    std::vector<std::string> plain{"synth", "--out", (dir / "plain").string(), "--uncompressed"};
    std::vector<std::string> deflate{"synth", "--out", (dir / "deflate").string()};
    plain.insert(plain.end(), fixed.begin(), fixed.end());
    deflate.insert(deflate.end(), fixed.begin(), fixed.end());
    ASSERT_EQ(runCli(plain).exitCode, 0);
    ASSERT_EQ(runCli(deflate).exitCode, 0);
    const auto image = densito::loadImage(dir / "plain" / "synth_realistic_5.tif");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_EQ(image->raw.cols, 640);
    EXPECT_EQ(image->raw.rows, 480);
    EXPECT_EQ(image->metadata.compression, "none");
    const nlohmann::json truth = readJson(dir / "plain" / "synth_realistic_5.truth.json");
    EXPECT_EQ(truth["lanes"].size(), 6u);
    EXPECT_EQ(truth["band_rows"], 2);
    const auto compressed = densito::loadImage(dir / "deflate" / "synth_realistic_5.tif");
    ASSERT_TRUE(compressed.has_value()) << compressed.error().describe();
    EXPECT_EQ(compressed->metadata.compression, "Deflate");
    EXPECT_EQ(cv::norm(image->raw, compressed->raw, cv::NORM_INF), 0.0);
    // Uncompressed: the pixel bytes plus a small header, never less.
    EXPECT_GE(fs::file_size(dir / "plain" / "synth_realistic_5.tif"), 640u * 480u * 2u);
}

TEST(CliSynth, WritesImagesAndTruthThatLoad) {
    TempDir dir;
    const auto out = dir / "suite";
    const auto result = runCli(
        {"synth", "--out", out.string(), "--seed", "41", "--profile", "clean", "--count", "2"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(countLines(result.out), 2) << result.out;
    for (const std::uint64_t seed : {41U, 42U}) {
        const std::string stem = "synth_clean_" + std::to_string(seed);
        EXPECT_NE(result.out.find(stem + ".tif"), std::string::npos) << result.out;
        const auto image = densito::loadImage(out / (stem + ".tif"));
        ASSERT_TRUE(image.has_value()) << image.error().describe();
        EXPECT_EQ(image->raw.type(), CV_16UC1);
        const nlohmann::json truth = readJson(out / (stem + ".truth.json"));
        EXPECT_EQ(truth["format"], "densito-synth-truth");
        EXPECT_EQ(truth["seed"], seed);
        EXPECT_EQ(truth["profile"], "clean");
        EXPECT_EQ(truth["width"], image->raw.cols);
        EXPECT_EQ(truth["height"], image->raw.rows);
        EXPECT_TRUE(densito::synthTruthFromJson(truth).has_value());

        // The file holds exactly what the generator makes for that seed.
        densito::SynthParams params;
        params.seed = seed;
        params.profile = densito::SynthProfile::Clean;
        const auto blot = densito::generateSyntheticBlot(params);
        ASSERT_TRUE(blot.has_value());
        EXPECT_EQ(cv::countNonZero(blot->raw != image->raw), 0);
        EXPECT_EQ(densito::toTruthJson(*blot), truth);
    }
    EXPECT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator()), 4);
}

TEST(CliSynth, DarkBandsGetTheirOwnNames) {
    TempDir dir;
    const auto result = runCli({"synth", "--out", dir.path().string(), "--profile", "hard",
                                "--seed", "3", "--polarity", "dark-bands"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto truth = readJson(dir / "synth_hard_3_dark.truth.json");
    EXPECT_EQ(truth["polarity"], "dark-bands");
    EXPECT_TRUE(densito::loadImage(dir / "synth_hard_3_dark.tif").has_value());
}

TEST(CliSynth, BadProfileIsUsageError) {
    TempDir dir;
    const auto result = runCli({"synth", "--out", dir.path().string(), "--profile", "easy"});
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(CliSynth, MissingOutIsUsageError) {
    EXPECT_EQ(runCli({"synth", "--seed", "1"}).exitCode, 2);
    EXPECT_EQ(runCli({"synth", "--out", "x", "--count", "0"}).exitCode, 2);
}

TEST(CliSynth, SeedRangePastTheLargestSeedIsUsageError) {
    TempDir dir;
    const auto result = runCli(
        {"synth", "--out", dir.path().string(), "--seed", "18446744073709551615", "--count", "2"});
    EXPECT_EQ(result.exitCode, 2);
}

TEST(CliSynth, ExperimentWritesImagesSheetsAndTruth) {
    TempDir dir;
    const auto out = dir / "experiment";
    const auto result = runCli({"synth", "--experiment", "--out", out.string()});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("27 images"), std::string::npos) << result.out;
    int images = 0;
    for (const auto& entry : fs::directory_iterator(out)) {
        if (entry.path().extension() == ".tif") {
            const auto image = densito::loadImage(entry.path());
            ASSERT_TRUE(image.has_value()) << image.error().describe();
            EXPECT_EQ(image->raw.type(), CV_16UC1);
            ++images;
        }
    }
    EXPECT_EQ(images, 27);
    for (const char* name :
         {"membrane1_p-Akt_Ser473.tif", "membrane1_Akt_total.tif", "membrane1_beta-actin.tif",
          "blots.csv", "samples.csv", "README.md", "expected/quantification.csv",
          "expected/summary.csv", "expected/contrasts.csv"}) {
        EXPECT_TRUE(fs::is_regular_file(out / name)) << name;
    }
    const nlohmann::json truth = readJson(out / "truth.json");
    EXPECT_EQ(truth["format"], "densito-sample-experiment-truth");
    EXPECT_EQ(truth["seed"], densito::kSampleExperimentSeed);
    EXPECT_EQ(readLines(out / "samples.csv").front(),
              "membrane,lane,sample,condition,replicate,insulin,isoleucine");

    // Another seed is another experiment; the single-image options do not apply.
    const auto other =
        runCli({"synth", "--experiment", "--seed", "5", "--out", (dir / "b").string()});
    ASSERT_EQ(other.exitCode, 0) << other.err;
    EXPECT_EQ(readJson(dir / "b" / "truth.json")["seed"], 5);
    EXPECT_EQ(runCli({"synth", "--experiment", "--profile", "hard", "--out", (dir / "c").string()})
                  .exitCode,
              2);
}

TEST(CliSynth, UnwritableOutputExitsThree) {
    TempDir dir;
    const auto blocker = dir / "blocker";
    std::ofstream(blocker) << "a file where the folder should be";
    const auto result =
        runCli({"synth", "--out", (blocker / "out").string(), "--profile", "clean"});
    EXPECT_EQ(result.exitCode, 3);
    EXPECT_FALSE(result.err.empty());
}

} // namespace
