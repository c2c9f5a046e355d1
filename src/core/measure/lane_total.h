#pragma once

#include "core/image/signal.h"
#include "core/measure/blot_analysis.h"

#include <cstddef>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <span>

namespace densito {

/// The whole signal of one lane: what a total-protein stain (Ponceau S, stain-free, REVERT)
/// normalises by. Total-protein normalisation is defined on the lane's whole signal, not on
/// one band of it (Aldridge et al. 2008, J Neurosci Methods 172:250; LI-COR REVERT and
/// Bio-Rad Stain-Free handbooks), so one band that changes with treatment or saturates moves
/// it by its share of the lane only.
struct LaneTotal {
    double volume = 0.0;           ///< sum over the lane's pixels of (signal - background)
    double backgroundVolume = 0.0; ///< sum over the same pixels of the background
    int rows = 0;                  ///< image rows integrated
    int saturatedPixels = 0;       ///< lane pixels at the saturation level (raw)
    /// False when no row had membrane beside the lane (lanes touching, or a lane alone at
    /// the strip's edge): the volume is then the raw lane sum, without background.
    bool hasBackground = false;
};

/// Integrates lane `laneIndex` of `stripLanes` (the lanes of `strip`, left to right, in
/// original-image pixels) over image rows `rows` (inclusive; absent = the strip's rows),
/// clipped to the strip. Per row the lane's pixels are those of laneBox (its width centred on
/// its centre line at that row). The background is the membrane between lanes: per row the
/// median of the middle half of the gaps on both sides of the lane (to the neighbouring
/// lanes' edges, or as wide as the strip's median gap beyond an end lane), then a running
/// median over the rows within one lane width, so that it follows gradients down the lane
/// but not dust or spill-over from the neighbours. Rows without gap pixels take the nearest
/// row's level. `signal` is CV_32FC1, bands positive; `validMask` (CV_8UC1, optional) leaves
/// pixels outside the image content out of everything. Pure; thread-safe.
LaneTotal measureLaneTotal(const cv::Mat& signal, const cv::Mat& validMask,
                           const SignalModel& model, const Strip& strip,
                           std::span<const Lane> stripLanes, std::size_t laneIndex,
                           std::optional<std::pair<int, int>> rows);

} // namespace densito
