// runAnalysis(): the whole "analyse these inputs into that folder" run that the command line
// and the GUI's batch dialog share.
#include "core/pipeline/analysis_run.h"
#include "core/pipeline/experiment_outputs.h"
#include "core/pipeline/image_analysis.h"

#include "support/file_io.h"
#include "support/process.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace densito {
namespace {

using test::readJson;
using test::readText;
using test::TempDir;
namespace fs = std::filesystem;

const fs::path kExperiment = fs::path(DENSITO_SOURCE_DIR) / "sample_blots" / "experiment";

/// Everything the callbacks were told, collected under a lock (workers call them).
struct Observed {
    std::mutex mutex;
    std::vector<fs::path> startedFiles;
    int startedCalls = 0;
    std::vector<std::size_t> finishedCounts;
    std::vector<std::size_t> totals;
    std::vector<std::size_t> fileIndexes;
    std::vector<std::string> fileErrors; ///< empty text for an image that was analysed
    std::vector<std::pair<LogLevel, std::string>> messages;

    AnalysisRunCallbacks callbacks() {
        AnalysisRunCallbacks callbacks;
        callbacks.started = [this](const std::vector<fs::path>& files, unsigned) {
            std::lock_guard lock(mutex);
            ++startedCalls;
            startedFiles = files;
        };
        callbacks.progress = [this](std::size_t finished, std::size_t total) {
            std::lock_guard lock(mutex);
            finishedCounts.push_back(finished);
            totals.push_back(total);
        };
        callbacks.fileFinished = [this](std::size_t index, const fs::path&,
                                        const std::expected<void, Error>& outcome) {
            std::lock_guard lock(mutex);
            fileIndexes.push_back(index);
            fileErrors.push_back(outcome ? std::string() : outcome.error().describe());
        };
        callbacks.message = [this](LogLevel level, const std::string& text) {
            std::lock_guard lock(mutex);
            messages.emplace_back(level, text);
        };
        return callbacks;
    }

    bool hasMessage(LogLevel level, const std::string& part) const {
        return std::any_of(messages.begin(), messages.end(), [&](const auto& message) {
            return message.first == level && message.second.find(part) != std::string::npos;
        });
    }
};

TEST(AnalysisRun, ProgressCountsEveryImageOnce) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 5));
    AnalysisRunOptions options;
    options.inputs = {dir / "in"};
    options.outDir = dir / "out";
    options.threads = 2;
    Observed observed;
    const AnalysisRunReport report = runAnalysis(options, observed.callbacks());

    EXPECT_EQ(report.status, AnalysisRunStatus::Ok);
    EXPECT_EQ(observed.startedCalls, 1);
    ASSERT_EQ(observed.startedFiles.size(), 5u);
    EXPECT_EQ(observed.startedFiles.front().filename(), "blot_1.tif");
    EXPECT_EQ(observed.finishedCounts, (std::vector<std::size_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(observed.totals, std::vector<std::size_t>(5, 5));
    std::vector<std::size_t> indexes = observed.fileIndexes;
    std::sort(indexes.begin(), indexes.end());
    EXPECT_EQ(indexes, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
    EXPECT_EQ(observed.fileErrors, std::vector<std::string>(5));
    EXPECT_TRUE(observed.hasMessage(LogLevel::Info, "analysing 5 images with 2 threads"));
    EXPECT_TRUE(observed.hasMessage(LogLevel::Info, "5 analysed, 0 failed; wrote "));

    ASSERT_EQ(report.analysed.size(), 5u);
    EXPECT_EQ(report.analysed[0].analysis.lanes.size(), 6u);
    EXPECT_TRUE(report.analysed[0].signal.empty()) << "pixels are released after each image";
    EXPECT_EQ(report.runJson, dir / "out" / "run.json");
    const auto run = readJson(dir / "out" / "run.json");
    EXPECT_EQ(run["summary"]["analysed"], 5);
    EXPECT_TRUE(fs::exists(dir / "out" / "overlays" / "blot_5.png"));
}

TEST(AnalysisRun, CancelBeforeStartRunsNothingAndSaysInterrupted) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 3));
    AnalysisRunOptions options;
    options.inputs = {dir / "in"};
    options.outDir = dir / "out";
    const std::atomic<bool> cancel{true};
    Observed observed;
    const AnalysisRunReport report = runAnalysis(options, observed.callbacks(), &cancel);

    EXPECT_EQ(report.status, AnalysisRunStatus::Interrupted);
    EXPECT_TRUE(report.isInterrupted);
    EXPECT_EQ(report.notStarted, 3u);
    EXPECT_TRUE(report.analysed.empty());
    EXPECT_TRUE(observed.finishedCounts.empty());
    EXPECT_TRUE(observed.fileIndexes.empty());
    EXPECT_TRUE(observed.hasMessage(LogLevel::Warning, "interrupted: 3 images not started"));
    const auto run = readJson(dir / "out" / "run.json");
    EXPECT_EQ(run["summary"]["interrupted"], true);
    EXPECT_EQ(run["summary"]["not_started"], 3);
    EXPECT_EQ(run["summary"]["analysed"], 0);
}

TEST(AnalysisRun, CorruptFileFailsAloneWithItsReason) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 2));
    std::ofstream(dir / "in" / "broken.tif", std::ios::binary) << "this is text, not a TIFF\n";
    AnalysisRunOptions options;
    options.inputs = {dir / "in"};
    options.outDir = dir / "out";
    Observed observed;
    const AnalysisRunReport report = runAnalysis(options, observed.callbacks());

    EXPECT_EQ(report.status, AnalysisRunStatus::SomeFailed);
    ASSERT_EQ(report.files.size(), 3u);
    EXPECT_EQ(report.analysed.size(), 2u);
    ASSERT_EQ(report.failed.size(), 1u);
    EXPECT_EQ(report.failed[0].path.filename(), "broken.tif");
    EXPECT_EQ(report.failed[0].error.describe(),
              "broken.tif: not an image: the file holds text, not TIFF, PNG or JPEG data");
    const auto broken =
        std::find_if(report.files.begin(), report.files.end(),
                     [](const fs::path& f) { return f.filename() == "broken.tif"; });
    const auto brokenIndex = static_cast<std::size_t>(broken - report.files.begin());
    for (std::size_t k = 0; k < observed.fileIndexes.size(); ++k) {
        EXPECT_EQ(observed.fileErrors[k].empty(), observed.fileIndexes[k] != brokenIndex)
            << observed.fileErrors[k];
    }
    EXPECT_TRUE(
        observed.hasMessage(LogLevel::Error, "broken.tif: not an image: the file holds text"));
    EXPECT_EQ(test::readLines(dir / "out" / "lanes.csv").size(), 13u); // header + 2 x 6 lanes
}

/// A run of `inputs` into `outDir` (no layout) that must be refused for exactly one problem.
AnalysisRunReport refusedRun(std::vector<fs::path> inputs, const fs::path& outDir) {
    AnalysisRunOptions options;
    options.inputs = std::move(inputs);
    options.outDir = outDir;
    AnalysisRunReport report = runAnalysis(options);
    EXPECT_EQ(report.status, AnalysisRunStatus::Refused);
    EXPECT_EQ(report.problems.size(), 1u);
    return report;
}

/// The text of a refused run's one problem; empty when there is not exactly one (which
/// refusedRun has already failed).
std::string onlyProblem(const AnalysisRunReport& report) {
    return report.problems.size() == 1 ? report.problems[0].describe() : std::string();
}

TEST(AnalysisRun, OutputFolderInsideTheInputFolderIsRefused) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 1));
    const AnalysisRunReport report = refusedRun({dir / "in"}, dir / "in" / "results");
    const std::string problem = onlyProblem(report);
    EXPECT_NE(problem.find("is inside the input folder"), std::string::npos) << problem;
    EXPECT_TRUE(report.files.empty());
    EXPECT_FALSE(fs::exists(dir / "in" / "results"));
}

TEST(AnalysisRun, OutputFolderThatIsTheFolderOfAnInputFileIsRefused) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 1));
    EXPECT_EQ(onlyProblem(refusedRun({dir / "in" / "blot_1.tif"}, dir / "in")),
              "the output folder " + (dir / "in").string() + " holds the input file " +
                  (dir / "in" / "blot_1.tif").string() +
                  "; choose a folder outside the inputs so results are never mixed with images "
                  "and no input can be overwritten");
    EXPECT_FALSE(fs::exists(dir / "in" / "run.json"));
}

TEST(AnalysisRun, InputFolderThatIsTheOutputFolderIsRefused) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 1));
    const std::string problem = onlyProblem(refusedRun({dir / "in"}, dir / "in" / "."));
    EXPECT_NE(problem.find("is the input folder"), std::string::npos) << problem;
    EXPECT_FALSE(fs::exists(dir / "in" / "lanes.csv"));
}

// An output renamed over a linked input would replace what the input stands for: here the
// overlay of blot_1.tif would land on the image in/linked.png points to.
TEST(AnalysisRun, InputLinkedIntoTheOutputFolderIsRefused) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 1));
    const fs::path target = dir / "out" / "overlays" / "blot_1.png";
    fs::create_directories(target.parent_path());
    ASSERT_TRUE(cv::imwrite(target.string(), test::makeSyntheticBlot({})));
    fs::create_symlink(target, dir / "in" / "linked.png");
    const std::string before = readText(target);
    const std::string problem = onlyProblem(refusedRun({dir / "in"}, dir / "out"));
    EXPECT_NE(problem.find("holds the input file " + (dir / "in" / "linked.png").string()),
              std::string::npos)
        << problem;
    EXPECT_FALSE(fs::exists(dir / "out" / "run.json"));
    EXPECT_EQ(readText(target), before);
}

TEST(AnalysisRun, LayoutThatNamesAMissingImageWritesNothing) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 1));
    std::ofstream(dir / "blots.csv") << "image,membrane,target,measure\n"
                                        "blot_1.tif,M1,p-Akt,phospho\n"
                                        "missing.tif,M1,Akt,total\n";
    std::ofstream(dir / "samples.csv") << "membrane,lane,sample,condition,replicate\n"
                                          "M1,1,a,Control,1\n"
                                          "M1,2,b,Insulin,1\n";
    AnalysisRunOptions options;
    options.inputs = {dir / "in"};
    options.outDir = dir / "out";
    options.blots = dir / "blots.csv";
    options.samples = dir / "samples.csv";
    Observed observed;
    const AnalysisRunReport report = runAnalysis(options, observed.callbacks());
    EXPECT_EQ(report.status, AnalysisRunStatus::Refused);
    EXPECT_EQ(observed.startedCalls, 0);
    EXPECT_TRUE(observed.hasMessage(LogLevel::Error, "\"missing.tif\" is not among the input "
                                                     "images"));
    EXPECT_TRUE(observed.hasMessage(LogLevel::Error, "nothing was written"));
    EXPECT_FALSE(fs::exists(dir / "out"));
}

// The run writes exactly what the core's own pieces make of the same images (the way the
// GUI's export does it), and exactly what densito-cli writes.
TEST(AnalysisRun, OutputsAreByteIdenticalToTheCoreAndTheCli) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 3));
    AnalysisRunOptions options;
    options.inputs = {dir / "in"};
    options.outDir = dir / "run";
    options.lanes = 6;
    options.background = *parseBackgroundMethod("rolling-ball:30");
    ASSERT_EQ(runAnalysis(options).status, AnalysisRunStatus::Ok);

    AnalysisSettings settings;
    settings.expectedLanes = 6;
    settings.background = options.background;
    std::vector<ImageResult> results;
    for (int n = 1; n <= 3; ++n) {
        auto result = analyzeImage(dir / "in" / ("blot_" + std::to_string(n) + ".tif"), settings);
        ASSERT_TRUE(result) << result.error().describe();
        results.push_back(std::move(*result));
    }
    std::vector<NamedAnalysis> named;
    for (const ImageResult& result : results) {
        named.push_back({result.inspection.path.filename().string(), &result.analysis});
    }
    const std::vector<OutputFile> expected = analysisOutputFiles(named, nullptr).value();
    ASSERT_EQ(expected.size(), 2u);
    for (const OutputFile& file : expected) {
        EXPECT_EQ(readText(dir / "run" / file.name), file.contents) << file.name;
    }

    const auto cli =
        test::runCli({"analyze", (dir / "in").string(), "--out", (dir / "cli").string(), "--lanes",
                      "6", "--background", "rolling-ball:30"});
    ASSERT_EQ(cli.exitCode, 0) << cli.err;
    for (const char* file : {"lanes.csv", "bands.csv", "overlays/blot_2.png"}) {
        const std::string bytes = readText(dir / "run" / file);
        EXPECT_FALSE(bytes.empty()) << file;
        EXPECT_EQ(bytes, readText(dir / "cli" / file)) << file;
    }
}

TEST(AnalysisRun, SampleExperimentIsQuantified) {
    TempDir dir;
    AnalysisRunOptions options;
    options.inputs = {kExperiment};
    options.outDir = dir / "out";
    options.blots = kExperiment / "blots.csv";
    options.samples = kExperiment / "samples.csv";
    options.factors = {"insulin", "isoleucine"};
    options.writeOverlays = false;
    const AnalysisRunReport report = runAnalysis(options);
    ASSERT_EQ(report.status, AnalysisRunStatus::Ok);
    ASSERT_TRUE(report.experiment.has_value());
    const Quantification& quantification = report.experiment->quantification;
    EXPECT_EQ(quantification.summary.size(), 16u); // 4 targets x 4 conditions
    // Then each total protein and beta-actin analysed on its own (the normaliser checks):
    // 5 x 4 more rows.
    EXPECT_EQ(quantification.normalizerChecks.size(), 20u);
    EXPECT_EQ(test::readLines(dir / "out" / "summary.csv").size(), 37u);
    // Per target 3 treatment-vs-treatment contrasts and the interaction.
    EXPECT_EQ(quantification.contrasts.size(), 16u);
    EXPECT_EQ(test::readLines(dir / "out" / "contrasts.csv").size(), 17u);
    // One control unit per membrane (its two duplicate lanes): its log2 fold change is the
    // reference itself, exactly 0.
    LayoutSettings settings;
    settings.factors = options.factors;
    const auto layout = readLayout(options.blots, options.samples, settings);
    ASSERT_TRUE(layout.has_value());
    int controlUnits = 0;
    for (const BiologicalUnit& unit : biologicalUnits(*layout, quantification.lanes)) {
        if (unit.condition == layout->control) {
            EXPECT_EQ(unit.log2FoldChange, 0.0) << unit.target << " " << unit.membrane;
            ++controlUnits;
        }
    }
    EXPECT_EQ(controlUnits, 4 * 3);
    const auto run = readJson(dir / "out" / "run.json");
    EXPECT_EQ(run["parameters"]["layout"]["factors"],
              (nlohmann::json::array({"insulin", "isoleucine"})));
    EXPECT_EQ(run["parameters"]["layout"]["measured_bands"], report.experiment->measuredBands);
    EXPECT_GT(report.experiment->measuredBands, 0u);
    EXPECT_FALSE(fs::exists(dir / "out" / "overlays"));
}

/// Points std::filesystem::temp_directory_path() at `folder` while it lives.
class ScopedTmpDir {
public:
    explicit ScopedTmpDir(const fs::path& folder) {
        if (const char* old = std::getenv("TMPDIR"); old != nullptr) {
            m_old = old;
        }
        fs::create_directories(folder);
        ::setenv("TMPDIR", folder.c_str(), 1);
    }
    ScopedTmpDir(const ScopedTmpDir&) = delete;
    ScopedTmpDir& operator=(const ScopedTmpDir&) = delete;
    ~ScopedTmpDir() {
        if (m_old) {
            ::setenv("TMPDIR", m_old->c_str(), 1);
        } else {
            ::unsetenv("TMPDIR");
        }
    }

private:
    std::optional<std::string> m_old;
};

// With a layout, overlays wait in a private temporary folder (not in memory) until the images
// are known to fit; it is gone afterwards, whether the run wrote its results or was refused.
TEST(AnalysisRun, OverlaysWaitingForTheLayoutCheckLeaveNoTemporaryFiles) {
    TempDir dir;
    const ScopedTmpDir tmp(dir / "tmp");
    AnalysisRunOptions options;
    options.inputs = {kExperiment};
    options.outDir = dir / "out";
    options.blots = kExperiment / "blots.csv";
    options.samples = kExperiment / "samples.csv";
    ASSERT_EQ(runAnalysis(options).status, AnalysisRunStatus::Ok);
    std::size_t overlays = 0;
    for (const auto& entry : fs::directory_iterator(dir / "out" / "overlays")) {
        EXPECT_FALSE(cv::imread(entry.path().string()).empty()) << entry.path();
        ++overlays;
    }
    EXPECT_EQ(overlays, 27u);
    EXPECT_TRUE(fs::is_empty(dir / "tmp"));

    // A strip the image does not have is known only after analysis: refused, nothing written.
    // (A layout naming a few more strips than are found has strips cut between band rows; the
    // image's band rows allow far fewer than 20.)
    const std::vector<std::string> lines = test::readLines(kExperiment / "blots.csv");
    std::string blots = lines[0] + ",strip\n" + lines[1] + ",20\n";
    for (std::size_t i = 2; i < lines.size(); ++i) {
        blots += lines[i] + ",1\n";
    }
    test::writeText(dir / "blots.csv", blots);
    options.blots = dir / "blots.csv";
    options.outDir = dir / "refused";
    const AnalysisRunReport refused = runAnalysis(options);
    EXPECT_EQ(refused.status, AnalysisRunStatus::Refused);
    EXPECT_FALSE(fs::exists(dir / "refused"));
    EXPECT_TRUE(fs::is_empty(dir / "tmp"));
}

} // namespace
} // namespace densito
