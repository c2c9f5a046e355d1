#pragma once

#include "core/measure/blot_analysis.h"

#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace densito {

/// A band found in a lane, before measurement: its row and its extent along the lane.
struct BandCandidate {
    int strip = 1;
    int lane = 1; ///< Lane::index
    int row = 1;  ///< band row across the strip's lanes, 1-based top to bottom
    double peakYPx = 0.0;
    int topPx = 0;              ///< first row of the band (inclusive)
    int bottomPx = 0;           ///< last row of the band (inclusive)
    bool isOverlapping = false; ///< an extent ends at a valley shared with a neighbour
    /// Found only at the lower threshold (3 sigmas) a band row allows where it crosses the lane.
    bool isInferred = false;
};

/// Finds bands per lane at full resolution, so "smile" and tilt are followed lane by lane.
/// Each lane's profile is the mean signal over the central 60% of the lane (following its
/// tilt), minus a flat-bar opening baseline 1.5 lane widths long. Peaks need a prominence of
/// 5 noise sigmas (sigma from the profile's first differences) and 1% of the lane's highest.
/// Extents run until the smoothed profile drops to 2 sigma or 2% of the peak, or to a valley
/// (then the band is marked overlapping). Peaks more than three times as wide (at half height)
/// as the strip's clear bands are broad humps of background, not bands, and are dropped. Peaks of
/// neighbouring lanes are chained into band rows (nearest within half a band height plus 6 px); in
/// the other lanes of a row found in at least half the lanes, a peak of 3 sigmas within the row's
/// typical extent around its interpolated position is taken as the row's band: a faint band is
/// found, an empty lane or a smear gets none.
std::vector<BandCandidate> detectBands(const cv::Mat& signal, const Strip& strip,
                                       const std::vector<Lane>& lanes);

/// The mean signal of a lane's central part per image row of its strip (index 0 = the
/// strip's first row); `fraction` is the share of the lane width used, centred on the lane.
std::vector<double> laneProfile(const cv::Mat& signal, const Strip& strip, const Lane& lane,
                                double fraction);

} // namespace densito
