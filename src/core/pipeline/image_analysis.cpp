#include "core/pipeline/image_analysis.h"

#include "core/detect/band_detector.h"
#include "core/detect/detection_map.h"
#include "core/detect/lane_detector.h"
#include "core/detect/strip_detector.h"
#include "core/image/image_loader.h"
#include "core/image/signal.h"
#include "core/pipeline/remeasure.h"

#include <atomic>
#include <chrono>
#include <fmt/format.h>

namespace densito {

void applyLaneKinds(const AnalysisSettings& settings, std::vector<Lane>& lanes) {
    for (Lane& lane : lanes) {
        const auto strip = settings.laneKindsByStrip.find(lane.strip);
        if (strip == settings.laneKindsByStrip.end()) {
            continue;
        }
        if (const auto kind = strip->second.find(lane.index); kind != strip->second.end()) {
            lane.kind = kind->second;
        }
    }
}

ImageGeometry detectGeometry(const cv::Mat& signal, const Image& image,
                             const AnalysisSettings& settings) {
    ImageGeometry geometry;
    const DetectionMap map = makeDetectionMap(signal, image.validMask);
    if (settings.stripRegions.empty()) {
        geometry.strips = detectStrips(map, &geometry.reviewReasons, settings.expectedStrips);
    }
    const cv::Rect bounds(0, 0, signal.cols, signal.rows);
    for (std::size_t i = 0; i < settings.stripRegions.size(); ++i) {
        const cv::Rect& region = settings.stripRegions[i];
        const cv::Rect clipped = region & bounds;
        if (clipped.area() == 0) {
            geometry.warnings.push_back(fmt::format(
                "strip region {};{};{};{} lies outside the {}x{} image; left out", region.x,
                region.y, region.width, region.height, signal.cols, signal.rows));
            continue;
        }
        geometry.strips.push_back({static_cast<int>(i) + 1, clipped});
    }
    for (const Strip& strip : geometry.strips) {
        LaneDetectionOptions laneOptions;
        const auto byStrip = settings.expectedLanesByStrip.find(strip.index);
        laneOptions.expectedLanes = byStrip != settings.expectedLanesByStrip.end()
                                        ? byStrip->second
                                        : settings.expectedLanes;
        StripLanes found = detectLanes(map, strip, laneOptions, geometry.warnings);
        geometry.reviewReasons.insert(geometry.reviewReasons.end(), found.reviewReasons.begin(),
                                      found.reviewReasons.end());
        geometry.lanes.insert(geometry.lanes.end(), found.lanes.begin(), found.lanes.end());
        for (const BandCandidate& candidate : detectBands(signal, strip, found.lanes)) {
            geometry.bands.push_back({candidate, false});
        }
    }
    applyLaneKinds(settings, geometry.lanes);
    if (geometry.lanes.empty() && geometry.reviewReasons.empty()) {
        geometry.reviewReasons.push_back("no lanes found");
    }
    resolveAutomaticBackground(geometry);
    return geometry;
}

BlotAnalysis analyzeSignal(const cv::Mat& signal, const Image& image, const SignalModel& model,
                           const AnalysisSettings& settings) {
    return remeasure(signal, image, model, settings, detectGeometry(signal, image, settings));
}

std::expected<ImageResult, Error> analyzeImage(const std::filesystem::path& path,
                                               const AnalysisSettings& settings,
                                               const std::optional<ImageGeometry>& geometry) {
    const auto start = std::chrono::steady_clock::now();
    auto image = loadImage(path, settings.inspection.load);
    if (!image) {
        return std::unexpected(image.error());
    }
    ImageResult result;
    result.inspection = describeImage(path, *image, settings.inspection.polarity);
    // A batch thread's next image reuses the signal buffer of its last one once that is
    // released (a batch releases each image's pixels when its overlay is drawn): 4 bytes per
    // pixel not faulted in afresh, which was a quarter of a 4000x3000 analysis. A buffer still
    // held elsewhere (a document showing the image) is left alone.
    thread_local cv::Mat reusableSignal;
    if (reusableSignal.u != nullptr &&
        std::atomic_ref<int>(reusableSignal.u->refcount).load() > 1) {
        reusableSignal.release();
    }
    bandsPositiveSignal(image->raw, result.inspection.signal, reusableSignal);
    result.signal = reusableSignal;
    result.geometry = geometry ? *geometry : detectGeometry(result.signal, *image, settings);
    result.analysis =
        remeasure(result.signal, *image, result.inspection.signal, settings, result.geometry);
    result.raw = image->raw;
    result.validMask = image->validMask;
    result.inspection.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace densito
