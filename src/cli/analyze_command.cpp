#include "cli/analyze_command.h"

#include "cli/exit_codes.h"
#include "cli/output_folder.h"
#include "cli/progress_reporter.h"
#include "cli/text_table.h"
#include "core/io/atomic_file.h"
#include "core/io/overlay_renderer.h"
#include "core/io/results_csv.h"
#include "core/io/run_record.h"
#include "core/pipeline/batch_runner.h"
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

/// Renders and writes one overlay; returns the error text, empty on success.
std::string writeOverlay(const ImageResult& result, const std::filesystem::path& path,
                         const std::string& parameters) {
    const cv::Mat overlay =
        renderOverlay(result.signal, result.raw, result.validMask, result.inspection.signal,
                      result.analysis, {result.inspection.path.filename().string(), parameters});
    const std::vector<std::uint8_t> png = encodePng(overlay);
    auto written = writeFileAtomically(
        path, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
    return written ? std::string() : written.error().describe();
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

    InputFiles inputs = collectInputFiles(options.inputs, options.outDir);
    for (const auto& problem : inputs.problems) {
        spdlog::error("{}", problem.describe());
    }
    if (inputs.files.empty()) {
        spdlog::error("no image files found in the inputs (Densito reads .tif, .tiff, .png, "
                      ".jpg and .jpeg)");
        return kExitNothing;
    }

    if (!createOutputFolder(options.outDir) ||
        (options.writeOverlays && !createOutputFolder(options.outDir / "overlays"))) {
        return kExitNothing;
    }

    g_stopRequested.store(false);
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);

    const std::size_t count = inputs.files.size();
    const std::vector<std::string> overlayNames = overlayFileNames(inputs.files);
    std::vector<std::optional<std::expected<ImageResult, Error>>> results(count);
    std::vector<std::string> overlayErrors(count);
    const unsigned threads = effectiveThreadCount(options.threads, count);
    spdlog::info("analysing {} image{} with {} thread{}", count, count == 1 ? "" : "s", threads,
                 threads == 1 ? "" : "s");
    ProgressReporter progress(count, spdlog::should_log(spdlog::level::info));
    runBatch(
        count, threads,
        [&](std::size_t i) {
            auto result = analyzeImage(inputs.files[i], settings);
            if (result && options.writeOverlays) {
                overlayErrors[i] =
                    writeOverlay(*result, options.outDir / "overlays" / overlayNames[i],
                                 settingsText(settings, result->analysis));
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
    for (std::size_t i = 0; i < count; ++i) {
        if (!results[i]) {
            ++record.notStarted;
            continue;
        }
        if (*results[i]) {
            ImageResult& result = **results[i];
            const std::string name = inputs.files[i].filename().string();
            for (const auto& warning : result.inspection.warnings) {
                spdlog::warn("{}: {}", name, warning);
            }
            for (const auto& warning : result.analysis.warnings) {
                spdlog::warn("{}: {}", name, warning);
            }
            if (!overlayErrors[i].empty()) {
                spdlog::error("{}", overlayErrors[i]);
            }
            record.inputDetails.push_back(
                analysisJson(result.analysis, options.writeOverlays && overlayErrors[i].empty()
                                                  ? "overlays/" + overlayNames[i]
                                                  : std::string()));
            record.inputs.push_back(result.inspection);
            analysed.push_back(std::move(result));
        } else {
            spdlog::error("{}", results[i]->error().describe());
            record.failed.push_back({inputs.files[i], results[i]->error()});
        }
    }
    for (const auto& problem : inputs.problems) {
        record.failed.push_back({problem.subject, problem});
    }
    record.isInterrupted = g_stopRequested.load();
    record.totalSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    if (!analysed.empty()) {
        std::cout << summaryTable(analysed) << std::flush;
    }
    std::vector<NamedAnalysis> named;
    for (const ImageResult& result : analysed) {
        named.push_back({result.inspection.path.filename().string(), &result.analysis});
    }
    for (const auto& [file, text] :
         {std::pair{"lanes.csv", lanesCsv(named)}, std::pair{"bands.csv", bandsCsv(named)}}) {
        if (auto written = writeFileAtomically(options.outDir / file, text); !written) {
            spdlog::error("{}", written.error().describe());
            return kExitNothing;
        }
    }
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
