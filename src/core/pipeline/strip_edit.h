#pragma once

#include "core/error.h"
#include "core/measure/blot_analysis.h"
#include "core/pipeline/image_geometry.h"

#include <expected>
#include <map>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace densito {

/// What detection finds in one membrane region a person drew or moved: the strip (marked
/// manual) with its lanes and bands, as detectGeometry finds them in a strip a layout gives
/// (blots.csv `region`).
struct StripContents {
    Strip strip;
    std::vector<Lane> lanes;
    std::vector<BandGeometry> bands;
    std::vector<std::string> warnings;
    std::vector<std::string> reviewReasons;
};

/// The lanes (detectLanes on the whole image's detection map, with `expectedLanes`, 0 =
/// decided from the image) and bands (detectBands) of `region` (original-image pixels, clipped
/// to the image), numbered as strip `index`. The same lanes and bands as detectGeometry with
/// `region` as the image's only strip region. `signal` is bands positive (CV_32FC1);
/// `validMask` may be empty. A region too small for lanes gets none, and a review reason, as
/// detection gives it. Error: the region holds no pixel of the image. Pure and thread-safe;
/// costs a detection map of the whole image.
std::expected<StripContents, Error> detectStripContents(const cv::Mat& signal,
                                                        const cv::Mat& validMask,
                                                        const cv::Rect& region, int index,
                                                        int expectedLanes);

/// An image's geometry after a person changed its strips, and how the strips that stayed were
/// renumbered (old Strip::index -> new), for what is kept by strip index (expected lane counts).
struct StripEdit {
    ImageGeometry geometry;
    std::map<int, int> renumbered;
};

/// The index `region` would get among the image's strips, strip `replaced` (Strip::index; 0 =
/// none) left out: strips are numbered as detectStrips numbers them, top to bottom in tiers
/// (strips overlapping the first of a tier vertically by more than half the smaller height),
/// each tier left to right. Errors: the region overlaps another strip (a pixel would belong to
/// two membranes).
std::expected<int, Error> stripIndexFor(const ImageGeometry& geometry, const cv::Rect& region,
                                        int replaced);

/// `geometry` with `contents` as a new strip (`replaced` = 0) or in place of strip `replaced`,
/// whose lanes and bands go; every strip renumbered (stripIndexFor) with its lanes and bands.
/// Warnings and review reasons that begin "strip N: " follow the renumbering; those of the
/// replaced strip go, and the new strip's are added. The automatic background parameters are
/// resolved again from the detected bands (resolveAutomaticBackground). Errors as
/// stripIndexFor, and a `replaced` strip that does not exist.
std::expected<StripEdit, Error> withStripContents(const ImageGeometry& geometry, int replaced,
                                                  StripContents contents);

/// `geometry` without strip `strip`, its lanes, bands, warnings and review reasons; the other
/// strips renumbered (as stripIndexFor) with theirs. The automatic background parameters are
/// resolved again. Error: no such strip.
std::expected<StripEdit, Error> withoutStrip(const ImageGeometry& geometry, int strip);

} // namespace densito
