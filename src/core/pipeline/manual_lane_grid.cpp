#include "core/pipeline/manual_lane_grid.h"

#include "core/detect/band_detector.h"
#include "core/detect/profile_tools.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <iterator>
#include <optional>
#include <utility>

namespace densito {
namespace {

/// Narrowest spacing of a grid: band detection profiles the central 60% of a lane, which
/// under 3 px is less than 2 columns.
constexpr double kMinPitchPx = 3.0;
/// Width over spacing when the strip has no lanes to take it from (see the header).
constexpr double kDefaultWidthOfPitch = 0.9;

const Strip* findStrip(const ImageGeometry& geometry, int index) {
    const auto found = std::find_if(geometry.strips.begin(), geometry.strips.end(),
                                    [&](const Strip& s) { return s.index == index; });
    return found == geometry.strips.end() ? nullptr : &*found;
}

std::vector<const Lane*> lanesOfStrip(const ImageGeometry& geometry, int strip) {
    std::vector<const Lane*> lanes;
    for (const Lane& lane : geometry.lanes) {
        if (lane.strip == strip) {
            lanes.push_back(&lane);
        }
    }
    std::sort(lanes.begin(), lanes.end(),
              [](const Lane* a, const Lane* b) { return a->xCenterPx < b->xCenterPx; });
    return lanes;
}

/// Median lane width over the median spacing of neighbouring centres, at most 1; nullopt
/// with fewer than two lanes (or lanes on top of each other).
std::optional<double> widthOfPitch(const std::vector<const Lane*>& lanes) {
    if (lanes.size() < 2) {
        return std::nullopt;
    }
    std::vector<double> widths;
    std::vector<double> spacings;
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        widths.push_back(lanes[i]->widthPx());
        if (i > 0) {
            spacings.push_back(lanes[i]->xCenterPx - lanes[i - 1]->xCenterPx);
        }
    }
    const double spacing = median(std::move(spacings));
    const double width = median(std::move(widths));
    if (!(spacing > 0.0) || !(width > 0.0)) {
        return std::nullopt;
    }
    return std::min(1.0, width / spacing);
}

/// The kind of the current lane nearest to `centre`, when it lies within `reach`.
LaneKind kindNear(const std::vector<const Lane*>& lanes, double centre, double reach) {
    const Lane* nearest = nullptr;
    for (const Lane* lane : lanes) {
        if (nearest == nullptr ||
            std::abs(lane->xCenterPx - centre) < std::abs(nearest->xCenterPx - centre)) {
            nearest = lane;
        }
    }
    return nearest != nullptr && std::abs(nearest->xCenterPx - centre) <= reach ? nearest->kind
                                                                                : LaneKind::Sample;
}

std::optional<Error> checkGrid(const ManualLaneGrid& grid, const Strip* strip) {
    if (strip == nullptr) {
        return Error{{}, fmt::format("the lane grid's strip {} does not exist", grid.strip)};
    }
    if (grid.laneCount < 2) {
        return Error{{},
                     fmt::format("a lane grid needs at least 2 lanes ({} given)", grid.laneCount)};
    }
    const double left = strip->region.x;
    const double right = strip->region.x + strip->region.width - 1;
    for (const double centre : {grid.firstCentrePx, grid.lastCentrePx}) {
        if (!(centre >= left && centre <= right)) {
            return Error{{},
                         fmt::format("a lane centre at x = {:.1f} lies outside strip {} "
                                     "(x = {} to {})",
                                     centre, grid.strip, left, right)};
        }
    }
    const double pitch = std::abs(grid.lastCentrePx - grid.firstCentrePx) / (grid.laneCount - 1);
    if (pitch < kMinPitchPx) {
        return Error{{},
                     fmt::format("{} lanes between x = {:.1f} and {:.1f} would be {:.1f} px "
                                 "apart; lanes need at least {} px",
                                 grid.laneCount, grid.firstCentrePx, grid.lastCentrePx, pitch,
                                 kMinPitchPx)};
    }
    return std::nullopt;
}

} // namespace

std::expected<std::vector<Lane>, Error> manualGridLanes(const ImageGeometry& geometry,
                                                        const ManualLaneGrid& grid) {
    const Strip* strip = findStrip(geometry, grid.strip);
    if (auto problem = checkGrid(grid, strip)) {
        return std::unexpected(std::move(*problem));
    }
    const std::vector<const Lane*> current = lanesOfStrip(geometry, grid.strip);
    const double first = std::min(grid.firstCentrePx, grid.lastCentrePx);
    const double last = std::max(grid.firstCentrePx, grid.lastCentrePx);
    const double pitch = (last - first) / (grid.laneCount - 1);
    const double width = pitch * widthOfPitch(current).value_or(kDefaultWidthOfPitch);
    std::vector<double> slopes;
    std::vector<double> middles;
    for (const Lane* lane : current) {
        slopes.push_back(lane->slope);
        middles.push_back(lane->yMiddlePx);
    }
    const cv::Rect& region = strip->region;
    const double stripRight = region.x + region.width - 1;
    std::vector<Lane> lanes;
    for (int k = 0; k < grid.laneCount; ++k) {
        Lane lane;
        lane.strip = grid.strip;
        lane.index = k + 1;
        // The last centre exactly where it was put, not first + (n-1) * pitch rounded.
        lane.xCenterPx = k + 1 == grid.laneCount ? last : first + k * pitch;
        lane.leftPx = std::max<double>(region.x, lane.xCenterPx - 0.5 * width);
        lane.rightPx = std::min(stripRight, lane.xCenterPx + 0.5 * width);
        lane.yMiddlePx = current.empty() ? region.y + 0.5 * (region.height - 1) : median(middles);
        lane.slope = current.empty() ? 0.0 : median(slopes);
        lane.isManual = true;
        lane.kind = kindNear(current, lane.xCenterPx, 0.25 * pitch);
        lane.confidence = 1.0;
        lanes.push_back(lane);
    }
    return lanes;
}

std::expected<ImageGeometry, Error> withManualLaneGrid(const cv::Mat& signal,
                                                       const ImageGeometry& geometry,
                                                       const ManualLaneGrid& grid) {
    auto lanes = manualGridLanes(geometry, grid);
    if (!lanes) {
        return std::unexpected(std::move(lanes.error()));
    }
    const Strip& strip = *findStrip(geometry, grid.strip);
    std::vector<BandGeometry> bands;
    for (const BandCandidate& candidate : detectBands(signal, strip, *lanes)) {
        bands.push_back({candidate, false});
    }
    ImageGeometry result = geometry;
    result.lanes.clear();
    result.bands.clear();
    // Lanes and bands stay ordered by strip (the order of geometry.strips), as detection
    // orders them.
    for (const Strip& each : geometry.strips) {
        if (each.index == grid.strip) {
            result.lanes.insert(result.lanes.end(), lanes->begin(), lanes->end());
            result.bands.insert(result.bands.end(), bands.begin(), bands.end());
            continue;
        }
        std::copy_if(geometry.lanes.begin(), geometry.lanes.end(), std::back_inserter(result.lanes),
                     [&](const Lane& lane) { return lane.strip == each.index; });
        std::copy_if(geometry.bands.begin(), geometry.bands.end(), std::back_inserter(result.bands),
                     [&](const BandGeometry& band) { return band.candidate.strip == each.index; });
    }
    resolveAutomaticBackground(result);
    return result;
}

} // namespace densito
