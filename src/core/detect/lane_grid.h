#pragma once

#include "core/detect/profile_tools.h"

#include <opencv2/core/mat.hpp>
#include <optional>
#include <vector>

namespace densito {

/// The lanes of one strip as one comb: lanes of a gel are cast by one comb, so their centres
/// lie on a grid (first centre + k * pitch) and they share one width. Reduced pixels, relative
/// to the strip's band-map crop.
struct LaneGrid {
    double pitch = 0.0;
    double width = 0.0;           ///< the box width that explains the lanes best
    std::vector<double> centres;  ///< each lane's centre, within an eighth of a pitch of the comb
    std::vector<double> evidence; ///< each lane's aligned signal over the end-lane threshold
    std::vector<bool> isLadder;   ///< a marker lane found beyond the sample lanes
    int lanesWithSignal = 0;      ///< lanes whose evidence exceeds 1
    double coverage = 0.0;        ///< share of the strip's band energy inside the lanes
    double irregularity = 0.0;    ///< median |lane centre - comb position| / pitch
    double periodicity = 0.0;     ///< how clearly the band edges repeat at the pitch (0-1)
    /// The comb position just beyond the first (last) lane holds a third of a typical lane's
    /// signal on the band rows but was left out.
    bool hasSignalLeftOfLanes = false;
    bool hasSignalRightOfLanes = false;
};

struct LaneGridOptions {
    int expectedLanes = 0;   ///< from the layout or --lanes; 0 = chosen from the image
    double pixelNoise = 0.0; ///< per-pixel noise sigma of the band map
};

/// Fits the comb to the band map of one strip (CV_32FC1, bands positive, background removed).
///
/// The rows are averaged in blocks (at most 96). The pitch is the fundamental repeat of the
/// band rows' horizontal changes (edge autocorrelation, first peak reaching 35% of the highest,
/// as in pitch detection): lanes' edges repeat, also where touching bands meet at a kink.
/// Around it, each comb (pitch, first centre, width) is scored as a model of the block rows in
/// which each lane box has one mean per block row and everything else lies at the pedestal:
/// minus half its Bayesian information criterion, the residual variance estimated from the
/// fit. The comb's lanes are the contiguous range of positions that maximises the sum of
/// (aligned amplitude - threshold): a lane counts when its bands lie on the strip's band rows
/// (cosine with the row pattern, smile allowed), span its box and reach 4 noise sigmas and 3%
/// of the strongest lane; an empty well between such lanes is bridged. The count is chosen
/// with the pitch at the fundamental, then pitch, centre and width are refined with the count
/// held. Each lane may then sit an eighth of a pitch off the comb. Without an expected count,
/// a ladder (5 or more separate bands in a lane at least 0.3 of a pitch wide) one or two
/// positions beyond either end joins the lanes, with the position between as an empty lane.
/// With an expected count, the window of that many lanes with the most aligned
/// signal is taken. Returns nothing when no lane carries signal.
std::optional<LaneGrid> fitLaneGrid(const cv::Mat& bands, const LaneGridOptions& options);

/// The band rows of a band map: its row profile (summed across, smoothed by a pixel) and the
/// peaks of that profile reaching a tenth of the most prominent one, top to bottom.
struct BandRowProfile {
    std::vector<double> profile;
    std::vector<ProfilePeak> rows;
};
BandRowProfile bandRowProfile(const cv::Mat& bands);

/// The typical height of the bands in a band map (pixels): the median width at half
/// prominence of its band rows (bandRowProfile); 0 when there is none.
double typicalBandHeight(const cv::Mat& bands);

} // namespace densito
