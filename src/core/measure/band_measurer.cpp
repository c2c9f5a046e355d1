#include "core/measure/band_measurer.h"

#include "core/detect/profile_tools.h"
#include "core/measure/border_median.h"
#include "core/measure/lane_baseline.h"
#include "core/measure/rolling_ball.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <opencv2/core.hpp>

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
    const double centre = lane.centreAt(candidate.peakYPx);
    const double half = 0.5 * lane.widthPx();
    const int x0 = static_cast<int>(std::lround(centre - half));
    const int x1 = static_cast<int>(std::lround(centre + half));
    const cv::Rect box(cv::Point(x0, candidate.topPx), cv::Point(x1 + 1, candidate.bottomPx + 1));
    return box & region;
}

} // namespace

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
        background = rollingBallBackground(signal, method.parameterPx.value_or(50.0));
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
        double sum = 0;
        double backgroundSum = 0;
        double peak = -std::numeric_limits<double>::infinity();
        const int saturated = saturatedIn(box);
        // Row sums of the box, for the lane-baseline method.
        std::vector<double> boxRows;
        for (int y = box.y; y < box.y + box.height; ++y) {
            const float* s = signal.ptr<float>(y);
            const float* b = background.empty() ? nullptr : background.ptr<float>(y);
            for (int x = box.x; x < box.x + box.width; ++x) {
                const double value = static_cast<double>(s[x]);
                const double under = b != nullptr ? static_cast<double>(b[x]) : 0.0;
                sum += value - under;
                backgroundSum += under;
                peak = std::max(peak, value - under);
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
            backgroundSum = 0;
            double peakRow = -std::numeric_limits<double>::infinity();
            for (int y = box.y; y < box.y + box.height; ++y) {
                const double under = baseline[static_cast<std::size_t>(y - region.y)];
                backgroundSum += under;
                peakRow = std::max(
                    peakRow, (profile[static_cast<std::size_t>(y - region.y)] - under) / box.width);
            }
            sum -= backgroundSum;
            peak = peakRow;
        } else if (method.kind == BackgroundKind::BorderMedian) {
            const double level = borderMedian(
                signal, box, static_cast<int>(method.parameterPx.value_or(3.0)), otherBands);
            if (std::isnan(level)) {
                ++ringFailures;
            } else {
                backgroundSum = level * box.area();
                sum -= backgroundSum;
                peak -= level;
            }
        }
        band.volume = sum;
        band.backgroundVolume = backgroundSum;
        band.peak = peak;
        band.saturatedPixels = saturated;
        band.snr = input.noiseSigma > 0
                       ? sum / (input.noiseSigma * std::sqrt(static_cast<double>(box.area())))
                       : 0.0;
        if (saturated > 0) {
            band.flags |= kBandSaturated;
        }
        if (band.snr < 3.0) {
            band.flags |= kBandWeak;
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
    if (ringFailures > 0) {
        warnings.push_back(fmt::format(
            "{} band(s) have no free border pixels for border-median; measured without background",
            ringFailures));
    }
    return bands;
}

} // namespace densito
