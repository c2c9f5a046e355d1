#include "core/measure/lane_total.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace densito {
namespace {

/// Columns a lane spans in image row y: laneBox's rounding of centre -+ width / 2.
std::pair<int, int> laneColumns(const Lane& lane, int y) {
    const double centre = lane.centreAt(y);
    const double half = lane.widthPx() / 2.0;
    return {static_cast<int>(std::lround(centre - half)),
            static_cast<int>(std::lround(centre + half))};
}

double medianOf(std::vector<double>& values) {
    const std::size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle),
                     values.end());
    const double upper = values[middle];
    if (values.size() % 2 == 1) {
        return upper;
    }
    return (upper + *std::max_element(values.begin(),
                                      values.begin() + static_cast<std::ptrdiff_t>(middle))) /
           2.0;
}

/// The signal value of the raw saturation level (bands positive).
double rawOf(double signal, const SignalModel& model) {
    return model.polarity == Polarity::LightBands ? signal : model.signalReference - signal;
}

} // namespace

LaneTotal measureLaneTotal(const cv::Mat& signal, const cv::Mat& validMask,
                           const SignalModel& model, const Strip& strip,
                           std::span<const Lane> stripLanes, std::size_t laneIndex,
                           std::optional<std::pair<int, int>> rows) {
    LaneTotal total;
    if (laneIndex >= stripLanes.size() || signal.empty() || signal.type() != CV_32FC1) {
        return total;
    }
    const cv::Rect area = strip.region & cv::Rect(0, 0, signal.cols, signal.rows);
    int top = area.y;
    int bottom = area.y + area.height - 1;
    if (rows) {
        top = std::max(top, rows->first);
        bottom = std::min(bottom, rows->second);
    }
    if (area.empty() || bottom < top) {
        return total;
    }
    const bool hasMask = !validMask.empty() && validMask.size() == signal.size();
    const auto isValid = [&](int y, int x) {
        return !hasMask || validMask.at<uchar>(y, x) != 0;
    };

    // Beyond an end lane the membrane is taken as wide as the strip's typical gap.
    std::vector<double> gaps;
    for (std::size_t i = 1; i < stripLanes.size(); ++i) {
        gaps.push_back(stripLanes[i].leftPx - stripLanes[i - 1].rightPx);
    }
    const double typicalGap = gaps.empty() ? 0.0 : std::max(0.0, medianOf(gaps));

    const Lane& lane = stripLanes[laneIndex];
    const int count = bottom - top + 1;
    std::vector<double> rowSums(static_cast<std::size_t>(count), 0.0);
    std::vector<int> rowPixels(static_cast<std::size_t>(count), 0);
    std::vector<double> rowLevels(static_cast<std::size_t>(count),
                                  std::numeric_limits<double>::quiet_NaN());
    std::vector<double> gapValues;
    const int areaRight = area.x + area.width - 1;
    for (int y = top; y <= bottom; ++y) {
        const std::size_t r = static_cast<std::size_t>(y - top);
        const auto [first, last] = laneColumns(lane, y);
        const float* pixels = signal.ptr<float>(y);
        for (int x = std::max(first, area.x); x <= std::min(last, areaRight); ++x) {
            if (!isValid(y, x) || !std::isfinite(pixels[x])) {
                continue;
            }
            const double value = static_cast<double>(pixels[x]);
            rowSums[r] += value;
            ++rowPixels[r];
            if (isSaturated(rawOf(value, model), model)) {
                ++total.saturatedPixels;
            }
        }
        // The middle half of each gap: lane edges are where the profile falls to a fraction
        // of its height, so the tails of this lane and its neighbour reach past them.
        const double leftEdge = laneIndex > 0
                                    ? laneColumns(stripLanes[laneIndex - 1], y).second + 1.0
                                    : first - typicalGap;
        const double rightEdge = laneIndex + 1 < stripLanes.size()
                                     ? laneColumns(stripLanes[laneIndex + 1], y).first - 1.0
                                     : last + typicalGap;
        gapValues.clear();
        for (const auto& [from, to] :
             {std::pair(leftEdge, first - 1.0), std::pair(last + 1.0, rightEdge)}) {
            const double quarter = (to - from + 1.0) / 4.0;
            const int begin = std::max(area.x, static_cast<int>(std::ceil(from + quarter)));
            const int end = std::min(areaRight, static_cast<int>(std::floor(to - quarter)));
            for (int x = begin; x <= end; ++x) {
                if (isValid(y, x) && std::isfinite(pixels[x])) {
                    gapValues.push_back(static_cast<double>(pixels[x]));
                }
            }
        }
        if (!gapValues.empty()) {
            rowLevels[r] = medianOf(gapValues);
        }
    }

    // Running median over the rows within one lane width (at least 3 rows either side),
    // the window shrunk symmetrically at the ends so that a gradient stays unbiased there.
    const int halfWindow = std::max(3, static_cast<int>(std::lround(lane.widthPx())));
    std::vector<double> smoothed(rowLevels.size(), std::numeric_limits<double>::quiet_NaN());
    std::vector<double> window;
    for (int r = 0; r < count; ++r) {
        window.clear();
        const int half = std::min({halfWindow, r, count - 1 - r});
        for (int k = r - half; k <= r + half; ++k) {
            if (!std::isnan(rowLevels[static_cast<std::size_t>(k)])) {
                window.push_back(rowLevels[static_cast<std::size_t>(k)]);
            }
        }
        if (!window.empty()) {
            smoothed[static_cast<std::size_t>(r)] = medianOf(window);
        }
    }
    // Rows whose window held no gap pixel take the nearest row's level.
    std::optional<double> last;
    for (double& level : smoothed) {
        last = std::isnan(level) ? last : std::optional(level);
        level = std::isnan(level) && last ? *last : level;
    }
    last.reset();
    for (auto level = smoothed.rbegin(); level != smoothed.rend(); ++level) {
        last = std::isnan(*level) ? last : std::optional(*level);
        *level = std::isnan(*level) && last ? *last : *level;
    }
    total.hasBackground = last.has_value();
    total.rows = count;
    for (std::size_t r = 0; r < smoothed.size(); ++r) {
        const double background = total.hasBackground ? smoothed[r] * rowPixels[r] : 0.0;
        total.volume += rowSums[r] - background;
        total.backgroundVolume += background;
    }
    return total;
}

} // namespace densito
