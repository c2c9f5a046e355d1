// densito-cli quantify: the experiment analysis of analyze output folders (shards), as a
// cluster runs it: the same files as one whole run, and no output from folders that do not fit.
#include "support/file_io.h"
#include "support/process.h"
#include "support/temp_dir.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using densito::test::readText;
using densito::test::runCli;
using densito::test::TempDir;
namespace fs = std::filesystem;

const fs::path kExperiment = fs::path(DENSITO_SOURCE_DIR) / "sample_blots" / "experiment";

std::vector<std::string> layoutArguments() {
    return {"--blots",   (kExperiment / "blots.csv").string(),
            "--samples", (kExperiment / "samples.csv").string(),
            "--factors", "insulin,isoleucine"};
}

std::vector<fs::path> experimentImages() {
    std::vector<fs::path> images;
    for (const auto& entry : fs::directory_iterator(kExperiment)) {
        if (entry.path().extension() == ".tif") {
            images.push_back(entry.path());
        }
    }
    std::sort(images.begin(), images.end());
    return images;
}

/// Runs `analyze` over `images` into `out` with the sample layout and `--shard`.
densito::test::ProcessResult analyzeShard(const std::vector<fs::path>& images,
                                          const fs::path& out) {
    std::vector<std::string> args{"analyze"};
    for (const auto& image : images) {
        args.push_back(image.string());
    }
    for (const std::string& arg :
         std::vector<std::string>{"--out", out.string(), "--no-overlays", "--shard"}) {
        args.push_back(arg);
    }
    for (const std::string& arg : layoutArguments()) {
        args.push_back(arg);
    }
    return runCli(args);
}

densito::test::ProcessResult quantify(const std::vector<fs::path>& folders, const fs::path& out,
                                      const std::vector<std::string>& options = {}) {
    std::vector<std::string> args{"quantify"};
    args.insert(args.end(), options.begin(), options.end());
    for (const auto& folder : folders) {
        args.push_back(folder.string());
    }
    args.push_back("--out");
    args.push_back(out.string());
    for (const std::string& arg : layoutArguments()) {
        args.push_back(arg);
    }
    return runCli(args);
}

// The sample experiment (27 images) analysed in three shards of nine images, then quantified
// from the three output folders, gives the files of one whole run byte for byte.
TEST(CliQuantify, ThreeShardsGiveTheFilesOfOneRun) {
    TempDir dir;
    std::vector<std::string> whole{"analyze", kExperiment.string(), "--out",
                                   (dir.path() / "whole").string(), "--no-overlays"};
    for (const std::string& arg : layoutArguments()) {
        whole.push_back(arg);
    }
    const auto wholeRun = runCli(whole);
    ASSERT_EQ(wholeRun.exitCode, 0) << wholeRun.err;

    const std::vector<fs::path> images = experimentImages();
    ASSERT_EQ(images.size(), 27u);
    std::vector<fs::path> shards;
    for (std::size_t k = 0; k < 3; ++k) {
        const std::vector<fs::path> part(images.begin() + static_cast<std::ptrdiff_t>(9 * k),
                                         images.begin() + static_cast<std::ptrdiff_t>(9 * k + 9));
        shards.push_back(dir.path() / ("shard" + std::to_string(k + 1)));
        const auto shardRun = analyzeShard(part, shards.back());
        ASSERT_EQ(shardRun.exitCode, 0) << shardRun.err;
        EXPECT_FALSE(fs::exists(shards.back() / "quantification.csv"));
        const auto runJson = nlohmann::json::parse(readText(shards.back() / "run.json"));
        EXPECT_EQ(runJson.at("inputs").size(), 9u);
        EXPECT_TRUE(runJson.at("parameters").contains("shard"));
    }

    const fs::path merged = dir.path() / "merged";
    const auto run = quantify(shards, merged);
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const std::vector<std::string> files{"quantification.csv",
                                         "summary.csv",
                                         "contrasts.csv",
                                         "units.csv",
                                         "fold_change_wide.csv",
                                         "prism/p-Akt_Ser473.csv",
                                         "prism/p-IRS-1_Ser307.csv",
                                         "prism/p-S6K1_Thr389.csv",
                                         "prism/p-mTOR_Ser2448.csv",
                                         "results.xlsx",
                                         "lanes.csv",
                                         "bands.csv"};
    for (const std::string& file : files) {
        SCOPED_TRACE(file);
        ASSERT_TRUE(fs::exists(merged / file));
        EXPECT_EQ(readText(merged / file), readText(dir.path() / "whole" / file));
    }
    EXPECT_EQ(std::distance(fs::directory_iterator(merged / "prism"), fs::directory_iterator()), 4);

    // --csv-bom: every CSV file starts with the UTF-8 byte-order mark, then the same bytes;
    // the workbook is unchanged.
    const fs::path marked = dir.path() / "marked";
    const auto markedRun = quantify(shards, marked, {"--csv-bom"});
    ASSERT_EQ(markedRun.exitCode, 0) << markedRun.err;
    for (const std::string& file : files) {
        SCOPED_TRACE(file);
        const std::string mark = file.ends_with(".csv") ? "\xEF\xBB\xBF" : "";
        EXPECT_EQ(readText(marked / file), mark + readText(merged / file));
    }
    EXPECT_EQ(nlohmann::json::parse(readText(marked / "run.json")).at("parameters").at("csv_bom"),
              true);
    const auto runJson = nlohmann::json::parse(readText(merged / "run.json"));
    EXPECT_EQ(runJson.at("command"), "quantify");
    EXPECT_EQ(runJson.at("inputs").size(), 27u);
    EXPECT_EQ(runJson.at("parameters").at("results").size(), 3u);
}

// Folders that do not fit the layout write nothing: images analysed without the layout (their
// lanes and strips were not set by it), and an image analysed in two shards.
TEST(CliQuantify, FoldersThatDoNotFitWriteNothing) {
    TempDir dir;
    const fs::path image = kExperiment / "membrane1_beta-actin.tif";
    const fs::path plain = dir.path() / "plain";
    const auto plainRun =
        runCli({"analyze", image.string(), "--out", plain.string(), "--no-overlays"});
    ASSERT_EQ(plainRun.exitCode, 0) << plainRun.err;
    const auto noLayout = quantify({plain}, dir.path() / "out1");
    EXPECT_EQ(noLayout.exitCode, 2);
    EXPECT_NE(noLayout.err.find((plain / "run.json").string() +
                                ": the images were analysed without layout sheets"),
              std::string::npos)
        << noLayout.err;
    EXPECT_FALSE(fs::exists(dir.path() / "out1"));

    const fs::path first = dir.path() / "first";
    const fs::path second = dir.path() / "second";
    ASSERT_EQ(analyzeShard({image}, first).exitCode, 0);
    ASSERT_EQ(analyzeShard({image}, second).exitCode, 0);
    const auto twice = quantify({first, second}, dir.path() / "out2");
    EXPECT_EQ(twice.exitCode, 2);
    EXPECT_NE(twice.err.find("image membrane1_beta-actin.tif was analysed in both " +
                             first.string() + " and " + second.string()),
              std::string::npos)
        << twice.err;
    EXPECT_FALSE(fs::exists(dir.path() / "out2"));

    // One shard alone lacks the other images of blots.csv: the layout check refuses it.
    const auto partial = quantify({first}, dir.path() / "out3");
    EXPECT_EQ(partial.exitCode, 2);
    EXPECT_NE(partial.err.find("the layout does not fit: nothing was written"), std::string::npos)
        << partial.err;
    EXPECT_FALSE(fs::exists(dir.path() / "out3"));
}

// A stain row is measured over whole lanes from the image's pixels, which analysis folders do
// not keep: quantify refuses such a layout, naming the row, and writes nothing.
TEST(CliQuantify, ALayoutWithAStainRowIsRefused) {
    TempDir dir;
    const fs::path blots = dir.path() / "blots.csv";
    {
        std::ofstream out(blots, std::ios::binary);
        out << readText(kExperiment / "blots.csv")
            << "membrane1_ponceau.tif,membrane1,Ponceau S,stain,,\n";
    }
    const fs::path folder = dir.path() / "shard";
    fs::create_directories(folder);
    const auto run =
        runCli({"quantify", folder.string(), "--out", (dir.path() / "out").string(), "--blots",
                blots.string(), "--samples", (kExperiment / "samples.csv").string()});
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_NE(run.err.find(blots.string() +
                           ": membrane1_ponceau.tif is a stain row: whole-lane stains are "
                           "measured from the image's pixels, which analysis folders do not "
                           "keep; quantify this layout with one analyze run"),
              std::string::npos)
        << run.err;
    EXPECT_FALSE(fs::exists(dir.path() / "out"));
}

} // namespace
