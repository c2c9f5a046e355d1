#pragma once

#include "core/detect/band_detector.h"
#include "core/image/signal.h"
#include "core/measure/background_method.h"
#include "core/measure/blot_analysis.h"

#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace densito {

/// The images a measurement reads; all full resolution, same size.
struct MeasurementInput {
    cv::Mat signal;    ///< CV_32FC1, bands positive
    cv::Mat raw;       ///< as stored, for saturation
    cv::Mat validMask; ///< CV_8UC1 or empty
    SignalModel signalModel;
    double noiseSigma = 0.0; ///< per-pixel background noise, signal units
    /// rollingBallBackground(signal, radius) for a rolling-ball method's radius when the caller
    /// keeps it between measurements (remeasure.h, MeasurementCache); empty = computed here.
    cv::Mat rollingBallImage;
};

/// The box of a lane's width centred on its centre line at image row centreYPx, over image
/// rows topPx..bottomPx (inclusive), clipped to `region`: columns round(centre - width / 2)
/// through round(centre + width / 2). measureBands boxes a band so at its peak row.
cv::Rect laneBox(const Lane& lane, double centreYPx, int topPx, int bottomPx,
                 const cv::Rect& region);

/// A box's rows as measureBands integrates them: (signal - background) and background, each
/// summed across the box, in signal units.
struct BoxRows {
    std::vector<double> net;
    std::vector<double> background;
    double volume = 0.0;           ///< sum of `net`, added up pixel by pixel
    double backgroundVolume = 0.0; ///< sum of `background`
    double peak = 0.0;             ///< largest (signal - background) of a pixel
    bool hasNoBorder = false; ///< border-median found no ring pixels: measured without background
};

/// Measures one box's rows by `method` (its parameter resolved; else 3 px for border-median),
/// as measureBands does for each band: `rollingBallImage` is the rolling-ball background of
/// the whole signal (subtracted whenever given, so empty unless rolling-ball), `otherBands` a
/// CV_8UC1 mask of every band box (border-median only), `strip` the box's strip
/// (lane-baseline only; none = no baseline). The box must lie inside `signal`. Thread-safe.
BoxRows measureBoxRows(const cv::Mat& signal, const cv::Mat& rollingBallImage,
                       const cv::Mat& otherBands, const cv::Rect& box, const Strip* strip,
                       const BackgroundMethod& method);

/// A background method with its automatic parameter resolved from the detected bands:
/// rolling-ball radius 1.5 median band heights (at least 10 px), border-median width 0.15
/// band heights (at least 2 px).
BackgroundMethod resolveBackgroundMethod(const BackgroundMethod& method,
                                         const std::vector<BandCandidate>& candidates);

/// Integrates each candidate band: box = the lane's width centred on the lane at the band's
/// peak, rows topPx..bottomPx. volume = sum over the box of (signal - background) in double,
/// never clipped per pixel, where the background is
/// - rolling-ball: the rolling-ball background image of the whole signal;
/// - lane-baseline: per band, the rubber-band baseline under the lane's row profile (the sum
///   of signal across the box's columns per row, over the strip's height), summed over the rows;
/// - border-median: the median of a ring `parameter` px wide around the box, other bands'
///   boxes left out, times the box area;
/// - none: zero.
/// Flags: saturated (raw at the saturation level), weak (snr < 3), edge (box on the strip or
/// image border), overlap (extent cut at a valley shared with a neighbour).
/// Doublets (two overlapping candidates of one lane whose extents meet at the valley between
/// them, in more than half of the lanes that hold both band rows): the two boxes are measured
/// together and the volume shared by a two-EMG fit to the rows (splitDoublets), in all those
/// lanes or none; such bands are flagged split (as well as overlap), their boxes unchanged.
/// Otherwise each band keeps its own box, cut at the valley.
std::vector<Band> measureBands(const MeasurementInput& input, const std::vector<Strip>& strips,
                               const std::vector<Lane>& lanes,
                               const std::vector<BandCandidate>& candidates,
                               const BackgroundMethod& method, std::vector<std::string>& warnings);

} // namespace densito
