#pragma once

#include "core/detect/band_detector.h"
#include "core/measure/blot_analysis.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace densito {

/// One band's place, as detection found it or the user drew it: what measuring needs to box
/// and integrate it again (band_measurer.h, measureBands).
struct BandGeometry {
    BandCandidate candidate;
    bool isManual = false; ///< added or edited by the user

    friend bool operator==(const BandGeometry& a, const BandGeometry& b);
};

/// Everything detection decides about one image (strips, lanes, bands), so that the image can
/// be measured again after an edit, or after re-opening a project, without detecting anything:
/// remeasure(geometry) gives the same numbers as the analysis the geometry came from.
/// Original-image pixels throughout.
struct ImageGeometry {
    std::vector<Strip> strips;
    std::vector<Lane> lanes;         ///< by strip, then left to right
    std::vector<BandGeometry> bands; ///< by strip, lane, row: the order of bands.csv
    /// The automatic background parameters (resolveBackgroundMethod) as resolved from the
    /// detected bands. Kept with the geometry so that an edit of one band does not change the
    /// radius or width under every other band; when absent they are resolved from the bands
    /// not marked manual at each measurement.
    std::optional<double> automaticRollingBallRadiusPx;
    std::optional<double> automaticBorderMedianWidthPx;
    std::vector<std::string> warnings; ///< from detecting strips and lanes
    /// Why detection is unsure of this image (one sentence each); empty when it is sure. A
    /// person's edit of the geometry does not clear them: the person says so (markReviewed).
    std::vector<std::string> reviewReasons;

    friend bool operator==(const ImageGeometry&, const ImageGeometry&) = default;
};

/// The band candidates of the geometry, in its order.
std::vector<BandCandidate> candidatesOf(const ImageGeometry& geometry);

/// The band candidates of the bands not marked manual, in the geometry's order.
std::vector<BandCandidate> detectedCandidatesOf(const ImageGeometry& geometry);

/// Sets the automatic background parameters from the bands not marked manual (after
/// detection: all of them).
void resolveAutomaticBackground(ImageGeometry& geometry);

/// The geometry of a measured analysis: strips and lanes as they are, and each band's
/// candidate rebuilt from the band (rows topPx..bottomPx are its box's rows, which detection
/// keeps inside the strip; overlapping = the `overlap` flag). The automatic background
/// parameters are resolved from those not marked manual, as analyzeSignal resolved them from
/// what it detected. Warnings are left out: an analysis's warnings mix detection and
/// measurement. Review reasons are detection's alone and are kept.
ImageGeometry geometryOf(const BlotAnalysis& analysis);

/// Adds a band the user drew in lane `lane` of strip `strip` over image rows
/// topPx..bottomPx (inclusive), centred there (peakYPx = the middle row), marked manual, and
/// returns its index in `geometry.bands`. It joins the strip's band row whose median peak lies
/// within the row's median half-height of the new band's middle, the nearest such row where
/// the lane has no band yet; else it starts a new row, and the rows below it are renumbered so
/// rows stay numbered top to bottom (by their median peak). Bands stay ordered by strip, lane
/// and row. Measuring boxes it with its lane's width, like any band.
std::size_t addManualBand(ImageGeometry& geometry, int strip, int lane, int topPx, int bottomPx);

/// Inserts `lane` into its strip (`lane.strip`) and returns its index in `geometry.lanes`.
/// It goes at `position` when given (undoing removeLane), else before the strip's first lane
/// whose centre lies right of its own (after the strip's last lane when none does). It is
/// numbered one after the strip's lane before it (1 when it is the first); the strip's lanes
/// and bands numbered from there on move up by one, so removeLane() of the returned index
/// gives the geometry back. The lane's bands are not touched: it has none yet.
std::size_t insertLane(ImageGeometry& geometry, Lane lane,
                       std::optional<std::size_t> position = std::nullopt);

/// Removes `geometry.lanes[laneIndex]` and its bands; the strip's lanes and bands numbered
/// after it move down by one. Does nothing for an index out of range.
void removeLane(ImageGeometry& geometry, std::size_t laneIndex);

} // namespace densito
