#pragma once

#include <cstdint>
#include <filesystem>
#include <opencv2/core/mat.hpp>
#include <vector>

namespace densito::test {

/// How a test fixture TIFF is encoded (written with libtiff itself).
struct TiffEncoding {
    std::uint16_t compression =
        1; ///< libtiff COMPRESSION_* (1 none, 5 LZW, 8 Deflate, 32773 PackBits)
    std::uint16_t predictor = 1; ///< 1 none, 2 horizontal differencing
    bool isTiled = false;
    int tileSize = 16; ///< multiple of 16
    bool isBigEndian = false;
    int rowsPerStrip = 0;          ///< 0: libtiff's default
    std::uint16_t photometric = 1; ///< PHOTOMETRIC_MINISBLACK; 0 min-is-white; 2 RGB
    bool isSeparatePlanes = false; ///< PLANARCONFIG_SEPARATE for multi-channel pages
    float xResolution = 0;         ///< written when > 0 (pixels per inch)
};

/// Writes each Mat as one page. Mats are CV_8U, CV_16U or CV_32F with 1 or more channels
/// (CV_8S, CV_16S, CV_32S and CV_64F also work, as signed integer and 64-bit float samples,
/// to make files Densito must refuse). Channels are stored in Mat order (RGB, not BGR).
/// Throws std::runtime_error when libtiff cannot write the file.
void writeTiff(const std::filesystem::path& path, const std::vector<cv::Mat>& pages,
               const TiffEncoding& encoding = {});

} // namespace densito::test
