#pragma once

#include "cli/experiment_options.h"

#include <filesystem>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace densito::cli {

struct AnalyzeOptions {
    std::vector<std::filesystem::path> inputs;
    std::filesystem::path outDir;
    std::string polarity = "auto";
    int page = 1; ///< 1-based, as users count pages
    unsigned threads = 0;
    int lanes = 0; ///< expected lanes per strip; 0 = automatic
    std::string background = "border-median";
    bool writeOverlays = true;
    bool csvByteOrderMark = false; ///< `--csv-bom`
    /// Layout sheets (ARCHITECTURE.md "Layout sheets"): with both, the experiment is analysed
    /// too (quantification.csv, summary.csv, contrasts.csv, fold_change_wide.csv).
    std::filesystem::path blots;
    std::filesystem::path samples;
    ExperimentOptions experiment;
    bool isShard = false; ///< `--shard`: part of the layout's images, for `quantify`
};

/// Registers `analyze` and its options on `app`; returns the subcommand.
CLI::App* addAnalyzeCommand(CLI::App& app, AnalyzeOptions& options);

/// Runs `densito-cli analyze` (the core's runAnalysis(); Ctrl-C and SIGTERM cancel it after the
/// images in flight): messages on stderr, the summary tables on stdout; returns the exit code.
int runAnalyze(const AnalyzeOptions& options);

} // namespace densito::cli
