#include "core/detect/detection_map.h"

#include "core/detect/profile_tools.h"

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
        const cv::Size reduced((signal.cols + padRight) / factor,
                               (signal.rows + padBottom) / factor);
        // Whole blocks straight from the image; only the thin partial edge strips are padded
        // (a padded copy of the whole image would cost twice its size in memory).
        auto reduce = [&](const cv::Mat& full, cv::Mat& out) {
            out.create(reduced, full.type());
            const int wholeCols = full.cols / factor;
            const int wholeRows = full.rows / factor;
            if (wholeCols > 0 && wholeRows > 0) {
                cv::resize(full(cv::Rect(0, 0, wholeCols * factor, wholeRows * factor)),
                           out(cv::Rect(0, 0, wholeCols, wholeRows)),
                           cv::Size(wholeCols, wholeRows), 0, 0, cv::INTER_AREA);
            }
            auto reduceEdge = [&](const cv::Rect& part, const cv::Rect& target, int bottom,
                                  int right) {
                cv::Mat padded;
                cv::copyMakeBorder(full(part), padded, 0, bottom, 0, right, cv::BORDER_REPLICATE);
                cv::resize(padded, out(target), target.size(), 0, 0, cv::INTER_AREA);
            };
            if (padRight > 0 && wholeRows > 0) {
                reduceEdge(cv::Rect(wholeCols * factor, 0, full.cols - wholeCols * factor,
                                    wholeRows * factor),
                           cv::Rect(wholeCols, 0, 1, wholeRows), 0, padRight);
            }
            if (padBottom > 0) {
                reduceEdge(
                    cv::Rect(0, wholeRows * factor, full.cols, full.rows - wholeRows * factor),
                    cv::Rect(0, wholeRows, reduced.width, 1), padBottom, padRight);
            }
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
    map.pixelNoise = estimatePixelNoise(map.signal, map.valid);
    return map;
}

} // namespace densito
