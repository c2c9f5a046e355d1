#include "cli/analyze_command.h"
#include "cli/exit_codes.h"
#include "cli/logging.h"
#include "cli/quantify_command.h"
#include "cli/synth_command.h"
#include "core/version.h"

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
    using namespace densito::cli;
    CLI::App app{"Densito: quantitative Western blot densitometry", "densito-cli"};
    app.set_version_flag("--version", std::string("densito-cli ") + densito::kVersion);
    bool verbose = false;
    bool quiet = false;
    app.add_flag("-v,--verbose", verbose, "Also print debug messages");
    app.add_flag("-q,--quiet", quiet, "Print only errors on stderr")->excludes("--verbose");
    app.require_subcommand(1);

    AnalyzeOptions analyzeOptions;
    CLI::App* analyze = addAnalyzeCommand(app, analyzeOptions);
    SynthOptions synthOptions;
    CLI::App* synth = addSynthCommand(app, synthOptions);
    QuantifyOptions quantifyOptions;
    CLI::App* quantify = addQuantifyCommand(app, quantifyOptions);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }
    configureLogging(verbose, quiet);
    if (analyze->parsed()) {
        return runAnalyze(analyzeOptions);
    }
    if (synth->parsed()) {
        return runSynth(synthOptions);
    }
    if (quantify->parsed()) {
        return runQuantify(quantifyOptions);
    }
    return kExitUsage;
}
