#pragma once

#include "core/image/image.h"

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace densito {

/// Which way bands deviate from the membrane background in the raw values.
enum class Polarity {
    LightBands, ///< raw chemiluminescence / fluorescence: more signal = larger value
    DarkBands   ///< inverted exports, film and stained-gel scans: more signal = smaller value
};

enum class PolarityMode { Auto, LightBands, DarkBands };

const char* toString(Polarity polarity); ///< "light-bands" / "dark-bands"
const char* toString(PolarityMode mode); ///< "auto" / "light-bands" / "dark-bands"
std::optional<PolarityMode> parsePolarityMode(std::string_view text);

/// The result of looking at the pixels for the band polarity.
struct PolarityEstimate {
    Polarity polarity = Polarity::LightBands;
    /// ln(energy of features brighter than the local background / energy of darker ones);
    /// positive means light bands. Near 0 the pixels do not tell.
    double score = 0.0;
    bool isConfident = false;
};

/// Decides polarity from the residual against a large-window median background, so that
/// gradients and a uniform frame do not count: bands are the strong one-sided deviations.
/// Works on a copy downsampled to at most 512 px on the long side.
/// Pixels where `validMask` (optional, CV_8UC1) is zero are left out.
PolarityEstimate estimatePolarity(const cv::Mat& raw, const cv::Mat& validMask = {});

/// Clipping levels at both ends of the raw range.
struct SaturationLevels {
    double upperRaw = 0.0;      ///< values >= this are clipped high (+inf: unknown)
    bool upperIsPileUp = false; ///< a detector clipping level found in the histogram
    double lowerRaw = 0.0;      ///< values <= this are clipped low (-inf: unknown)
    bool lowerIsPileUp = false;
};

/// Finds the clipping levels: the type's extreme when pixels reach it, else a pile-up of
/// pixels at the highest (lowest) value present, which a detector that clips below the type
/// maximum leaves (e.g. a 12-bit camera in a 16-bit file). Float data has no type extreme,
/// so only a pile-up counts there.
/// Pixels where `validMask` (optional, CV_8UC1) is zero are left out.
SaturationLevels findSaturationLevels(const cv::Mat& raw, const cv::Mat& validMask = {});

/// How raw values become the analysed signal (always "bands positive") and which raw
/// values are saturated, for one image.
struct SignalModel {
    Polarity polarity = Polarity::LightBands;
    bool isPolarityFromPixels = true; ///< false when the user forced it
    double polarityScore = 0.0;
    bool isPolarityConfident = true;
    /// Raw value at the band-side extreme at or beyond which a pixel is saturated
    /// (top of the range for light bands, bottom for dark bands); infinite when unknown.
    double saturationRaw = 0.0;
    std::string saturationSource; ///< "type maximum", "detector clipping", "type minimum", ...
    std::uint64_t saturatedPixels = 0;
    /// Dark bands: signal = signalReference - raw. Light bands: signal = raw.
    double signalReference = 0.0;
};

/// Builds the signal model of an image. A forced polarity skips the estimate. Warnings
/// (an undecidable polarity) are appended to `warnings`.
SignalModel describeSignal(const Image& image, PolarityMode mode,
                           std::vector<std::string>& warnings);

/// The analysed signal as CV_32FC1: raw, or signalReference - raw for dark bands.
cv::Mat bandsPositiveSignal(const cv::Mat& raw, const SignalModel& model);

/// As above, into `signal`, whose buffer is reused when it already has the size and type
/// (no fresh pages to fault in). `signal` must not share its buffer with anyone who still
/// reads it.
void bandsPositiveSignal(const cv::Mat& raw, const SignalModel& model, cv::Mat& signal);

/// cv::resize(source, result, {}, scale, scale, interpolation), except that a side that would
/// round to no pixel keeps one: a very long, thin image would otherwise make cv::resize throw
/// (found by fuzzing).
void resizeByScale(const cv::Mat& source, cv::Mat& result, double scale, int interpolation);

/// True when `rawValue` is saturated under `model`.
bool isSaturated(double rawValue, const SignalModel& model);

} // namespace densito
