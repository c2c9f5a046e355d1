#include "core/io/project_file.h"

#include "core/analysis/csv_table.h"
#include "core/analysis/target_panel.h"
#include "core/io/atomic_file.h"
#include "core/io/sha256.h"
#include "core/version.h"

#include <array>
#include <climits>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <set>

namespace densito {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

// ---- Paths ---------------------------------------------------------------------------------

fs::path absoluteFolder(const fs::path& folder) {
    std::error_code error;
    fs::path absolute = fs::absolute(folder, error);
    if (error) {
        absolute = folder;
    }
    absolute = absolute.lexically_normal();
    // "a/b/" would compare as a folder with an empty last element.
    return absolute.has_filename() ? absolute : absolute.parent_path();
}

/// `path` relative to `folder` with '/' separators, or absolute when no relative path leads
/// there (another drive).
std::string storedPath(const fs::path& path, const fs::path& folder) {
    std::error_code error;
    const fs::path absolute = fs::absolute(path, error).lexically_normal();
    if (error) {
        return path.generic_string();
    }
    const fs::path relative = absolute.lexically_relative(absoluteFolder(folder));
    return relative.empty() ? absolute.generic_string() : relative.generic_string();
}

fs::path resolvedPath(const std::string& stored, const fs::path& folder) {
    return (absoluteFolder(folder) / fs::path(stored)).lexically_normal();
}

// ---- Sheet text ----------------------------------------------------------------------------

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64Encoded(std::string_view bytes) {
    std::string text;
    text.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t count = std::min<std::size_t>(3, bytes.size() - i);
        std::uint32_t group = 0;
        for (std::size_t k = 0; k < 3; ++k) {
            group <<= 8;
            if (k < count) {
                group |= static_cast<unsigned char>(bytes[i + k]);
            }
        }
        for (std::size_t k = 0; k < 4; ++k) {
            text += k <= count ? kBase64Alphabet[(group >> (18 - 6 * k)) & 0x3Fu] : '=';
        }
    }
    return text;
}

std::optional<std::string> base64Decoded(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::string bytes;
    bytes.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        std::uint32_t group = 0;
        int padding = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const char c = text[i + k];
            std::uint32_t value = 0;
            if (c == '=' && i + 4 == text.size() && k >= 2) {
                ++padding;
            } else if (const std::size_t at = kBase64Alphabet.find(c);
                       at != std::string_view::npos && padding == 0) {
                value = static_cast<std::uint32_t>(at);
            } else {
                return std::nullopt;
            }
            group = (group << 6) | value;
        }
        for (int k = 0; k < 3 - padding; ++k) {
            bytes += static_cast<char>((group >> (16 - 8 * k)) & 0xFFu);
        }
    }
    return bytes;
}

/// JSON strings must be UTF-8; a sheet saved by Excel in a Windows code page is not, and must
/// still come back byte for byte.
bool isUtf8(const std::string& text) {
    try {
        static_cast<void>(Json(text).dump());
        return true;
    } catch (const Json::type_error&) {
        return false;
    }
}

// ---- Writing -------------------------------------------------------------------------------

Json rectJson(const cv::Rect& rect) {
    return {{"x", rect.x}, {"y", rect.y}, {"width", rect.width}, {"height", rect.height}};
}

Json settingsJson(const AnalysisSettings& settings) {
    Json regions = Json::array();
    for (const cv::Rect& region : settings.stripRegions) {
        regions.push_back(rectJson(region));
    }
    Json lanesByStrip = Json::array();
    for (const auto& [strip, lanes] : settings.expectedLanesByStrip) {
        lanesByStrip.push_back({{"strip", strip}, {"lanes", lanes}});
    }
    Json settingsObject = {
        {"polarity", toString(settings.inspection.polarity)},
        {"page", settings.inspection.load.pageIndex + 1},
        {"max_pixels", settings.inspection.load.maxPixels},
        {"lanes", settings.expectedLanes},
        {"lanes_by_strip", lanesByStrip},
        {"strips", settings.expectedStrips},
        {"strip_regions", regions},
        {"background", toString(settings.background)},
    };
    // Only with a layout that names lanes, so projects without one keep their bytes.
    if (!settings.laneKindsByStrip.empty()) {
        Json kinds = Json::array();
        for (const auto& [strip, lanes] : settings.laneKindsByStrip) {
            for (const auto& [lane, kind] : lanes) {
                kinds.push_back({{"strip", strip},
                                 {"lane", lane},
                                 {"kind", kind == LaneKind::Ladder ? "ladder" : "sample"}});
            }
        }
        settingsObject["lane_kinds"] = kinds;
    }
    return settingsObject;
}

Json optionalNumber(const std::optional<double>& value) {
    return value ? Json(*value) : Json(nullptr);
}

Json geometryJson(const ImageGeometry& geometry) {
    Json strips = Json::array();
    for (const Strip& strip : geometry.strips) {
        Json json = rectJson(strip.region);
        json["index"] = strip.index;
        json["manual"] = strip.isManual;
        strips.push_back(std::move(json));
    }
    Json lanes = Json::array();
    for (const Lane& lane : geometry.lanes) {
        Json bend = Json::array();
        for (const LaneBendPoint& point : lane.bend) {
            bend.push_back({{"y", point.yPx}, {"dx", point.dxPx}});
        }
        lanes.push_back({{"strip", lane.strip},
                         {"index", lane.index},
                         {"x_center", lane.xCenterPx},
                         {"left", lane.leftPx},
                         {"right", lane.rightPx},
                         {"y_middle", lane.yMiddlePx},
                         {"slope", lane.slope},
                         {"bend", bend},
                         {"manual", lane.isManual},
                         {"kind", lane.kind == LaneKind::Ladder ? "ladder" : "sample"},
                         {"confidence", lane.confidence}});
    }
    Json bands = Json::array();
    for (const BandGeometry& band : geometry.bands) {
        const BandCandidate& c = band.candidate;
        bands.push_back({{"strip", c.strip},
                         {"lane", c.lane},
                         {"row", c.row},
                         {"peak_y", c.peakYPx},
                         {"top", c.topPx},
                         {"bottom", c.bottomPx},
                         {"overlapping", c.isOverlapping},
                         {"inferred", c.isInferred},
                         {"manual", band.isManual}});
    }
    return {
        {"strips", strips},
        {"lanes", lanes},
        {"bands", bands},
        {"automatic_background",
         {{"rolling_ball_radius", optionalNumber(geometry.automaticRollingBallRadiusPx)},
          {"border_median_width", optionalNumber(geometry.automaticBorderMedianWidthPx)}}},
        {"warnings", geometry.warnings},
        {"review_reasons", geometry.reviewReasons},
    };
}

void putSheet(Json& json, const std::string& key, const std::string& text) {
    if (isUtf8(text)) {
        json[key] = text;
    } else {
        json[key + "_base64"] = base64Encoded(text);
    }
}

Json layoutJson(const ProjectLayout& layout, const fs::path& folder) {
    Json json = {
        {"blots_file", layout.blotsFileName},
        {"samples_file", layout.samplesFileName},
        {"control", layout.control},
        {"panel",
         layout.panelPath.empty() ? Json(nullptr) : Json(storedPath(layout.panelPath, folder))},
        {"exclude", exclusionPolicyKinds(layout.exclude)},
        {"normalizer_order", normalizerOrderText(layout.normalizerOrder)},
    };
    if (!layout.factors.empty()) { // absent in projects without factors, as before they existed
        json["factors"] = layout.factors;
    }
    putSheet(json, "blots_csv", layout.blotsCsv);
    putSheet(json, "samples_csv", layout.samplesCsv);
    return json;
}

// ---- Reading -------------------------------------------------------------------------------

/// Thrown inside fromJson only, at the first field that is wrong; fromJson returns it.
struct InvalidField {
    std::string reason;
};

/// A JSON value with its place in the document, e.g. `images[2].geometry.lanes[0]`.
class Field {
public:
    Field(const Json& value, std::string path) : m_value(value), m_path(std::move(path)) {}

    const Json& value() const { return m_value; }
    const std::string& path() const { return m_path; }

    [[noreturn]] void fail(std::string_view problem) const {
        throw InvalidField{m_path.empty() ? std::string(problem)
                                          : fmt::format("{}: {}", m_path, problem)};
    }

    Field operator[](std::string_view key) const {
        if (!m_value.is_object()) {
            fail("expected an object");
        }
        const std::string child =
            m_path.empty() ? std::string(key) : fmt::format("{}.{}", m_path, key);
        const auto found = m_value.find(key);
        if (found == m_value.end()) {
            throw InvalidField{child + ": missing"};
        }
        return Field(*found, child);
    }

    bool has(std::string_view key) const { return m_value.is_object() && m_value.contains(key); }

    std::vector<Field> elements() const {
        if (!m_value.is_array()) {
            fail("expected a list");
        }
        std::vector<Field> elements;
        for (std::size_t i = 0; i < m_value.size(); ++i) {
            elements.emplace_back(m_value[i], fmt::format("{}[{}]", m_path, i));
        }
        return elements;
    }

    int wholeNumber(int minimum = INT_MIN) const {
        if (m_value.is_number_unsigned()) {
            const auto value = m_value.get<std::uint64_t>();
            if (value <= static_cast<std::uint64_t>(INT_MAX) &&
                static_cast<int>(value) >= minimum) {
                return static_cast<int>(value);
            }
        } else if (m_value.is_number_integer()) {
            const auto value = m_value.get<std::int64_t>();
            if (value >= minimum && value <= INT_MAX) {
                return static_cast<int>(value);
            }
        }
        fail(minimum == INT_MIN ? std::string("expected a whole number")
                                : fmt::format("expected a whole number from {}", minimum));
    }

    std::uint64_t count(std::uint64_t minimum) const {
        if (!m_value.is_number_unsigned() || m_value.get<std::uint64_t>() < minimum) {
            fail(fmt::format("expected a whole number from {}", minimum));
        }
        return m_value.get<std::uint64_t>();
    }

    double number() const {
        if (!m_value.is_number()) {
            fail("expected a number");
        }
        return m_value.get<double>();
    }

    std::optional<double> positiveNumberOrNull() const {
        if (m_value.is_null()) {
            return std::nullopt;
        }
        if (!m_value.is_number() || !(m_value.get<double>() > 0.0)) {
            fail("expected a positive number or null");
        }
        return m_value.get<double>();
    }

    std::string text() const {
        if (!m_value.is_string()) {
            fail("expected text");
        }
        return m_value.get<std::string>();
    }

    bool flag() const {
        if (!m_value.is_boolean()) {
            fail("expected true or false");
        }
        return m_value.get<bool>();
    }

private:
    const Json& m_value;
    std::string m_path;
};

cv::Rect readRect(const Field& field) {
    return {field["x"].wholeNumber(), field["y"].wholeNumber(), field["width"].wholeNumber(0),
            field["height"].wholeNumber(0)};
}

AnalysisSettings readSettings(const Field& field) {
    AnalysisSettings settings;
    const Field polarity = field["polarity"];
    const auto mode = parsePolarityMode(polarity.text());
    if (!mode) {
        polarity.fail("expected auto, light-bands or dark-bands");
    }
    settings.inspection.polarity = *mode;
    settings.inspection.load.pageIndex = field["page"].wholeNumber(1) - 1;
    settings.inspection.load.maxPixels = field["max_pixels"].count(1);
    settings.expectedLanes = field["lanes"].wholeNumber(0);
    for (const Field& entry : field["lanes_by_strip"].elements()) {
        const Field strip = entry["strip"];
        const int index = strip.wholeNumber(1);
        if (!settings.expectedLanesByStrip.emplace(index, entry["lanes"].wholeNumber(0)).second) {
            strip.fail(fmt::format("strip {} is listed twice", index));
        }
    }
    // Written only when a layout names lanes (settingsJson).
    if (field.has("lane_kinds")) {
        for (const Field& entry : field["lane_kinds"].elements()) {
            const int strip = entry["strip"].wholeNumber(1);
            const Field lane = entry["lane"];
            const int index = lane.wholeNumber(1);
            const Field kindField = entry["kind"];
            const std::string kind = kindField.text();
            if (kind != "sample" && kind != "ladder") {
                kindField.fail("expected sample or ladder");
            }
            if (!settings.laneKindsByStrip[strip]
                     .emplace(index, kind == "ladder" ? LaneKind::Ladder : LaneKind::Sample)
                     .second) {
                lane.fail(fmt::format("strip {} lane {} is listed twice", strip, index));
            }
        }
    }
    // Projects written before layouts could ask for strips have no "strips".
    settings.expectedStrips = field.has("strips") ? field["strips"].wholeNumber(0) : 0;
    for (const Field& region : field["strip_regions"].elements()) {
        settings.stripRegions.push_back(readRect(region));
    }
    const Field background = field["background"];
    const auto method = parseBackgroundMethod(background.text());
    if (!method) {
        background.fail(method.error());
    }
    settings.background = *method;
    return settings;
}

ImageGeometry readGeometry(const Field& field) {
    ImageGeometry geometry;
    for (const Field& entry : field["strips"].elements()) {
        // Projects written before strips could be placed by hand hold detected strips.
        const bool isManual = entry.has("manual") && entry["manual"].flag();
        geometry.strips.push_back({entry["index"].wholeNumber(1), readRect(entry), isManual});
    }
    for (const Field& entry : field["lanes"].elements()) {
        Lane lane;
        lane.strip = entry["strip"].wholeNumber(1);
        lane.index = entry["index"].wholeNumber(1);
        lane.xCenterPx = entry["x_center"].number();
        lane.leftPx = entry["left"].number();
        lane.rightPx = entry["right"].number();
        lane.yMiddlePx = entry["y_middle"].number();
        lane.slope = entry["slope"].number();
        for (const Field& point : entry["bend"].elements()) {
            lane.bend.push_back({point["y"].number(), point["dx"].number()});
        }
        lane.isManual = entry["manual"].flag();
        // Projects written before lanes had a kind and a confidence hold sample lanes.
        if (entry.has("kind")) {
            const std::string kind = entry["kind"].text();
            if (kind != "sample" && kind != "ladder") {
                entry["kind"].fail("expected \"sample\" or \"ladder\"");
            }
            lane.kind = kind == "ladder" ? LaneKind::Ladder : LaneKind::Sample;
        }
        if (entry.has("confidence")) {
            lane.confidence = entry["confidence"].number();
            if (!(lane.confidence >= 0.0 && lane.confidence <= 1.0)) {
                entry["confidence"].fail("expected a number from 0 to 1");
            }
        }
        geometry.lanes.push_back(std::move(lane));
    }
    for (const Field& entry : field["bands"].elements()) {
        BandGeometry band;
        band.candidate.strip = entry["strip"].wholeNumber(1);
        band.candidate.lane = entry["lane"].wholeNumber(1);
        band.candidate.row = entry["row"].wholeNumber(1);
        band.candidate.peakYPx = entry["peak_y"].number();
        band.candidate.topPx = entry["top"].wholeNumber();
        band.candidate.bottomPx = entry["bottom"].wholeNumber();
        band.candidate.isOverlapping = entry["overlapping"].flag();
        band.candidate.isInferred = entry["inferred"].flag();
        band.isManual = entry["manual"].flag();
        geometry.bands.push_back(band);
    }
    const Field automatic = field["automatic_background"];
    geometry.automaticRollingBallRadiusPx = automatic["rolling_ball_radius"].positiveNumberOrNull();
    geometry.automaticBorderMedianWidthPx = automatic["border_median_width"].positiveNumberOrNull();
    for (const Field& warning : field["warnings"].elements()) {
        geometry.warnings.push_back(warning.text());
    }
    if (field.has("review_reasons")) {
        for (const Field& reason : field["review_reasons"].elements()) {
            geometry.reviewReasons.push_back(reason.text());
        }
    }
    return geometry;
}

bool isSha256Hex(const std::string& text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

ProjectImage readImage(const Field& field, const fs::path& folder) {
    ProjectImage image;
    const Field path = field["path"];
    const std::string stored = path.text();
    if (stored.empty()) {
        path.fail("expected a file path");
    }
    image.path = resolvedPath(stored, folder);
    const Field sha256 = field["sha256"];
    image.sha256 = sha256.text();
    if (!isSha256Hex(image.sha256)) {
        sha256.fail("expected 64 lowercase hexadecimal digits");
    }
    image.sizeBytes = field["size_bytes"].count(0);
    image.settings = readSettings(field["settings"]);
    image.geometry = readGeometry(field["geometry"]);
    return image;
}

std::string readSheet(const Field& layout, const std::string& key) {
    if (layout.has(key + "_base64")) {
        const Field encoded = layout[key + "_base64"];
        const auto bytes = base64Decoded(encoded.text());
        if (!bytes) {
            encoded.fail("expected base64 text");
        }
        return *bytes;
    }
    return layout[key].text();
}

ProjectLayout readLayoutField(const Field& field, const fs::path& folder, int version) {
    ProjectLayout layout;
    layout.blotsFileName = field["blots_file"].text();
    layout.blotsCsv = readSheet(field, "blots_csv");
    layout.samplesFileName = field["samples_file"].text();
    layout.samplesCsv = readSheet(field, "samples_csv");
    layout.control = field["control"].text();
    const Field panel = field["panel"];
    if (!panel.value().is_null()) {
        const std::string stored = panel.text();
        if (stored.empty()) {
            panel.fail("expected a file path or null");
        }
        layout.panelPath = resolvedPath(stored, folder);
    }
    if (version == 1) {
        // Version 1 knew one switch: keep every flagged band, or leave all three kinds out.
        layout.exclude =
            field["keep_flagged"].flag()
                ? kKeepFlagged
                : ExclusionPolicy{.saturated = true, .weak = true, .outsideLinearRange = true};
    } else {
        std::vector<std::string> kinds;
        for (const Field& kind : field["exclude"].elements()) {
            kinds.push_back(kind.text());
        }
        const auto policy = parseExclusionPolicy(kinds);
        if (!policy) {
            field["exclude"].fail(policy.error());
        }
        layout.exclude = *policy;
    }
    if (version < 3) {
        // Saved before the order was a setting: ratios preferred loading over stain.
        layout.normalizerOrder = kLegacyNormalizerOrder;
    } else {
        const auto order = parseNormalizerOrder(field["normalizer_order"].text());
        if (!order) {
            field["normalizer_order"].fail(order.error());
        }
        layout.normalizerOrder = *order;
    }
    if (field.has("factors")) {
        for (const Field& factor : field["factors"].elements()) {
            layout.factors.push_back(factor.text());
        }
    }
    return layout;
}

Project readDocument(const Json& json, const fs::path& folder) {
    const Field root(json, "");
    if (!json.is_object()) {
        root.fail("not a Densito project (not a JSON object)");
    }
    if (!json.contains("format")) {
        root.fail(fmt::format("not a Densito project (no \"format\": \"{}\")", kProjectFormat));
    }
    if (!json["format"].is_string() || json["format"].get<std::string>() != kProjectFormat) {
        root.fail(fmt::format("not a Densito project (format {}, expected \"{}\")",
                              json["format"].dump(), kProjectFormat));
    }
    const int version = root["version"].wholeNumber();
    if (version > kProjectVersion) {
        root.fail(fmt::format("written in project format version {}, but this Densito ({}) "
                              "reads versions up to {}: open it with a newer Densito",
                              version, kVersion, kProjectVersion));
    }
    if (version < 1) {
        root["version"].fail(
            fmt::format("{} is not a project format version (the first is 1)", version));
    }
    Project project;
    project.settings = readSettings(root["settings"]);
    for (const Field& image : root["images"].elements()) {
        project.images.push_back(readImage(image, folder));
    }
    const Field layout = root["layout"];
    if (!layout.value().is_null()) {
        project.layout = readLayoutField(layout, folder, version);
    }
    if (root.has("history")) {
        for (const Field& entry : root["history"].elements()) {
            project.history.push_back({entry["time"].text(), entry["user"].text(),
                                       entry["image"].text(), entry["action"].text(),
                                       entry["old"].text(), entry["new"].text()});
        }
    }
    return project;
}

} // namespace

ProjectImage projectImageOf(const ImageResult& result, const AnalysisSettings& settings) {
    ProjectImage image;
    std::error_code error;
    image.path = fs::absolute(result.inspection.path, error).lexically_normal();
    if (error) {
        image.path = result.inspection.path;
    }
    image.sha256 = result.inspection.metadata.sha256;
    image.sizeBytes = result.inspection.metadata.fileSizeBytes;
    image.settings = settings;
    image.geometry = result.geometry;
    return image;
}

nlohmann::json toJson(const Project& project, const fs::path& projectFolder) {
    Json images = Json::array();
    for (const ProjectImage& image : project.images) {
        images.push_back({{"path", storedPath(image.path, projectFolder)},
                          {"sha256", image.sha256},
                          {"size_bytes", image.sizeBytes},
                          {"settings", settingsJson(image.settings)},
                          {"geometry", geometryJson(image.geometry)}});
    }
    return {
        {"format", kProjectFormat},
        {"version", kProjectVersion},
        {"written_by", fmt::format("Densito {}", kVersion)},
        {"settings", settingsJson(project.settings)},
        {"images", images},
        {"layout", project.layout ? layoutJson(*project.layout, projectFolder) : Json(nullptr)},
        {"history", historyToJson(project.history)},
    };
}

std::expected<Project, Error> fromJson(const nlohmann::json& json, const fs::path& projectFolder,
                                       const std::string& fileName) {
    try {
        return readDocument(json, projectFolder);
    } catch (const InvalidField& invalid) {
        return std::unexpected(Error{fileName, invalid.reason});
    } catch (const std::exception& e) {
        return std::unexpected(Error{fileName, fmt::format("cannot be read: {}", e.what())});
    }
}

std::expected<Project, Error> readProject(const fs::path& path) {
    return readProject(path, fs::absolute(path).parent_path(), path.filename().string());
}

std::expected<Project, Error> readProject(const fs::path& path, const fs::path& projectFolder,
                                          const std::string& name) {
    try {
        std::error_code error;
        if (!fs::exists(path, error)) {
            return std::unexpected(Error{name, "not found"});
        }
        const auto bytes = readWholeFile(path);
        if (!bytes) {
            return std::unexpected(Error{name, bytes.error()});
        }
        Json json;
        try {
            json = Json::parse(*bytes);
        } catch (const Json::parse_error& e) {
            // nlohmann's text: "[json.exception.parse_error.101] parse error at line 3, ..."
            const std::string what = e.what();
            const std::size_t tagEnd = what.find("] ");
            return std::unexpected(
                Error{name, "not a Densito project: not valid JSON: " +
                                (tagEnd == std::string::npos ? what : what.substr(tagEnd + 2))});
        }
        auto project = fromJson(json, absoluteFolder(projectFolder), name);
        if (project) {
            project->imageIssues = checkImageFiles(*project, name);
        }
        return project;
    } catch (const std::exception& e) {
        return std::unexpected(Error{name, fmt::format("cannot be read: {}", e.what())});
    }
}

std::expected<void, Error> writeProject(const Project& project, const fs::path& path) {
    const std::string name = path.filename().string();
    try {
        const fs::path target = fs::absolute(path);
        const fs::path folder = target.parent_path();
        // Sheets that are not UTF-8 are in base64 already; any other such text (a path) is
        // written with U+FFFD rather than not at all.
        const std::string text =
            toJson(project, folder).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
        // Read back before writing: a non-finite number is written as null, and a file that
        // cannot be opened again must not replace one that can.
        if (const auto check = fromJson(Json::parse(text), folder, name); !check) {
            return std::unexpected(Error{name, "not saved: " + check.error().reason});
        }
        std::error_code error;
        if (fs::exists(target, error)) {
            const fs::path backup = fs::path(target.string() + ".bak");
            const auto previous = readWholeFile(target);
            if (!previous) {
                return std::unexpected(
                    Error{name, fmt::format("not saved: the previous version {}, so it could not "
                                            "be kept as {}",
                                            previous.error(), backup.filename().string())});
            }
            if (auto kept = writeFileAtomically(backup, *previous); !kept) {
                return std::unexpected(
                    Error{name, fmt::format("not saved: the previous version could not be kept "
                                            "as {}: {}",
                                            backup.filename().string(), kept.error().reason)});
            }
        }
        return writeFileAtomically(target, text);
    } catch (const std::exception& e) {
        return std::unexpected(Error{name, fmt::format("not saved: {}", e.what())});
    }
}

std::vector<ImageFileIssue> checkImageFiles(const Project& project, const std::string& fileName) {
    std::vector<ImageFileIssue> issues;
    for (std::size_t i = 0; i < project.images.size(); ++i) {
        const ProjectImage& image = project.images[i];
        auto report = [&](ImageFileProblem problem, const std::string& what) {
            issues.push_back(
                {i, problem,
                 fmt::format("{}: images[{}]: {}: {}", fileName, i, image.path.string(), what)});
        };
        std::error_code error;
        if (!fs::is_regular_file(image.path, error)) {
            report(ImageFileProblem::Missing, "not found");
            continue;
        }
        const auto bytes = readWholeFile(image.path);
        if (!bytes) {
            report(ImageFileProblem::Unreadable, bytes.error());
            continue;
        }
        if (bytes->size() != image.sizeBytes) {
            report(ImageFileProblem::Changed,
                   fmt::format("changed since the project was saved ({} bytes, saved with {})",
                               bytes->size(), image.sizeBytes));
            continue;
        }
        const std::string sha256 = sha256Hex(
            std::span(reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()));
        if (sha256 != image.sha256) {
            report(ImageFileProblem::Changed,
                   fmt::format("changed since the project was saved (SHA-256 {}, saved with {})",
                               sha256, image.sha256));
        }
    }
    return issues;
}

std::expected<Layout, std::vector<Error>> parseProjectLayout(const ProjectLayout& layout) {
    LayoutSettings settings;
    settings.control = layout.control;
    settings.factors = layout.factors;
    std::vector<Error> problems;
    if (!layout.panelPath.empty()) {
        auto panel = loadTargetPanel(layout.panelPath);
        if (panel) {
            settings.panel = std::move(*panel);
        } else {
            problems.push_back(panel.error());
        }
    }
    auto blots = parseCsv(layout.blotsCsv, layout.blotsFileName);
    auto samples = parseCsv(layout.samplesCsv, layout.samplesFileName);
    for (const auto* sheet : {&blots, &samples}) {
        if (!*sheet) {
            problems.push_back(sheet->error());
        }
    }
    if (!problems.empty()) {
        return std::unexpected(std::move(problems));
    }
    return parseLayout(*blots, *samples, settings);
}

} // namespace densito
