#pragma once

#include "core/error.h"
#include "core/measure/background_method.h"
#include "core/measure/blot_analysis.h"

#include <cstddef>
#include <cstdint>
#include <expected>
#include <opencv2/core/mat.hpp>
#include <vector>

namespace densito {

/// The images a lane profile reads: those the analysis was measured in, full resolution.
struct LaneProfileInput {
    cv::Mat signal;    ///< CV_32FC1, bands positive
    cv::Mat validMask; ///< CV_8UC1, non-zero where the pixel is image content; or empty
    /// rollingBallBackground(signal, radius) of the method's radius when the caller keeps it
    /// (MeasurementCache); empty = computed here for a rolling-ball method, which takes about
    /// as long as measuring the whole image.
    cv::Mat rollingBallImage;
};

/// One measured band of the profiled lane, row by row as it was integrated.
struct LaneProfileBand {
    int row = 1;          ///< band row across the strip (Band::row)
    int topPx = 0;        ///< first image row of the band's box
    int bottomPx = 0;     ///< last image row of the band's box (inclusive)
    double peakYPx = 0.0; ///< image row of the band's maximum
    double volume = 0.0;  ///< Band::volume, as reported
    double backgroundVolume = 0.0;
    std::uint32_t flags = 0; ///< BandFlag bits
    /// Per row topPx..bottomPx: the signal summed across the band's box, and the background
    /// measureBands subtracted from that row (border-median: the ring median times the box
    /// width; lane-baseline: the baseline under the box's columns; rolling-ball: the ball's
    /// background summed across the box; none: zero).
    std::vector<double> signal;
    std::vector<double> background;
};

/// A lane's profile along the migration direction, its background and its bands' integrated
/// rows, for plotting how a lane was measured. Signal units throughout; rows are image rows.
///
/// How the area between `signal` and `background` relates to the volumes: for each band the
/// sum over its rows of (band.signal - band.background) equals band.volume (up to the
/// rounding of the summation order), because those rows are exactly what measureBands
/// integrated; bands flagged `split` are the exception, their volume being the share of the
/// two neighbouring boxes a peak fit gives. The lane's own rows follow its centre line row by
/// row, while a band's box is fixed at the lane's centre at the band's peak, so over a band's
/// rows the lane's `signal` equals band.signal exactly when the box spans the lane's columns in
/// each of those rows: always in a straight lane (no tilt, no bend); in a tilted or bent lane
/// the two can differ by the columns the centre line moves within the band's height.
struct LaneProfile {
    int strip = 1; ///< Strip::index of the lane
    int lane = 1;  ///< Lane::index within the strip
    int topPx = 0; ///< image row of element 0: the strip's first row
    /// Per row of the strip: the signal summed across the lane's width centred on the lane's
    /// centre line at that row (laneBox), clipped to the strip; zero where the lane leaves it.
    std::vector<double> signal;
    /// Per row, the background under `signal` by the method: rolling-ball, the ball's
    /// background summed across the same pixels; lane-baseline, the rubber-band baseline
    /// under `signal` over the strip (what measureBands subtracts); border-median, within a
    /// band's rows the band's ring median times the row's width and NaN elsewhere (the method
    /// has no background away from bands; the first band of the rows wins where boxes
    /// overlap); none, zero.
    std::vector<double> background;
    /// Per row: the lane pixels outside the image content (validMask zero). They are summed
    /// like any other, as measureBands sums them, so a non-zero count marks a row to distrust.
    std::vector<int> invalidPixels;
    std::vector<LaneProfileBand> bands; ///< the lane's measured bands, as in the analysis
    BackgroundMethod method;

    int bottomPx() const { return topPx + static_cast<int>(signal.size()) - 1; }
};

/// The profile of lane `laneIndex` (0-based, into analysis.lanes) of a measured analysis.
/// `method` must be the method the analysis was measured with, its parameter resolved
/// (parseBackgroundMethod(analysis.backgroundMethod)); without a parameter, rolling-ball uses
/// a 50 px radius and border-median a 3 px width, as measureBands does. Errors: lane index out
/// of range, a lane whose strip is not in the analysis or lies outside the image, a signal
/// that is not CV_32FC1, a mask or rolling-ball image of another size or type. Pure;
/// thread-safe.
std::expected<LaneProfile, Error> measureLaneProfile(const LaneProfileInput& input,
                                                     const BlotAnalysis& analysis,
                                                     std::size_t laneIndex,
                                                     const BackgroundMethod& method);

} // namespace densito
