#include "core/pipeline/remeasure.h"

#include "core/detect/profile_tools.h"
#include "core/measure/band_measurer.h"
#include "core/measure/rolling_ball.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace densito {
namespace {

/// The same pixels: the same buffer, size, type and row step.
bool isSameImage(const cv::Mat& a, const cv::Mat& b) {
    return a.data == b.data && a.size() == b.size() && a.type() == b.type() &&
           a.step[0] == b.step[0];
}

BlotAnalysis measure(const cv::Mat& signal, const Image& image, const SignalModel& model,
                     const AnalysisSettings& settings, const ImageGeometry& geometry,
                     MeasurementCache* cache) {
    BlotAnalysis analysis;
    analysis.warnings = geometry.warnings;
    analysis.lanes = geometry.lanes;
    // A strip beyond the image (an edited project, a replaced image file) would box bands
    // outside the pixels; measuring inside the image keeps every read in bounds.
    const cv::Rect bounds(0, 0, signal.cols, signal.rows);
    for (const Strip& strip : geometry.strips) {
        const cv::Rect inside = strip.region & bounds;
        if (inside != strip.region) {
            analysis.warnings.push_back(fmt::format(
                "strip {} ({};{};{};{}) reaches beyond the {}x{} image; measured inside it",
                strip.index, strip.region.x, strip.region.y, strip.region.width,
                strip.region.height, signal.cols, signal.rows));
        }
        analysis.strips.push_back({strip.index, inside});
    }

    MeasurementInput input;
    input.signal = signal;
    input.raw = image.raw;
    input.validMask = image.validMask;
    input.signalModel = model;
    input.noiseSigma = cache != nullptr ? cache->pixelNoise(signal, image.validMask)
                                        : estimatePixelNoise(signal, image.validMask);
    // Neighbours that mostly differ by nothing (a clean 8-bit export, a smoothed figure) give a
    // noise estimate of 0, which would call every band weak; whole-number values still carry
    // their rounding, one step / sqrt(12) (signal units are raw units).
    if (image.raw.depth() != CV_32F) {
        input.noiseSigma = std::max(input.noiseSigma, 1.0 / std::sqrt(12.0));
    }
    analysis.noiseSigma = input.noiseSigma;
    const BackgroundMethod method = backgroundMethodFor(settings.background, geometry);
    analysis.backgroundMethod = toString(method);
    if (cache != nullptr && method.kind == BackgroundKind::RollingBall) {
        // measureBands' own fallback radius, so that the cached image is the one it would make.
        input.rollingBallImage =
            cache->rollingBall(signal, image.validMask, method.parameterPx.value_or(50.0));
    }
    analysis.bands = measureBands(input, analysis.strips, analysis.lanes, candidatesOf(geometry),
                                  method, analysis.warnings);
    for (std::size_t i = 0; i < analysis.bands.size() && i < geometry.bands.size(); ++i) {
        analysis.bands[i].isManual = geometry.bands[i].isManual;
    }
    analysis.reviewReasons = geometry.reviewReasons;
    analysis.needsReview = !analysis.reviewReasons.empty();
    if (analysis.lanes.empty()) {
        analysis.warnings.push_back("no lanes found");
    }
    return analysis;
}

} // namespace

void MeasurementCache::bind(const cv::Mat& signal, const cv::Mat& validMask) {
    if (isSameImage(m_signal, signal) && isSameImage(m_validMask, validMask)) {
        return;
    }
    m_signal = signal;
    m_validMask = validMask;
    m_pixelNoise.reset();
    m_rollingBallRadiusPx.reset();
    m_rollingBall.release();
}

double MeasurementCache::pixelNoise(const cv::Mat& signal, const cv::Mat& validMask) {
    bind(signal, validMask);
    if (!m_pixelNoise) {
        m_pixelNoise = estimatePixelNoise(signal, validMask);
    }
    return *m_pixelNoise;
}

const cv::Mat& MeasurementCache::rollingBall(const cv::Mat& signal, const cv::Mat& validMask,
                                             double radiusPx) {
    bind(signal, validMask);
    if (m_rollingBallRadiusPx != radiusPx) {
        rollingBallBackground(signal, radiusPx, m_rollingBall);
        m_rollingBallRadiusPx = radiusPx;
    }
    return m_rollingBall;
}

BackgroundMethod backgroundMethodFor(const BackgroundMethod& requested,
                                     const ImageGeometry& geometry) {
    if (requested.parameterPx) {
        return requested;
    }
    BackgroundMethod method = requested;
    if (method.kind == BackgroundKind::RollingBall && geometry.automaticRollingBallRadiusPx) {
        method.parameterPx = geometry.automaticRollingBallRadiusPx;
        return method;
    }
    if (method.kind == BackgroundKind::BorderMedian && geometry.automaticBorderMedianWidthPx) {
        method.parameterPx = geometry.automaticBorderMedianWidthPx;
        return method;
    }
    return resolveBackgroundMethod(requested, detectedCandidatesOf(geometry));
}

BlotAnalysis remeasure(const cv::Mat& signal, const Image& image, const SignalModel& model,
                       const AnalysisSettings& settings, const ImageGeometry& geometry) {
    return measure(signal, image, model, settings, geometry, nullptr);
}

BlotAnalysis remeasure(const cv::Mat& signal, const Image& image, const SignalModel& model,
                       const AnalysisSettings& settings, const ImageGeometry& geometry,
                       MeasurementCache& cache) {
    return measure(signal, image, model, settings, geometry, &cache);
}

std::expected<ImageResult, Error> remeasureImage(const std::filesystem::path& path,
                                                 const AnalysisSettings& settings,
                                                 const ImageGeometry& geometry) {
    return analyzeImage(path, settings, geometry);
}

} // namespace densito
