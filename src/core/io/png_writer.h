#pragma once

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <vector>

namespace densito {

/// PNG bytes of an 8- or 16-bit image with 1 (grey), 3 (BGR) or 4 (BGRA) channels, written
/// with libpng; empty when the image is empty or of another type. The encoder settings are
/// those of OpenCV's imencode (sub filter, zlib level 1, run-length strategy), so the files
/// are the ones Densito wrote before it dropped OpenCV's codec module.
std::vector<std::uint8_t> writePng(const cv::Mat& image);

} // namespace densito
