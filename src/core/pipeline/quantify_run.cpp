#include "core/pipeline/quantify_run.h"

#include "core/analysis/csv_table.h"
#include "core/analysis/layout_sheets.h"
#include "core/analysis/mw_calibration.h"
#include "core/analysis/target_panel.h"
#include "core/io/atomic_file.h"
#include "core/io/results_csv.h"
#include "core/io/run_record.h"
#include "core/io/sha256.h"
#include "core/pipeline/experiment_analysis.h"
#include "core/pipeline/run_messages.h"
#include "core/version.h"

#include <array>
#include <chrono>
#include <fmt/format.h>
#include <map>
#include <span>
#include <system_error>

namespace densito {
namespace {

std::string sha256Of(const std::string& bytes) {
    return sha256Hex(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

/// The columns a CSV must have, by name; an error naming the file when one is missing.
std::expected<std::vector<std::size_t>, Error> columnsOf(const CsvTable& table,
                                                         std::span<const std::string_view> names) {
    std::vector<std::size_t> columns;
    for (const std::string_view name : names) {
        const auto column = table.findColumn(name);
        if (!column) {
            return std::unexpected(
                Error{table.fileName, fmt::format("column \"{}\" is missing", name)});
        }
        columns.push_back(*column);
    }
    return columns;
}

std::expected<std::uint32_t, Error> parseFlags(const CsvTable& table, const CsvRow& row,
                                               std::size_t column) {
    static constexpr std::array<std::pair<BandFlag, std::string_view>, 5> kNames = {{
        {kBandSaturated, "saturated"},
        {kBandWeak, "weak"},
        {kBandEdge, "edge"},
        {kBandOverlap, "overlap"},
        {kBandSplit, "split"},
    }};
    std::uint32_t flags = 0;
    std::string_view text = table.text(row, column);
    while (!text.empty()) {
        const std::size_t end = text.find(';');
        const std::string_view name = text.substr(0, end);
        const auto* known = std::find_if(kNames.begin(), kNames.end(),
                                         [&](const auto& entry) { return entry.second == name; });
        if (known == kNames.end()) {
            return std::unexpected(
                table.cellError(row, column, fmt::format("\"{}\" is not a band flag", name)));
        }
        flags |= known->first;
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    }
    if (bandFlagsText(flags) != table.text(row, column)) {
        return std::unexpected(table.cellError(row, column, "flags out of order or repeated"));
    }
    return flags;
}

/// Fills the lanes of `byName` from lanes.csv.
std::expected<void, Error> readLanes(const CsvTable& table,
                                     std::map<std::string, BlotAnalysis*>& byName) {
    static constexpr std::array<std::string_view, 8> kColumns{
        "image", "lane", "x_center", "left", "right", "strip", "kind", "confidence"};
    auto columns = columnsOf(table, kColumns);
    if (!columns) {
        return std::unexpected(columns.error());
    }
    const auto& c = *columns;
    for (const CsvRow& row : table.rows) {
        const std::string name(table.text(row, c[0]));
        const auto found = byName.find(name);
        if (found == byName.end()) {
            return std::unexpected(table.cellError(
                row, c[0], fmt::format("image {} is not among the inputs of run.json", name)));
        }
        Lane lane;
        auto index = table.wholeNumber(row, c[1]);
        auto centre = table.decimalNumber(row, c[2]);
        auto left = table.decimalNumber(row, c[3]);
        auto right = table.decimalNumber(row, c[4]);
        auto strip = table.wholeNumber(row, c[5]);
        auto confidence = table.decimalNumber(row, c[7]);
        for (const Error* error :
             {index ? nullptr : &index.error(), centre ? nullptr : &centre.error(),
              left ? nullptr : &left.error(), right ? nullptr : &right.error(),
              strip ? nullptr : &strip.error(), confidence ? nullptr : &confidence.error()}) {
            if (error != nullptr) {
                return std::unexpected(*error);
            }
        }
        const std::string_view kind = table.text(row, c[6]);
        if (kind != "sample" && kind != "ladder") {
            return std::unexpected(
                table.cellError(row, c[6], fmt::format("\"{}\" is not sample or ladder", kind)));
        }
        lane.index = *index;
        lane.xCenterPx = *centre;
        lane.leftPx = *left;
        lane.rightPx = *right;
        lane.strip = *strip;
        lane.kind = kind == "ladder" ? LaneKind::Ladder : LaneKind::Sample;
        lane.confidence = *confidence;
        found->second->lanes.push_back(lane);
    }
    return {};
}

/// Fills the bands of `byName` from bands.csv.
std::expected<void, Error> readBands(const CsvTable& table,
                                     std::map<std::string, BlotAnalysis*>& byName) {
    static constexpr std::array<std::string_view, 14> kColumns{
        "image",  "lane",   "band",  "x",          "y",    "width",
        "height", "volume", "strip", "background", "peak", "saturated_pixels",
        "snr",    "flags"};
    auto columns = columnsOf(table, kColumns);
    if (!columns) {
        return std::unexpected(columns.error());
    }
    const auto& c = *columns;
    // Written since molecular weights are read from ladders; older runs lack it, and their
    // masses are read at the box centre.
    const std::optional<std::size_t> peakYColumn = table.findColumn("peak_y");
    for (const CsvRow& row : table.rows) {
        const std::string name(table.text(row, c[0]));
        const auto found = byName.find(name);
        if (found == byName.end()) {
            return std::unexpected(table.cellError(
                row, c[0], fmt::format("image {} is not among the inputs of run.json", name)));
        }
        std::array<int, 8> whole{}; // lane, band, x, y, width, height, strip, saturated pixels
        const std::array<std::size_t, 8> wholeColumns{c[1], c[2], c[3], c[4],
                                                      c[5], c[6], c[8], c[11]};
        for (std::size_t k = 0; k < whole.size(); ++k) {
            auto value = table.wholeNumber(row, wholeColumns[k]);
            if (!value) {
                return std::unexpected(value.error());
            }
            whole[k] = *value;
        }
        std::array<double, 4> decimal{}; // volume, background, peak, snr
        const std::array<std::size_t, 4> decimalColumns{c[7], c[9], c[10], c[12]};
        for (std::size_t k = 0; k < decimal.size(); ++k) {
            auto value = table.decimalNumber(row, decimalColumns[k]);
            if (!value) {
                return std::unexpected(value.error());
            }
            decimal[k] = *value;
        }
        auto flags = parseFlags(table, row, c[13]);
        if (!flags) {
            return std::unexpected(flags.error());
        }
        Band band;
        band.lane = whole[0];
        band.row = whole[1];
        band.box = cv::Rect(whole[2], whole[3], whole[4], whole[5]);
        band.strip = whole[6];
        band.saturatedPixels = whole[7];
        band.volume = decimal[0];
        band.backgroundVolume = decimal[1];
        band.peak = decimal[2];
        band.snr = decimal[3];
        band.flags = *flags;
        band.peakYPx = band.box.y + 0.5 * band.box.height;
        if (peakYColumn) {
            auto peakY = table.decimalNumber(row, *peakYColumn);
            if (!peakY) {
                return std::unexpected(peakY.error());
            }
            band.peakYPx = *peakY;
        }
        found->second->bands.push_back(band);
    }
    return {};
}

/// A CSV file whose messages name it by its whole path (several folders hold a lanes.csv).
std::expected<CsvTable, Error> readTable(const std::filesystem::path& path) {
    const auto text = readWholeFile(path);
    if (!text) {
        return std::unexpected(Error{path.string(), text.error()});
    }
    return parseCsv(*text, path.string());
}

std::vector<std::string> stringsOf(const nlohmann::json& array) {
    std::vector<std::string> strings;
    if (array.is_array()) {
        for (const auto& item : array) {
            if (item.is_string()) {
                strings.push_back(item.get<std::string>());
            }
        }
    }
    return strings;
}

} // namespace

std::expected<ResultFolder, Error> readResultFolder(const std::filesystem::path& folder) {
    ResultFolder result;
    result.folder = folder;
    const std::filesystem::path runJsonPath = folder / "run.json";
    const auto runText = readWholeFile(runJsonPath);
    if (!runText) {
        return std::unexpected(Error{runJsonPath.string(), runText.error()});
    }
    result.runJsonSha256 = sha256Of(*runText);
    nlohmann::json run;
    try {
        run = nlohmann::json::parse(*runText);
    } catch (const nlohmann::json::exception& e) {
        return std::unexpected(Error{runJsonPath.string(), fmt::format("not JSON: {}", e.what())});
    }
    auto bad = [&](std::string reason) {
        return std::unexpected(Error{runJsonPath.string(), std::move(reason)});
    };
    if (!run.is_object() || run.value("command", std::string()) != "analyze" ||
        !run.contains("inputs") || !run["inputs"].is_array()) {
        return bad("not the run.json of a densito-cli analyze run");
    }
    if (run.contains("summary") && run["summary"].value("interrupted", false)) {
        return bad("the run was interrupted, so not every image was analysed; run the shard "
                   "again");
    }
    const nlohmann::json& parameters = run.value("parameters", nlohmann::json::object());
    for (const char* key : {"shard", "layout"}) {
        if (parameters.is_object() && parameters.contains(key) && parameters[key].is_object()) {
            result.blotsSha256 = parameters[key].value("blots_sha256", std::string());
            result.samplesSha256 = parameters[key].value("samples_sha256", std::string());
            break;
        }
    }
    for (const auto& input : run["inputs"]) {
        if (!input.is_object() || !input.contains("file") || !input["file"].is_string() ||
            !input.contains("strips") || !input["strips"].is_number_unsigned()) {
            return bad("an input without its file name or strip count");
        }
        StoredAnalysis stored;
        stored.imageName = input["file"].get<std::string>();
        stored.folder = folder;
        const auto strips = input["strips"].get<std::size_t>();
        for (std::size_t s = 1; s <= strips; ++s) {
            stored.analysis.strips.push_back({static_cast<int>(s), {}, false});
        }
        stored.analysis.noiseSigma = input.value("noise_sigma", 0.0);
        stored.analysis.backgroundMethod = input.value("background", std::string());
        stored.analysis.warnings = stringsOf(input.value("analysis_warnings", nlohmann::json()));
        stored.analysis.needsReview = input.value("needs_review", false);
        stored.analysis.reviewReasons = stringsOf(input.value("review_reasons", nlohmann::json()));
        stored.runJsonEntry = input;
        result.analysed.push_back(std::move(stored));
    }
    if (run.contains("failed") && run["failed"].is_array()) {
        for (const auto& failed : run["failed"]) {
            if (failed.is_object() && failed.contains("file") && failed["file"].is_string()) {
                result.failedImages.push_back(failed["file"].get<std::string>());
                result.failedEntries.push_back(failed);
            }
        }
    }
    std::map<std::string, BlotAnalysis*> byName;
    for (StoredAnalysis& stored : result.analysed) {
        if (!byName.emplace(stored.imageName, &stored.analysis).second) {
            return bad(fmt::format("image {} is listed twice", stored.imageName));
        }
    }
    auto lanes = readTable(folder / "lanes.csv");
    if (!lanes) {
        return std::unexpected(lanes.error());
    }
    if (auto read = readLanes(*lanes, byName); !read) {
        return std::unexpected(read.error());
    }
    auto bands = readTable(folder / "bands.csv");
    if (!bands) {
        return std::unexpected(bands.error());
    }
    if (auto read = readBands(*bands, byName); !read) {
        return std::unexpected(read.error());
    }
    for (const StoredAnalysis& stored : result.analysed) {
        const auto& entry = stored.runJsonEntry;
        if (entry.value("lanes", std::size_t{0}) != stored.analysis.lanes.size() ||
            entry.value("bands", std::size_t{0}) != stored.analysis.bands.size()) {
            return bad(fmt::format("image {}: run.json counts {} lanes and {} bands, lanes.csv "
                                   "and bands.csv hold {} and {}",
                                   stored.imageName, entry.value("lanes", std::size_t{0}),
                                   entry.value("bands", std::size_t{0}),
                                   stored.analysis.lanes.size(), stored.analysis.bands.size()));
        }
    }
    return result;
}

namespace {

/// One quantify run in progress.
class Quantify {
public:
    Quantify(const QuantifyRunOptions& options,
             const std::function<void(LogLevel, const std::string&)>& message)
        : m_options(options), m_message(message) {}

    QuantifyRunReport run();

private:
    void tell(LogLevel level, const std::string& text) const { m_messages.tell(level, text); }
    AnalysisRunStatus stop(AnalysisRunStatus status, Error problem) {
        return m_messages.stop(status, std::move(problem));
    }
    bool acceptsLayout(std::vector<Error> problems) {
        return m_messages.acceptsLayout(std::move(problems));
    }
    AnalysisRunStatus execute();

    const QuantifyRunOptions& m_options;
    const std::function<void(LogLevel, const std::string&)>& m_message;
    QuantifyRunReport m_report;
    RunMessages m_messages{m_message, m_report.problems};
};

AnalysisRunStatus Quantify::execute() {
    const auto start = std::chrono::steady_clock::now();
    for (const auto& folder : m_options.resultFolders) {
        std::error_code ec;
        if (std::filesystem::equivalent(folder, m_options.outDir, ec)) {
            return stop(AnalysisRunStatus::Refused,
                        {"", fmt::format("the output folder {} is the result folder {}; choose "
                                         "another so the shard's files stay as they are",
                                         m_options.outDir.string(), folder.string())});
        }
    }
    LayoutSettings layoutSettings;
    layoutSettings.control = m_options.control;
    layoutSettings.factors = m_options.factors;
    if (!m_options.panel.empty()) {
        auto panel = loadTargetPanel(m_options.panel);
        if (!panel) {
            return stop(AnalysisRunStatus::Refused, panel.error());
        }
        layoutSettings.panel = std::move(*panel);
    }
    auto layout = readLayout(m_options.blots, m_options.samples, layoutSettings);
    if (!layout) {
        acceptsLayout(std::move(layout.error()));
        return AnalysisRunStatus::Refused;
    }
    // A stain row integrates whole lanes from the image's pixels, which an analysis folder
    // does not keep (lanes.csv and bands.csv hold bands only).
    const auto stain =
        std::find_if(layout->blots.begin(), layout->blots.end(),
                     [](const BlotRow& row) { return row.measure == Measure::Stain; });
    if (stain != layout->blots.end()) {
        return stop(AnalysisRunStatus::Refused,
                    {m_options.blots.string(),
                     fmt::format("{} is a stain row: whole-lane stains are measured from the "
                                 "image's pixels, which analysis folders do not keep; quantify "
                                 "this layout with one analyze run",
                                 stain->image)});
    }
    for (const std::string& note : layout->notes) {
        tell(LogLevel::Info, note);
    }

    const std::string blotsSha256 = sha256Of(readWholeFile(m_options.blots).value_or(""));
    const std::string samplesSha256 = sha256Of(readWholeFile(m_options.samples).value_or(""));
    std::vector<ResultFolder> folders;
    std::map<std::string, std::filesystem::path> seen;
    std::vector<std::string> imageNames;
    for (const auto& path : m_options.resultFolders) {
        auto folder = readResultFolder(path);
        if (!folder) {
            return stop(AnalysisRunStatus::Refused, folder.error());
        }
        if (folder->blotsSha256 != blotsSha256 || folder->samplesSha256 != samplesSha256) {
            return stop(
                AnalysisRunStatus::Refused,
                {(path / "run.json").string(),
                 folder->blotsSha256.empty()
                     ? std::string("the images were analysed without layout sheets; the layout "
                                   "sets each image's lanes and strips, so analyse the shard "
                                   "with --blots, --samples and --shard")
                     : std::string("the images were analysed with other layout sheets (their "
                                   "SHA-256 differs from the --blots and --samples given)")});
        }
        for (const StoredAnalysis& stored : folder->analysed) {
            const auto [where, isNew] = seen.emplace(stored.imageName, path);
            if (!isNew) {
                return stop(
                    AnalysisRunStatus::Refused,
                    {"", fmt::format("image {} was analysed in both {} and {}; give each "
                                     "image to one shard",
                                     stored.imageName, where->second.string(), path.string())});
            }
            imageNames.push_back(stored.imageName);
        }
        for (const std::string& failed : folder->failedImages) {
            tell(LogLevel::Warning,
                 fmt::format("{}: failed in {} (see its run.json)", failed, path.string()));
            imageNames.push_back(failed);
        }
        folders.push_back(std::move(*folder));
    }
    std::vector<NamedAnalysis> named;
    for (const ResultFolder& folder : folders) {
        for (const StoredAnalysis& stored : folder.analysed) {
            named.push_back({stored.imageName, &stored.analysis});
        }
    }
    m_report.images = named.size();
    if (named.empty()) {
        return stop(AnalysisRunStatus::NothingDone,
                    {"", "the result folders hold no analysed image"});
    }
    tell(LogLevel::Info,
         fmt::format("quantifying {} analysed image{} from {} folder{}", named.size(),
                     named.size() == 1 ? "" : "s", folders.size(), folders.size() == 1 ? "" : "s"));

    // The same checks and steps as an analyze run after its images (analysis_run.cpp).
    if (!acceptsLayout(checkLayoutAgainstAnalyses(*layout, named, imageNames))) {
        return AnalysisRunStatus::Refused;
    }
    auto outcome =
        analyzeExperiment(*layout, named, {m_options.exclude, m_options.normalizerOrder});
    if (!outcome) {
        return stop(AnalysisRunStatus::Refused, outcome.error());
    }
    m_report.experiment = std::move(*outcome);
    const auto outputs = analysisOutputFiles(named, &*m_report.experiment, m_options.output);
    for (const std::string& warning : m_report.experiment->warnings) {
        tell(LogLevel::Warning, warning);
    }
    if (!outputs) {
        return stop(AnalysisRunStatus::NothingDone, outputs.error());
    }

    std::error_code ec;
    std::filesystem::create_directories(m_options.outDir, ec);
    if (ec) {
        return stop(
            AnalysisRunStatus::NothingDone,
            {m_options.outDir.string(), "the output folder cannot be created: " + ec.message()});
    }
    for (const auto& [file, text] : *outputs) {
        const std::filesystem::path path = m_options.outDir / file;
        if (path.parent_path() != m_options.outDir) {
            std::filesystem::create_directories(path.parent_path(), ec);
            if (ec) {
                return stop(AnalysisRunStatus::NothingDone,
                            {path.parent_path().string(),
                             "the output folder cannot be created: " + ec.message()});
            }
        }
        if (auto written = writeFileAtomically(path, text); !written) {
            return stop(AnalysisRunStatus::NothingDone, written.error());
        }
    }

    nlohmann::json inputs = nlohmann::json::array();
    nlohmann::json failed = nlohmann::json::array();
    nlohmann::json results = nlohmann::json::array();
    for (const ResultFolder& folder : folders) {
        for (const StoredAnalysis& stored : folder.analysed) {
            nlohmann::json entry = stored.runJsonEntry;
            entry["result_folder"] = folder.folder.string();
            // As analyze marks an image whose ladder could not be read (a shard has no
            // layout's ladders to read, so its run.json cannot say so).
            const std::vector<std::string> doubts =
                calibrationDoubts(m_report.experiment->calibrations, stored.imageName);
            if (!doubts.empty()) {
                entry["needs_review"] = true;
                for (const std::string& doubt : doubts) {
                    entry["review_reasons"].push_back(doubt);
                }
            }
            inputs.push_back(std::move(entry));
        }
        for (const auto& entry : folder.failedEntries) {
            failed.push_back(entry);
        }
        results.push_back({{"folder", folder.folder.string()},
                           {"run_json_sha256", folder.runJsonSha256},
                           {"images", folder.analysed.size()}});
    }
    const nlohmann::json runJson = {
        {"densito_version", kVersion},
        {"command", "quantify"},
        {"parameters",
         {{"results", results},
          {"csv_bom", m_options.output.csvByteOrderMark},
          {"layout",
           {{"blots", m_options.blots.string()},
            {"blots_sha256", blotsSha256},
            {"samples", m_options.samples.string()},
            {"samples_sha256", samplesSha256},
            {"control", layout->control},
            {"factors", m_options.factors},
            {"panel", m_options.panel.empty() ? nlohmann::json(nullptr)
                                              : nlohmann::json(m_options.panel.string())},
            {"exclude", exclusionPolicyKinds(m_options.exclude)},
            {"normalizer_order", normalizerOrderText(m_options.normalizerOrder)},
            {"measured_bands", m_report.experiment->measuredBands},
            {"warnings", m_report.experiment->warnings}}}}},
        {"inputs", inputs},
        {"failed", failed},
        {"summary", {{"analysed", named.size()}, {"failed", failed.size()}}},
        {"timings",
         {{"total_seconds",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}}},
    };
    const auto runJsonPath = m_options.outDir / "run.json";
    std::string runText;
    try {
        runText = runJson.dump(2) + "\n";
    } catch (const nlohmann::json::exception& e) {
        return stop(AnalysisRunStatus::NothingDone,
                    {runJsonPath.string(), fmt::format("cannot be encoded: {}", e.what())});
    }
    if (auto written = writeFileAtomically(runJsonPath, runText); !written) {
        return stop(AnalysisRunStatus::NothingDone, written.error());
    }
    tell(LogLevel::Info,
         fmt::format("{} images quantified; wrote {}", named.size(), runJsonPath.string()));
    return AnalysisRunStatus::Ok;
}

QuantifyRunReport Quantify::run() {
    try {
        m_report.status = execute();
    } catch (const std::exception& e) {
        m_report.status =
            stop(AnalysisRunStatus::NothingDone,
                 {m_options.outDir.string(), fmt::format("the run failed: {}", e.what())});
    }
    return std::move(m_report);
}

} // namespace

QuantifyRunReport runQuantify(const QuantifyRunOptions& options,
                              const std::function<void(LogLevel, const std::string&)>& message) {
    return Quantify(options, message).run();
}

} // namespace densito
