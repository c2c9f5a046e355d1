#pragma once

#include "cli/experiment_options.h"

#include <filesystem>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace densito::cli {

struct QuantifyOptions {
    std::vector<std::filesystem::path> resultFolders;
    std::filesystem::path outDir;
    std::filesystem::path blots;
    std::filesystem::path samples;
    ExperimentOptions experiment;
    bool csvByteOrderMark = false; ///< `--csv-bom`
};

/// Registers `quantify` and its options on `app`; returns the subcommand. The experiment
/// options are those of `analyze` (addExperimentOptions).
CLI::App* addQuantifyCommand(CLI::App& app, QuantifyOptions& options);

/// Runs `densito-cli quantify` (the core's runQuantify()): the experiment analysis of
/// `analyze` output folders, messages on stderr; returns the exit code (0 written, 2 refused:
/// bad folders or a layout that does not fit, 3 nothing could be written).
int runQuantify(const QuantifyOptions& options);

} // namespace densito::cli
