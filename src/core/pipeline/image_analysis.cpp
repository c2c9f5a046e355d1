#include "core/pipeline/image_analysis.h"

#include "core/detect/band_detector.h"
#include "core/detect/detection_map.h"
#include "core/detect/lane_detector.h"
#include "core/detect/profile_tools.h"
#include "core/detect/strip_detector.h"
#include "core/image/image_loader.h"
#include "core/image/signal.h"
#include "core/measure/band_measurer.h"

#include <chrono>

namespace densito {

BlotAnalysis analyzeSignal(const cv::Mat& signal, const Image& image, const SignalModel& model,
                           const AnalysisSettings& settings) {
    BlotAnalysis analysis;
    const DetectionMap map = makeDetectionMap(signal, image.validMask);
    analysis.strips = detectStrips(map);
    std::vector<BandCandidate> candidates;
    for (const Strip& strip : analysis.strips) {
        LaneDetectionOptions laneOptions;
        laneOptions.expectedLanes = settings.expectedLanes;
        const std::vector<Lane> lanes = detectLanes(map, strip, laneOptions, analysis.warnings);
        const std::vector<BandCandidate> found = detectBands(signal, strip, lanes);
        analysis.lanes.insert(analysis.lanes.end(), lanes.begin(), lanes.end());
        candidates.insert(candidates.end(), found.begin(), found.end());
    }
    MeasurementInput input;
    input.signal = signal;
    input.raw = image.raw;
    input.validMask = image.validMask;
    input.signalModel = model;
    input.noiseSigma = estimatePixelNoise(signal, image.validMask);
    analysis.noiseSigma = input.noiseSigma;
    const BackgroundMethod method = resolveBackgroundMethod(settings.background, candidates);
    analysis.backgroundMethod = toString(method);
    analysis.bands =
        measureBands(input, analysis.strips, analysis.lanes, candidates, method, analysis.warnings);
    if (analysis.lanes.empty()) {
        analysis.warnings.push_back("no lanes found");
    }
    return analysis;
}

std::expected<ImageResult, Error> analyzeImage(const std::filesystem::path& path,
                                               const AnalysisSettings& settings) {
    const auto start = std::chrono::steady_clock::now();
    auto image = loadImage(path, settings.inspection.load);
    if (!image) {
        return std::unexpected(image.error());
    }
    ImageResult result;
    result.inspection = describeImage(path, *image, settings.inspection.polarity);
    result.signal = bandsPositiveSignal(image->raw, result.inspection.signal);
    result.analysis = analyzeSignal(result.signal, *image, result.inspection.signal, settings);
    result.raw = image->raw;
    result.validMask = image->validMask;
    result.inspection.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace densito
