#pragma once

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

namespace densito {

/// The local background level of a band box, LI-COR Image Studio style ("Median", border width
/// N, all sides): the median of the pixels in the ring widthPx pixels wide around `box` (the
/// box grown by widthPx on every side, minus the box itself), clipped to the image. Pixels where
/// `excludeMask` (CV_8UC1, same size as `signal`, optional) is non-zero, such as other bands'
/// boxes, are left out, and so are non-finite signal values. With an even number of pixels the
/// median is the mean of the two middle values.
/// Returns NaN when no usable pixel is left (ring entirely outside the image or masked,
/// widthPx < 1, an empty box, empty or multi-channel signal, or a mask of the wrong size or
/// type): the caller should flag the band rather than invent a level. `signal` may have any
/// single-channel depth.
double borderMedian(const cv::Mat& signal, const cv::Rect& box, int widthPx,
                    const cv::Mat& excludeMask = {});

} // namespace densito
