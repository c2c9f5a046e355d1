#include "core/detect/lane_detector.h"

#include "core/detect/lane_checks.h"
#include "core/detect/lane_grid.h"
#include "core/detect/profile_tools.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <limits>
#include <numbers>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace densito {
namespace {

struct LaneCandidate {
    double centre = 0; ///< reduced pixels, relative to the strip's reduced box
    double left = 0;
    double right = 0;
    double strength = 0;
};

cv::Rect reducedBox(const DetectionMap& map, const cv::Rect& region) {
    const int x0 = static_cast<int>(std::floor(map.toReduced(region.x)));
    const int y0 = static_cast<int>(std::floor(map.toReduced(region.y)));
    const int x1 = static_cast<int>(std::ceil(map.toReduced(region.x + region.width - 1))) + 1;
    const int y1 = static_cast<int>(std::ceil(map.toReduced(region.y + region.height - 1))) + 1;
    return cv::Rect(cv::Point(x0, y0), cv::Point(x1, y1)) &
           cv::Rect(0, 0, map.bands.cols, map.bands.rows);
}

/// Where the profile falls to `level` walking from `from` towards `limit` (sub-pixel).
double edgeCrossing(const std::vector<double>& profile, int from, int limit, double level) {
    const int step = limit < from ? -1 : 1;
    for (int i = from; i != limit; i += step) {
        const double a = profile[static_cast<std::size_t>(i)];
        const double b = profile[static_cast<std::size_t>(i + step)];
        if (b <= level) {
            const double t = a > b ? (a - level) / (a - b) : 0.0;
            return i + step * std::clamp(t, 0.0, 1.0);
        }
    }
    return limit;
}

/// A bent lane's centre line, as offsets from its tilt line per horizontal segment (reduced
/// pixels; y at the segment's band-weighted middle). The strip is cut into segments of an
/// eighth of its height (at least 8 rows); in each, the centroid of the band map between the
/// lane's edges widened by a quarter of its width (never past the neighbours' edges) gives the
/// centre, where the segment holds at least a fifth of the lane's strongest segment's signal.
/// Offsets are smoothed by a running median of three; a lane is bent only where two
/// neighbouring segments leave the tilt line on the same side by more than 2 reduced pixels and
/// 5% of the lane width; otherwise it is straight (empty result).
std::vector<LaneBendPoint> estimateBend(const cv::Mat& bands, const LaneCandidate& lane,
                                        double slope, double yMiddle, double leftLimit,
                                        double rightLimit) {
    const int segment = std::max(8, bands.rows / 8);
    const double halfWidth = 0.5 * (lane.right - lane.left) * 1.5;
    std::vector<LaneBendPoint> points;
    std::vector<double> energies;
    for (int y0 = 0; y0 < bands.rows; y0 += segment) {
        const int y1 = std::min(bands.rows, y0 + segment);
        double energy = 0, momentX = 0, momentY = 0;
        for (int y = y0; y < y1; ++y) {
            const double centre = lane.centre + slope * (y - yMiddle);
            const int x0 =
                std::max({0, static_cast<int>(std::ceil(centre - halfWidth)),
                          static_cast<int>(std::ceil(leftLimit + slope * (y - yMiddle)))});
            const int x1 =
                std::min({bands.cols - 1, static_cast<int>(std::floor(centre + halfWidth)),
                          static_cast<int>(std::floor(rightLimit + slope * (y - yMiddle)))});
            const float* row = bands.ptr<float>(y);
            for (int x = x0; x <= x1; ++x) {
                const double w = static_cast<double>(row[x]);
                energy += w;
                momentX += w * (x - centre);
                momentY += w * y;
            }
        }
        if (energy > 0) {
            points.push_back({momentY / energy, momentX / energy});
            energies.push_back(energy);
        }
    }
    if (points.empty()) {
        return {};
    }
    const double strongest = *std::max_element(energies.begin(), energies.end());
    std::vector<LaneBendPoint> kept;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (energies[i] >= 0.2 * strongest) {
            kept.push_back(points[i]);
        }
    }
    // A bow: dx = a + b y + c y^2 by least squares over the segments (y centred and scaled to
    // [-1, 1]). Kept when the curvature stands 4 standard errors clear of zero and bows the
    // line by more than 2 reduced pixels and 5% of the lane width; else the lane is straight.
    if (kept.size() < 4) {
        return {};
    }
    const double yFirst = kept.front().yPx;
    const double yLast = kept.back().yPx;
    if (yLast <= yFirst) {
        return {};
    }
    auto scaled = [&](double y) {
        return (2.0 * y - yFirst - yLast) / (yLast - yFirst);
    };
    cv::Mat design(static_cast<int>(kept.size()), 3, CV_64F);
    cv::Mat offsets(static_cast<int>(kept.size()), 1, CV_64F);
    for (std::size_t i = 0; i < kept.size(); ++i) {
        const double t = scaled(kept[i].yPx);
        const int r = static_cast<int>(i);
        design.at<double>(r, 0) = 1.0;
        design.at<double>(r, 1) = t;
        design.at<double>(r, 2) = t * t;
        offsets.at<double>(r, 0) = kept[i].dxPx;
    }
    const cv::Mat normal = design.t() * design;
    cv::Mat inverse;
    if (cv::invert(normal, inverse, cv::DECOMP_SVD) <= 0) {
        return {};
    }
    const cv::Mat coefficients = inverse * design.t() * offsets;
    const cv::Mat residual = offsets - design * coefficients;
    const int freedom = static_cast<int>(kept.size()) - 3;
    const double variance =
        freedom > 0 ? residual.dot(residual) / freedom : std::numeric_limits<double>::infinity();
    const double curvature = coefficients.at<double>(2, 0);
    const double standardError = std::sqrt(std::max(variance, 1e-12) * inverse.at<double>(2, 2));
    // The bow's depth: how far the parabola leaves its chord between the ends (|c| for t in [-1,
    // 1]).
    const double threshold = std::max(2.0, 0.05 * (lane.right - lane.left));
    if (std::abs(curvature) < 4.0 * standardError || std::abs(curvature) < threshold) {
        return {};
    }
    std::vector<LaneBendPoint> bend;
    for (const LaneBendPoint& point : kept) {
        const double t = scaled(point.yPx);
        bend.push_back({point.yPx, coefficients.at<double>(0, 0) +
                                       coefficients.at<double>(1, 0) * t + curvature * t * t});
    }
    return bend;
}

/// The strip's band map with the background taken by a vertical bar three typical band heights
/// long (when that is shorter than the detection map's own bar): the opening keeps in the
/// background what is taller than that, so written labels, a membrane's rim, bubbles and smears
/// leave the band map, while bands up to three times the typical height (strong or saturated
/// bands, doublets) stay.
cv::Mat bandsAtBandHeight(const DetectionMap& map, const cv::Rect& box) {
    const cv::Mat bands = map.bands(box);
    const double height = typicalBandHeight(bands);
    const int mapBar = std::clamp((map.signal.rows / 12) | 1, 15, 101);
    const int bar = static_cast<int>(std::lround(3.0 * height)) | 1;
    if (height <= 0.0 || bar >= mapBar || bar < 5) {
        return bands;
    }
    cv::Mat background;
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, bar));
    cv::morphologyEx(map.signal(box), background, cv::MORPH_OPEN, kernel, cv::Point(-1, -1), 1,
                     cv::BORDER_REPLICATE);
    cv::Mat refined = map.signal(box) - background;
    refined = cv::max(refined, 0.0);
    refined.setTo(cv::Scalar(0.0), map.valid(box) == 0);
    return refined;
}

/// How sure the grid is, in [0, 1], and why not, one reason per doubt. Each measure maps to 1
/// when it is comfortably on the safe side and falls linearly to 0; the confidence is the
/// lowest of them (one doubt is enough to look).
double judgeGrid(const LaneGrid& grid, int stripIndex, std::vector<std::string>& reasons) {
    // The band rows' edges repeat at the pitch with an autocorrelation of 0.2 or more on clear
    // blots (0.3-0.75 on the real ones with visible gaps between lanes); touching bands and
    // texture bring it down to 0.1 and below, where the spacing rests on little evidence.
    const double pitchSure = std::clamp(grid.periodicity / 0.2, 0.0, 1.0);
    // Lanes of one comb sit within a few percent of a pitch of the grid; a median offset of
    // 15% of the pitch means the bands do not follow one comb.
    const double regular = std::clamp(1.0 - grid.irregularity / 0.15, 0.0, 1.0);
    // On a blot most band signal is in lanes; when less than half of it is, lanes are missing
    // or the strip holds other things (text, plots, bubbles, a second gel).
    const double covered = std::clamp(grid.coverage / 0.5, 0.0, 1.0);
    const double confidence = std::min({pitchSure, regular, covered});
    if (pitchSure < 0.5) {
        reasons.push_back(fmt::format(
            "strip {}: the lane edges barely repeat at one spacing (touching bands, smears or "
            "texture); check the lane count",
            stripIndex));
    }
    if (regular < 0.5) {
        reasons.push_back(fmt::format(
            "strip {}: the lanes do not follow one comb (median offset {:.0f}% of the pitch)",
            stripIndex, 100.0 * grid.irregularity));
    }
    if (grid.hasSignalLeftOfLanes || grid.hasSignalRightOfLanes) {
        reasons.push_back(fmt::format(
            "strip {}: band signal {} the lanes was left out (a lane unlike the others, a "
            "ladder, or a mark beside the gel); check the lane count",
            stripIndex,
            grid.hasSignalLeftOfLanes && grid.hasSignalRightOfLanes ? "on both sides of"
            : grid.hasSignalLeftOfLanes                             ? "left of"
                                                                    : "right of"));
    }
    if (covered < 0.5) {
        reasons.push_back(fmt::format(
            "strip {}: only {:.0f}% of the band signal lies inside the lanes (lanes missed, or "
            "smears, bubbles, text or a second gel in the strip)",
            stripIndex, 100.0 * grid.coverage));
    }
    return confidence;
}

/// Per lane of `grid`, the highest mean of the band map over the lane's box along one row.
std::vector<double> lanePeakRowMeans(const cv::Mat& bands, const LaneGrid& grid) {
    std::vector<double> peaks;
    for (const double centre : grid.centres) {
        const int from = std::max(0, static_cast<int>(std::lround(centre - 0.5 * grid.width)));
        const int to = std::min(bands.cols, from + std::max(1, static_cast<int>(grid.width)));
        double peak = 0.0;
        for (int y = 0; y < bands.rows && to > from; ++y) {
            const float* row = bands.ptr<float>(y);
            double sum = 0.0;
            for (int x = from; x < to; ++x) {
                sum += static_cast<double>(row[x]);
            }
            peak = std::max(peak, sum / (to - from));
        }
        peaks.push_back(peak);
    }
    return peaks;
}

/// Lane centres and the fitted grid: without an expected count the image alone decides. With
/// one, a lane that carries signal is never dropped: when the image shows more lanes with
/// signal than expected, all of them are kept and the strip is marked for review; when it
/// shows fewer, lanes are added on the lane grid (empty wells, in the window of the comb with
/// the most signal) and the strip is marked for review, as the wells could go either way.
std::optional<LaneGrid> fitStripGrid(const cv::Mat& bands, double pixelNoise, const Strip& strip,
                                     const LaneDetectionOptions& options, StripLanes& result,
                                     std::vector<std::string>& warnings) {
    LaneGridOptions gridOptions;
    gridOptions.pixelNoise = pixelNoise;
    std::optional<LaneGrid> free = fitLaneGrid(bands, gridOptions);
    const int expected = options.expectedLanes;
    if (expected <= 0) {
        return free;
    }
    const int shown = free ? free->lanesWithSignal : 0;
    if (free && static_cast<int>(free->centres.size()) > expected) {
        const std::string reason = fmt::format(
            "strip {}: {} lanes requested but the image shows {} lanes with signal; all {} kept "
            "(ladder lanes count as lanes)",
            strip.index, expected, free->centres.size(), free->centres.size());
        warnings.push_back(reason);
        result.reviewReasons.push_back(reason);
        return free;
    }
    gridOptions.expectedLanes = expected;
    std::optional<LaneGrid> fitted = fitLaneGrid(bands, gridOptions);
    if (!fitted) {
        const std::string reason =
            free ? fmt::format("strip {}: {} lanes requested but only {} fit on the strip at the "
                               "lane spacing the image shows; {} kept",
                               strip.index, expected, free->centres.size(), free->centres.size())
                 : fmt::format("strip {}: {} lanes requested but the image shows no lanes",
                               strip.index, expected);
        warnings.push_back(reason);
        result.reviewReasons.push_back(reason);
        return free;
    }
    if (free && static_cast<int>(free->centres.size()) < expected) {
        const bool samePitch = std::abs(std::log(fitted->pitch / free->pitch)) < std::log(1.05);
        // The lanes placed where the image alone shows none may still hold bands of their own
        // off those rows: a marker lane the layout counts (a ladder of fewer bands than
        // fitLaneGrid recognises). When every placed lane does, the image supports the layout's
        // count: said, not marked for review.
        std::vector<int> offRows;
        bool everyPlacedLaneHoldsBands = samePitch;
        const std::vector<double> peaks = lanePeakRowMeans(bands, *fitted);
        const double strongest =
            peaks.empty() ? 0.0 : *std::max_element(peaks.begin(), peaks.end());
        const double rowNoise = pixelNoise / std::sqrt(std::max(fitted->width, 1.0));
        for (std::size_t i = 0; i < fitted->centres.size() && everyPlacedLaneHoldsBands; ++i) {
            const bool isFree =
                std::any_of(free->centres.begin(), free->centres.end(), [&](double centre) {
                    return std::abs(centre - fitted->centres[i]) < 0.25 * fitted->pitch;
                });
            if (isFree) {
                continue;
            }
            // 5 noise sigmas of a row mean, and a tenth of the strongest lane: a marker is
            // loaded to be seen, while a neighbour's band edges reaching into an empty well's
            // box stay far below that.
            everyPlacedLaneHoldsBands = peaks[i] > 5.0 * rowNoise && peaks[i] > 0.1 * strongest;
            offRows.push_back(static_cast<int>(i) + 1);
        }
        if (everyPlacedLaneHoldsBands && !offRows.empty()) {
            warnings.push_back(fmt::format(
                "strip {}: {} lanes requested; {} show bands on the strip's band rows and lane{} "
                "{} hold{} bands off them (a marker ladder?)",
                strip.index, expected, shown, offRows.size() == 1 ? "" : "s",
                fmt::join(offRows, ", "), offRows.size() == 1 ? "s" : ""));
            return fitted;
        }
        const std::string reason =
            samePitch ? fmt::format("strip {}: {} lanes requested but the image shows {} lanes "
                                    "with signal; lanes without signal placed on the lane grid",
                                    strip.index, expected, shown)
                      : fmt::format("strip {}: {} lanes requested but the image shows {} lanes "
                                    "with signal at another spacing; lanes fitted to {}",
                                    strip.index, expected, shown, expected);
        warnings.push_back(reason);
        result.reviewReasons.push_back(reason);
    }
    return fitted;
}

} // namespace

StripLanes detectLanes(const DetectionMap& map, const Strip& strip,
                       const LaneDetectionOptions& options, std::vector<std::string>& warnings) {
    StripLanes result;
    const cv::Rect box = reducedBox(map, strip.region);
    if (box.width < 8 || box.height < 4) {
        const std::string reason =
            fmt::format("strip {}: too small to hold lanes ({}x{} px)", strip.index,
                        strip.region.width, strip.region.height);
        warnings.push_back(reason);
        result.reviewReasons.push_back(reason);
        return result;
    }
    const cv::Mat bands = bandsAtBandHeight(map, box);
    const std::optional<LaneGrid> grid =
        fitStripGrid(bands, map.pixelNoise, strip, options, result, warnings);
    if (!grid) {
        const std::string reason =
            fmt::format("strip {}: no lanes found (no band signal)", strip.index);
        warnings.push_back(reason);
        result.reviewReasons.push_back(reason);
        return result;
    }
    result.confidence = judgeGrid(*grid, strip.index, result.reviewReasons);
    if (!result.reviewReasons.empty()) {
        result.confidence = std::min(result.confidence, 0.5);
    }

    // Column profile of the band map (less its pedestal: the map is never negative, so noise
    // leaves one) for the lane edges.
    std::vector<double> columns(static_cast<std::size_t>(box.width), 0.0);
    for (int y = 0; y < bands.rows; ++y) {
        const float* row = bands.ptr<float>(y);
        for (int x = 0; x < bands.cols; ++x) {
            columns[static_cast<std::size_t>(x)] += static_cast<double>(row[x]);
        }
    }
    std::vector<double> sortedColumns = columns;
    std::sort(sortedColumns.begin(), sortedColumns.end());
    const double pedestal = sortedColumns[sortedColumns.size() / 10];
    for (double& c : columns) {
        c -= pedestal;
    }
    const std::vector<double> profile = gaussianSmooth(columns, 1.0);

    // When most sample lanes with signal each show two humps (showsTwoHumps), the comb caught
    // every second lane: the lanes are probably twice as many.
    {
        const double highest = *std::max_element(profile.begin(), profile.end());
        int withSignal = 0;
        int twoHumped = 0;
        for (std::size_t i = 0; i < grid->centres.size(); ++i) {
            if (grid->isLadder[i] || grid->evidence[i] <= 1.0) {
                continue;
            }
            ++withSignal;
            twoHumped += showsTwoHumps(profile, grid->centres[i], grid->pitch, highest) ? 1 : 0;
        }
        // The sample lanes at either end: their bands must be their own.
        std::vector<std::size_t> samples;
        for (std::size_t i = 0; i < grid->centres.size(); ++i) {
            if (!grid->isLadder[i]) {
                samples.push_back(i);
            }
        }
        if (samples.size() >= 3) {
            for (const auto& [lane, towards] :
                 {std::pair{samples.front(), 1}, std::pair{samples.back(), -1}}) {
                if (holdsOnlyItsNeighboursEdge(profile, grid->centres[lane], grid->pitch,
                                               towards)) {
                    result.reviewReasons.push_back(fmt::format(
                        "strip {}: lane {} holds only the edge of its neighbour's bands (a lane "
                        "too many, or the lane spacing is off); check the lane count",
                        strip.index, lane + 1));
                    result.confidence = std::min(result.confidence, 0.5);
                }
            }
        }
        if (twoHumped >= 2 && 2 * twoHumped >= withSignal) {
            result.reviewReasons.push_back(
                fmt::format("strip {}: {} of its {} lanes each show two separate columns of "
                            "bands: they may hold two lanes each; check the lane count",
                            strip.index, twoHumped, withSignal));
            result.confidence = std::min(result.confidence, 0.5);
        }
    }

    // Edges: where the profile falls to 15% of the lane's height at its centre, never beyond
    // the middle between neighbouring centres (lanes that touch meet there), nor half a pitch
    // beyond an outer lane's centre.
    const std::vector<double>& centres = grid->centres;
    std::vector<LaneCandidate> candidates;
    for (std::size_t i = 0; i < centres.size(); ++i) {
        const double c = centres[i];
        const double leftBound =
            std::max(0.0, i == 0 ? c - 0.5 * grid->pitch : 0.5 * (centres[i - 1] + c));
        const double rightBound =
            std::min(box.width - 1.0,
                     i + 1 == centres.size() ? c + 0.5 * grid->pitch : 0.5 * (c + centres[i + 1]));
        const int at = std::clamp(static_cast<int>(std::lround(c)), 0, box.width - 1);
        const double height = profile[static_cast<std::size_t>(at)];
        const int leftLimit = static_cast<int>(std::ceil(leftBound));
        const int rightLimit = static_cast<int>(std::floor(rightBound));
        LaneCandidate lane;
        lane.strength = height;
        lane.left = at > leftLimit && height > 0.0
                        ? std::max(leftBound, edgeCrossing(profile, at, leftLimit, 0.15 * height))
                        : leftBound;
        lane.right =
            at < rightLimit && height > 0.0
                ? std::min(rightBound, edgeCrossing(profile, at, rightLimit, 0.15 * height))
                : rightBound;
        // A lane whose profile falls to 15% on both sides inside its bounds is centred between
        // those crossings (sub-pixel, and a flat top's noise does not move it); lanes that
        // touch keep the comb's centre.
        const bool hasBothEdges = lane.left > leftBound && lane.right < rightBound;
        lane.centre =
            hasBothEdges && std::abs(0.5 * (lane.left + lane.right) - c) <= 0.125 * grid->pitch
                ? 0.5 * (lane.left + lane.right)
                : c;
        // The comb's box must stay inside the lane: a faint lane's profile may fall to 15%
        // before the box ends.
        lane.left = std::min(lane.left, std::max(leftBound, lane.centre - 0.5 * grid->width));
        lane.right = std::max(lane.right, std::min(rightBound, lane.centre + 0.5 * grid->width));
        candidates.push_back(lane);
    }

    // Tilt: the median over lanes of weighted lines through the per-row centroids of the band
    // signal inside each lane.
    std::vector<double> slopes(candidates.size(), std::nan(""));
    const double yMiddle = 0.5 * (box.height - 1);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const int x0 = std::max(0, static_cast<int>(std::floor(candidates[i].left)));
        const int x1 = std::min(box.width - 1, static_cast<int>(std::ceil(candidates[i].right)));
        std::vector<double> rowEnergy(static_cast<std::size_t>(box.height), 0.0);
        std::vector<double> rowCentroid(static_cast<std::size_t>(box.height), 0.0);
        double maxEnergy = 0;
        for (int y = 0; y < box.height; ++y) {
            const float* row = bands.ptr<float>(y);
            double energy = 0, moment = 0;
            for (int x = x0; x <= x1; ++x) {
                energy += static_cast<double>(row[x]);
                moment += static_cast<double>(row[x]) * x;
            }
            rowEnergy[static_cast<std::size_t>(y)] = energy;
            rowCentroid[static_cast<std::size_t>(y)] = energy > 0 ? moment / energy : 0;
            maxEnergy = std::max(maxEnergy, energy);
        }
        double sw = 0, sy = 0, sx = 0, syy = 0, sxy = 0;
        for (int y = 0; y < box.height; ++y) {
            const double w = rowEnergy[static_cast<std::size_t>(y)];
            if (w < 0.2 * maxEnergy || w <= 0) {
                continue;
            }
            const double dy = y - yMiddle;
            const double x = rowCentroid[static_cast<std::size_t>(y)];
            sw += w;
            sy += w * dy;
            sx += w * x;
            syy += w * dy * dy;
            sxy += w * dy * x;
        }
        if (sw > 0) {
            const double spreadY = std::sqrt(std::max(0.0, syy / sw - (sy / sw) * (sy / sw)));
            if (spreadY >= 0.1 * box.height) {
                const double denominator = syy - sy * sy / sw;
                // Tilts beyond 3 degrees are not lanes but curved bands ("smile") or smears.
                const double slope = denominator > 0 ? (sxy - sy * sx / sw) / denominator : 0.0;
                if (denominator > 0 && std::abs(slope) <= 0.05) {
                    slopes[i] = slope;
                }
            }
        }
    }
    std::vector<double> reliable;
    for (const double s : slopes) {
        if (!std::isnan(s)) {
            reliable.push_back(s);
        }
    }
    const double stripSlope = reliable.empty() ? 0.0 : median(reliable);

    const double yMiddleOriginal = map.toOriginal(box.y + yMiddle);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        Lane lane;
        lane.strip = strip.index;
        lane.index = static_cast<int>(i) + 1;
        lane.xCenterPx = map.toOriginal(box.x + candidates[i].centre);
        // Edge positions map to the original grid as centres do; clipped to the strip.
        lane.leftPx = std::max<double>(strip.region.x, map.toOriginal(box.x + candidates[i].left));
        lane.rightPx = std::min<double>(strip.region.x + strip.region.width - 1,
                                        map.toOriginal(box.x + candidates[i].right));
        lane.yMiddlePx = yMiddleOriginal;
        // One comb, one tilt: the gel (or the image) is rotated as a whole, so every lane takes
        // the strip's median tilt; a lane's own centroid line follows its smears and blotches
        // as much as its bands, and lanes with their own tilts can cross. Curvature (smile)
        // stays per lane, in the bend.
        lane.slope = stripSlope;
        lane.confidence = result.confidence;
        lane.kind = grid->isLadder[i] ? LaneKind::Ladder : LaneKind::Sample;
        const double leftLimit = i == 0 ? 0.0 : candidates[i - 1].right;
        const double rightLimit =
            i + 1 == candidates.size() ? box.width - 1.0 : candidates[i + 1].left;
        for (const LaneBendPoint& point :
             estimateBend(bands, candidates[i], lane.slope, yMiddle, leftLimit, rightLimit)) {
            lane.bend.push_back({map.toOriginal(box.y + point.yPx), point.dxPx * map.scale});
        }
        result.lanes.push_back(lane);
    }
    return result;
}

} // namespace densito
