// End to end: densito-cli synth writes a small clean suite with exact truth, densito-cli
// analyze measures it; lane counts, band counts and relative volumes must match the truth.
#include "support/file_io.h"
#include "support/process.h"
#include "support/temp_dir.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

using densito::test::readText;
using densito::test::runCli;
using densito::test::TempDir;
namespace fs = std::filesystem;

std::vector<std::vector<std::string>> readCsvRows(const fs::path& path) {
    std::ifstream in(path);
    std::vector<std::vector<std::string>> rows;
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> fields;
        std::stringstream stream(line);
        for (std::string field; std::getline(stream, field, ',');) {
            fields.push_back(field);
        }
        rows.push_back(fields);
    }
    return rows;
}

TEST(CliEndToEnd, CleanSyntheticSuiteIsMeasuredWithinOnePercent) {
    TempDir dir;
    const auto synth = runCli({"synth", "--out", (dir / "suite").string(), "--profile", "clean",
                               "--count", "3", "--seed", "11"});
    ASSERT_EQ(synth.exitCode, 0) << synth.err;
    const auto one = runCli(
        {"analyze", (dir / "suite").string(), "--out", (dir / "out1").string(), "--threads", "1"});
    ASSERT_EQ(one.exitCode, 0) << one.err;
    const auto two = runCli(
        {"analyze", (dir / "suite").string(), "--out", (dir / "out2").string(), "--threads", "2"});
    ASSERT_EQ(two.exitCode, 0) << two.err;
    EXPECT_EQ(readText(dir / "out1" / "bands.csv"), readText(dir / "out2" / "bands.csv"));
    EXPECT_EQ(readText(dir / "out1" / "lanes.csv"), readText(dir / "out2" / "lanes.csv"));

    // bands.csv columns: image,lane,band,x,y,width,height,volume,...
    std::map<std::string, std::map<std::pair<int, int>, double>> measured;
    std::map<std::string, int> laneCount;
    const auto bandRows = readCsvRows(dir / "out1" / "bands.csv");
    for (std::size_t i = 1; i < bandRows.size(); ++i) {
        measured[bandRows[i][0]][{std::stoi(bandRows[i][1]), std::stoi(bandRows[i][2])}] =
            std::stod(bandRows[i][7]);
    }
    const auto laneRows = readCsvRows(dir / "out1" / "lanes.csv");
    for (std::size_t i = 1; i < laneRows.size(); ++i) {
        ++laneCount[laneRows[i][0]];
    }
    int compared = 0;
    for (const std::uint64_t seed : {11u, 12u, 13u}) {
        const std::string stem = "synth_clean_" + std::to_string(seed);
        SCOPED_TRACE(stem);
        std::ifstream in(dir / "suite" / (stem + ".truth.json"));
        const auto truth = nlohmann::json::parse(in);
        const std::string image = stem + ".tif";
        EXPECT_EQ(laneCount[image], static_cast<int>(truth["lanes"].size()));
        ASSERT_EQ(measured[image].size(), truth["bands"].size());
        // Relative quantification within each band row: both normalised to their row mean.
        std::map<int, std::vector<std::pair<double, double>>> rows;
        for (const auto& band : truth["bands"]) {
            const int lane = band["lane"];
            const int row = band["row"];
            rows[row].push_back({measured[image].at({lane, row}), band["volume"].get<double>()});
        }
        for (const auto& [row, pairs] : rows) {
            double measuredMean = 0;
            double trueMean = 0;
            for (const auto& [m, t] : pairs) {
                measuredMean += m / static_cast<double>(pairs.size());
                trueMean += t / static_cast<double>(pairs.size());
            }
            for (const auto& [m, t] : pairs) {
                EXPECT_NEAR((m / measuredMean) / (t / trueMean), 1.0, 0.01) << "row " << row;
                ++compared;
            }
        }
    }
    EXPECT_GT(compared, 20);
}

} // namespace
