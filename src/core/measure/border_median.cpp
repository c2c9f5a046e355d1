#include "core/measure/border_median.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <opencv2/core.hpp>
#include <vector>

namespace densito {

double borderMedian(const cv::Mat& signal, const cv::Rect& box, int widthPx,
                    const cv::Mat& excludeMask) {
    constexpr double kNoLevel = std::numeric_limits<double>::quiet_NaN();
    if (signal.empty() || signal.channels() != 1 || widthPx < 1 || box.width < 1 ||
        box.height < 1) {
        return kNoLevel;
    }
    const bool masked = !excludeMask.empty();
    if (masked && (excludeMask.type() != CV_8UC1 || excludeMask.size() != signal.size())) {
        return kNoLevel;
    }
    const cv::Rect grown(box.x - widthPx, box.y - widthPx, box.width + 2 * widthPx,
                         box.height + 2 * widthPx);
    const cv::Rect region = grown & cv::Rect(0, 0, signal.cols, signal.rows);
    if (region.empty()) {
        return kNoLevel;
    }
    cv::Mat values;
    signal(region).convertTo(values, CV_64F);

    std::vector<double> ring;
    ring.reserve(static_cast<std::size_t>(region.area()));
    for (int y = region.y; y < region.y + region.height; ++y) {
        const double* row = values.ptr<double>(y - region.y);
        const unsigned char* exclude = masked ? excludeMask.ptr<unsigned char>(y) : nullptr;
        const bool rowInBox = y >= box.y && y < box.y + box.height;
        for (int x = region.x; x < region.x + region.width; ++x) {
            if (rowInBox && x >= box.x && x < box.x + box.width) {
                continue;
            }
            if (exclude != nullptr && exclude[x] != 0) {
                continue;
            }
            const double value = row[x - region.x];
            if (std::isfinite(value)) {
                ring.push_back(value);
            }
        }
    }
    if (ring.empty()) {
        return kNoLevel;
    }
    const std::size_t middle = ring.size() / 2;
    std::nth_element(ring.begin(), ring.begin() + static_cast<std::ptrdiff_t>(middle), ring.end());
    const double upper = ring[middle];
    if (ring.size() % 2 == 1) {
        return upper;
    }
    const double lower =
        *std::max_element(ring.begin(), ring.begin() + static_cast<std::ptrdiff_t>(middle));
    return 0.5 * (lower + upper);
}

} // namespace densito
