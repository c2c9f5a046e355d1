#include "core/pipeline/analysis_run.h"

#include "core/analysis/layout_sheets.h"
#include "core/analysis/mw_calibration.h"
#include "core/analysis/target_panel.h"
#include "core/io/atomic_file.h"
#include "core/io/overlay_renderer.h"
#include "core/io/sha256.h"
#include "core/pipeline/batch_runner.h"
#include "core/pipeline/experiment_analysis.h"
#include "core/pipeline/input_files.h"
#include "core/pipeline/run_messages.h"
#include "core/version.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>
#include <mutex>
#include <random>
#include <span>
#include <spdlog/spdlog.h>
#include <string_view>
#include <system_error>

namespace densito {
namespace {

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
/// With a layout, the marker masses of its ladder lanes are drawn beside them.
std::vector<std::uint8_t> renderOverlayPng(const ImageResult& result, const std::string& parameters,
                                           const std::optional<Layout>& layout) {
    const std::string name = result.inspection.path.filename().string();
    const std::vector<StripCalibration> calibrations =
        layout ? calibrationsOfImage(*layout, NamedAnalysis{name, &result.analysis})
               : std::vector<StripCalibration>{};
    const cv::Mat overlay =
        renderOverlay(result.signal, result.raw, result.validMask, result.inspection.signal,
                      result.analysis, {name, parameters}, calibrations);
    return encodePng(overlay);
}

/// Writes `bytes` atomically; returns the error text, empty on success.
std::string writeBytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    auto written = writeFileAtomically(
        path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    return written ? std::string() : written.error().describe();
}

/// A private folder under the system's temporary folder ($TMPDIR) where overlays wait while
/// nothing may be written to the output folder yet (a layout is checked once every image is
/// analysed), so that a long batch does not hold every picture in memory. Removed with
/// everything in it when the run ends, whatever the outcome.
class DraftFolder {
public:
    DraftFolder() = default;
    DraftFolder(const DraftFolder&) = delete;
    DraftFolder& operator=(const DraftFolder&) = delete;
    ~DraftFolder() {
        if (!m_path.empty()) {
            std::error_code ignored;
            std::filesystem::remove_all(m_path, ignored);
        }
    }

    /// Creates the folder; the error text, empty on success.
    std::string create() {
        std::error_code ec;
        const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
        if (ec) {
            return "no temporary folder for the overlays: " + ec.message();
        }
        std::random_device random;
        for (int attempt = 0; attempt < 16; ++attempt) {
            const auto candidate = base / fmt::format("densito-overlays-{:08x}", random());
            if (std::filesystem::create_directory(candidate, ec)) {
                m_path = candidate;
                return {};
            }
        }
        return fmt::format("the temporary folder for the overlays cannot be created in {}: {}",
                           base.string(), ec ? ec.message() : "every name is taken");
    }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

/// Moves a finished overlay from the draft folder into place, atomically; the error text.
std::string moveOverlay(const std::filesystem::path& draft, const std::filesystem::path& target) {
    const auto bytes = readWholeFile(draft);
    if (!bytes) {
        return Error{draft.string(), bytes.error()}.describe();
    }
    auto written = writeFileAtomically(target, *bytes);
    std::error_code ignored;
    std::filesystem::remove(draft, ignored);
    return written ? std::string() : written.error().describe();
}

std::vector<std::string> fileNames(const std::vector<std::filesystem::path>& files) {
    std::vector<std::string> names;
    for (const auto& file : files) {
        names.push_back(file.filename().string());
    }
    return names;
}

/// SHA-256 of a layout sheet, read again just after it was parsed; empty if it vanished.
std::string fileSha256(const std::filesystem::path& path) {
    const auto bytes = readWholeFile(path);
    return bytes ? sha256Hex(std::span(reinterpret_cast<const std::uint8_t*>(bytes->data()),
                                       bytes->size()))
                 : std::string();
}

/// Why `outDir` cannot take the results of `inputs`: it is, or lies inside, an input folder
/// (results would mix with images and be read as inputs next time), or an input is, or lies
/// inside, it (an output could replace an input: overlays/x.png over an input of that name).
std::optional<Error> outputClash(const std::vector<std::filesystem::path>& inputs,
                                 const std::filesystem::path& outDir) {
    constexpr std::string_view kAdvice =
        "choose a folder outside the inputs so results are never mixed with images and no "
        "input can be overwritten";
    for (const auto& input : inputs) {
        std::error_code ec;
        const bool isFolder = std::filesystem::is_directory(input, ec);
        const bool exists = isFolder || std::filesystem::exists(input, ec);
        if (!exists) {
            continue; // reported as a missing input later
        }
        const bool isOutputInside = isFolder && isWithinFolder(outDir, input);
        const bool isInputInside = isWithinFolder(input, outDir);
        if (!isOutputInside && !isInputInside) {
            continue;
        }
        std::string relation;
        if (isOutputInside && isInputInside) {
            relation = fmt::format("is the input folder {}", input.string());
        } else if (isOutputInside) {
            relation = fmt::format("is inside the input folder {}", input.string());
        } else if (isWithinFolder(outDir, input)) {
            relation = fmt::format("is the input file {}", input.string());
        } else {
            relation =
                fmt::format("holds the input {} {}", isFolder ? "folder" : "file", input.string());
        }
        return Error{
            "", fmt::format("the output folder {} {}; {}", outDir.string(), relation, kAdvice)};
    }
    return std::nullopt;
}

nlohmann::json analysisJson(const BlotAnalysis& analysis, const std::string& overlay) {
    const auto flagged = std::count_if(analysis.bands.begin(), analysis.bands.end(),
                                       [](const Band& b) { return b.flags != 0; });
    nlohmann::json json = {
        {"strips", analysis.strips.size()},        {"lanes", analysis.lanes.size()},
        {"bands", analysis.bands.size()},          {"flagged_bands", flagged},
        {"noise_sigma", analysis.noiseSigma},      {"background", analysis.backgroundMethod},
        {"analysis_warnings", analysis.warnings},  {"needs_review", analysis.needsReview},
        {"review_reasons", analysis.reviewReasons}};
    json["overlay"] = overlay.empty() ? nlohmann::json(nullptr) : nlohmann::json(overlay);
    return json;
}

/// One run in progress: the report being filled and the callbacks to tell.
class Run {
public:
    Run(const AnalysisRunOptions& options, const AnalysisRunCallbacks& callbacks,
        const std::atomic<bool>* cancel)
        : m_options(options), m_callbacks(callbacks), m_cancel(cancel) {}

    AnalysisRunReport run();

private:
    void tell(LogLevel level, const std::string& text) const { m_messages.tell(level, text); }
    AnalysisRunStatus stop(AnalysisRunStatus status, Error problem) {
        return m_messages.stop(status, std::move(problem));
    }
    bool acceptsLayout(std::vector<Error> problems) {
        return m_messages.acceptsLayout(std::move(problems));
    }
    bool createFolder(const std::filesystem::path& folder) {
        std::error_code ec;
        std::filesystem::create_directories(folder, ec);
        if (ec) {
            stop(AnalysisRunStatus::NothingDone,
                 {folder.string(), "the output folder cannot be created: " + ec.message()});
            return false;
        }
        return true;
    }
    bool createOutputFolders() {
        return createFolder(m_options.outDir) &&
               (!m_options.writeOverlays || createFolder(m_options.outDir / "overlays"));
    }
    bool readExperimentLayout();
    /// Whether a stain row of the layout measures the image: whole lanes need its pixels.
    bool isStainImage(const std::string& name) const {
        return m_layout && std::ranges::any_of(m_layout->blots, [&](const BlotRow& row) {
                   return row.measure == Measure::Stain &&
                          std::filesystem::path(row.image).filename().string() == name;
               });
    }
    AnalysisRunStatus execute();
    void analyseImages(const AnalysisSettings& settings, unsigned threads);

    const AnalysisRunOptions& m_options;
    const AnalysisRunCallbacks& m_callbacks;
    const std::atomic<bool>* m_cancel;
    AnalysisRunReport m_report;
    RunMessages m_messages{m_callbacks.message, m_report.problems};
    std::optional<Layout> m_layout;
    // Per input file, filled by the workers (each its own slot).
    std::vector<std::optional<std::expected<ImageResult, Error>>> m_results;
    DraftFolder m_overlayDrafts; ///< where overlays wait while output is deferred
    std::vector<bool> m_hasOverlay;
    std::vector<std::string> m_overlayErrors;
    std::vector<std::string> m_overlayNames;
};

bool Run::readExperimentLayout() {
    LayoutSettings layoutSettings;
    layoutSettings.control = m_options.control;
    layoutSettings.factors = m_options.factors;
    if (!m_options.panel.empty()) {
        auto panel = loadTargetPanel(m_options.panel);
        if (!panel) {
            stop(AnalysisRunStatus::Refused, panel.error());
            return false;
        }
        layoutSettings.panel = std::move(*panel);
    }
    auto layout = readLayout(m_options.blots, m_options.samples, layoutSettings);
    if (!layout) {
        acceptsLayout(std::move(layout.error()));
        return false;
    }
    for (const std::string& note : layout->notes) {
        tell(LogLevel::Info, note);
    }
    m_layout = std::move(*layout);
    return true;
}

void Run::analyseImages(const AnalysisSettings& settings, unsigned threads) {
    const std::vector<std::filesystem::path>& files = m_report.files;
    const bool defersOutput = m_layout.has_value();
    std::mutex callbackMutex; // callbacks are promised one at a time
    runBatch(
        files.size(), threads,
        [&](std::size_t i) {
            const AnalysisSettings imageSettings =
                m_layout ? experimentSettingsFor(*m_layout, files[i].filename().string(), settings)
                         : settings;
            std::expected<ImageResult, Error> result;
            try {
                result = analyzeImage(files[i], imageSettings);
                if (result && m_options.writeOverlays) {
                    const std::filesystem::path folder =
                        defersOutput ? m_overlayDrafts.path() : m_options.outDir / "overlays";
                    m_overlayErrors[i] = writeBytes(
                        folder / m_overlayNames[i],
                        renderOverlayPng(*result, settingsText(imageSettings, result->analysis),
                                         m_layout));
                    m_hasOverlay[i] = m_overlayErrors[i].empty();
                }
            } catch (const std::exception& e) { // e.g. out of memory on a huge image
                result = std::unexpected(Error{files[i].filename().string(),
                                               fmt::format("analysis failed: {}", e.what())});
            }
            if (result) { // keep memory flat over a long batch
                result->raw.release();
                if (!isStainImage(files[i].filename().string())) {
                    result->signal.release();
                    result->validMask.release();
                }
            }
            if (m_callbacks.fileFinished) {
                std::expected<void, Error> outcome;
                if (!result) {
                    outcome = std::unexpected(result.error());
                }
                std::lock_guard lock(callbackMutex);
                m_callbacks.fileFinished(i, files[i], outcome);
            }
            m_results[i] = std::move(result);
        },
        [&](std::size_t finished, std::size_t total) {
            if (m_callbacks.progress) {
                std::lock_guard lock(callbackMutex);
                m_callbacks.progress(finished, total);
            }
        },
        m_cancel);
}

AnalysisRunStatus Run::execute() {
    const auto start = std::chrono::steady_clock::now();
    if (auto clash = outputClash(m_options.inputs, m_options.outDir)) {
        return stop(AnalysisRunStatus::Refused, std::move(*clash));
    }
    if (m_options.blots.empty() != m_options.samples.empty()) {
        return stop(AnalysisRunStatus::Refused,
                    {"", "a layout needs both sheets, blots.csv and samples.csv"});
    }

    AnalysisSettings settings;
    settings.inspection.polarity = m_options.polarity;
    settings.inspection.load.pageIndex = m_options.page - 1;
    settings.expectedLanes = m_options.lanes;
    settings.background = m_options.background;

    if (!m_options.blots.empty() && !readExperimentLayout()) {
        return AnalysisRunStatus::Refused;
    }

    InputFiles inputs = collectInputFiles(m_options.inputs, m_options.outDir);
    // A folder can reach into the output folder through a link; an output renamed over such
    // a file would replace the input.
    if (auto clash = outputClash(inputs.files, m_options.outDir)) {
        return stop(AnalysisRunStatus::Refused, std::move(*clash));
    }
    for (const auto& problem : inputs.problems) {
        tell(LogLevel::Error, problem.describe());
    }
    m_report.files = std::move(inputs.files);
    const std::vector<std::filesystem::path>& files = m_report.files;
    if (files.empty()) {
        return stop(AnalysisRunStatus::NothingDone,
                    {"", "no image files found in the inputs (Densito reads .tif, .tiff, .png, "
                         ".jpg and .jpeg)"});
    }
    if (m_layout && !m_options.isShard &&
        !acceptsLayout(checkLayoutAgainstImages(
            *m_layout, fileNames(files), [](const BlotRow&) { return std::optional<int>(); }))) {
        return AnalysisRunStatus::Refused;
    }

    // With a layout, nothing is written until the analysed images are known to fit it.
    const bool defersOutput = m_layout.has_value();
    if (!defersOutput && !createOutputFolders()) {
        return AnalysisRunStatus::NothingDone;
    }

    const std::size_t count = files.size();
    m_overlayNames = overlayFileNames(files);
    m_results.resize(count);
    m_hasOverlay.resize(count);
    m_overlayErrors.resize(count);
    if (defersOutput && m_options.writeOverlays) {
        if (std::string error = m_overlayDrafts.create(); !error.empty()) {
            return stop(AnalysisRunStatus::NothingDone, {"", error});
        }
    }
    const unsigned threads = effectiveThreadCount(m_options.threads, count);
    tell(LogLevel::Info, fmt::format("analysing {} image{} with {} thread{}", count,
                                     count == 1 ? "" : "s", threads, threads == 1 ? "" : "s"));
    if (m_callbacks.started) {
        m_callbacks.started(files, threads);
    }
    analyseImages(settings, threads);

    RunRecord record;
    record.command = "analyze";
    record.parameters = {{"polarity", toString(m_options.polarity)},
                         {"page", m_options.page},
                         {"lanes", m_options.lanes},
                         {"background", toString(settings.background)},
                         {"overlays", m_options.writeOverlays},
                         {"csv_bom", m_options.output.csvByteOrderMark},
                         {"threads", threads},
                         {"max_pixels", settings.inspection.load.maxPixels}};
    std::vector<std::size_t> analysedIndex;
    for (std::size_t i = 0; i < count; ++i) {
        if (!m_results[i]) {
            ++record.notStarted;
            continue;
        }
        if (*m_results[i]) {
            m_report.analysed.push_back(std::move(**m_results[i]));
            analysedIndex.push_back(i);
        } else {
            tell(LogLevel::Error, m_results[i]->error().describe());
            record.failed.push_back({files[i], m_results[i]->error()});
        }
    }
    m_results.clear();
    for (const auto& problem : inputs.problems) {
        record.failed.push_back({problem.subject, problem});
    }
    record.isInterrupted = m_cancel != nullptr && m_cancel->load();
    m_report.failed = record.failed;
    m_report.notStarted = record.notStarted;
    m_report.isInterrupted = record.isInterrupted;

    std::vector<ImageResult>& analysed = m_report.analysed;
    std::vector<NamedAnalysis> named;
    for (const ImageResult& result : analysed) {
        named.push_back(
            {result.inspection.path.filename().string(), &result.analysis,
             cv::Size(result.inspection.metadata.width, result.inspection.metadata.height),
             result.signal.empty() ? nullptr : &result.signal,
             result.validMask.empty() ? nullptr : &result.validMask, &result.inspection.signal});
    }
    if (m_layout && m_options.isShard) {
        record.parameters["shard"] = {{"blots", m_options.blots.string()},
                                      {"blots_sha256", fileSha256(m_options.blots)},
                                      {"samples", m_options.samples.string()},
                                      {"samples_sha256", fileSha256(m_options.samples)}};
    } else if (m_layout && !record.isInterrupted) {
        if (!acceptsLayout(checkLayoutAgainstAnalyses(*m_layout, named, fileNames(files)))) {
            return AnalysisRunStatus::Refused;
        }
        auto outcome =
            analyzeExperiment(*m_layout, named, {m_options.exclude, m_options.normalizerOrder});
        if (!outcome) {
            return stop(AnalysisRunStatus::Refused, outcome.error());
        }
        m_report.experiment = std::move(*outcome);
        record.parameters["layout"] = {
            {"blots", m_options.blots.string()},
            {"blots_sha256", fileSha256(m_options.blots)},
            {"samples", m_options.samples.string()},
            {"samples_sha256", fileSha256(m_options.samples)},
            {"control", m_layout->control},
            {"factors", m_options.factors},
            {"panel", m_options.panel.empty() ? nlohmann::json(nullptr)
                                              : nlohmann::json(m_options.panel.string())},
            {"exclude", exclusionPolicyKinds(m_options.exclude)},
            {"normalizer_order", normalizerOrderText(m_options.normalizerOrder)},
            {"measured_bands", m_report.experiment->measuredBands},
            {"warnings", m_report.experiment->warnings}};
    } else if (m_layout) {
        tell(LogLevel::Warning, "interrupted: the experiment was not quantified (not every image "
                                "ran)");
    }
    if (defersOutput && !createOutputFolders()) {
        return AnalysisRunStatus::NothingDone;
    }

    for (std::size_t k = 0; k < analysed.size(); ++k) {
        const std::size_t i = analysedIndex[k];
        ImageResult& result = analysed[k];
        const std::string name = files[i].filename().string();
        // A ladder refused or matched unsure leaves the image's molecular weights in doubt:
        // that is a reason to look at it, as much as a doubtful lane.
        if (m_report.experiment) {
            const std::vector<std::string> doubts =
                calibrationDoubts(m_report.experiment->calibrations, name);
            if (!doubts.empty()) {
                result.analysis.needsReview = true;
                result.analysis.reviewReasons.insert(result.analysis.reviewReasons.end(),
                                                     doubts.begin(), doubts.end());
            }
        }
        for (const auto& warning : result.inspection.warnings) {
            tell(LogLevel::Warning, fmt::format("{}: {}", name, warning));
        }
        for (const auto& warning : result.analysis.warnings) {
            tell(LogLevel::Warning, fmt::format("{}: {}", name, warning));
        }
        if (result.analysis.needsReview) {
            ++m_report.imagesNeedingReview;
            tell(LogLevel::Warning, fmt::format("{}: needs review: {}", name,
                                                fmt::join(result.analysis.reviewReasons, "; ")));
        }
        if (defersOutput && m_hasOverlay[i]) {
            m_overlayErrors[i] = moveOverlay(m_overlayDrafts.path() / m_overlayNames[i],
                                             m_options.outDir / "overlays" / m_overlayNames[i]);
        }
        if (!m_overlayErrors[i].empty()) {
            tell(LogLevel::Error, m_overlayErrors[i]);
        }
        record.inputDetails.push_back(
            analysisJson(result.analysis, m_options.writeOverlays && m_overlayErrors[i].empty()
                                              ? "overlays/" + m_overlayNames[i]
                                              : std::string()));
        record.inputs.push_back(result.inspection);
    }

    const auto outputs = analysisOutputFiles(
        named, m_report.experiment ? &*m_report.experiment : nullptr, m_options.output);
    if (m_report.experiment) {
        for (const std::string& warning : m_report.experiment->warnings) {
            tell(LogLevel::Warning, warning);
        }
    }
    if (!outputs) {
        return stop(AnalysisRunStatus::NothingDone, outputs.error());
    }
    for (const auto& [file, text] : *outputs) {
        const std::filesystem::path path = m_options.outDir / file;
        if (path.parent_path() != m_options.outDir && !createFolder(path.parent_path())) {
            return AnalysisRunStatus::NothingDone;
        }
        if (auto written = writeFileAtomically(path, text); !written) {
            return stop(AnalysisRunStatus::NothingDone, written.error());
        }
    }
    record.totalSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto runJson = m_options.outDir / "run.json";
    std::string runText;
    try {
        runText = toJson(record).dump(2) + "\n";
    } catch (const nlohmann::json::exception& e) { // text that is not UTF-8, say
        return stop(AnalysisRunStatus::NothingDone,
                    {runJson.string(), fmt::format("cannot be encoded: {}", e.what())});
    }
    if (auto written = writeFileAtomically(runJson, runText); !written) {
        return stop(AnalysisRunStatus::NothingDone, written.error());
    }
    m_report.runJson = runJson;
    tell(LogLevel::Info, fmt::format("{} analysed, {} failed; wrote {}", record.inputs.size(),
                                     record.failed.size(), runJson.string()));
    if (record.isInterrupted) {
        tell(LogLevel::Warning, fmt::format("interrupted: {} image{} not started",
                                            record.notStarted, record.notStarted == 1 ? "" : "s"));
        return AnalysisRunStatus::Interrupted;
    }
    if (record.inputs.empty()) {
        return AnalysisRunStatus::NothingDone;
    }
    return record.failed.empty() ? AnalysisRunStatus::Ok : AnalysisRunStatus::SomeFailed;
}

AnalysisRunReport Run::run() {
    try {
        m_report.status = execute();
    } catch (const std::exception& e) { // out of memory while writing, say
        m_report.status =
            stop(AnalysisRunStatus::NothingDone,
                 {m_options.outDir.string(), fmt::format("the run failed: {}", e.what())});
    }
    spdlog::debug("analysis run into {} ended: {} analysed, {} failed, {} not started",
                  m_options.outDir.string(), m_report.analysed.size(), m_report.failed.size(),
                  m_report.notStarted);
    return std::move(m_report);
}

} // namespace

AnalysisRunReport runAnalysis(const AnalysisRunOptions& options,
                              const AnalysisRunCallbacks& callbacks,
                              const std::atomic<bool>* cancel) {
    return Run(options, callbacks, cancel).run();
}

} // namespace densito
