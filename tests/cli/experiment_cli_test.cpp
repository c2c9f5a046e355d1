// densito-cli analyze with layout sheets: validation before anything is written, and the
// experiment outputs traced back to bands.csv.
#include "core/analysis/csv_table.h"

#include "support/file_io.h"
#include "support/process.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <string>
#include <string_view>

namespace {

using densito::test::readLines;
using densito::test::readText;
using densito::test::runCli;
using densito::test::TempDir;
namespace fs = std::filesystem;

void writeText(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> splitCsvLine(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, ',')) {
        fields.push_back(field);
    }
    if (!line.empty() && line.back() == ',') {
        fields.emplace_back();
    }
    return fields;
}

/// CSV rows (no quoted fields in these files) as maps from column name to text.
std::vector<std::map<std::string, std::string>> readCsv(const fs::path& path) {
    const std::vector<std::string> lines = readLines(path);
    std::vector<std::map<std::string, std::string>> rows;
    if (lines.empty()) {
        return rows;
    }
    const std::vector<std::string> header = splitCsvLine(lines[0]);
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::vector<std::string> fields = splitCsvLine(lines[i]);
        std::map<std::string, std::string> row;
        for (std::size_t c = 0; c < header.size() && c < fields.size(); ++c) {
            row[header[c]] = fields[c];
        }
        rows.push_back(row);
    }
    return rows;
}

/// Six lanes, one band row; the bands of lanes 4-6 (the "Insulin" lanes) are `factor` times
/// as strong as a plain synthetic blot's.
cv::Mat blotWithStimulatedLanes(std::uint64_t seed, double peak, double factor) {
    densito::test::SyntheticBlotSpec spec;
    spec.width = 420;
    spec.height = 160;
    spec.lanes = 6;
    spec.bandRows = 1;
    spec.peak = peak;
    spec.seed = seed;
    const cv::Mat plain = densito::test::makeSyntheticBlot(spec);
    cv::Mat scaled(plain.size(), CV_16UC1);
    for (int y = 0; y < plain.rows; ++y) {
        for (int x = 0; x < plain.cols; ++x) {
            const double gain = x >= plain.cols / 2 ? factor : 1.0;
            const double v =
                spec.background + gain * (plain.at<std::uint16_t>(y, x) - spec.background);
            scaled.at<std::uint16_t>(y, x) = static_cast<std::uint16_t>(std::lround(v));
        }
    }
    return scaled;
}

/// Two membranes, each a phospho image (Insulin doubles p-Akt) and a total image.
struct SmallExperiment {
    TempDir dir;
    fs::path images = dir / "images";
    fs::path blots = dir / "blots.csv";
    fs::path samples = dir / "samples.csv";
    SmallExperiment() {
        fs::create_directories(images);
        EXPECT_TRUE(
            cv::imwrite((images / "m1_pakt.tif").string(), blotWithStimulatedLanes(1, 12000, 2.0)));
        EXPECT_TRUE(
            cv::imwrite((images / "m1_akt.tif").string(), blotWithStimulatedLanes(2, 20000, 1.0)));
        EXPECT_TRUE(
            cv::imwrite((images / "m2_pakt.tif").string(), blotWithStimulatedLanes(3, 10000, 2.0)));
        EXPECT_TRUE(
            cv::imwrite((images / "m2_akt.tif").string(), blotWithStimulatedLanes(4, 16000, 1.0)));
        writeText(blots, "image,membrane,target,measure\n"
                         "m1_pakt.tif,M1,p-Akt,phospho\n"
                         "m1_akt.tif,M1,Akt,total\n"
                         "m2_pakt.tif,M2,p-Akt,phospho\n"
                         "m2_akt.tif,M2,Akt,total\n");
        std::string sheet = "membrane,lane,sample,condition,replicate\n";
        for (const std::string membrane : {"M1", "M2"}) {
            for (int lane = 1; lane <= 6; ++lane) {
                sheet += membrane + "," + std::to_string(lane) + "," + membrane + "-" +
                         std::to_string(lane) + "," + (lane <= 3 ? "Control" : "Insulin") + "," +
                         (membrane == "M1" ? "1" : "2") + "\n";
            }
        }
        writeText(samples, sheet);
    }
    std::vector<std::string> args(const fs::path& out) const {
        return {"analyze",      images.string(), "--out",          out.string(),   "--blots",
                blots.string(), "--samples",     samples.string(), "--no-overlays"};
    }
};

TEST(CliExperiment, InvalidLayoutIsReportedByFileLineAndColumnAndNothingIsWritten) {
    SmallExperiment experiment;
    writeText(experiment.samples, "membrane,lane,sample,condition,replicate\n"
                                  "M1,1,a,Control,1\n"
                                  "M1,x,b,Insulin,1\n");
    const fs::path out = experiment.dir / "out";
    const auto result = runCli(experiment.args(out));
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_NE(result.err.find("samples.csv:3: column \"lane\": \"x\" is not a whole number"),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("nothing was written"), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(out));
}

TEST(CliExperiment, AnImageTheInputsLackIsReportedBeforeAnalysis) {
    SmallExperiment experiment;
    writeText(experiment.blots, "image,membrane,target,measure\n"
                                "m1_pakt.tif,M1,p-Akt,phospho\n"
                                "missing.tif,M1,Akt,total\n");
    writeText(experiment.samples, "membrane,lane,sample,condition,replicate\n"
                                  "M1,1,a,Control,1\n"
                                  "M1,2,b,Insulin,1\n");
    const fs::path out = experiment.dir / "out";
    const auto result = runCli(experiment.args(out));
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_NE(result.err.find("blots.csv:3: column \"image\": \"missing.tif\" is not among the "
                              "input images"),
              std::string::npos)
        << result.err;
    EXPECT_FALSE(fs::exists(out));
}

/// A CSV file read with the core's sheet reader (quoted notes hold commas), as maps from
/// column name to text.
std::vector<std::map<std::string, std::string>> readQuotedCsv(const fs::path& path) {
    const auto table = densito::readCsvFile(path);
    if (!table) {
        ADD_FAILURE() << table.error().describe();
        return {};
    }
    std::vector<std::map<std::string, std::string>> rows;
    for (const auto& row : table->rows) {
        std::map<std::string, std::string> fields;
        for (std::size_t c = 0; c < table->header.size(); ++c) {
            fields[table->header[c]] = std::string(table->text(row, c));
        }
        rows.push_back(fields);
    }
    return rows;
}

TEST(CliExperiment, FoldChangesTraceBackToBandVolumes) {
    SmallExperiment experiment;
    const fs::path out = experiment.dir / "out";
    const auto result = runCli(experiment.args(out));
    ASSERT_EQ(result.exitCode, 0) << result.err;

    // Band volumes by image and lane (one band row per image).
    std::map<std::pair<std::string, int>, double> volumes;
    for (const auto& band : readCsv(out / "bands.csv")) {
        ASSERT_EQ(band.at("band"), "1");
        volumes[{band.at("image"), std::stoi(band.at("lane"))}] = std::stod(band.at("volume"));
    }
    const auto lanes = readCsv(out / "quantification.csv");
    ASSERT_EQ(lanes.size(), 12u);
    std::map<std::string, double> controlMeanLog2; // the reference: a geometric mean
    for (const auto& lane : lanes) {
        const std::string m = lane.at("membrane") == "M1" ? "m1" : "m2";
        const int index = std::stoi(lane.at("lane"));
        EXPECT_EQ(std::stod(lane.at("phospho")), volumes.at({m + "_pakt.tif", index}));
        EXPECT_EQ(std::stod(lane.at("total")), volumes.at({m + "_akt.tif", index}));
        EXPECT_EQ(lane.at("normalized_by"), "total");
        EXPECT_DOUBLE_EQ(std::stod(lane.at("ratio")),
                         std::stod(lane.at("phospho")) / std::stod(lane.at("total")));
        if (lane.at("condition") == "Control") {
            controlMeanLog2[lane.at("membrane")] += std::log2(std::stod(lane.at("ratio"))) / 3.0;
        }
    }
    for (const auto& lane : lanes) {
        EXPECT_NEAR(std::stod(lane.at("fold_change")),
                    std::stod(lane.at("ratio")) /
                        std::exp2(controlMeanLog2.at(lane.at("membrane"))),
                    1e-12);
        // Insulin doubled the phospho bands; loading is the same.
        EXPECT_NEAR(std::stod(lane.at("fold_change")),
                    lane.at("condition") == "Insulin" ? 2.0 : 1.0, 0.1)
            << lane.at("membrane") << " lane " << lane.at("lane");
    }
    const auto summary = readCsv(out / "summary.csv");
    ASSERT_EQ(summary.size(), 4u); // p-Akt's rows, then total Akt's own (the normaliser check)
    EXPECT_EQ(summary[0].at("condition"), "Control");
    EXPECT_EQ(summary[1].at("condition"), "Insulin");
    EXPECT_EQ(summary[1].at("n"), "2");
    EXPECT_NEAR(std::stod(summary[1].at("fold_change")), 2.0, 0.1);
    EXPECT_EQ(summary[1].at("test"), "linear model t-test");
    EXPECT_EQ(summary[1].at("model"), "log2 ratio ~ membrane + condition");
    EXPECT_EQ(summary[1].at("df"), "1"); // 2 membranes x 2 conditions, 3 parameters
    EXPECT_FALSE(summary[1].at("p").empty());
    // Total Akt analysed on its own (the notes of these rows hold commas, so the quoting
    // reader): its fold change is the mean over the membranes of the insulin lanes' mean
    // log2 total volume minus the control lanes' (one replicate of each per membrane, three
    // lanes each), from bands.csv's volumes.
    std::map<std::string, double> totalLog2Change; // by membrane
    for (const auto& lane : lanes) {
        const std::string m = lane.at("membrane") == "M1" ? "m1" : "m2";
        const double log2Total =
            std::log2(volumes.at({m + "_akt.tif", std::stoi(lane.at("lane"))}));
        totalLog2Change[lane.at("membrane")] +=
            (lane.at("condition") == "Insulin" ? log2Total : -log2Total) / 3.0;
    }
    const double totalFoldChange =
        std::exp2((totalLog2Change.at("M1") + totalLog2Change.at("M2")) / 2.0);
    const auto checks = readQuotedCsv(out / "summary.csv");
    ASSERT_EQ(checks.size(), 4u);
    for (const std::size_t row : {2u, 3u}) {
        EXPECT_EQ(checks[row].at("target"), "Akt");
        EXPECT_EQ(checks[row].at("measure"), "normaliser:total");
        EXPECT_EQ(checks[row].at("condition"), row == 2 ? "Control" : "Insulin");
    }
    EXPECT_NEAR(std::stod(checks[3].at("fold_change")), totalFoldChange, 1e-12);
    EXPECT_EQ(checks[3].at("model"), "log2 volume ~ membrane + condition");
    EXPECT_NE(result.out.find("normaliser: total Akt"), std::string::npos) << result.out;
    EXPECT_EQ(readLines(out / "fold_change_wide.csv").size(), 13u);
    // Two conditions: no treatment-vs-treatment contrast, only the header.
    EXPECT_EQ(readText(out / "contrasts.csv"),
              "target,site,contrast,fold_change,ci95_low,ci95_high,p,p_holm,model,df,note\n");
    EXPECT_NE(result.out.find("linear model t-test"), std::string::npos) << result.out;
    // One chart per target, as SVG and PNG.
    EXPECT_EQ(readText(out / "charts" / "fold_change_p-Akt.svg").substr(0, 4), "<svg");
    const cv::Mat chart = cv::imread((out / "charts" / "fold_change_p-Akt.png").string());
    EXPECT_FALSE(chart.empty());
}

// The shipped sample experiment end to end, as `make demo` runs it: every fold change the
// images truly hold (expected/summary.csv, the same analysis of the generator's true band
// volumes) is recovered within 5 %, the insulin x L-isoleucine interaction of every phospho
// target within 10 % of the designed truth, and the band the generator saturated is flagged
// and kept out of the statistics.
TEST(CliExperiment, SampleExperimentRecoversTheTrueFoldChanges) {
    const fs::path experiment = fs::path(DENSITO_SOURCE_DIR) / "sample_blots" / "experiment";
    TempDir dir;
    const fs::path out = dir.path() / "out";
    const auto result = runCli({"analyze", experiment.string(), "--out", out.string(), "--blots",
                                (experiment / "blots.csv").string(), "--samples",
                                (experiment / "samples.csv").string(), "--factors",
                                "insulin,isoleucine", "--no-overlays"});
    ASSERT_EQ(result.exitCode, 0) << result.err;

    // target, measure (phospho, or normaliser:total / :loading for a normaliser's own rows),
    // condition
    std::map<std::string, double> trueFoldChange;
    for (const auto& row : readQuotedCsv(experiment / "expected" / "summary.csv")) {
        trueFoldChange[row.at("target") + " " + row.at("measure") + " / " + row.at("condition")] =
            std::stod(row.at("fold_change"));
    }
    // Four targets, their totals and beta-actin, four conditions each.
    ASSERT_EQ(trueFoldChange.size(), 36u);
    std::size_t compared = 0;
    for (const auto& row : readQuotedCsv(out / "summary.csv")) {
        const std::string key =
            row.at("target") + " " + row.at("measure") + " / " + row.at("condition");
        ASSERT_TRUE(trueFoldChange.contains(key)) << key;
        const double truth = trueFoldChange.at(key);
        EXPECT_NEAR(std::stod(row.at("fold_change")) / truth, 1.0, 0.05)
            << key << ": measured " << row.at("fold_change") << ", true " << truth;
        EXPECT_EQ(row.at("n"), "3") << key;
        ++compared;
    }
    EXPECT_EQ(compared, trueFoldChange.size());
    // The generator loaded the L-isoleucine lanes about a quarter less (beta-actin's true fold
    // change 0.73): every normaliser differs there alike, and is warned about, beta-actin too;
    // under the other conditions none differs by 20% or at p < 0.05.
    std::size_t normalizerWarnings = 0;
    for (const std::string_view normalizer :
         {"total mTOR", "loading beta-actin", "total S6K1", "total IRS-1", "total Akt"}) {
        const std::string warning = std::string("warning: normaliser ") + std::string(normalizer) +
                                    " differs under L-isoleucine: fold change 0.";
        EXPECT_NE(result.err.find(warning), std::string::npos) << warning << "\n" << result.err;
    }
    for (std::size_t at = result.err.find("warning: normaliser "); at != std::string::npos;
         at = result.err.find("warning: normaliser ", at + 1)) {
        ++normalizerWarnings;
    }
    EXPECT_EQ(normalizerWarnings, 5u) << result.err;

    // The interaction: (both / L-isoleucine) / (Insulin / Control) of the designed fold
    // changes (README.md's table), against contrasts.csv.
    const auto truth = nlohmann::json::parse(readText(experiment / "truth.json"));
    std::map<std::string, std::map<std::string, double>> designed; // target, condition
    for (const auto& change : truth.at("true_fold_changes")) {
        designed[change.at("target").get<std::string>()]
                [change.at("condition").get<std::string>()] = change.at("designed").get<double>();
    }
    std::size_t interactions = 0;
    for (const auto& row : readQuotedCsv(out / "contrasts.csv")) {
        if (row.at("contrast") != "interaction: insulin x isoleucine") {
            continue;
        }
        const auto& fold = designed.at(row.at("target"));
        const double trueInteraction = fold.at("L-isoleucine + Insulin") / fold.at("L-isoleucine") /
                                       (fold.at("Insulin") / fold.at("Control"));
        EXPECT_NEAR(std::stod(row.at("fold_change")) / trueInteraction, 1.0, 0.10)
            << row.at("target") << ": measured " << row.at("fold_change") << ", true "
            << trueInteraction;
        EXPECT_FALSE(row.at("p").empty()) << row.at("target");
        EXPECT_EQ(row.at("df"), "6") << row.at("target");
        ++interactions;
    }
    EXPECT_EQ(interactions, 4u); // mTOR, S6K1, IRS-1, Akt
    EXPECT_NE(result.out.find("interaction: insulin x isoleucine"), std::string::npos);

    // The saturated band, found from the truth (not by its place in this design).
    std::vector<nlohmann::json> saturated;
    for (const auto& band : truth.at("bands")) {
        if (band.at("saturated_pixels").get<int>() > 0) {
            saturated.push_back(band);
        }
    }
    ASSERT_EQ(saturated.size(), 1u);
    const auto& band = saturated.front();
    ASSERT_EQ(band.at("measure"), "phospho");
    int rowsOfTheBand = 0;
    for (const auto& row : readQuotedCsv(out / "quantification.csv")) {
        if (row.at("membrane") != band.at("membrane").get<std::string>() ||
            row.at("lane") != std::to_string(band.at("lane").get<int>()) ||
            row.at("target") != band.at("target").get<std::string>()) {
            continue;
        }
        ++rowsOfTheBand;
        EXPECT_NE(row.at("flags").find("saturated"), std::string::npos) << row.at("flags");
        EXPECT_EQ(row.at("excluded"), "saturated band");
    }
    EXPECT_EQ(rowsOfTheBand, 1);
}

// --csv-bom: each CSV file is the UTF-8 byte-order mark then the bytes of a run without it;
// every other file (results.xlsx, charts) is the same. run.json records the choice.
TEST(CliExperiment, CsvBomMarksEveryCsvFileAndChangesNothingElse) {
    const fs::path experiment = fs::path(DENSITO_SOURCE_DIR) / "sample_blots" / "experiment";
    TempDir dir;
    const auto analyze = [&](const fs::path& out, bool isMarked) {
        std::vector<std::string> args{"analyze",      experiment.string(),
                                      "--out",        out.string(),
                                      "--blots",      (experiment / "blots.csv").string(),
                                      "--samples",    (experiment / "samples.csv").string(),
                                      "--factors",    "insulin,isoleucine",
                                      "--no-overlays"};
        if (isMarked) {
            args.push_back("--csv-bom");
        }
        return runCli(args);
    };
    const fs::path plain = dir.path() / "plain";
    const fs::path marked = dir.path() / "marked";
    ASSERT_EQ(analyze(plain, false).exitCode, 0);
    ASSERT_EQ(analyze(marked, true).exitCode, 0);
    std::size_t csvFiles = 0;
    std::size_t otherFiles = 0;
    for (const auto& entry : fs::recursive_directory_iterator(plain)) {
        const fs::path relative = fs::relative(entry.path(), plain);
        if (!entry.is_regular_file() || relative == "run.json") {
            continue;
        }
        SCOPED_TRACE(relative.string());
        ASSERT_TRUE(fs::exists(marked / relative));
        const bool isCsv = relative.extension() == ".csv";
        EXPECT_EQ(readText(marked / relative),
                  (isCsv ? "\xEF\xBB\xBF" : "") + readText(plain / relative));
        ++(isCsv ? csvFiles : otherFiles);
    }
    // lanes, bands, quantification, summary, contrasts, units, fold_change_wide and four
    // prism tables; results.xlsx and a chart in SVG and PNG per target.
    EXPECT_EQ(csvFiles, 11u);
    EXPECT_EQ(otherFiles, 9u);
    const auto parameters = [](const fs::path& out) {
        return nlohmann::json::parse(readText(out / "run.json")).at("parameters");
    };
    EXPECT_EQ(parameters(plain).at("csv_bom"), false);
    EXPECT_EQ(parameters(marked).at("csv_bom"), true);
}

// Flagged bands are left out per flag kind; run.json records which.
TEST(CliExperiment, ExcludeChoosesTheFlagKindsLeftOut) {
    SmallExperiment experiment;
    const auto excludedKinds = [&](const std::string& name, std::vector<std::string> extra) {
        auto args = experiment.args(experiment.dir / name);
        args.insert(args.end(), extra.begin(), extra.end());
        const auto result = runCli(args);
        EXPECT_EQ(result.exitCode, 0) << result.err;
        return nlohmann::json::parse(
            readText(experiment.dir / name / "run.json"))["parameters"]["layout"]["exclude"];
    };
    EXPECT_EQ(excludedKinds("default", {}),
              (nlohmann::json::array({"saturated", "outside_linear_range"})));
    EXPECT_EQ(excludedKinds("weak", {"--exclude", "weak,Saturated"}),
              (nlohmann::json::array({"saturated", "weak"})));
    EXPECT_EQ(excludedKinds("none", {"--exclude", "none"}), nlohmann::json::array());
    EXPECT_EQ(excludedKinds("kept", {"--keep-flagged"}), nlohmann::json::array());
    auto both = experiment.args(experiment.dir / "both");
    both.insert(both.end(), {"--keep-flagged", "--exclude", "weak"});
    EXPECT_EQ(runCli(both).exitCode, 2);
    auto unknown = experiment.args(experiment.dir / "unknown");
    unknown.insert(unknown.end(), {"--exclude", "faint"});
    EXPECT_EQ(runCli(unknown).exitCode, 2);
}

// The normaliser order is a setting; run.json records it; a bad order is a usage error that
// says what an order is.
TEST(CliExperiment, NormalizerOrderIsASetting) {
    SmallExperiment experiment;
    const auto orderOf = [&](const std::string& name, std::vector<std::string> extra) {
        auto args = experiment.args(experiment.dir / name);
        args.insert(args.end(), extra.begin(), extra.end());
        const auto result = runCli(args);
        EXPECT_EQ(result.exitCode, 0) << result.err;
        return nlohmann::json::parse(readText(
            experiment.dir / name / "run.json"))["parameters"]["layout"]["normalizer_order"];
    };
    EXPECT_EQ(orderOf("default", {}), "total,stain,loading");
    EXPECT_EQ(orderOf("loading", {"--normalizer-order", "loading,total,stain"}),
              "loading,total,stain");
    auto bad = experiment.args(experiment.dir / "bad");
    bad.insert(bad.end(), {"--normalizer-order", "total,stain"});
    const auto result = runCli(bad);
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("\"total,stain\" is not a normaliser order: total, stain and "
                              "loading, each once, comma-separated, first preferred (e.g. "
                              "total,stain,loading)"),
              std::string::npos)
        << result.err;
    EXPECT_FALSE(std::filesystem::exists(experiment.dir / "bad"));
}

TEST(CliExperiment, ExperimentCsvIsTheSameForAnyThreadCount) {
    SmallExperiment experiment;
    auto one = experiment.args(experiment.dir / "one");
    one.insert(one.end(), {"--threads", "1"});
    auto two = experiment.args(experiment.dir / "two");
    two.insert(two.end(), {"--threads", "2"});
    ASSERT_EQ(runCli(one).exitCode, 0);
    ASSERT_EQ(runCli(two).exitCode, 0);
    for (const char* file :
         {"quantification.csv", "summary.csv", "contrasts.csv", "fold_change_wide.csv"}) {
        EXPECT_EQ(readText(experiment.dir / "one" / file), readText(experiment.dir / "two" / file))
            << file;
    }
}

} // namespace
