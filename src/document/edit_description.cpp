#include "document/edit_description.h"

#include "core/image/signal.h"
#include "core/measure/background_method.h"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>
#include <vector>

namespace densito {
namespace {

/// Rows of a sheet: its lines less the header.
long sheetRows(const std::string& csv) {
    const long lines =
        std::count(csv.begin(), csv.end(), '\n') + (!csv.empty() && csv.back() != '\n' ? 1 : 0);
    return std::max(0L, lines - 1);
}

} // namespace

std::string describeLane(const Lane& lane) {
    return fmt::format("strip {} lane {}: x {:.1f} to {:.1f} px{}", lane.strip, lane.index,
                       lane.leftPx, lane.rightPx, lane.kind == LaneKind::Ladder ? ", ladder" : "");
}

std::string describeBand(const BandCandidate& band) {
    return fmt::format("strip {} lane {} row {}: y {} to {} px", band.strip, band.lane, band.row,
                       band.topPx, band.bottomPx);
}

std::string describeGeometry(const ImageGeometry& geometry) {
    std::map<int, int> lanesByStrip;
    for (const Strip& strip : geometry.strips) {
        lanesByStrip[strip.index] = 0;
    }
    for (const Lane& lane : geometry.lanes) {
        ++lanesByStrip[lane.strip];
    }
    std::vector<std::string> parts;
    for (const auto& [strip, lanes] : lanesByStrip) {
        parts.push_back(fmt::format("strip {}: {} lanes", strip, lanes));
    }
    parts.push_back(fmt::format("{} bands", geometry.bands.size()));
    return fmt::format("{}", fmt::join(parts, "; "));
}

std::string describeSettings(const AnalysisSettings& settings) {
    std::string lanes = settings.expectedLanes > 0 ? std::to_string(settings.expectedLanes)
                                                   : std::string("automatic");
    for (const auto& [strip, count] : settings.expectedLanesByStrip) {
        lanes += fmt::format(", strip {}: {}", strip, count);
    }
    std::string text = fmt::format(
        "background {}; lanes {}; polarity {}; page {}", toString(settings.background), lanes,
        toString(settings.inspection.polarity), settings.inspection.load.pageIndex + 1);
    if (!settings.stripRegions.empty()) {
        text += fmt::format("; {} strip regions given", settings.stripRegions.size());
    }
    return text;
}

std::string describeLayout(const std::optional<ProjectLayout>& layout) {
    if (!layout) {
        return "none";
    }
    std::string text = fmt::format("{} ({} rows), {} ({} rows)", layout->blotsFileName,
                                   sheetRows(layout->blotsCsv), layout->samplesFileName,
                                   sheetRows(layout->samplesCsv));
    if (!layout->control.empty()) {
        text += fmt::format(", control {}", layout->control);
    }
    if (!layout->factors.empty()) {
        text += fmt::format(", factors {}", fmt::join(layout->factors, ","));
    }
    return text;
}

} // namespace densito
