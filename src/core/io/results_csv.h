#pragma once

#include "core/analysis/mw_calibration.h"
#include "core/image/signal.h"
#include "core/measure/blot_analysis.h"

#include <opencv2/core/mat.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace densito {

/// One image's analysis with the name it has in the CSV `image` column (its file name).
struct NamedAnalysis {
    std::string imageName;
    const BlotAnalysis* analysis = nullptr;
    /// The image's size in pixels; images of one membrane of the same size share its lane
    /// grid for whole-lane (stain) measures. Empty = unknown: never shared.
    cv::Size imageSizePx{};
    /// The pixels whole-lane measures read (bands-positive CV_32FC1 signal, valid mask,
    /// signal model); needed only for images a stain row measures, else may be null.
    const cv::Mat* signal = nullptr;
    const cv::Mat* validMask = nullptr;
    const SignalModel* signalModel = nullptr;
};

/// lanes.csv (ARCHITECTURE.md "Outputs"): image,lane,x_center,left,right,strip,kind,confidence.
std::string lanesCsv(const std::vector<NamedAnalysis>& images);

/// bands.csv: image,lane,band,x,y,width,height,volume,strip,background,peak,
/// saturated_pixels,snr,flags,mw_kda,peak_y. Numbers are written with the shortest text that
/// reads back to the same double, so the file round-trips; the same analysis always gives the
/// same bytes. `mw_kda` is the band's apparent mass read at its box's centre x and its
/// maximum's y (`peak_y`, the migration position; re-read by `quantify`) from the calibration
/// of its image and strip among `calibrations` (StripCalibration::kdaAt), rounded to 0.1 kDa
/// (a ladder reads masses to a few percent at best); empty without one or outside the
/// ladders' range.
std::string bandsCsv(const std::vector<NamedAnalysis>& images,
                     std::span<const StripCalibration> calibrations = {});

/// The apparent mass of `band` of `image` by `calibrations` (unrounded), as bands.csv reads it.
std::optional<double> bandMassKda(const Band& band, std::string_view image,
                                  std::span<const StripCalibration> calibrations);

/// A field quoted per RFC 4180 when it holds a comma, quote, CR or LF.
std::string csvField(std::string_view text);

/// The shortest decimal text that reads back to exactly `value` ("0" for -0).
std::string csvNumber(double value);

/// csvNumber of a value, or an empty field when there is none.
std::string csvOptionalNumber(const std::optional<double>& value);

} // namespace densito
