#include "core/synth/synth_truth.h"

#include <fmt/format.h>
#include <string>

namespace densito {
namespace {

nlohmann::json sceneJson(const SynthScene& scene) {
    return {{"rotation_deg", scene.rotationDeg},
            {"smile_px", scene.smilePx},
            {"background_offset", scene.backgroundOffset},
            {"gain_counts_per_electron", scene.gainCountsPerElectron},
            {"read_noise_counts", scene.readNoiseCounts},
            {"noise_sigma_at_background", scene.noiseSigmaAtBackground},
            {"blotches", scene.blotches},
            {"dust_specks", scene.dustSpecks},
            {"hot_pixels", scene.hotPixels}};
}

/// Reads fields of one JSON object, remembering the first problem.
class FieldReader {
public:
    FieldReader(const nlohmann::json& object, std::string where, std::string& problem)
        : m_object(object), m_where(std::move(where)), m_problem(problem) {}

    template <typename T> T get(const char* key) {
        if (!m_problem.empty()) {
            return T{};
        }
        if (!m_object.is_object() || !m_object.contains(key)) {
            m_problem = fmt::format("{}{} is missing", m_where, key);
            return T{};
        }
        try {
            return m_object.at(key).get<T>();
        } catch (const nlohmann::json::exception&) {
            m_problem = fmt::format("{}{} has the wrong type", m_where, key);
            return T{};
        }
    }
    const nlohmann::json& child(const char* key) {
        static const nlohmann::json empty;
        if (m_problem.empty() && (!m_object.is_object() || !m_object.contains(key))) {
            m_problem = fmt::format("{}{} is missing", m_where, key);
        }
        return m_problem.empty() ? m_object.at(key) : empty;
    }

private:
    const nlohmann::json& m_object;
    std::string m_where;
    std::string& m_problem;
};

} // namespace

nlohmann::json toTruthJson(const SyntheticBlot& blot) {
    nlohmann::json lanes = nlohmann::json::array();
    for (const auto& lane : blot.lanes) {
        lanes.push_back({{"index", lane.index},
                         {"x_center", lane.xCenterPx},
                         {"width", lane.widthPx},
                         {"left", lane.leftPx},
                         {"right", lane.rightPx}});
    }
    nlohmann::json bands = nlohmann::json::array();
    for (const auto& band : blot.bands) {
        bands.push_back({{"lane", band.lane},
                         {"row", band.row},
                         {"x_center", band.xCenterPx},
                         {"y_center", band.yCenterPx},
                         {"sigma_y", band.sigmaYPx},
                         {"tau_y", band.tauYPx},
                         {"width", band.widthPx},
                         {"volume", band.volume},
                         {"peak", band.peak},
                         {"saturated_pixels", band.saturatedPixels},
                         {"box",
                          {{"x", band.box.x},
                           {"y", band.box.y},
                           {"width", band.box.width},
                           {"height", band.box.height}}}});
    }
    const SynthParams& params = blot.params;
    return {{"format", kSynthTruthFormat},
            {"version", kSynthTruthVersion},
            {"seed", params.seed},
            {"profile", toString(params.profile)},
            {"polarity", toString(blot.polarity)},
            {"ideal", params.isIdeal},
            {"width", params.widthPx},
            {"height", params.heightPx},
            {"band_rows", params.bandRows},
            {"saturate", params.saturate.value_or(false)},
            {"saturation_level", blot.saturationLevel},
            {"background_mean", blot.backgroundMean},
            {"scene", sceneJson(blot.scene)},
            {"lanes", std::move(lanes)},
            {"bands", std::move(bands)}};
}

std::expected<SyntheticBlot, Error> synthTruthFromJson(const nlohmann::json& json) {
    std::string problem;
    FieldReader top(json, "", problem);
    SyntheticBlot blot;
    if (top.get<std::string>("format") != kSynthTruthFormat && problem.empty()) {
        problem = fmt::format("format is not {}", kSynthTruthFormat);
    }
    if (const int version = top.get<int>("version");
        problem.empty() && version != kSynthTruthVersion) {
        problem = fmt::format("version {} is not supported (this build reads {})", version,
                              kSynthTruthVersion);
    }
    SynthParams& params = blot.params;
    params.seed = top.get<std::uint64_t>("seed");
    const auto profile = parseSynthProfile(top.get<std::string>("profile"));
    const auto polarity = parsePolarityMode(top.get<std::string>("polarity"));
    if (problem.empty() && (!profile || !polarity || *polarity == PolarityMode::Auto)) {
        problem = "profile or polarity has an unknown value";
    }
    params.profile = profile.value_or(SynthProfile::Realistic);
    blot.polarity =
        polarity == PolarityMode::DarkBands ? Polarity::DarkBands : Polarity::LightBands;
    params.polarity = blot.polarity;
    params.isIdeal = top.get<bool>("ideal");
    params.widthPx = top.get<int>("width");
    params.heightPx = top.get<int>("height");
    params.bandRows = top.get<int>("band_rows");
    params.saturate = top.get<bool>("saturate");
    blot.saturationLevel = top.get<double>("saturation_level");
    blot.backgroundMean = top.get<double>("background_mean");

    FieldReader scene(top.child("scene"), "scene.", problem);
    blot.scene.rotationDeg = scene.get<double>("rotation_deg");
    blot.scene.smilePx = scene.get<double>("smile_px");
    blot.scene.backgroundOffset = scene.get<double>("background_offset");
    blot.scene.gainCountsPerElectron = scene.get<double>("gain_counts_per_electron");
    blot.scene.readNoiseCounts = scene.get<double>("read_noise_counts");
    blot.scene.noiseSigmaAtBackground = scene.get<double>("noise_sigma_at_background");
    blot.scene.blotches = scene.get<int>("blotches");
    blot.scene.dustSpecks = scene.get<int>("dust_specks");
    blot.scene.hotPixels = scene.get<int>("hot_pixels");

    const nlohmann::json& lanes = top.child("lanes");
    if (problem.empty() && !lanes.is_array()) {
        problem = "lanes is not an array";
    }
    for (std::size_t i = 0; problem.empty() && i < lanes.size(); ++i) {
        FieldReader field(lanes[i], fmt::format("lanes[{}].", i), problem);
        TrueLane lane;
        lane.index = field.get<int>("index");
        lane.xCenterPx = field.get<double>("x_center");
        lane.widthPx = field.get<double>("width");
        lane.leftPx = field.get<double>("left");
        lane.rightPx = field.get<double>("right");
        blot.lanes.push_back(lane);
    }
    params.lanes = static_cast<int>(blot.lanes.size());
    const nlohmann::json& bands = top.child("bands");
    if (problem.empty() && !bands.is_array()) {
        problem = "bands is not an array";
    }
    for (std::size_t i = 0; problem.empty() && i < bands.size(); ++i) {
        const std::string where = fmt::format("bands[{}].", i);
        FieldReader field(bands[i], where, problem);
        TrueBand band;
        band.lane = field.get<int>("lane");
        band.row = field.get<int>("row");
        band.xCenterPx = field.get<double>("x_center");
        band.yCenterPx = field.get<double>("y_center");
        band.sigmaYPx = field.get<double>("sigma_y");
        band.tauYPx = field.get<double>("tau_y");
        band.widthPx = field.get<double>("width");
        band.volume = field.get<double>("volume");
        band.peak = field.get<double>("peak");
        band.saturatedPixels = field.get<int>("saturated_pixels");
        FieldReader box(field.child("box"), where + "box.", problem);
        band.box = cv::Rect(box.get<int>("x"), box.get<int>("y"), box.get<int>("width"),
                            box.get<int>("height"));
        blot.bands.push_back(band);
    }
    if (!problem.empty()) {
        return std::unexpected(Error{"synthetic truth", problem});
    }
    return blot;
}

} // namespace densito
