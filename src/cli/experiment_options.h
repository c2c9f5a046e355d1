#pragma once

#include "core/analysis/csv_table.h"
#include "core/analysis/quantification.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
} // namespace CLI

namespace densito::cli {

/// The options of an experiment's analysis, the same for `analyze` (with layout sheets) and
/// `quantify`, so that both give the same numbers.
struct ExperimentOptions {
    std::string control;              ///< the control condition; empty = the one named "control"
    std::vector<std::string> factors; ///< `--factors A,B`: two factor columns of samples.csv
    std::filesystem::path panel;      ///< a user target panel extending the built-in one
    /// `--exclude`: flag kinds left out of the statistics (CLI spelling, or "none").
    std::vector<std::string> exclude = {"saturated", "outside-linear-range"};
    bool keepFlagged = false; ///< `--keep-flagged`: --exclude none
    /// `--normalizer-order`: total, stain, loading in the order preferred.
    std::string normalizerOrder = "total,stain,loading";
};

/// Registers --control, --factors, --panel, --exclude, --keep-flagged and --normalizer-order
/// on `command`; each needs `blots` when it is given (without layout sheets they mean nothing).
void addExperimentOptions(CLI::App& command, ExperimentOptions& options, CLI::Option* blots);

/// Copies the options, parsed, into a run's options (AnalysisRunOptions or QuantifyRunOptions:
/// the same field names). The parsers cannot fail here: the options were checked when parsed.
template <class RunOptions>
void applyExperimentOptions(const ExperimentOptions& options, RunOptions& run) {
    run.control = options.control;
    run.factors = options.factors;
    run.panel = options.panel;
    std::vector<std::string> kinds = options.exclude;
    std::erase_if(kinds, [](const std::string& kind) { return asciiLower(kind) == "none"; });
    run.exclude = options.keepFlagged ? kKeepFlagged : parseExclusionPolicy(kinds).value();
    run.normalizerOrder = parseNormalizerOrder(options.normalizerOrder).value();
}

} // namespace densito::cli
