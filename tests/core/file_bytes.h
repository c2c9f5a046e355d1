#pragma once

// Image fixtures for the reader tests. The byte file helpers they use with them
// (readFileBytes, writeFileBytes) are in support/file_io.h, included here.
#include "support/file_io.h"

#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace densito::test {

/// `image` encoded by OpenCV as `extension` (".png", ".jpg").
inline std::vector<std::uint8_t> encodeImage(const std::string& extension, const cv::Mat& image,
                                             const std::vector<int>& parameters = {}) {
    std::vector<std::uint8_t> bytes;
    if (!cv::imencode(extension, image, bytes, parameters)) {
        throw std::runtime_error("cv::imencode failed for " + extension);
    }
    return bytes;
}

/// Deterministic pixels covering the whole range of `type`'s depth (including both
/// extremes for integer types; negative and fractional values for float).
inline cv::Mat makeTestPixels(int rows, int cols, int type, std::uint64_t seed = 1) {
    cv::Mat image(rows, cols, type);
    cv::RNG random(seed);
    switch (CV_MAT_DEPTH(type)) {
    case CV_8U:
        random.fill(image, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(256));
        break;
    case CV_16U:
        random.fill(image, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(65536));
        break;
    default:
        random.fill(image, cv::RNG::UNIFORM, cv::Scalar::all(-1000.0), cv::Scalar::all(70000.0));
        break;
    }
    // Both extremes of an integer type, so that a codec that clips would show.
    if (CV_MAT_DEPTH(type) == CV_8U || CV_MAT_DEPTH(type) == CV_16U) {
        const double top = CV_MAT_DEPTH(type) == CV_8U ? 255.0 : 65535.0;
        image.row(0).setTo(cv::Scalar::all(0));
        image.row(rows - 1).setTo(cv::Scalar::all(top));
    }
    return image;
}

/// True when both images have the same type and size and identical values.
inline bool isIdentical(const cv::Mat& a, const cv::Mat& b) {
    return a.type() == b.type() && a.size() == b.size() && cv::norm(a, b, cv::NORM_INF) == 0;
}

} // namespace densito::test
