#include "core/measure/band_measurer.h"

#include "core/detect/profile_tools.h"
#include "core/measure/border_median.h"
#include "core/measure/doublet_split.h"
#include "core/measure/lane_baseline.h"
#include "core/measure/rolling_ball.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <numbers>
#include <opencv2/core.hpp>
#include <opencv2/core/utility.hpp>
#include <tuple>

namespace densito {
namespace {

const Lane* findLane(const std::vector<Lane>& lanes, int strip, int index) {
    for (const Lane& lane : lanes) {
        if (lane.strip == strip && lane.index == index) {
            return &lane;
        }
    }
    return nullptr;
}

const Strip* findStrip(const std::vector<Strip>& strips, int index) {
    for (const Strip& strip : strips) {
        if (strip.index == index) {
            return &strip;
        }
    }
    return nullptr;
}

cv::Rect bandBox(const Lane& lane, const BandCandidate& candidate, const cv::Rect& region) {
    return laneBox(lane, candidate.peakYPx, candidate.topPx, candidate.bottomPx, region);
}

/// Noise of each row sum of a box: the pixel noise from differences of horizontal neighbours
/// in the central 60% of the box (the lane's flat part, where a band adds no slope), a robust
/// median pooled over five rows, times sqrt(width). It includes the band's own shot noise, so
/// bright rows weigh less in a fit; never below the background noise.
std::vector<double> rowNoise(const cv::Mat& signal, const cv::Rect& box, double pixelNoise) {
    const int margin = static_cast<int>(std::lround(0.2 * box.width));
    const int x0 = box.x + margin;
    const int x1 = std::max(x0 + 1, box.x + box.width - margin); // exclusive
    std::vector<double> noise(static_cast<std::size_t>(box.height));
    std::vector<double> differences;
    for (int y = box.y; y < box.y + box.height; ++y) {
        differences.clear();
        for (int yy = std::max(box.y, y - 2); yy <= std::min(box.br().y - 1, y + 2); ++yy) {
            const float* s = signal.ptr<float>(yy);
            for (int x = x0; x + 1 < x1; ++x) {
                differences.push_back(
                    std::abs(static_cast<double>(s[x + 1]) - static_cast<double>(s[x])));
            }
        }
        const double pixel =
            std::max(pixelNoise, 1.4826 * median(differences) / std::numbers::sqrt2);
        noise[static_cast<std::size_t>(y - box.y)] =
            std::max(pixel, 1e-12) * std::sqrt(static_cast<double>(box.width));
    }
    return noise;
}

/// Two candidates of one lane whose extents meet at a valley between them.
struct DoubletPair {
    std::size_t upper = 0; ///< index into candidates and bands
    std::size_t lower = 0;
};

/// Doublets, grouped by their pair of band rows so that the rows' shapes are fitted across the
/// lanes. A band touching neighbours on both sides (three in a run) keeps the valley cuts.
std::vector<std::vector<DoubletPair>> doubletGroups(const std::vector<BandCandidate>& candidates,
                                                    const std::vector<Band>& bands) {
    auto touches = [&](std::size_t a, std::size_t b) {
        const BandCandidate& upper = candidates[a];
        const BandCandidate& lower = candidates[b];
        // The detector's walks from either peak stop where the profile rises again by a noise
        // sigma, so in a shallow valley the two extents may overlap or leave a few rows out.
        const int shorter =
            std::min(upper.bottomPx - upper.topPx, lower.bottomPx - lower.topPx) + 1;
        const int gap = lower.topPx - upper.bottomPx - 1;
        return upper.strip == lower.strip && upper.lane == lower.lane && upper.isOverlapping &&
               lower.isOverlapping && upper.peakYPx < lower.peakYPx &&
               gap <= std::max(2, shorter / 4) && bands[a].box.area() > 0 &&
               bands[b].box.area() > 0;
    };
    // Candidates of each lane from the top.
    std::vector<std::size_t> order(candidates.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(candidates[a].strip, candidates[a].lane, candidates[a].peakYPx) <
               std::tie(candidates[b].strip, candidates[b].lane, candidates[b].peakYPx);
    });
    std::map<std::tuple<int, int, int>, std::vector<DoubletPair>> groups;
    for (std::size_t k = 0; k + 1 < order.size(); ++k) {
        const std::size_t a = order[k];
        const std::size_t b = order[k + 1];
        const bool touchesAbove = k > 0 && touches(order[k - 1], a);
        const bool touchesBelow = k + 2 < order.size() && touches(b, order[k + 2]);
        if (touches(a, b) && !touchesAbove && !touchesBelow) {
            groups[{candidates[a].strip, candidates[a].row, candidates[b].row}].push_back({a, b});
        }
    }
    // Where the two rows touch in only a few of the lanes that hold both, the others keep
    // their own boxes; splitting the few would measure the rows by two rules.
    std::vector<std::vector<DoubletPair>> result;
    for (auto& [rows, group] : groups) {
        const auto& [strip, upperRow, lowerRow] = rows;
        std::map<int, int> rowsInLane;
        for (const BandCandidate& c : candidates) {
            if (c.strip == strip && (c.row == upperRow || c.row == lowerRow)) {
                rowsInLane[c.lane] |= c.row == upperRow ? 1 : 2;
            }
        }
        const auto lanesWithBoth =
            std::count_if(rowsInLane.begin(), rowsInLane.end(),
                          [](const std::pair<const int, int>& lane) { return lane.second == 3; });
        if (2 * static_cast<long>(group.size()) > lanesWithBoth) {
            result.push_back(std::move(group));
        }
    }
    return result;
}

} // namespace

cv::Rect laneBox(const Lane& lane, double centreYPx, int topPx, int bottomPx,
                 const cv::Rect& region) {
    const double centre = lane.centreAt(centreYPx);
    const double half = 0.5 * lane.widthPx();
    const int x0 = static_cast<int>(std::lround(centre - half));
    const int x1 = static_cast<int>(std::lround(centre + half));
    const cv::Rect box(cv::Point(x0, topPx), cv::Point(x1 + 1, bottomPx + 1));
    return box & region;
}

BoxRows measureBoxRows(const cv::Mat& signal, const cv::Mat& rollingBallImage,
                       const cv::Mat& otherBands, const cv::Rect& box, const Strip* strip,
                       const BackgroundMethod& method) {
    BoxRows rows;
    rows.net.assign(static_cast<std::size_t>(box.height), 0.0);
    rows.background.assign(static_cast<std::size_t>(box.height), 0.0);
    rows.peak = -std::numeric_limits<double>::infinity();
    for (int y = box.y; y < box.y + box.height; ++y) {
        const float* s = signal.ptr<float>(y);
        const float* b = rollingBallImage.empty() ? nullptr : rollingBallImage.ptr<float>(y);
        const auto r = static_cast<std::size_t>(y - box.y);
        for (int x = box.x; x < box.x + box.width; ++x) {
            const double value = static_cast<double>(s[x]);
            const double under = b != nullptr ? static_cast<double>(b[x]) : 0.0;
            rows.net[r] += value - under;
            rows.background[r] += under;
            rows.volume += value - under;
            rows.backgroundVolume += under;
            rows.peak = std::max(rows.peak, value - under);
        }
    }
    if (method.kind == BackgroundKind::LaneBaseline && strip != nullptr) {
        // The lane's row profile over the whole strip, across the box's columns.
        const cv::Rect& region = strip->region;
        std::vector<double> profile(static_cast<std::size_t>(region.height), 0.0);
        for (int r = 0; r < region.height; ++r) {
            const float* s = signal.ptr<float>(region.y + r);
            double rowSum = 0;
            for (int x = box.x; x < box.x + box.width; ++x) {
                rowSum += static_cast<double>(s[x]);
            }
            profile[static_cast<std::size_t>(r)] = rowSum;
        }
        const std::vector<double> baseline = rubberBandBaseline(profile);
        rows.backgroundVolume = 0;
        rows.peak = -std::numeric_limits<double>::infinity();
        for (int y = box.y; y < box.y + box.height; ++y) {
            const double under = baseline[static_cast<std::size_t>(y - region.y)];
            const auto r = static_cast<std::size_t>(y - box.y);
            rows.net[r] -= under;
            rows.background[r] = under;
            rows.backgroundVolume += under;
            rows.peak = std::max(
                rows.peak, (profile[static_cast<std::size_t>(y - region.y)] - under) / box.width);
        }
        rows.volume -= rows.backgroundVolume;
    } else if (method.kind == BackgroundKind::BorderMedian) {
        const double level = borderMedian(
            signal, box, static_cast<int>(method.parameterPx.value_or(3.0)), otherBands);
        if (std::isnan(level)) {
            rows.hasNoBorder = true;
        } else {
            for (std::size_t r = 0; r < rows.net.size(); ++r) {
                rows.net[r] -= level * box.width;
                rows.background[r] = level * box.width;
            }
            rows.backgroundVolume = level * box.area();
            rows.volume -= rows.backgroundVolume;
            rows.peak -= level;
        }
    }
    return rows;
}

BackgroundMethod resolveBackgroundMethod(const BackgroundMethod& method,
                                         const std::vector<BandCandidate>& candidates) {
    BackgroundMethod resolved = method;
    if (resolved.parameterPx) {
        return resolved;
    }
    std::vector<double> heights;
    for (const auto& c : candidates) {
        if (!c.isInferred) {
            heights.push_back(c.bottomPx - c.topPx + 1);
        }
    }
    const double bandHeight = heights.empty() ? 20.0 : median(heights);
    if (resolved.kind == BackgroundKind::RollingBall) {
        resolved.parameterPx = std::max(10.0, std::round(1.5 * bandHeight));
    } else if (resolved.kind == BackgroundKind::BorderMedian) {
        resolved.parameterPx = std::max(2.0, std::round(0.15 * bandHeight));
    }
    return resolved;
}

std::vector<Band> measureBands(const MeasurementInput& input, const std::vector<Strip>& strips,
                               const std::vector<Lane>& lanes,
                               const std::vector<BandCandidate>& candidates,
                               const BackgroundMethod& method, std::vector<std::string>& warnings) {
    const cv::Mat& signal = input.signal;
    const cv::Rect image(0, 0, signal.cols, signal.rows);
    cv::Mat background;
    if (method.kind == BackgroundKind::RollingBall) {
        background = !input.rollingBallImage.empty()
                         ? input.rollingBallImage
                         : rollingBallBackground(signal, method.parameterPx.value_or(50.0));
    }

    // Saturated pixels are counted per box on the raw values (no image-sized mask).
    auto saturatedIn = [&](const cv::Rect& box) {
        const double level = input.signalModel.saturationRaw;
        if (!std::isfinite(level)) {
            return 0;
        }
        cv::Mat atLevel = input.signalModel.polarity == Polarity::LightBands
                              ? input.raw(box) >= level
                              : input.raw(box) <= level;
        if (!input.validMask.empty()) {
            atLevel &= input.validMask(box);
        }
        return cv::countNonZero(atLevel);
    };

    std::vector<Band> bands;
    std::vector<cv::Rect> boxes;
    for (const BandCandidate& candidate : candidates) {
        const Lane* lane = findLane(lanes, candidate.strip, candidate.lane);
        const Strip* strip = findStrip(strips, candidate.strip);
        Band band;
        band.strip = candidate.strip;
        band.lane = candidate.lane;
        band.row = candidate.row;
        band.peakYPx = candidate.peakYPx;
        band.box = lane != nullptr && strip != nullptr ? bandBox(*lane, candidate, strip->region)
                                                       : cv::Rect();
        bands.push_back(band);
        boxes.push_back(band.box);
    }

    cv::Mat otherBands;
    if (method.kind == BackgroundKind::BorderMedian) {
        otherBands = cv::Mat::zeros(signal.size(), CV_8UC1);
        for (const cv::Rect& box : boxes) {
            otherBands(box).setTo(255);
        }
    }

    auto measureRows = [&](const cv::Rect& box, const Strip* strip) {
        return measureBoxRows(signal, background, otherBands, box, strip, method);
    };
    auto setVolume = [&](Band& band, double volume, double backgroundVolume) {
        band.volume = volume;
        band.backgroundVolume = backgroundVolume;
        band.snr = input.noiseSigma > 0
                       ? volume / (input.noiseSigma * std::sqrt(static_cast<double>(band.areaPx)))
                       : 0.0;
        band.flags = band.snr < 3.0 ? band.flags | kBandWeak : band.flags & ~kBandWeak;
    };

    // Each band's rows on its own (parallel: a lane-baseline profile sums the strip's height
    // across the box, the costly part of re-measuring after an edit); every band's arithmetic
    // is the same whatever the thread.
    std::vector<BoxRows> measured(bands.size());
    cv::parallel_for_(cv::Range(0, static_cast<int>(bands.size())), [&](const cv::Range& range) {
        for (int i = range.start; i < range.end; ++i) {
            const Band& band = bands[static_cast<std::size_t>(i)];
            if (band.box.area() > 0) {
                measured[static_cast<std::size_t>(i)] =
                    measureRows(band.box, findStrip(strips, band.strip));
            }
        }
    });

    int ringFailures = 0;
    for (std::size_t i = 0; i < bands.size(); ++i) {
        Band& band = bands[i];
        const BandCandidate& candidate = candidates[i];
        const cv::Rect& box = band.box;
        if (box.area() <= 0) {
            continue;
        }
        const Strip* strip = findStrip(strips, band.strip);
        band.areaPx = box.area();
        const BoxRows& rows = measured[i];
        ringFailures += rows.hasNoBorder ? 1 : 0;
        band.peak = rows.peak;
        band.saturatedPixels = saturatedIn(box);
        setVolume(band, rows.volume, rows.backgroundVolume);
        if (band.saturatedPixels > 0) {
            band.flags |= kBandSaturated;
        }
        const cv::Rect& region = strip != nullptr ? strip->region : image;
        if (box.x <= region.x || box.y <= region.y ||
            box.x + box.width >= region.x + region.width ||
            box.y + box.height >= region.y + region.height) {
            band.flags |= kBandEdge;
        }
        if (candidate.isOverlapping) {
            band.flags |= kBandOverlap;
        }
        band.isInferred = candidate.isInferred;
    }

    // Doublets: the two boxes measured together, the volume shared by a peak fit where it is
    // good, in all lanes of the pair of rows or none (else the valley cuts stay).
    for (const std::vector<DoubletPair>& group : doubletGroups(candidates, bands)) {
        std::vector<DoubletProfile> profiles;
        std::vector<BoxRows> unionRows;
        for (const DoubletPair& pair : group) {
            const Band& upper = bands[pair.upper];
            const Band& lower = bands[pair.lower];
            const cv::Rect box = upper.box | lower.box;
            unionRows.push_back(measureRows(box, findStrip(strips, upper.strip)));
            DoubletProfile profile;
            profile.values = unionRows.back().net;
            profile.noise = rowNoise(signal, box, input.noiseSigma);
            profile.upperPeak = upper.peakYPx - box.y;
            profile.lowerPeak = lower.peakYPx - box.y;
            // The cut falls below the lowest row between the peaks, where the detector's walks
            // from either side would meet in a noise-free profile.
            const int lowerPeak =
                std::min(static_cast<int>(std::lround(profile.lowerPeak)), box.height - 1);
            int valley =
                std::clamp(static_cast<int>(std::lround(profile.upperPeak)), 0, box.height - 1);
            for (int r = valley; r <= lowerPeak; ++r) {
                if (profile.values[static_cast<std::size_t>(r)] <
                    profile.values[static_cast<std::size_t>(valley)]) {
                    valley = r;
                }
            }
            profile.lowerFirst = valley + 1;
            profiles.push_back(std::move(profile));
        }
        if (std::any_of(unionRows.begin(), unionRows.end(),
                        [](const BoxRows& rows) { return rows.hasNoBorder; })) {
            continue;
        }
        const std::vector<DoubletSplit> splits = splitDoublets(profiles);
        for (std::size_t k = 0; k < group.size(); ++k) {
            if (!splits[k].isSplit) {
                continue;
            }
            // Only band signal crosses the cut; each row's background stays on its side.
            const std::array<double, 2> volume = doubletVolumes(profiles[k], splits[k]);
            const std::vector<double>& rowBackground = unionRows[k].background;
            double backgroundVolume[2] = {0.0, 0.0};
            for (std::size_t r = 0; r < rowBackground.size(); ++r) {
                backgroundVolume[static_cast<int>(r) < profiles[k].lowerFirst ? 0 : 1] +=
                    rowBackground[r];
            }
            Band& upper = bands[group[k].upper];
            Band& lower = bands[group[k].lower];
            setVolume(upper, volume[0], backgroundVolume[0]);
            setVolume(lower, volume[1], backgroundVolume[1]);
            upper.flags |= kBandSplit;
            lower.flags |= kBandSplit;
        }
    }
    if (ringFailures > 0) {
        warnings.push_back(fmt::format(
            "{} band(s) have no free border pixels for border-median; measured without background",
            ringFailures));
    }
    return bands;
}

} // namespace densito
