#pragma once

#include <cstdint>
#include <filesystem>
#include <opencv2/core/mat.hpp>

namespace densito::test {

/// A small test blot with known content: `lanes` lanes of Gaussian bands on a flat
/// background plus deterministic noise, light bands on dark (raw chemiluminescence).
struct SyntheticBlotSpec {
    int width = 240;
    int height = 160;
    int lanes = 6;
    int bandRows = 2;
    double background = 800.0;
    double peak = 20000.0; ///< band height above the background at lane 1; lanes vary
    double noiseSigma = 40.0;
    double clipLevel = 65535.0; ///< values above are clipped here (detector saturation)
    std::uint64_t seed = 7;
};

/// CV_16UC1 image following `spec`.
cv::Mat makeSyntheticBlot(const SyntheticBlotSpec& spec);

/// Writes `count` default synthetic blots with seeds 1..count into `folder` (created when
/// missing) as blot_<n>.tif; false when a file cannot be written.
bool writeSyntheticBlots(const std::filesystem::path& folder, int count);

/// Writes the two-ladder blot of seed 2 (generateLadderBlot: PageRuler Plus in lanes 1 and 8,
/// six sample lanes) to `file` as a TIFF; false when it cannot be generated or written.
bool writeTwoLadderBlot(const std::filesystem::path& file);

/// The dark-bands version of a 16-bit image, as an inverting export writes it: 65535 - v.
cv::Mat invert16(const cv::Mat& image);

} // namespace densito::test
