#include "core/measure/lane_profile.h"

#include "core/measure/band_measurer.h"
#include "core/measure/lane_baseline.h"
#include "core/measure/rolling_ball.h"

#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <opencv2/core.hpp>

namespace densito {
namespace {

std::unexpected<Error> failure(std::string reason) {
    return std::unexpected(Error{"lane profile", std::move(reason)});
}

/// The signal summed over a box's pixels in one image row.
double rowSum(const cv::Mat& image, const cv::Rect& box, int y) {
    const float* row = image.ptr<float>(y);
    double sum = 0.0;
    for (int x = box.x; x < box.x + box.width; ++x) {
        sum += static_cast<double>(row[x]);
    }
    return sum;
}

} // namespace

std::expected<LaneProfile, Error> measureLaneProfile(const LaneProfileInput& input,
                                                     const BlotAnalysis& analysis,
                                                     std::size_t laneIndex,
                                                     const BackgroundMethod& method) {
    if (laneIndex >= analysis.lanes.size()) {
        return failure(fmt::format("lane {} does not exist; the analysis has {} lane(s)",
                                   laneIndex + 1, analysis.lanes.size()));
    }
    const cv::Mat& signal = input.signal;
    if (signal.empty() || signal.type() != CV_32FC1) {
        return failure("the signal image is empty or not single-channel float");
    }
    if (!input.validMask.empty() &&
        (input.validMask.size() != signal.size() || input.validMask.type() != CV_8UC1)) {
        return failure("the valid-pixel mask does not match the signal image");
    }
    const Lane& lane = analysis.lanes[laneIndex];
    const Strip* strip = nullptr;
    for (const Strip& s : analysis.strips) {
        strip = s.index == lane.strip ? &s : strip;
    }
    if (strip == nullptr) {
        return failure(
            fmt::format("strip {} of lane {} is not in the analysis", lane.strip, lane.index));
    }
    const cv::Rect region = strip->region & cv::Rect(0, 0, signal.cols, signal.rows);
    if (region.area() <= 0) {
        return failure(fmt::format("strip {} lies outside the image", strip->index));
    }
    const Strip inside{strip->index, region};

    cv::Mat rollingBall;
    if (method.kind == BackgroundKind::RollingBall) {
        rollingBall = !input.rollingBallImage.empty()
                          ? input.rollingBallImage
                          : rollingBallBackground(signal, method.parameterPx.value_or(50.0));
        if (rollingBall.size() != signal.size() || rollingBall.type() != CV_32FC1) {
            return failure("the rolling-ball background does not match the signal image");
        }
    }
    // Border-median rings leave out every band's box, as when the analysis was measured.
    cv::Mat otherBands;
    if (method.kind == BackgroundKind::BorderMedian) {
        otherBands = cv::Mat::zeros(signal.size(), CV_8UC1);
        for (const Band& band : analysis.bands) {
            otherBands(band.box & cv::Rect(0, 0, signal.cols, signal.rows)).setTo(255);
        }
    }

    LaneProfile profile;
    profile.strip = lane.strip;
    profile.lane = lane.index;
    profile.topPx = region.y;
    profile.method = method;
    const auto rows = static_cast<std::size_t>(region.height);
    profile.signal.assign(rows, 0.0);
    profile.background.assign(rows, method.kind == BackgroundKind::BorderMedian
                                        ? std::numeric_limits<double>::quiet_NaN()
                                        : 0.0);
    profile.invalidPixels.assign(rows, 0);
    std::vector<int> widths(rows, 0);
    for (int y = region.y; y < region.y + region.height; ++y) {
        const auto r = static_cast<std::size_t>(y - region.y);
        const cv::Rect box = laneBox(lane, y, y, y, region);
        widths[r] = box.width;
        if (box.area() <= 0) {
            continue;
        }
        profile.signal[r] = rowSum(signal, box, y);
        if (!rollingBall.empty()) {
            profile.background[r] = rowSum(rollingBall, box, y);
        }
        if (!input.validMask.empty()) {
            profile.invalidPixels[r] = box.width - cv::countNonZero(input.validMask(box));
        }
    }
    if (method.kind == BackgroundKind::LaneBaseline) {
        profile.background = rubberBandBaseline(profile.signal);
    }

    for (const Band& band : analysis.bands) {
        const cv::Rect box = band.box & region;
        if (band.strip != lane.strip || band.lane != lane.index || box.area() <= 0) {
            continue;
        }
        const BoxRows measured =
            measureBoxRows(signal, rollingBall, otherBands, box, &inside, method);
        LaneProfileBand span;
        span.row = band.row;
        span.topPx = box.y;
        span.bottomPx = box.y + box.height - 1;
        span.peakYPx = band.peakYPx;
        span.volume = band.volume;
        span.backgroundVolume = band.backgroundVolume;
        span.flags = band.flags;
        span.background = measured.background;
        for (int y = box.y; y < box.y + box.height; ++y) {
            span.signal.push_back(rowSum(signal, box, y));
        }
        if (method.kind == BackgroundKind::BorderMedian) {
            // The ring's median is one level for the whole box (zero when no ring pixel was
            // free: the band was then measured without background).
            const double level = measured.backgroundVolume / box.area();
            for (int y = box.y; y < box.y + box.height; ++y) {
                const auto r = static_cast<std::size_t>(y - region.y);
                if (std::isnan(profile.background[r])) {
                    profile.background[r] = level * widths[r];
                }
            }
        }
        profile.bands.push_back(std::move(span));
    }
    return profile;
}

} // namespace densito
