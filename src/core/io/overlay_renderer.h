#pragma once

#include "core/analysis/mw_calibration.h"
#include "core/image/signal.h"
#include "core/measure/blot_analysis.h"

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <span>
#include <string>
#include <vector>

namespace densito {

/// What the overlay's legend says: the file and the parameters that produced the numbers.
struct OverlayLegend {
    std::string fileName;
    std::string parameters;
};

/// A lab-notebook picture of an analysis (CV_8UC3, BGR): the signal contrast-stretched
/// (0.5th to 99.8th percentile) and shown as dark bands on white, at most 2000 px wide;
/// padding (transparent pixels) white; saturated pixels in red; lane edges and numbers per strip;
/// band boxes coloured by their most serious flag (saturated red, weak orange, edge or overlap
/// purple, else green); a legend strip with the file name, the parameters and the colour key. With
/// `calibrations` (this image's strips), each matched marker of a ladder lane gets a tick and its
/// kDa beside the lane, on the side away from the sample lanes.
cv::Mat renderOverlay(const cv::Mat& signal, const cv::Mat& raw, const cv::Mat& validMask,
                      const SignalModel& model, const BlotAnalysis& analysis,
                      const OverlayLegend& legend,
                      std::span<const StripCalibration> calibrations = {});

/// PNG bytes of an 8-bit image.
std::vector<std::uint8_t> encodePng(const cv::Mat& image);

} // namespace densito
