#include "core/pipeline/image_geometry.h"

#include "core/detect/profile_tools.h"
#include "core/measure/band_measurer.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <tuple>

namespace densito {

bool operator==(const BandGeometry& a, const BandGeometry& b) {
    const BandCandidate& x = a.candidate;
    const BandCandidate& y = b.candidate;
    return a.isManual == b.isManual &&
           std::tie(x.strip, x.lane, x.row, x.peakYPx, x.topPx, x.bottomPx, x.isOverlapping,
                    x.isInferred) == std::tie(y.strip, y.lane, y.row, y.peakYPx, y.topPx,
                                              y.bottomPx, y.isOverlapping, y.isInferred);
}

std::vector<BandCandidate> candidatesOf(const ImageGeometry& geometry) {
    std::vector<BandCandidate> candidates;
    candidates.reserve(geometry.bands.size());
    for (const BandGeometry& band : geometry.bands) {
        candidates.push_back(band.candidate);
    }
    return candidates;
}

std::vector<BandCandidate> detectedCandidatesOf(const ImageGeometry& geometry) {
    std::vector<BandCandidate> candidates;
    for (const BandGeometry& band : geometry.bands) {
        if (!band.isManual) {
            candidates.push_back(band.candidate);
        }
    }
    return candidates;
}

void resolveAutomaticBackground(ImageGeometry& geometry) {
    const std::vector<BandCandidate> candidates = detectedCandidatesOf(geometry);
    geometry.automaticRollingBallRadiusPx =
        resolveBackgroundMethod({BackgroundKind::RollingBall, std::nullopt}, candidates)
            .parameterPx;
    geometry.automaticBorderMedianWidthPx =
        resolveBackgroundMethod({BackgroundKind::BorderMedian, std::nullopt}, candidates)
            .parameterPx;
}

ImageGeometry geometryOf(const BlotAnalysis& analysis) {
    ImageGeometry geometry;
    geometry.strips = analysis.strips;
    geometry.lanes = analysis.lanes;
    for (const Band& band : analysis.bands) {
        BandGeometry placed;
        placed.candidate.strip = band.strip;
        placed.candidate.lane = band.lane;
        placed.candidate.row = band.row;
        placed.candidate.peakYPx = band.peakYPx;
        placed.candidate.topPx = band.box.y;
        placed.candidate.bottomPx = band.box.y + band.box.height - 1;
        placed.candidate.isOverlapping = (band.flags & kBandOverlap) != 0;
        placed.candidate.isInferred = band.isInferred;
        placed.isManual = band.isManual;
        geometry.bands.push_back(placed);
    }
    geometry.reviewReasons = analysis.reviewReasons;
    resolveAutomaticBackground(geometry);
    return geometry;
}

std::size_t addManualBand(ImageGeometry& geometry, int strip, int lane, int topPx, int bottomPx) {
    BandGeometry added;
    added.candidate.strip = strip;
    added.candidate.lane = lane;
    added.candidate.topPx = std::min(topPx, bottomPx);
    added.candidate.bottomPx = std::max(topPx, bottomPx);
    added.candidate.peakYPx = 0.5 * (added.candidate.topPx + added.candidate.bottomPx);
    added.isManual = true;
    const double middle = added.candidate.peakYPx;

    // Each row of the strip: its median peak and median half-height, and whether this lane
    // already has a band in it.
    struct RowShape {
        std::vector<double> peaks;
        std::vector<double> halfHeights;
        bool isTakenInLane = false;
    };
    std::map<int, RowShape> rows;
    for (const BandGeometry& band : geometry.bands) {
        const BandCandidate& c = band.candidate;
        if (c.strip != strip) {
            continue;
        }
        RowShape& shape = rows[c.row];
        shape.peaks.push_back(c.peakYPx);
        shape.halfHeights.push_back(0.5 * (c.bottomPx - c.topPx + 1));
        shape.isTakenInLane = shape.isTakenInLane || c.lane == lane;
    }
    std::optional<int> joined;
    double nearest = 0.0;
    for (const auto& [row, shape] : rows) {
        const double distance = std::abs(median(shape.peaks) - middle);
        if (!shape.isTakenInLane && distance <= median(shape.halfHeights) &&
            (!joined || distance < nearest)) {
            joined = row;
            nearest = distance;
        }
    }
    if (joined) {
        added.candidate.row = *joined;
    } else {
        // A new row, numbered after the last row whose median peak lies above the band (row
        // numbers may have gaps where the user deleted bands).
        int above = 0;
        for (const auto& [row, shape] : rows) {
            if (median(shape.peaks) < middle) {
                above = std::max(above, row);
            }
        }
        added.candidate.row = above + 1;
        for (BandGeometry& band : geometry.bands) {
            if (band.candidate.strip == strip && band.candidate.row >= added.candidate.row) {
                ++band.candidate.row;
            }
        }
    }
    // Renumbering keeps the order of the rows, so sorting once with the new band is enough.
    geometry.bands.push_back(added);
    std::stable_sort(geometry.bands.begin(), geometry.bands.end(),
                     [](const BandGeometry& a, const BandGeometry& b) {
                         return std::tie(a.candidate.strip, a.candidate.lane, a.candidate.row) <
                                std::tie(b.candidate.strip, b.candidate.lane, b.candidate.row);
                     });
    const auto position = std::find(geometry.bands.begin(), geometry.bands.end(), added);
    return static_cast<std::size_t>(position - geometry.bands.begin());
}

std::size_t insertLane(ImageGeometry& geometry, Lane lane, std::optional<std::size_t> position) {
    auto& lanes = geometry.lanes;
    std::size_t at = 0;
    if (position) {
        at = std::min(*position, lanes.size());
    } else {
        // Lanes are kept by strip, then left to right: after the lanes of earlier strips and
        // those of this strip left of (or at) the new centre.
        while (at < lanes.size() &&
               (lanes[at].strip < lane.strip ||
                (lanes[at].strip == lane.strip && lanes[at].xCenterPx <= lane.xCenterPx))) {
            ++at;
        }
    }
    int index = 1;
    for (std::size_t i = at; i-- > 0;) {
        if (lanes[i].strip == lane.strip) {
            index = lanes[i].index + 1;
            break;
        }
    }
    for (Lane& other : lanes) {
        if (other.strip == lane.strip && other.index >= index) {
            ++other.index;
        }
    }
    for (BandGeometry& band : geometry.bands) {
        if (band.candidate.strip == lane.strip && band.candidate.lane >= index) {
            ++band.candidate.lane;
        }
    }
    lane.index = index;
    lanes.insert(lanes.begin() + static_cast<std::ptrdiff_t>(at), std::move(lane));
    return at;
}

void removeLane(ImageGeometry& geometry, std::size_t laneIndex) {
    if (laneIndex >= geometry.lanes.size()) {
        return;
    }
    const int strip = geometry.lanes[laneIndex].strip;
    const int index = geometry.lanes[laneIndex].index;
    geometry.lanes.erase(geometry.lanes.begin() + static_cast<std::ptrdiff_t>(laneIndex));
    std::erase_if(geometry.bands, [&](const BandGeometry& band) {
        return band.candidate.strip == strip && band.candidate.lane == index;
    });
    for (Lane& other : geometry.lanes) {
        if (other.strip == strip && other.index > index) {
            --other.index;
        }
    }
    for (BandGeometry& band : geometry.bands) {
        if (band.candidate.strip == strip && band.candidate.lane > index) {
            --band.candidate.lane;
        }
    }
}

} // namespace densito
