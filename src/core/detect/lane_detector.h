#pragma once

#include "core/detect/detection_map.h"
#include "core/measure/blot_analysis.h"

#include <string>
#include <vector>

namespace densito {

struct LaneDetectionOptions {
    int expectedLanes = 0; ///< from --lanes or the layout; 0 = decide from the image
};

/// Finds the lanes of one strip from the column profile of the reduced band map (bands only:
/// the background, gradients and smears are already removed). Lane pitch is the spacing of
/// the profile's peaks (per grid step when all spacings are multiples of the smallest, else
/// the median), refined by its autocorrelation; lane centres are peaks of the profile smoothed by a
/// sixth of the pitch, at least 0.55 pitch apart, each dipping by 10% of its own height towards its
/// neighbours and reaching 3% of the highest; each edge is where the profile falls
/// to 15% of its lane's peak, or the valley towards the neighbour, whichever is nearer.
/// A lane's tilt is a weighted line through the per-row centroids of its band signal; lanes
/// with bands in one row only take the strip's median tilt. Without an expected count, faint
/// lanes are added where the lane grid says a lane should be and the profile rises there. With an
/// expected count, extra lanes (weakest first) are dropped or missing ones inserted at the lane
/// pitch in the widest gaps, with a warning. Lanes are in original-image pixels.
std::vector<Lane> detectLanes(const DetectionMap& map, const Strip& strip,
                              const LaneDetectionOptions& options,
                              std::vector<std::string>& warnings);

} // namespace densito
