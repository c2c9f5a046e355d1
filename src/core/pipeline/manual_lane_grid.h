#pragma once

#include "core/error.h"
#include "core/measure/blot_analysis.h"
#include "core/pipeline/image_geometry.h"

#include <expected>
#include <opencv2/core/mat.hpp>
#include <vector>

namespace densito {

/// A strip's lanes as a person sets them, the way Image Lab does: the centres of the first
/// and the last lane and the number of lanes; the lanes in between are spaced equally.
/// Centres are original-image pixels (pixel centres, like Lane::xCenterPx) on the row where
/// the strip's lanes have their middle (Lane::yMiddlePx).
struct ManualLaneGrid {
    int strip = 1; ///< Strip::index
    double firstCentrePx = 0.0;
    double lastCentrePx = 0.0;
    int laneCount = 2; ///< 2 or more: a single lane is placed with insertLane

    friend bool operator==(const ManualLaneGrid&, const ManualLaneGrid&) = default;
};

/// The lanes of `grid` for its strip of `geometry`, left to right, numbered 1..laneCount and
/// marked manual, confidence 1 (placed by a person), straight (no bend).
///
/// - Centres: first + k * pitch, pitch = (last - first) / (laneCount - 1); the two centres may
///   be given in either order.
/// - Tilt and middle row: those of the strip's current lanes (their median; the detector
///   gives all lanes of a strip one tilt), else level through the strip's middle row.
/// - Width: the new pitch times the width-to-spacing ratio of the strip's current lanes (the
///   median lane width over the median distance between neighbouring centres, at most 1). The
///   detector fitted that ratio to this gel's bands (how much of each comb position they
///   fill); it carries over when the count is corrected. A strip with fewer than two lanes
///   has no ratio: 0.9 of the pitch. The detector's lanes on the real blots of
///   sample_blots/real are 0.94 of their spacing wide (median of 12 strips, 0.79 to 1.0), so
///   the box holds a band's whole width; a little less leaves a gap between neighbours that a
///   person can see. Edges are clipped to the strip, as the detector clips them.
/// - Kind: a lane takes the kind of the current lane nearest to it when that one's centre is
///   within a quarter of the new pitch (a ladder the detector recognised stays a ladder);
///   otherwise it is a sample lane.
///
/// Errors: no such strip; fewer than 2 lanes; a centre outside the strip; lanes closer than
/// 3 px (band detection profiles the central 60% of a lane: under 2 columns).
std::expected<std::vector<Lane>, Error> manualGridLanes(const ImageGeometry& geometry,
                                                        const ManualLaneGrid& grid);

/// `geometry` with the lanes of `grid`'s strip replaced by manualGridLanes() and that strip's
/// bands (manual ones too) detected again in them (detectBands on `signal`, bands positive,
/// CV_32FC1); the other strips keep their lanes and bands, their manual edits included. The
/// automatic background parameters are resolved again from the detected bands
/// (resolveAutomaticBackground); warnings and review reasons stay (a person clears those by saying
/// so). Pure and thread-safe.
std::expected<ImageGeometry, Error> withManualLaneGrid(const cv::Mat& signal,
                                                       const ImageGeometry& geometry,
                                                       const ManualLaneGrid& grid);

} // namespace densito
