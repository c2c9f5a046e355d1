#include "core/detect/lane_detector.h"

#include "core/detect/profile_tools.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <numbers>
#include <opencv2/core.hpp>

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

/// Peaks that stand out as lanes: each dips to its neighbours by at least 10% of its own
/// height (lanes of any strength count, however strong the strongest) and reaches 3% of the
/// highest peak and minHeight (so noise between lanes does not), at least minDistance apart.
std::vector<ProfilePeak> selectLanePeaks(const std::vector<double>& profile, int minDistance,
                                         double minHeight) {
    std::vector<ProfilePeak> peaks = findPeaks(profile);
    double highest = 0;
    for (const auto& p : peaks) {
        highest = std::max(highest, p.height);
    }
    std::erase_if(peaks, [&](const ProfilePeak& p) {
        return p.height < std::max(0.03 * highest, minHeight) || p.prominence < 0.1 * p.height;
    });
    return selectPeaks(std::move(peaks), 0.0, minDistance);
}

/// The highest local maximum of `profile` within [from, to] (clamped to its interior), or -1.
int highestLocalMax(const std::vector<double>& profile, int from, int to) {
    from = std::max(from, 1);
    to = std::min(to, static_cast<int>(profile.size()) - 2);
    int best = -1;
    for (int x = from; x <= to; ++x) {
        const double v = profile[static_cast<std::size_t>(x)];
        const bool isLocalMax = v >= profile[static_cast<std::size_t>(x - 1)] &&
                                v >= profile[static_cast<std::size_t>(x + 1)];
        if (isLocalMax && (best < 0 || v > profile[static_cast<std::size_t>(best)])) {
            best = x;
        }
    }
    return best;
}

double lowestIn(const std::vector<double>& profile, int from, int to) {
    return *std::min_element(profile.begin() + std::min(from, to),
                             profile.begin() + std::max(from, to) + 1);
}

/// Lanes too faint to stand out on their own, found from the lane grid: at each grid position
/// between two lanes k pitches apart (k >= 2, within 15%), and at one pitch after another
/// beyond the outermost lanes while the lane fits in the strip, a lane is taken where the
/// profile has a local maximum within a quarter pitch that rises at least `minRise` above the
/// lowest point on each side of it (towards the neighbouring lanes, or half a pitch outwards),
/// so an empty stretch of membrane or the flank of a strong lane stays empty.
std::vector<int> addFaintLanes(const std::vector<int>& centres, const std::vector<double>& profile,
                               double pitch, double minRise) {
    const int size = static_cast<int>(profile.size());
    const int quarter = static_cast<int>(0.25 * pitch);
    const int half = static_cast<int>(0.5 * pitch);
    auto risesBetween = [&](int x, int leftFrom, int rightTo) {
        const double v = profile[static_cast<std::size_t>(x)];
        return v - lowestIn(profile, leftFrom, x) >= minRise &&
               v - lowestIn(profile, x, rightTo) >= minRise;
    };
    // Below a pixel or two there is no lane grid; the walks below also need each step to
    // move at least one pixel to end (a fuzzed image once looped here with a pitch near 0).
    if (!(pitch >= 2.0)) {
        return centres;
    }
    std::vector<int> result;
    for (int edge = centres.front(); edge - pitch - quarter >= 0;) {
        const int expectedAt = static_cast<int>(std::lround(edge - pitch));
        const int best = highestLocalMax(profile, expectedAt - quarter, expectedAt + quarter);
        if (best < 0 || best >= edge || !risesBetween(best, std::max(0, best - half), edge)) {
            break;
        }
        result.push_back(best);
        edge = best;
    }
    for (std::size_t i = 0; i < centres.size(); ++i) {
        result.push_back(centres[i]);
        if (i + 1 == centres.size()) {
            break;
        }
        const int a = centres[i];
        const int b = centres[i + 1];
        const double steps = (b - a) / pitch;
        const int k = static_cast<int>(std::lround(steps));
        if (k < 2 || std::abs(steps - k) > 0.15 * k) {
            continue;
        }
        const double spacing = static_cast<double>(b - a) / k;
        int previous = a;
        for (int j = 1; j < k; ++j) {
            const int expectedAt = static_cast<int>(std::lround(a + j * spacing));
            const int best = highestLocalMax(profile, std::max(a + 1, expectedAt - quarter),
                                             std::min(b - 1, expectedAt + quarter));
            if (best >= 0 && risesBetween(best, previous, b)) {
                result.push_back(best);
                previous = best;
            }
        }
    }
    for (int edge = centres.back(); edge + pitch + quarter <= size - 1;) {
        const int expectedAt = static_cast<int>(std::lround(edge + pitch));
        const int best = highestLocalMax(profile, expectedAt - quarter, expectedAt + quarter);
        if (best < 0 || best <= edge ||
            !risesBetween(best, edge, std::min(size - 1, best + half))) {
            break;
        }
        result.push_back(best);
        edge = best;
    }
    std::sort(result.begin(), result.end());
    return result;
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

/// Empty or faint lanes make some spacings whole multiples of the pitch. When every spacing
/// is within 0.15 pitch of a multiple of the smallest (and the smallest is not a stray close
/// pair: at least 0.4 of the median), returns the mean spacing per grid step; else 0.
double gridPitch(const std::vector<double>& spacings) {
    if (spacings.empty()) {
        return 0.0;
    }
    const double smallest = *std::min_element(spacings.begin(), spacings.end());
    if (smallest <= 0 || smallest < 0.4 * median(spacings)) {
        return 0.0;
    }
    double steps = 0;
    double total = 0;
    for (const double d : spacings) {
        const double k = std::max(1.0, std::round(d / smallest));
        if (std::abs(d / smallest - k) > 0.15) {
            return 0.0;
        }
        steps += k;
        total += d;
    }
    return total / steps;
}

/// Lane pitch: the median spacing of the profile's lane peaks, refined by the autocorrelation peak
/// within 25% of it when there is one. Spacing alone decides when the autocorrelation has no peak
/// there: lanes of very unequal strength (a dilution series, an empty lane) can make a multiple of
/// the pitch correlate best.
double estimateLanePitch(const std::vector<double>& profile, double minHeight) {
    const std::vector<ProfilePeak> peaks = selectLanePeaks(profile, 3, minHeight);
    if (peaks.size() < 3) {
        return autocorrelationPeriod(profile, 4, static_cast<int>(profile.size()) / 2);
    }
    std::vector<double> spacings;
    for (std::size_t i = 1; i < peaks.size(); ++i) {
        spacings.push_back(peaks[i].index - peaks[i - 1].index);
    }
    const double grid = gridPitch(spacings);
    const double spacing = grid > 0 ? grid : median(spacings);
    const double correlated =
        autocorrelationPeriod(profile, std::max(3, static_cast<int>(0.75 * spacing)),
                              static_cast<int>(1.25 * spacing) + 1);
    return correlated > 0 ? correlated : spacing;
}

int valleyBetween(const std::vector<double>& profile, int a, int b) {
    int best = a;
    for (int i = a; i <= b; ++i) {
        if (profile[static_cast<std::size_t>(i)] < profile[static_cast<std::size_t>(best)]) {
            best = i;
        }
    }
    return best;
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

} // namespace

std::vector<Lane> detectLanes(const DetectionMap& map, const Strip& strip,
                              const LaneDetectionOptions& options,
                              std::vector<std::string>& warnings) {
    const cv::Rect box = reducedBox(map, strip.region);
    if (box.width < 4 || box.height < 4) {
        return {};
    }
    const cv::Mat bands = map.bands(box);
    std::vector<double> columns(static_cast<std::size_t>(box.width), 0.0);
    for (int y = 0; y < bands.rows; ++y) {
        const float* row = bands.ptr<float>(y);
        for (int x = 0; x < bands.cols; ++x) {
            columns[static_cast<std::size_t>(x)] += static_cast<double>(row[x]);
        }
    }
    // The band map is never negative, so noise leaves a pedestal under the column sums:
    // heights count from the profile's 10th percentile, and must clear 6 sigmas of the
    // column-to-column noise.
    std::vector<double> sortedColumns = columns;
    std::sort(sortedColumns.begin(), sortedColumns.end());
    const double pedestal = sortedColumns[sortedColumns.size() / 10];
    for (double& c : columns) {
        c -= pedestal;
    }
    const double minHeight = 6.0 * differenceNoiseSigma(columns);
    const std::vector<double> profile = gaussianSmooth(columns, 1.0);
    const double pitch = estimateLanePitch(profile, minHeight);
    const int minDistance =
        pitch > 0 ? static_cast<int>(0.55 * pitch) : std::max(3, box.width / 40);
    // Flat-topped lanes have noisy plateaus; smoothing by a sixth of the pitch leaves one
    // rounded peak per lane at its middle. Edges are taken from the lightly smoothed profile.
    const std::vector<double> rounded = pitch > 0 ? gaussianSmooth(columns, pitch / 6.0) : profile;
    const std::vector<ProfilePeak> peaks = selectLanePeaks(rounded, minDistance, minHeight);
    if (peaks.empty()) {
        warnings.push_back(fmt::format("strip {}: no lanes found (no band signal)", strip.index));
        return {};
    }
    std::vector<int> centres;
    for (const auto& p : peaks) {
        centres.push_back(p.index);
    }
    const int expected = options.expectedLanes;
    if (expected == 0 && pitch > 0) {
        // The found lanes themselves tell the grid best (the first estimate can average a
        // pitch with a double pitch where a lane is missing).
        std::vector<double> spacings;
        for (std::size_t i = 1; i < centres.size(); ++i) {
            spacings.push_back(centres[i] - centres[i - 1]);
        }
        // Without a grid, the closest pair of found lanes bounds the pitch: a pitch estimate
        // below it (half the true pitch, from a ladder or doublet bands) would put a "faint
        // lane" into every gap.
        double grid = gridPitch(spacings);
        if (grid <= 0 && !spacings.empty()) {
            const double closest = *std::min_element(spacings.begin(), spacings.end());
            grid = closest >= 0.4 * median(spacings) ? std::max(pitch, closest) : pitch;
        }
        // `profile` is smoothed by one column, which leaves about half the column noise
        // (1 / sqrt(2 sqrt(pi))); a faint lane must rise 4 of those smoothed sigmas on each side.
        const double smoothedNoise =
            (minHeight / 6.0) / std::sqrt(2.0 * std::sqrt(std::numbers::pi));
        centres = addFaintLanes(centres, profile, grid, 4.0 * smoothedNoise);
    }

    if (expected > 0 && static_cast<int>(centres.size()) != expected) {
        warnings.push_back(fmt::format("strip {}: {} lanes requested but the image shows {}; {}",
                                       strip.index, expected, centres.size(),
                                       static_cast<int>(centres.size()) > expected
                                           ? "the weakest were dropped"
                                           : "lanes were inserted at the lane pitch"));
        while (static_cast<int>(centres.size()) > expected) {
            const auto weakest =
                std::min_element(centres.begin(), centres.end(), [&](int a, int b) {
                    return profile[static_cast<std::size_t>(a)] <
                           profile[static_cast<std::size_t>(b)];
                });
            centres.erase(weakest);
        }
        const double spacing = pitch > 0 ? pitch : static_cast<double>(box.width) / expected;
        while (static_cast<int>(centres.size()) < expected) {
            // Into the widest gap, counting the strip ends as half a pitch beyond the edges:
            // one pitch from a lane when the gap holds two pitches or more, else its middle.
            std::vector<double> bounds(centres.begin(), centres.end());
            bounds.insert(bounds.begin(), -0.5 * spacing);
            bounds.push_back(box.width - 1 + 0.5 * spacing);
            std::size_t widest = 0;
            for (std::size_t g = 1; g + 1 < bounds.size(); ++g) {
                if (bounds[g + 1] - bounds[g] > bounds[widest + 1] - bounds[widest]) {
                    widest = g;
                }
            }
            const double a = bounds[widest];
            const double b = bounds[widest + 1];
            double inserted = 0.5 * (a + b);
            if (b - a >= 2 * spacing) {
                inserted = widest == 0 ? b - spacing : a + spacing;
            }
            centres.push_back(
                std::clamp(static_cast<int>(std::lround(inserted)), 0, box.width - 1));
            std::sort(centres.begin(), centres.end());
        }
    }

    std::vector<LaneCandidate> candidates;
    for (std::size_t i = 0; i < centres.size(); ++i) {
        const int c = centres[i];
        const double height = profile[static_cast<std::size_t>(c)];
        const int leftLimit = i == 0 ? 0 : valleyBetween(profile, centres[i - 1], c);
        const int rightLimit =
            i + 1 == centres.size() ? box.width - 1 : valleyBetween(profile, c, centres[i + 1]);
        LaneCandidate lane;
        lane.centre = c;
        lane.strength = height;
        lane.left = c > leftLimit ? edgeCrossing(profile, c, leftLimit, 0.15 * height) : c - 0.5;
        lane.right = c < rightLimit ? edgeCrossing(profile, c, rightLimit, 0.15 * height) : c + 0.5;
        // A centre between the edges (the peak of a flat-topped lane can sit off-centre).
        lane.centre = 0.5 * (lane.left + lane.right);
        candidates.push_back(lane);
    }

    // Tilt from per-row centroids of band signal inside each lane.
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

    std::vector<Lane> lanes;
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
        lane.slope = std::isnan(slopes[i]) ? stripSlope : slopes[i];
        const double leftLimit = i == 0 ? 0.0 : candidates[i - 1].right;
        const double rightLimit =
            i + 1 == candidates.size() ? box.width - 1.0 : candidates[i + 1].left;
        for (const LaneBendPoint& point :
             estimateBend(bands, candidates[i], lane.slope, yMiddle, leftLimit, rightLimit)) {
            lane.bend.push_back({map.toOriginal(box.y + point.yPx), point.dxPx * map.scale});
        }
        lanes.push_back(lane);
    }
    return lanes;
}

} // namespace densito
