#pragma once

#include "core/detect/detection_map.h"
#include "core/measure/blot_analysis.h"

#include <string>
#include <vector>

namespace densito {

struct LaneDetectionOptions {
    int expectedLanes = 0; ///< from --lanes or the layout; 0 = decide from the image
};

/// The lanes of one strip and how sure detection is of them.
struct StripLanes {
    std::vector<Lane> lanes;
    double confidence = 0.0;                ///< in [0, 1]; also on each lane
    std::vector<std::string> reviewReasons; ///< why a person should look; empty when sure
};

/// Finds the lanes of one strip as one comb fitted to every band row of the reduced band map
/// at once (lane_grid.h: common pitch and width, the count by a penalised likelihood), so
/// lanes whose bands touch are still told apart by the rows and lanes that differ. Each lane
/// may then sit up to a quarter pitch off the comb where the bands say so; its edges are where
/// the column profile falls to 15% of the lane's height, never past the middle to a
/// neighbour. The lanes share the strip's tilt: the median over lanes of weighted lines
/// through the per-row centroids of their band signal; each lane may bend (smile). With an
/// expected
/// count, a lane with signal is never dropped (lane_detector.cpp, fitStripGrid). The
/// confidence is the weakest of: how clearly the pitch beats other spacings, how regular the
/// lanes are, how much of the band signal the lanes hold. Lanes are in original-image pixels.
StripLanes detectLanes(const DetectionMap& map, const Strip& strip,
                       const LaneDetectionOptions& options, std::vector<std::string>& warnings);

} // namespace densito
