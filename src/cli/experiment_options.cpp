#include "cli/experiment_options.h"

#include <CLI/CLI.hpp>

namespace densito::cli {

void addExperimentOptions(CLI::App& command, ExperimentOptions& options, CLI::Option* blots) {
    const auto needingBlots = [blots](CLI::Option* option) {
        if (blots != nullptr) {
            option->needs(blots);
        }
        return option;
    };
    needingBlots(command.add_option(
        "--control", options.control,
        "Control condition (default: the condition named \"control\", any case)"));
    needingBlots(command
                     .add_option("--factors", options.factors,
                                 "Two factor columns of samples.csv (e.g. insulin,isoleucine "
                                 "with yes/no values) whose 2 x 2 the conditions are: "
                                 "contrasts.csv adds their interaction")
                     ->delimiter(','));
    needingBlots(
        command.add_option("--panel", options.panel,
                           "Target panel JSON extending the built-in one (names and aliases)"));
    CLI::Option* exclude = needingBlots(
        command
            .add_option("--exclude", options.exclude,
                        "Flagged bands left out of the statistics, by kind: saturated, weak, "
                        "outside-linear-range, or none (they stay flagged)")
            ->delimiter(',')
            ->check(CLI::IsMember({"saturated", "weak", "outside-linear-range", "none"},
                                  CLI::ignore_case))
            ->capture_default_str());
    needingBlots(
        command
            .add_option("--normalizer-order", options.normalizerOrder,
                        "Which normaliser a ratio takes when a membrane offers several, first "
                        "preferred: total (the target's total protein, phospho targets), stain "
                        "(whole-lane total-protein stain), loading (housekeeping protein)")
            ->check([](const std::string& text) {
                const auto parsed = parseNormalizerOrder(text);
                return parsed ? std::string() : parsed.error();
            })
            ->capture_default_str());
    needingBlots(command
                     .add_flag("--keep-flagged", options.keepFlagged,
                               "Use every flagged band in the statistics: --exclude none")
                     ->excludes(exclude));
}

} // namespace densito::cli
