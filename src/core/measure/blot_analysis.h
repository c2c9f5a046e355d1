#pragma once

#include <cstdint>
#include <opencv2/core/types.hpp>
#include <string>
#include <vector>

namespace densito {

/// Quality flags of a measured band (bands.csv `flags`, `;`-separated in this order).
enum BandFlag : std::uint32_t {
    kBandSaturated = 1u << 0, ///< at least one pixel at the saturation level
    kBandWeak = 1u << 1,      ///< SNR below 3: not distinguishable from background noise
    kBandEdge = 1u << 2,      ///< the box touches its strip's or the image's edge
    kBandOverlap = 1u << 3,   ///< cut at a valley shared with a neighbouring band
    kBandSplit = 1u << 4,     ///< volume split from an overlapping neighbour by a peak fit
};

/// "saturated;weak;..." for the set flags, in the enum's order; empty when none.
std::string bandFlagsText(std::uint32_t flags);

/// One membrane strip: the part of the image that holds one membrane's lanes.
struct Strip {
    int index = 1;         ///< 1-based, top to bottom, then left to right
    cv::Rect region;       ///< in original-image pixels
    bool isManual = false; ///< drawn, moved or resized by a person

    friend bool operator==(const Strip&, const Strip&) = default;
};

/// Where a bent lane's centre line leaves its tilt line: `dxPx` to the right at row `yPx`.
struct LaneBendPoint {
    double yPx = 0.0;
    double dxPx = 0.0;

    friend bool operator==(const LaneBendPoint&, const LaneBendPoint&) = default;
};

/// What a lane holds: samples to quantify, or a molecular-weight ladder (never quantified as a
/// sample).
enum class LaneKind { Sample, Ladder };

/// One lane, in original-image pixels. The centre may tilt and bend: centreAt(y) = xCenterPx +
/// slope * (y - yMiddlePx) + the bend at y, so bands of a tilted or bent lane are boxed where
/// they are.
struct Lane {
    int strip = 1;
    int index = 1;          ///< 1-based, left to right within its strip
    double xCenterPx = 0.0; ///< at the vertical middle of the strip
    double leftPx = 0.0;    ///< lane edges at the vertical middle of the strip
    double rightPx = 0.0;
    double yMiddlePx = 0.0;
    double slope = 0.0; ///< dx/dy of the centre line
    /// Offsets from the tilt line by increasing y, linear between points and constant beyond
    /// the first and last; empty for a straight lane.
    std::vector<LaneBendPoint> bend;
    bool isManual = false;
    LaneKind kind = LaneKind::Sample;
    /// How sure detection is of this lane's strip's lanes, in [0, 1] (1 for lanes a person
    /// placed).
    double confidence = 1.0;

    double centreAt(double y) const { return xCenterPx + slope * (y - yMiddlePx) + bendAt(y); }
    double bendAt(double y) const;
    double widthPx() const { return rightPx - leftPx; }

    friend bool operator==(const Lane&, const Lane&) = default;
};

/// One measured band. `row` is the band row shared across the lanes of a strip (1-based,
/// top to bottom). Quantities are in signal units (bands positive, raw counts).
struct Band {
    int strip = 1;
    int lane = 1;
    int row = 1;
    cv::Rect box;                  ///< original-image pixels
    double peakYPx = 0.0;          ///< migration position of the band's maximum
    double volume = 0.0;           ///< sum over the box of (signal - background), never clipped
    double backgroundVolume = 0.0; ///< sum over the box of the background
    double peak = 0.0;             ///< largest (signal - background) in the box
    int areaPx = 0;
    int saturatedPixels = 0;
    double snr = 0.0; ///< volume / (noise sigma * sqrt(area))
    std::uint32_t flags = 0;
    bool isManual = false;
    bool isInferred = false; ///< found only at the lower threshold its band row allows
};

/// Everything detection and measurement found in one image.
struct BlotAnalysis {
    std::vector<Strip> strips;
    std::vector<Lane> lanes;      ///< by strip, then left to right
    std::vector<Band> bands;      ///< by strip, lane, row
    double noiseSigma = 0.0;      ///< per-pixel background noise, signal units
    std::string backgroundMethod; ///< as parsed and resolved, e.g. "rolling-ball:50"
    std::vector<std::string> warnings;
    bool needsReview = false;               ///< detection is unsure: a person should look
    std::vector<std::string> reviewReasons; ///< why, one sentence each
};

} // namespace densito
