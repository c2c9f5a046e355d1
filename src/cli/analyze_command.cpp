#include "cli/analyze_command.h"

#include "cli/exit_codes.h"
#include "cli/output_folder.h"
#include "cli/progress_reporter.h"
#include "cli/text_table.h"
#include "core/analysis/layout_sheets.h"
#include "core/analysis/quantification.h"
#include "core/analysis/target_panel.h"
#include "core/io/atomic_file.h"
#include "core/io/overlay_renderer.h"
#include "core/io/run_record.h"
#include "core/io/sha256.h"
#include "core/pipeline/batch_runner.h"
#include "core/pipeline/experiment_analysis.h"
#include "core/pipeline/experiment_outputs.h"
#include "core/pipeline/image_analysis.h"
#include "core/pipeline/image_inspection.h"
#include "core/pipeline/input_files.h"
#include "core/version.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <span>
#include <fmt/format.h>
#include <iostream>
#include <map>
#include <optional>
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
                     "flagged", "warnings"});
    for (const auto& result : results) {
        const ImageMetadata& meta = result.inspection.metadata;
        const BlotAnalysis& analysis = result.analysis;
        const auto flagged = std::count_if(analysis.bands.begin(), analysis.bands.end(),
                                           [](const Band& b) { return b.flags != 0; });
        table.addRow(
            {result.inspection.path.filename().string(),
             fmt::format("{}x{}", meta.width, meta.height),
             fmt::format("{}{}", meta.bitsPerSample,
                         meta.sampleKind == SampleKind::Float ? "f" : ""),
             fmt::format("{}{}", toString(result.inspection.signal.polarity),
                         result.inspection.signal.isPolarityFromPixels ? "" : " (set)"),
             saturationText(result.inspection.signal), std::to_string(analysis.strips.size()),
             std::to_string(analysis.lanes.size()), std::to_string(analysis.bands.size()),
             std::to_string(flagged),
             std::to_string(result.inspection.warnings.size() + analysis.warnings.size())});
    }
    return table.render();
}

/// overlays/<file stem>.png; a stem used twice gets "-2", "-3", ... in input order.
std::vector<std::string> overlayFileNames(const std::vector<std::filesystem::path>& files) {
    std::vector<std::string> names;
    std::map<std::string, int> seen;
    for (const auto& file : files) {
        const std::string stem = file.stem().string();
        const int n = ++seen[stem];
        names.push_back(n == 1 ? stem + ".png" : fmt::format("{}-{}.png", stem, n));
    }
    return names;
}

std::string settingsText(const AnalysisSettings& settings, const BlotAnalysis& analysis) {
    return fmt::format("densito {}  background {}  polarity {}  lanes {}", kVersion,
                       analysis.backgroundMethod, toString(settings.inspection.polarity),
                       settings.expectedLanes > 0 ? std::to_string(settings.expectedLanes)
                                                  : "auto");
}

/// The overlay picture of one analysed image, PNG-encoded.
std::vector<std::uint8_t> renderOverlayPng(const ImageResult& result, const std::string& parameters) {
    const cv::Mat overlay =
        renderOverlay(result.signal, result.raw, result.validMask, result.inspection.signal,
                      result.analysis, {result.inspection.path.filename().string(), parameters});
    return encodePng(overlay);
}

/// Writes `bytes` atomically; returns the error text, empty on success.
std::string writeBytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    auto written = writeFileAtomically(
        path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    return written ? std::string() : written.error().describe();
}

bool createOutputFolders(const AnalyzeOptions& options) {
    return createOutputFolder(options.outDir) &&
           (!options.writeOverlays || createOutputFolder(options.outDir / "overlays"));
}

std::vector<std::string> fileNames(const std::vector<std::filesystem::path>& files) {
    std::vector<std::string> names;
    for (const auto& file : files) {
        names.push_back(file.filename().string());
    }
    return names;
}

/// Prints each problem; true when there are none.
bool reportLayoutProblems(const std::vector<Error>& problems) {
    for (const Error& problem : problems) {
        spdlog::error("{}", problem.describe());
    }
    if (!problems.empty()) {
        spdlog::error("the layout does not fit: nothing was written");
    }
    return problems.empty();
}

std::optional<Layout> readExperimentLayout(const AnalyzeOptions& options) {
    LayoutSettings layoutSettings;
    layoutSettings.control = options.control;
    if (!options.panel.empty()) {
        auto panel = loadTargetPanel(options.panel);
        if (!panel) {
            spdlog::error("{}", panel.error().describe());
            return std::nullopt;
        }
        layoutSettings.panel = std::move(*panel);
    }
    auto layout = readLayout(options.blots, options.samples, layoutSettings);
    if (!layout) {
        reportLayoutProblems(layout.error());
        return std::nullopt;
    }
    for (const std::string& note : layout->notes) {
        spdlog::info("{}", note);
    }
    return std::move(*layout);
}

/// SHA-256 of a layout sheet, read again just after it was parsed; empty if it vanished.
std::string fileSha256(const std::filesystem::path& path) {
    const auto bytes = readWholeFile(path);
    return bytes ? sha256Hex(std::span(reinterpret_cast<const std::uint8_t*>(bytes->data()),
                                       bytes->size()))
                 : std::string();
}

/// What the experiment adds to the run: the outcome and its provenance for run.json.
struct ExperimentOutputs {
    ExperimentOutcome outcome;
    nlohmann::json provenance;
};

std::optional<ExperimentOutputs> analyseExperiment(const Layout& layout,
                                                   std::span<const NamedAnalysis> named,
                                                   const AnalyzeOptions& options) {
    auto outcome = analyzeExperiment(layout, named, options.keepFlagged);
    if (!outcome) {
        spdlog::error("{}", outcome.error().describe());
        return std::nullopt;
    }
    ExperimentOutputs outputs{std::move(*outcome), {}};
    outputs.provenance = {{"blots", options.blots.string()},
                          {"blots_sha256", fileSha256(options.blots)},
                          {"samples", options.samples.string()},
                          {"samples_sha256", fileSha256(options.samples)},
                          {"control", layout.control},
                          {"panel", options.panel.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(options.panel.string())},
                          {"keep_flagged", options.keepFlagged},
                          {"measured_bands", outputs.outcome.measuredBands},
                          {"warnings", outputs.outcome.warnings}};
    return outputs;
}

std::string optionalNumber(const std::optional<double>& value, const char* format) {
    return value ? fmt::format(fmt::runtime(format), *value) : std::string("-");
}

/// The summary as a terminal table: target, condition, n, fold change with its CI, p values.
std::string experimentTable(const std::vector<ConditionSummary>& summary) {
    TextTable table({"target", "condition", "n", "fold change", "95% CI", "test", "p", "p (Holm)"});
    for (const ConditionSummary& row : summary) {
        const std::string target =
            row.isPhospho ? fmt::format("p-{}{}{}", row.target, row.site.empty() ? "" : " ",
                                        row.site)
                          : row.target;
        table.addRow({target, row.condition, std::to_string(row.n),
                      optionalNumber(row.foldChange, "{:.3g}"),
                      row.ci95 ? fmt::format("{:.3g}-{:.3g}", row.ci95->low, row.ci95->high)
                               : std::string("-"),
                      row.test.empty() ? std::string("-") : row.test,
                      optionalNumber(row.p, "{:.3g}"), optionalNumber(row.pHolm, "{:.3g}")});
    }
    return table.render();
}

nlohmann::json analysisJson(const BlotAnalysis& analysis, const std::string& overlay) {
    const auto flagged = std::count_if(analysis.bands.begin(), analysis.bands.end(),
                                       [](const Band& b) { return b.flags != 0; });
    nlohmann::json json = {
        {"strips", analysis.strips.size()},      {"lanes", analysis.lanes.size()},
        {"bands", analysis.bands.size()},        {"flagged_bands", flagged},
        {"noise_sigma", analysis.noiseSigma},    {"background", analysis.backgroundMethod},
        {"analysis_warnings", analysis.warnings}};
    json["overlay"] = overlay.empty() ? nlohmann::json(nullptr) : nlohmann::json(overlay);
    return json;
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
    analyze
        ->add_option("-j,--threads", options.threads, "Images analysed in parallel (0 = all cores)")
        ->check(CLI::Range(0u, 1024u))
        ->capture_default_str();
    CLI::Option* blots =
        analyze->add_option("--blots", options.blots,
                            "Layout sheet blots.csv: image,membrane,target,measure[,site,band,"
                            "strip,region]");
    CLI::Option* samples = analyze->add_option(
        "--samples", options.samples, "Layout sheet samples.csv: membrane,lane,sample,condition,"
                                      "replicate");
    blots->needs(samples);
    samples->needs(blots);
    analyze
        ->add_option("--control", options.control,
                     "Control condition (default: the condition named \"control\", any case)")
        ->needs(blots);
    analyze
        ->add_option("--panel", options.panel,
                     "Target panel JSON extending the built-in one (names and aliases)")
        ->needs(blots);
    analyze
        ->add_flag("--keep-flagged", options.keepFlagged,
                   "Use saturated and weak bands in the statistics (they are still flagged)")
        ->needs(blots);
    return analyze;
}

int runAnalyze(const AnalyzeOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    for (const auto& input : options.inputs) {
        std::error_code ec;
        if (std::filesystem::is_directory(input, ec) && isWithinFolder(options.outDir, input)) {
            spdlog::error("--out {} is inside the input folder {}; choose a folder outside the "
                          "inputs so results are never mixed with images",
                          options.outDir.string(), input.string());
            return kExitUsage;
        }
    }

    AnalysisSettings settings;
    settings.inspection.polarity = parsePolarityMode(options.polarity).value_or(PolarityMode::Auto);
    settings.inspection.load.pageIndex = options.page - 1;
    settings.expectedLanes = options.lanes;
    settings.background = *parseBackgroundMethod(options.background);

    std::optional<Layout> layout;
    if (!options.blots.empty()) {
        layout = readExperimentLayout(options);
        if (!layout) {
            return kExitUsage;
        }
    }

    InputFiles inputs = collectInputFiles(options.inputs, options.outDir);
    for (const auto& problem : inputs.problems) {
        spdlog::error("{}", problem.describe());
    }
    if (inputs.files.empty()) {
        spdlog::error("no image files found in the inputs (Densito reads .tif, .tiff, .png, "
                      ".jpg and .jpeg)");
        return kExitNothing;
    }
    if (layout && !reportLayoutProblems(checkLayoutAgainstImages(*layout, fileNames(inputs.files),
                                                                 [](const BlotRow&) {
                                                                     return std::optional<int>();
                                                                 }))) {
        return kExitUsage;
    }

    // With a layout, nothing is written until the analysed images are known to fit it.
    const bool defersOutput = layout.has_value();
    if (!defersOutput && !createOutputFolders(options)) {
        return kExitNothing;
    }

    g_stopRequested.store(false);
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);

    const std::size_t count = inputs.files.size();
    const std::vector<std::string> overlayNames = overlayFileNames(inputs.files);
    std::vector<std::optional<std::expected<ImageResult, Error>>> results(count);
    std::vector<std::vector<std::uint8_t>> overlays(count);
    std::vector<std::string> overlayErrors(count);
    const unsigned threads = effectiveThreadCount(options.threads, count);
    spdlog::info("analysing {} image{} with {} thread{}", count, count == 1 ? "" : "s", threads,
                 threads == 1 ? "" : "s");
    ProgressReporter progress(count, spdlog::should_log(spdlog::level::info));
    runBatch(
        count, threads,
        [&](std::size_t i) {
            const AnalysisSettings imageSettings =
                layout ? experimentSettingsFor(*layout, inputs.files[i].filename().string(),
                                               settings)
                       : settings;
            auto result = analyzeImage(inputs.files[i], imageSettings);
            if (result && options.writeOverlays) {
                overlays[i] = renderOverlayPng(*result, settingsText(imageSettings, result->analysis));
                if (!defersOutput) {
                    overlayErrors[i] =
                        writeBytes(options.outDir / "overlays" / overlayNames[i], overlays[i]);
                    overlays[i] = {};
                }
            }
            if (result) { // keep memory flat over a long batch
                result->signal.release();
                result->raw.release();
                result->validMask.release();
            }
            results[i] = std::move(result);
        },
        [&](std::size_t finished, std::size_t) { progress.update(finished); }, &g_stopRequested);
    progress.finish();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    RunRecord record;
    record.command = "analyze";
    record.parameters = {{"polarity", options.polarity},
                         {"page", options.page},
                         {"lanes", options.lanes},
                         {"background", toString(settings.background)},
                         {"overlays", options.writeOverlays},
                         {"threads", threads},
                         {"max_pixels", settings.inspection.load.maxPixels}};
    std::vector<ImageResult> analysed;
    std::vector<std::size_t> analysedIndex;
    for (std::size_t i = 0; i < count; ++i) {
        if (!results[i]) {
            ++record.notStarted;
            continue;
        }
        if (*results[i]) {
            analysed.push_back(std::move(**results[i]));
            analysedIndex.push_back(i);
        } else {
            spdlog::error("{}", results[i]->error().describe());
            record.failed.push_back({inputs.files[i], results[i]->error()});
        }
    }
    for (const auto& problem : inputs.problems) {
        record.failed.push_back({problem.subject, problem});
    }
    record.isInterrupted = g_stopRequested.load();

    std::vector<NamedAnalysis> named;
    for (const ImageResult& result : analysed) {
        named.push_back({result.inspection.path.filename().string(), &result.analysis});
    }
    std::optional<ExperimentOutputs> experiment;
    if (layout && !record.isInterrupted) {
        std::vector<Error> problems = checkStripsOfLayout(*layout, named);
        for (Error& problem : checkLayoutAgainstImages(*layout, fileNames(inputs.files), lanesFoundIn(*layout, named))) {
            problems.push_back(std::move(problem));
        }
        if (!reportLayoutProblems(problems)) {
            return kExitUsage;
        }
        experiment = analyseExperiment(*layout, named, options);
        if (!experiment) {
            return kExitUsage;
        }
    } else if (layout) {
        spdlog::warn("interrupted: the experiment was not quantified (not every image ran)");
    }
    if (defersOutput && !createOutputFolders(options)) {
        return kExitNothing;
    }

    for (std::size_t k = 0; k < analysed.size(); ++k) {
        const std::size_t i = analysedIndex[k];
        ImageResult& result = analysed[k];
        const std::string name = inputs.files[i].filename().string();
        for (const auto& warning : result.inspection.warnings) {
            spdlog::warn("{}: {}", name, warning);
        }
        for (const auto& warning : result.analysis.warnings) {
            spdlog::warn("{}: {}", name, warning);
        }
        if (defersOutput && !overlays[i].empty()) {
            overlayErrors[i] = writeBytes(options.outDir / "overlays" / overlayNames[i], overlays[i]);
        }
        if (!overlayErrors[i].empty()) {
            spdlog::error("{}", overlayErrors[i]);
        }
        record.inputDetails.push_back(
            analysisJson(result.analysis, options.writeOverlays && overlayErrors[i].empty()
                                              ? "overlays/" + overlayNames[i]
                                              : std::string()));
        record.inputs.push_back(result.inspection);
    }

    if (!analysed.empty()) {
        std::cout << summaryTable(analysed) << std::flush;
    }
    const std::vector<OutputFile> files =
        analysisOutputFiles(named, experiment ? &experiment->outcome : nullptr);
    if (experiment) {
        for (const std::string& warning : experiment->outcome.warnings) {
            spdlog::warn("{}", warning);
        }
        std::cout << "\n"
                  << experimentTable(experiment->outcome.quantification.summary) << std::flush;
        record.parameters["layout"] = experiment->provenance;
    }
    for (const auto& [file, text] : files) {
        const std::filesystem::path path = options.outDir / file;
        if (path.parent_path() != options.outDir && !createOutputFolder(path.parent_path())) {
            return kExitNothing;
        }
        if (auto written = writeFileAtomically(path, text); !written) {
            spdlog::error("{}", written.error().describe());
            return kExitNothing;
        }
    }
    record.totalSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto runJson = options.outDir / "run.json";
    if (auto written = writeFileAtomically(runJson, toJson(record).dump(2) + "\n"); !written) {
        spdlog::error("{}", written.error().describe());
        return kExitNothing;
    }
    spdlog::info("{} analysed, {} failed; wrote {}", record.inputs.size(), record.failed.size(),
                 runJson.string());
    if (record.isInterrupted) {
        spdlog::warn("interrupted: {} image{} not started", record.notStarted,
                     record.notStarted == 1 ? "" : "s");
        return kExitInterrupted;
    }
    if (record.inputs.empty()) {
        return kExitNothing;
    }
    return record.failed.empty() ? kExitOk : kExitSomeFailed;
}

} // namespace densito::cli
