#pragma once

#include <opencv2/core/mat.hpp>

namespace densito {

/// A reduced copy of the signal with its slowly varying background removed, in which strips
/// and lanes are found. Detection works at this scale (a whole reduction factor, the smallest
/// that brings the long side to at most kDetectionMaxSidePx) so its cost does not grow with
/// the image; measurement uses full resolution.
struct DetectionMap {
    cv::Mat signal;          ///< CV_32FC1, the reduced signal (bands positive)
    cv::Mat background;      ///< CV_32FC1, vertical opening of `signal`: everything but the bands
    cv::Mat bands;           ///< CV_32FC1, max(signal - background, 0)
    cv::Mat valid;           ///< CV_8UC1, non-zero where the reduced pixel is all image content
    double scale = 1.0;      ///< original pixels per reduced pixel (>= 1)
    cv::Size originalSize;   ///< of the full-resolution signal; every region is clipped to it
    double pixelNoise = 0.0; ///< estimatePixelNoise(signal, valid), computed once

    /// Original-image coordinate of the centre of reduced pixel `i`.
    double toOriginal(double i) const { return (i + 0.5) * scale - 0.5; }
    double toReduced(double x) const { return (x + 0.5) / scale - 0.5; }
};

inline constexpr int kDetectionMaxSidePx = 1024;

/// Builds the map. The background is a grey-scale opening with a vertical bar about a
/// twelfth of the reduced height (15 to 101 px): it removes features shorter than that along
/// the migration direction (bands) and keeps gradients, blotches, lane smears and membrane
/// edges, which are long.
DetectionMap makeDetectionMap(const cv::Mat& signal, const cv::Mat& validMask);

} // namespace densito
