#include "cli/quantify_command.h"

#include "cli/exit_codes.h"
#include "cli/logging.h"
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
                     "region,rows]")
        ->required();
    quantify
        ->add_option("--samples", options.samples,
                     "Layout sheet samples.csv: membrane,lane,sample,condition,replicate")
        ->required();
    addExperimentOptions(*quantify, options.experiment, nullptr);
    quantify->add_flag("--csv-bom", options.csvByteOrderMark,
                       "Start every CSV file with a UTF-8 byte-order mark, so that Excel reads "
                       "non-ASCII names right");
    return quantify;
}

int runQuantify(const QuantifyOptions& options) {
    QuantifyRunOptions run;
    run.resultFolders = options.resultFolders;
    run.outDir = options.outDir;
    run.blots = options.blots;
    run.samples = options.samples;
    applyExperimentOptions(options.experiment, run);
    run.output.csvByteOrderMark = options.csvByteOrderMark;

    const QuantifyRunReport report = densito::runQuantify(run, logMessage);
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
