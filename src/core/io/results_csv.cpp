#include "core/io/results_csv.h"

#include <cmath>
#include <fmt/format.h>

namespace densito {

std::string csvField(std::string_view text) {
    if (text.find_first_of(",\"\n") == std::string_view::npos) {
        return std::string(text);
    }
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"') {
            quoted += '"';
        }
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string csvOptionalNumber(const std::optional<double>& value) {
    return value ? csvNumber(*value) : std::string{};
}

std::string csvNumber(double value) {
    if (value == 0.0) {
        return "0";
    }
    if (!std::isfinite(value)) {
        return "NA";
    }
    return fmt::format("{}", value);
}

std::string lanesCsv(const std::vector<NamedAnalysis>& images) {
    std::string text = "image,lane,x_center,left,right,strip,kind,confidence\n";
    for (const NamedAnalysis& image : images) {
        for (const Lane& lane : image.analysis->lanes) {
            text += fmt::format("{},{},{},{},{},{},{},{}\n", csvField(image.imageName), lane.index,
                                csvNumber(lane.xCenterPx), csvNumber(lane.leftPx),
                                csvNumber(lane.rightPx), lane.strip,
                                lane.kind == LaneKind::Ladder ? "ladder" : "sample",
                                csvNumber(lane.confidence));
        }
    }
    return text;
}

std::optional<double> bandMassKda(const Band& band, std::string_view image,
                                  std::span<const StripCalibration> calibrations) {
    const StripCalibration* calibration = findCalibration(calibrations, image, band.strip);
    if (calibration == nullptr) {
        return std::nullopt;
    }
    return calibration->kdaAt(bandXPx(band), bandYPx(band));
}

std::string bandsCsv(const std::vector<NamedAnalysis>& images,
                     std::span<const StripCalibration> calibrations) {
    std::string text = "image,lane,band,x,y,width,height,volume,strip,background,peak,"
                       "saturated_pixels,snr,flags,mw_kda,peak_y\n";
    for (const NamedAnalysis& image : images) {
        for (const Band& band : image.analysis->bands) {
            std::optional<double> mass = bandMassKda(band, image.imageName, calibrations);
            if (mass) {
                // 0.1 kDa: finer than any ladder reads, coarse enough to stay stable.
                mass = std::round(*mass * 10.0) / 10.0;
            }
            text += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                                csvField(image.imageName), band.lane, band.row, band.box.x,
                                band.box.y, band.box.width, band.box.height, csvNumber(band.volume),
                                band.strip, csvNumber(band.backgroundVolume), csvNumber(band.peak),
                                band.saturatedPixels, csvNumber(band.snr),
                                csvField(bandFlagsText(band.flags)), csvOptionalNumber(mass),
                                csvNumber(band.peakYPx));
        }
    }
    return text;
}

} // namespace densito
