#include "cli/analyze_command.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/exit_codes.h"
#include "cli/progress_reporter.h"
#include "cli/text_table.h"
#include "core/io/atomic_file.h"
#include "core/io/run_record.h"
#include "core/pipeline/batch_runner.h"
#include "core/pipeline/image_inspection.h"
#include "core/pipeline/input_files.h"

namespace densito::cli {
namespace {

std::atomic<bool> g_stopRequested{false};

extern "C" void requestStop(int) { g_stopRequested.store(true); }

std::filesystem::path normalised(const std::filesystem::path& path) {
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(path, ec);
    return ec ? std::filesystem::absolute(path).lexically_normal() : canonical;
}

/// True when `inner` is `outer` or lies below it.
bool isWithin(const std::filesystem::path& inner, const std::filesystem::path& outer) {
    const auto rel = normalised(inner).lexically_relative(normalised(outer));
    return !rel.empty() && *rel.begin() != "..";
}

std::string saturationText(const SignalModel& signal) {
    if (!std::isfinite(signal.saturationRaw)) {
        return "unknown";
    }
    return fmt::format("{:g} ({})", signal.saturationRaw, signal.saturationSource);
}

std::string summaryTable(const RunRecord& record) {
    TextTable table({"image", "format", "size", "bits", "pages", "polarity", "saturation",
                     "saturated px", "warnings"});
    for (const auto& item : record.inputs) {
        const ImageMetadata& meta = item.metadata;
        table.addRow({item.path.filename().string(), toString(meta.format),
                      fmt::format("{}x{}", meta.width, meta.height),
                      fmt::format("{}{}", meta.bitsPerSample,
                                  meta.sampleKind == SampleKind::Float ? "f" : ""),
                      fmt::format("{}/{}", meta.pageIndex + 1, meta.pageCount),
                      fmt::format("{}{}", toString(item.signal.polarity),
                                  item.signal.isPolarityFromPixels ? "" : " (set)"),
                      saturationText(item.signal), std::to_string(item.signal.saturatedPixels),
                      std::to_string(item.warnings.size())});
    }
    return table.render();
}

} // namespace

CLI::App* addAnalyzeCommand(CLI::App& app, AnalyzeOptions& options) {
    CLI::App* analyze = app.add_subcommand(
        "analyze", "Analyse blot images (files or folders) and write results to --out");
    analyze->add_option("INPUT", options.inputs, "Image files or folders of images")
        ->required();
    analyze->add_option("-o,--out", options.outDir, "Folder for run.json and results")
        ->required();
    analyze->add_option("--polarity", options.polarity,
                        "Band polarity: auto (decide from the pixels), light-bands (raw "
                        "chemiluminescence) or dark-bands (inverted export, film, stained gel)")
        ->check(CLI::IsMember({"auto", "light-bands", "dark-bands"}))
        ->capture_default_str();
    analyze->add_option("--page", options.page,
                        "Page (channel) of multi-page TIFFs to analyse, counted from 1")
        ->check(CLI::Range(1, 65535))
        ->capture_default_str();
    analyze->add_option("-j,--threads", options.threads,
                        "Images analysed in parallel (0 = all cores)")
        ->check(CLI::Range(0u, 1024u))
        ->capture_default_str();
    return analyze;
}

int runAnalyze(const AnalyzeOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    for (const auto& input : options.inputs) {
        std::error_code ec;
        if (std::filesystem::is_directory(input, ec) && isWithin(options.outDir, input)) {
            spdlog::error("--out {} is inside the input folder {}; choose a folder outside the "
                          "inputs so results are never mixed with images",
                          options.outDir.string(), input.string());
            return kExitUsage;
        }
    }

    InspectionSettings settings;
    settings.polarity = parsePolarityMode(options.polarity).value_or(PolarityMode::Auto);
    settings.load.pageIndex = options.page - 1;

    InputFiles inputs = collectInputFiles(options.inputs, options.outDir);
    for (const auto& problem : inputs.problems) {
        spdlog::error("{}", problem.describe());
    }
    if (inputs.files.empty()) {
        spdlog::error("no image files found in the inputs (Densito reads .tif, .tiff, .png, "
                      ".jpg and .jpeg)");
        return kExitNothing;
    }

    std::error_code ec;
    std::filesystem::create_directories(options.outDir, ec);
    if (ec) {
        spdlog::error("{}: the output folder cannot be created: {}", options.outDir.string(),
                      ec.message());
        return kExitNothing;
    }

    g_stopRequested.store(false);
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);

    const std::size_t count = inputs.files.size();
    std::vector<std::optional<std::expected<ImageInspection, Error>>> results(count);
    const unsigned threads = effectiveThreadCount(options.threads, count);
    spdlog::info("analysing {} image{} with {} thread{}", count, count == 1 ? "" : "s", threads,
                 threads == 1 ? "" : "s");
    ProgressReporter progress(count, spdlog::should_log(spdlog::level::info));
    runBatch(
        count, threads,
        [&](std::size_t i) { results[i] = inspectImage(inputs.files[i], settings); },
        [&](std::size_t finished, std::size_t) { progress.update(finished); }, &g_stopRequested);
    progress.finish();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    RunRecord record;
    record.command = "analyze";
    record.parameters = {{"polarity", options.polarity},
                         {"page", options.page},
                         {"threads", threads},
                         {"max_pixels", settings.load.maxPixels}};
    for (std::size_t i = 0; i < count; ++i) {
        if (!results[i]) {
            ++record.notStarted;
            continue;
        }
        if (*results[i]) {
            for (const auto& warning : (*results[i])->warnings) {
                spdlog::warn("{}: {}", inputs.files[i].filename().string(), warning);
            }
            record.inputs.push_back(std::move(**results[i]));
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

    if (!record.inputs.empty()) {
        std::cout << summaryTable(record) << std::flush;
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
