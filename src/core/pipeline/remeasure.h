#pragma once

#include "core/error.h"
#include "core/image/image.h"
#include "core/image/signal.h"
#include "core/measure/background_method.h"
#include "core/measure/blot_analysis.h"
#include "core/pipeline/image_analysis.h"
#include "core/pipeline/image_geometry.h"

#include <expected>
#include <filesystem>
#include <opencv2/core/mat.hpp>
#include <optional>

namespace densito {

/// The whole-image results a measurement needs besides the bands (the pixel noise and the
/// rolling-ball background), kept by a caller that measures one image again after every edit,
/// so that an edit costs only the per-band work. It keeps a reference to the signal and
/// valid-pixel mask it was filled from and starts again when given others (another buffer,
/// size or type); a signal changed in place needs a fresh cache. Memory: with rolling-ball,
/// one float image (48 MB at 4000x3000), for the last radius asked. One per image; not
/// thread-safe (one thread at a time).
class MeasurementCache {
public:
    /// estimatePixelNoise(signal, validMask), computed once per signal.
    double pixelNoise(const cv::Mat& signal, const cv::Mat& validMask);

    /// rollingBallBackground(signal, radiusPx), computed once per signal and radius.
    const cv::Mat& rollingBall(const cv::Mat& signal, const cv::Mat& validMask, double radiusPx);

private:
    /// Forgets everything when `signal` or `validMask` are not the images it was filled from.
    void bind(const cv::Mat& signal, const cv::Mat& validMask);

    cv::Mat m_signal;
    cv::Mat m_validMask;
    std::optional<double> m_pixelNoise;
    std::optional<double> m_rollingBallRadiusPx;
    cv::Mat m_rollingBall;
};

/// The background method a measurement of `geometry` uses for `requested`: as requested when
/// it has a parameter, else with the geometry's automatic parameter for its kind, else
/// resolved from the geometry's bands not marked manual (resolveBackgroundMethod).
BackgroundMethod backgroundMethodFor(const BackgroundMethod& requested,
                                     const ImageGeometry& geometry);

/// Measures the bands of `geometry` in a loaded image without detecting anything, as
/// analyzeSignal measures what it detected: remeasure(detectGeometry(...)) is analyzeSignal,
/// and remeasure(geometryOf(analysis)) gives the same bands.csv and lanes.csv as `analysis`,
/// for every background method. Only `settings.background` is used. The analysis's warnings
/// are the geometry's, then the measurement's. Strip regions reaching beyond the image are
/// measured inside it (with a warning). Bands keep the geometry's order and manual flags; a
/// band whose lane or strip is not in the geometry gets an empty box and no numbers. Pure;
/// thread-safe.
BlotAnalysis remeasure(const cv::Mat& signal, const Image& image, const SignalModel& model,
                       const AnalysisSettings& settings, const ImageGeometry& geometry);

/// The same, taking the pixel noise and the rolling-ball background from `cache` (filling it
/// when needed): the same numbers, bit for bit, at the cost of the per-band work only.
BlotAnalysis remeasure(const cv::Mat& signal, const Image& image, const SignalModel& model,
                       const AnalysisSettings& settings, const ImageGeometry& geometry,
                       MeasurementCache& cache);

/// Loads and inspects an image file as analyzeImage does (page and polarity from `settings`)
/// and measures `geometry` in it: opening a saved project gives the analysis it was saved
/// with. Thread-safe.
std::expected<ImageResult, Error> remeasureImage(const std::filesystem::path& path,
                                                 const AnalysisSettings& settings,
                                                 const ImageGeometry& geometry);

} // namespace densito
