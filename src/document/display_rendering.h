#pragma once

#include "core/image/signal.h"

#include <QImage>

#include <opencv2/core/mat.hpp>

namespace densito {

/// The display contrast: the raw values shown as black and white (before any inversion),
/// lowRaw < highRaw, and the gamma of the curve between them (grey = 255 t^gamma, t the
/// value's place in the range; below 1 brightens faint signal). Display only.
struct DisplayRange {
    double lowRaw = 0.0;
    double highRaw = 1.0;
    double gamma = 1.0;

    friend bool operator==(const DisplayRange&, const DisplayRange&) = default;
};

/// Default quantiles of the automatic display contrast.
inline constexpr double kDisplayLowQuantile = 0.005;
inline constexpr double kDisplayHighQuantile = 0.999;

/// Contrast from robust percentiles: the raw values at `lowQuantile` and `highQuantile`
/// (0..1) of the content pixels (non-zero in `validMask`, or all when it is empty), so a few
/// hot pixels or a dark frame do not flatten the blot. Exact for 8/16-bit data (histogram);
/// float data is sampled (at most about two million pixels). Non-finite values are ignored.
DisplayRange robustDisplayRange(const cv::Mat& raw, const cv::Mat& validMask,
                                double lowQuantile = kDisplayLowQuantile,
                                double highQuantile = kDisplayHighQuantile);

/// The display grey (0..255) of one raw value: through the range's gamma curve between its
/// ends, clamped; reversed when `highIsDark`.
int displayGrey(double rawValue, DisplayRange range, bool highIsDark);

/// An 8-bit grey image (QImage::Format_Grayscale8) of `raw` (CV_8UC1, CV_16UC1 or
/// CV_32FC1) mapped through displayGrey. Pixels outside `validMask` are painted
/// `maskedGrey`. For display only: it never feeds a measurement. Thread-safe.
QImage renderDisplayImage(const cv::Mat& raw, const cv::Mat& validMask, DisplayRange range,
                          bool highIsDark, int maskedGrey);

/// Saturated content pixels (isSaturated under `model`) in opaque red, everything else
/// transparent: an overlay of the same size as `raw` (QImage::Format_Indexed8, colour 1 is
/// red). Null when the saturation level is unknown or no pixel reaches it. Thread-safe.
QImage renderSaturationOverlay(const cv::Mat& raw, const cv::Mat& validMask,
                               const SignalModel& model);

/// The stored value at (x, y) of a CV_8U, CV_16U or CV_32F image; no bounds check.
double rawAt(const cv::Mat& raw, int x, int y);

} // namespace densito
