#include "cli/quantify_command.h"

#include "cli/exit_codes.h"
#include "core/analysis/csv_table.h"
#include "core/pipeline/quantify_run.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <spdlog/spdlog.h>

namespace densito::cli {

CLI::App* addQuantifyCommand(CLI::App& app, QuantifyOptions& options) {
    CLI::App* quantify = app.add_subcommand(
        "quantify", "Quantify an experiment from analyze output folders (shards), without "
                    "reading images: quantification.csv, summary.csv, ... in --out");
    quantify
        ->add_option("RESULTS", options.resultFolders,
                     "Output folders of densito-cli analyze (run.json, lanes.csv, bands.csv)")
        ->required()
        ->check(CLI::ExistingDirectory);
    quantify->add_option("-o,--out", options.outDir, "Folder for the experiment's files")
        ->required();
    quantify
        ->add_option("--blots", options.blots,
                     "Layout sheet blots.csv: image,membrane,target,measure[,site,band,strip,"
                     "region]")
        ->required();
    quantify
        ->add_option("--samples", options.samples,
                     "Layout sheet samples.csv: membrane,lane,sample,condition,replicate")
        ->required();
    quantify->add_option("--control", options.control,
                         "Control condition (default: the condition named \"control\", any case)");
    quantify
        ->add_option("--factors", options.factors,
                     "Two factor columns of samples.csv whose 2 x 2 the conditions are: "
                     "contrasts.csv adds their interaction")
        ->delimiter(',');
    quantify->add_option("--panel", options.panel,
                         "Target panel JSON extending the built-in one (names and aliases)");
    CLI::Option* exclude =
        quantify
            ->add_option("--exclude", options.exclude,
                         "Flagged bands left out of the statistics, by kind: saturated, weak, "
                         "outside-linear-range, or none (they stay flagged)")
            ->delimiter(',')
            ->check(CLI::IsMember({"saturated", "weak", "outside-linear-range", "none"},
                                  CLI::ignore_case))
            ->capture_default_str();
    quantify
        ->add_flag("--keep-flagged", options.keepFlagged,
                   "Use every flagged band in the statistics: --exclude none")
        ->excludes(exclude);
    quantify
        ->add_option("--normalizer-order", options.normalizerOrder,
                     "Which normaliser a ratio takes when a membrane offers several, first "
                     "preferred: total (the target's total protein, phospho targets), stain "
                     "(whole-lane total-protein stain), loading (housekeeping protein)")
        ->check([](const std::string& text) {
            const auto parsed = parseNormalizerOrder(text);
            return parsed ? std::string() : parsed.error();
        })
        ->capture_default_str();
    return quantify;
}

int runQuantify(const QuantifyOptions& options) {
    QuantifyRunOptions run;
    run.resultFolders = options.resultFolders;
    run.outDir = options.outDir;
    run.blots = options.blots;
    run.samples = options.samples;
    run.control = options.control;
    run.factors = options.factors;
    run.panel = options.panel;
    std::vector<std::string> kinds = options.exclude;
    std::erase_if(kinds, [](const std::string& kind) { return asciiLower(kind) == "none"; });
    run.exclude = options.keepFlagged ? kKeepFlagged : parseExclusionPolicy(kinds).value();
    run.normalizerOrder = parseNormalizerOrder(options.normalizerOrder).value();

    const QuantifyRunReport report =
        densito::runQuantify(run, [](LogLevel level, const std::string& text) {
            switch (level) {
            case LogLevel::Info:
                spdlog::info("{}", text);
                break;
            case LogLevel::Warning:
                spdlog::warn("{}", text);
                break;
            case LogLevel::Error:
                spdlog::error("{}", text);
                break;
            }
        });
    switch (report.status) {
    case AnalysisRunStatus::Ok:
        return kExitOk;
    case AnalysisRunStatus::Refused:
        return kExitUsage;
    default:
        return kExitNothing;
    }
}

} // namespace densito::cli
