#include "core/io/run_record.h"

#include "core/version.h"

#include <cmath>

namespace densito {
namespace {

nlohmann::json finiteOrNull(double value) {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

nlohmann::json optionalNumber(const std::optional<double>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

} // namespace

nlohmann::json toJson(const ImageInspection& inspection) {
    const ImageMetadata& meta = inspection.metadata;
    const SignalModel& signal = inspection.signal;
    nlohmann::json json = {
        {"file", inspection.path.filename().string()},
        {"path", inspection.path.string()},
        {"sha256", meta.sha256},
        {"size_bytes", meta.fileSizeBytes},
        {"format", toString(meta.format)},
        {"width", meta.width},
        {"height", meta.height},
        {"bit_depth", meta.bitsPerSample},
        {"sample_kind", meta.sampleKind == SampleKind::Float ? "float" : "unsigned"},
        {"samples_per_pixel", meta.samplesPerPixel},
        {"pages", meta.pageCount},
        {"page", meta.pageIndex + 1},
        {"photometric", toString(meta.photometric)},
        {"compression", meta.compression},
        {"tiled", meta.tiled},
        {"big_endian", meta.bigEndian},
        {"lossy", meta.lossy},
        {"resolution",
         {{"x", optionalNumber(meta.xResolution)},
          {"y", optionalNumber(meta.yResolution)},
          {"unit", meta.resolutionUnit}}},
        {"software", meta.software},
        {"make", meta.make},
        {"model", meta.model},
        {"description", meta.description},
        {"date_time", meta.dateTime},
        {"polarity", toString(signal.polarity)},
        {"polarity_source", signal.isPolarityFromPixels ? "pixels" : "user"},
        {"polarity_score", signal.isPolarityFromPixels ? nlohmann::json(signal.polarityScore)
                                                       : nlohmann::json(nullptr)},
        {"saturation_level", finiteOrNull(signal.saturationRaw)},
        {"saturation_source", signal.saturationSource},
        {"saturated_pixels", signal.saturatedPixels},
        {"warnings", inspection.warnings},
        {"seconds", inspection.seconds},
    };
    return json;
}

nlohmann::json toJson(const RunRecord& record) {
    nlohmann::json inputs = nlohmann::json::array();
    for (std::size_t i = 0; i < record.inputs.size(); ++i) {
        nlohmann::json input = toJson(record.inputs[i]);
        if (i < record.inputDetails.size()) {
            input.update(record.inputDetails[i]);
        }
        inputs.push_back(std::move(input));
    }
    nlohmann::json failed = nlohmann::json::array();
    for (const auto& failure : record.failed) {
        failed.push_back({{"file", failure.path.filename().string()},
                          {"path", failure.path.string()},
                          {"error", failure.error.reason}});
    }
    return {
        {"densito_version", kVersion},
        {"command", record.command},
        {"parameters", record.parameters},
        {"inputs", inputs},
        {"failed", failed},
        {"summary",
         {{"analysed", record.inputs.size()},
          {"failed", record.failed.size()},
          {"not_started", record.notStarted},
          {"interrupted", record.isInterrupted}}},
        {"timings", {{"total_seconds", record.totalSeconds}}},
    };
}

} // namespace densito
