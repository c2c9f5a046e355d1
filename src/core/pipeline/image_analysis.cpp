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
#include <fmt/format.h>

namespace densito {

BlotAnalysis analyzeSignal(const cv::Mat& signal, const Image& image, const SignalModel& model,
                           const AnalysisSettings& settings) {
    BlotAnalysis analysis;
    const DetectionMap map = makeDetectionMap(signal, image.validMask);
    if (settings.stripRegions.empty()) {
        analysis.strips = detectStrips(map);
    }
    const cv::Rect bounds(0, 0, signal.cols, signal.rows);
    for (std::size_t i = 0; i < settings.stripRegions.size(); ++i) {
        const cv::Rect& region = settings.stripRegions[i];
        const cv::Rect clipped = region & bounds;
        if (clipped.area() == 0) {
            analysis.warnings.push_back(fmt::format(
                "strip region {};{};{};{} lies outside the {}x{} image; left out", region.x,
                region.y, region.width, region.height, signal.cols, signal.rows));
            continue;
        }
        analysis.strips.push_back({static_cast<int>(i) + 1, clipped});
    }
    std::vector<BandCandidate> candidates;
    for (const Strip& strip : analysis.strips) {
        LaneDetectionOptions laneOptions;
        const auto byStrip = settings.expectedLanesByStrip.find(strip.index);
        laneOptions.expectedLanes = byStrip != settings.expectedLanesByStrip.end()
                                        ? byStrip->second
                                        : settings.expectedLanes;
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
