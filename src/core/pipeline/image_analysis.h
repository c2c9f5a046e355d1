#pragma once

#include "core/error.h"
#include "core/image/image.h"
#include "core/measure/background_method.h"
#include "core/measure/blot_analysis.h"
#include "core/pipeline/image_geometry.h"
#include "core/pipeline/image_inspection.h"

#include <expected>
#include <filesystem>
#include <map>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <vector>

namespace densito {

/// Every parameter of one image's analysis; recorded in run.json.
struct AnalysisSettings {
    InspectionSettings inspection;
    int expectedLanes = 0; ///< per strip; 0 = decide from the image
    /// Strip regions a layout gives (blots.csv `region`), original-image pixels, clipped to
    /// the image; strips are then taken from here, numbered in this order, not detected.
    std::vector<cv::Rect> stripRegions;
    /// Lanes expected in particular strips (by index), overriding `expectedLanes` there.
    std::map<int, int> expectedLanesByStrip;
    /// Strips a layout names in the image (its highest `strip`); 0 = decided from the image.
    /// When fewer are found, strips are cut between band rows to that many (detectStrips).
    int expectedStrips = 0;
    /// Per strip (by index), the kinds of the lanes a layout names (lane number to kind: a
    /// samples.csv row of condition `ladder` names a ladder, any other row a sample). A lane
    /// the layout names takes its kind from it, whatever detection saw; other lanes keep the
    /// kind detection gave them.
    std::map<int, std::map<int, LaneKind>> laneKindsByStrip;
    BackgroundMethod background{BackgroundKind::BorderMedian, std::nullopt};

    friend bool operator==(const AnalysisSettings&, const AnalysisSettings&) = default;
};

/// One analysed image: what the file is, and what was found and measured in it.
struct ImageResult {
    ImageInspection inspection;
    BlotAnalysis analysis;
    /// What detection found (or what was given): remeasure() of it gives `analysis` again.
    ImageGeometry geometry;
    /// Full-resolution images for overlays; a batch releases them once drawn.
    cv::Mat signal;    ///< bands positive
    cv::Mat raw;       ///< as stored
    cv::Mat validMask; ///< empty when every pixel is image content
};

/// Sets the kind of each lane of `lanes` that `settings.laneKindsByStrip` names.
void applyLaneKinds(const AnalysisSettings& settings, std::vector<Lane>& lanes);

/// Detects strips (or takes them from `settings.stripRegions`), lanes and bands in a loaded
/// image, without measuring them; the automatic background parameters are resolved from the
/// bands found. Pure and thread-safe.
ImageGeometry detectGeometry(const cv::Mat& signal, const Image& image,
                             const AnalysisSettings& settings);

/// Detects strips, lanes and bands in a loaded image and measures them: remeasure() of
/// detectGeometry(). Pure: the same image and settings always give the same numbers, on any
/// thread.
BlotAnalysis analyzeSignal(const cv::Mat& signal, const Image& image, const SignalModel& model,
                           const AnalysisSettings& settings);

/// Loads, inspects and analyses one image file: measures `geometry` when given (a saved
/// project), else the geometry detected in the image. Thread-safe.
std::expected<ImageResult, Error>
analyzeImage(const std::filesystem::path& path, const AnalysisSettings& settings,
             const std::optional<ImageGeometry>& geometry = std::nullopt);

} // namespace densito
