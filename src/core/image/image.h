#pragma once

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>
#include <vector>

namespace densito {

enum class FileFormat { Tiff, Png, Jpeg };

/// How the file says its values map to brightness. A display hint only: pixel values are
/// always kept as stored (an Amersham ImageQuant 800 writes raw counts under min-is-white).
enum class Photometric { MinIsBlack, MinIsWhite, Rgb, Palette, Other };

enum class SampleKind { UnsignedInt, Float };

/// What a file holds, as read from its header and pixels.
struct ImageMetadata {
    FileFormat format = FileFormat::Tiff;
    int width = 0;
    int height = 0;
    int bitsPerSample = 0; ///< of the stored samples: 8, 16 or 32 (float)
    SampleKind sampleKind = SampleKind::UnsignedInt;
    int samplesPerPixel = 1; ///< as stored; colour files are reduced to one luminance channel
    int pageCount = 1;       ///< TIFF directories (1 for PNG/JPEG)
    int pageIndex = 0;       ///< the page that was read, 0-based
    Photometric photometric = Photometric::MinIsBlack;
    std::string compression; ///< "none", "LZW", "Deflate", "PackBits", "PNG", "JPEG", ...
    bool tiled = false;
    bool bigEndian = false;
    bool lossy = false;
    std::optional<double> xResolution; ///< pixels per resolutionUnit
    std::optional<double> yResolution;
    std::string resolutionUnit; ///< "inch", "centimeter" or "none"
    std::string software;
    std::string make;
    std::string model;
    std::string description;
    std::string dateTime;
    std::uintmax_t fileSizeBytes = 0;
    std::string sha256; ///< of the whole file, lowercase hex
};

/// A loaded image: one channel of raw values exactly as stored.
/// `raw` is CV_8UC1, CV_16UC1 or CV_32FC1; rows are image rows, top first.
struct Image {
    cv::Mat raw;
    /// CV_8UC1, non-zero where the pixel is image content; empty when every pixel is.
    /// Fully transparent pixels (alpha 0, e.g. padding added by a figure tool) are not.
    cv::Mat validMask;
    ImageMetadata metadata;
    std::vector<std::string> warnings; ///< e.g. lossy JPEG, colour file reduced to luminance
};

const char* toString(FileFormat format);
const char* toString(Photometric photometric);

/// The largest value the stored sample type can hold (255, 65535); for float, +infinity.
double typeMaximum(const cv::Mat& raw);

} // namespace densito
