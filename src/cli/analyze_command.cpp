#include "cli/analyze_command.h"

#include "cli/exit_codes.h"
#include "cli/logging.h"
#include "cli/progress_reporter.h"
#include "cli/text_table.h"
#include "core/analysis/quantification.h"
#include "core/image/signal.h"
#include "core/measure/background_method.h"
#include "core/pipeline/analysis_run.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <csignal>
#include <fmt/format.h>
#include <iostream>
#include <optional>
#include <ranges>
#include <span>
#include <spdlog/spdlog.h>

namespace densito::cli {
namespace {

std::atomic<bool> g_stopRequested{false};

extern "C" void requestStop(int) {
    g_stopRequested.store(true);
}

std::string saturationText(const SignalModel& signal) {
    if (!std::isfinite(signal.saturationRaw)) {
        return "unknown";
    }
    return fmt::format("{:g} ({})", signal.saturationRaw, signal.saturationSource);
}

std::string summaryTable(const std::vector<ImageResult>& results) {
    TextTable table({"image", "size", "bits", "polarity", "saturation", "strips", "lanes", "bands",
                     "flagged", "warnings", "review"});
    for (const auto& result : results) {
        const ImageMetadata& meta = result.inspection.metadata;
        const BlotAnalysis& analysis = result.analysis;
        const auto flagged = std::count_if(analysis.bands.begin(), analysis.bands.end(),
                                           [](const Band& b) { return b.flags != 0; });
        table.addRow({result.inspection.path.filename().string(),
                      fmt::format("{}x{}", meta.width, meta.height),
                      fmt::format("{}{}", meta.bitsPerSample,
                                  meta.sampleKind == SampleKind::Float ? "f" : ""),
                      fmt::format("{}{}", toString(result.inspection.signal.polarity),
                                  result.inspection.signal.isPolarityFromPixels ? "" : " (set)"),
                      saturationText(result.inspection.signal),
                      std::to_string(analysis.strips.size()), std::to_string(analysis.lanes.size()),
                      std::to_string(analysis.bands.size()), std::to_string(flagged),
                      std::to_string(result.inspection.warnings.size() + analysis.warnings.size()),
                      analysis.needsReview ? "yes" : "-"});
    }
    return table.render();
}

std::string optionalNumber(const std::optional<double>& value, const char* format) {
    return value ? fmt::format(fmt::runtime(format), *value) : std::string("-");
}

std::string seriesName(const std::string& target, bool isPhospho, const std::string& site) {
    return isPhospho ? fmt::format("p-{}{}{}", target, site.empty() ? "" : " ", site) : target;
}

std::string interval(const std::optional<Interval>& ci) {
    return ci ? fmt::format("{:.3g}-{:.3g}", ci->low, ci->high) : std::string("-");
}

/// The summary as a terminal table: target, condition, n, fold change with its CI, p values;
/// then the normaliser checks as summary.csv lists them, named "normaliser: total Akt".
std::string experimentTable(const std::vector<ConditionSummary>& summary,
                            const std::vector<ConditionSummary>& normalizerChecks) {
    TextTable table({"target", "condition", "n", "fold change", "95% CI", "test", "p", "p (Holm)"});
    for (const ConditionSummary& row : std::views::join(
             std::array{std::span<const ConditionSummary>(summary), std::span(normalizerChecks)})) {
        const std::string target =
            row.normalizerChecked ? fmt::format("normaliser: {} {}",
                                                normalizerName(*row.normalizerChecked), row.target)
                                  : seriesName(row.target, row.isPhospho, row.site);
        table.addRow({target, row.condition, std::to_string(row.n),
                      optionalNumber(row.foldChange, "{:.3g}"), interval(row.ci95),
                      row.test.empty() ? std::string("-") : row.test,
                      optionalNumber(row.p, "{:.3g}"), optionalNumber(row.pHolm, "{:.3g}")});
    }
    return table.render();
}

/// contrasts.csv as a terminal table; empty when there are no contrasts.
std::string contrastsTable(const std::vector<ContrastSummary>& contrasts) {
    if (contrasts.empty()) {
        return {};
    }
    TextTable table({"target", "contrast", "fold change", "95% CI", "p", "p (Holm)"});
    for (const ContrastSummary& row : contrasts) {
        table.addRow({seriesName(row.target, row.isPhospho, row.site), row.contrast,
                      optionalNumber(row.foldChange, "{:.3g}"), interval(row.ci95),
                      optionalNumber(row.p, "{:.3g}"), optionalNumber(row.pHolm, "{:.3g}")});
    }
    return table.render();
}

} // namespace

CLI::App* addAnalyzeCommand(CLI::App& app, AnalyzeOptions& options) {
    CLI::App* analyze = app.add_subcommand(
        "analyze", "Analyse blot images (files or folders) and write results to --out");
    analyze->add_option("INPUT", options.inputs, "Image files or folders of images")->required();
    analyze->add_option("-o,--out", options.outDir, "Folder for run.json and results")->required();
    analyze
        ->add_option("--polarity", options.polarity,
                     "Band polarity: auto (decide from the pixels), light-bands (raw "
                     "chemiluminescence) or dark-bands (inverted export, film, stained gel)")
        ->check(CLI::IsMember({"auto", "light-bands", "dark-bands"}))
        ->capture_default_str();
    analyze
        ->add_option("--page", options.page,
                     "Page (channel) of multi-page TIFFs to analyse, counted from 1")
        ->check(CLI::Range(1, 65535))
        ->capture_default_str();
    analyze
        ->add_option("--lanes", options.lanes,
                     "Lanes per strip when known (0 = find them in the image); a count the "
                     "image disagrees with is warned about")
        ->check(CLI::Range(0, 200))
        ->capture_default_str();
    analyze
        ->add_option("--background", options.background,
                     "Background method: rolling-ball[:RADIUS], lane-baseline, "
                     "border-median[:WIDTH] or none (pixels; automatic when omitted)")
        ->check([](const std::string& text) {
            const auto parsed = parseBackgroundMethod(text);
            return parsed ? std::string() : parsed.error();
        })
        ->capture_default_str();
    analyze->add_flag(
        "--no-overlays", [&options](std::int64_t) { options.writeOverlays = false; },
        "Do not write overlays/<image>.png");
    analyze->add_flag("--csv-bom", options.csvByteOrderMark,
                      "Start every CSV file with a UTF-8 byte-order mark, so that Excel reads "
                      "non-ASCII names right");
    analyze
        ->add_option("-j,--threads", options.threads, "Images analysed in parallel (0 = all cores)")
        ->check(CLI::Range(0u, 1024u))
        ->capture_default_str();
    CLI::Option* blots =
        analyze->add_option("--blots", options.blots,
                            "Layout sheet blots.csv: image,membrane,target,measure[,site,band,"
                            "strip,region,rows]");
    CLI::Option* samples =
        analyze->add_option("--samples", options.samples,
                            "Layout sheet samples.csv: membrane,lane,sample,condition,"
                            "replicate");
    blots->needs(samples);
    samples->needs(blots);
    addExperimentOptions(*analyze, options.experiment, blots);
    analyze
        ->add_flag("--shard", options.isShard,
                   "The inputs are part of the layout's images (one job of many): analyse each "
                   "with its layout settings, do not quantify; densito-cli quantify gathers the "
                   "output folders")
        ->needs(blots);
    return analyze;
}

int runAnalyze(const AnalyzeOptions& options) {
    AnalysisRunOptions run;
    run.inputs = options.inputs;
    run.outDir = options.outDir;
    run.polarity = parsePolarityMode(options.polarity).value_or(PolarityMode::Auto);
    run.page = options.page;
    run.threads = options.threads;
    run.lanes = options.lanes;
    run.background = *parseBackgroundMethod(options.background);
    run.writeOverlays = options.writeOverlays;
    run.output.csvByteOrderMark = options.csvByteOrderMark;
    run.blots = options.blots;
    run.samples = options.samples;
    applyExperimentOptions(options.experiment, run);
    run.isShard = options.isShard;

    std::optional<ProgressReporter> progress;
    AnalysisRunCallbacks callbacks;
    callbacks.started = [&](const std::vector<std::filesystem::path>& files, unsigned) {
        progress.emplace(files.size(), spdlog::should_log(spdlog::level::info));
    };
    callbacks.progress = [&](std::size_t finished, std::size_t) {
        progress->update(finished);
    };
    callbacks.message = [&](LogLevel level, const std::string& text) {
        if (progress) { // messages start on a line of their own, after the bar
            progress->finish();
        }
        logMessage(level, text);
    };

    g_stopRequested.store(false);
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    const AnalysisRunReport report = runAnalysis(run, callbacks, &g_stopRequested);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (progress) {
        progress->finish();
    }

    if (report.status != AnalysisRunStatus::Refused && !report.analysed.empty()) {
        std::cout << summaryTable(report.analysed) << std::flush;
        if (report.imagesNeedingReview > 0) {
            const std::string look =
                options.writeOverlays ? fmt::format("look at their overlays in {}",
                                                    (options.outDir / "overlays").string())
                                      : std::string("run again without --no-overlays to see them");
            spdlog::warn("{} of {} images need review (reasons above and in run.json "
                         "review_reasons; {})",
                         report.imagesNeedingReview, report.analysed.size(), look);
        }
    }
    if (report.experiment) {
        const Quantification& quantification = report.experiment->quantification;
        std::cout << "\n"
                  << experimentTable(quantification.summary, quantification.normalizerChecks)
                  << std::flush;
        if (const std::string contrasts = contrastsTable(quantification.contrasts);
            !contrasts.empty()) {
            std::cout << "\n" << contrasts << std::flush;
        }
    }
    switch (report.status) {
    case AnalysisRunStatus::Ok:
        return kExitOk;
    case AnalysisRunStatus::SomeFailed:
        return kExitSomeFailed;
    case AnalysisRunStatus::Refused:
        return kExitUsage;
    case AnalysisRunStatus::NothingDone:
        return kExitNothing;
    case AnalysisRunStatus::Interrupted:
        return kExitInterrupted;
    }
    return kExitNothing;
}

} // namespace densito::cli
