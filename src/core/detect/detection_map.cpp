#include "core/detect/detection_map.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace densito {

DetectionMap makeDetectionMap(const cv::Mat& signal, const cv::Mat& validMask) {
    DetectionMap map;
    map.originalSize = signal.size();
    const int longSide = std::max(signal.cols, signal.rows);
    // A whole reduction factor, so every reduced pixel averages the same number of pixels: a
    // fractional one makes the noise of the reduced map vary periodically across the image,
    // which a lane profile shows as a ripple of false faint lanes.
    const int factor = (longSide + kDetectionMaxSidePx - 1) / kDetectionMaxSidePx;
    map.scale = factor;
    if (factor > 1) {
        // The last partial block repeats the edge pixels, as a whole block would hold them.
        const int padRight = (factor - signal.cols % factor) % factor;
        const int padBottom = (factor - signal.rows % factor) % factor;
        const cv::Size reduced((signal.cols + padRight) / factor, (signal.rows + padBottom) / factor);
        auto reduce = [&](const cv::Mat& full, cv::Mat& out) {
            cv::Mat padded;
            cv::copyMakeBorder(full, padded, 0, padBottom, 0, padRight, cv::BORDER_REPLICATE);
            cv::resize(padded, out, reduced, 0, 0, cv::INTER_AREA);
        };
        reduce(signal, map.signal);
        if (validMask.empty()) {
            map.valid = cv::Mat(reduced, CV_8UC1, cv::Scalar(255));
        } else {
            reduce(validMask, map.valid);
            map.valid = map.valid == 255;
        }
    } else {
        map.signal = signal.clone();
        map.valid = validMask.empty() ? cv::Mat(signal.size(), CV_8UC1, cv::Scalar(255))
                                      : validMask.clone();
    }
    // Padding takes the median content value so its border does not look like structure.
    if (cv::countNonZero(map.valid) < static_cast<int>(map.valid.total())) {
        std::vector<float> content;
        for (int y = 0; y < map.signal.rows; ++y) {
            for (int x = 0; x < map.signal.cols; ++x) {
                if (map.valid.at<std::uint8_t>(y, x) != 0) {
                    content.push_back(map.signal.at<float>(y, x));
                }
            }
        }
        if (!content.empty()) {
            std::nth_element(content.begin(),
                             content.begin() + static_cast<std::ptrdiff_t>(content.size() / 2),
                             content.end());
            map.signal.setTo(content[content.size() / 2], map.valid == 0);
        }
    }
    const int bar = std::clamp((map.signal.rows / 12) | 1, 15, 101);
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, bar));
    cv::morphologyEx(map.signal, map.background, cv::MORPH_OPEN, kernel, cv::Point(-1, -1), 1,
                     cv::BORDER_REPLICATE);
    cv::subtract(map.signal, map.background, map.bands);
    map.bands = cv::max(map.bands, 0.0);
    map.bands.setTo(0.0f, map.valid == 0);
    return map;
}

} // namespace densito
