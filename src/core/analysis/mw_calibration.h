#pragma once

#include "core/measure/blot_analysis.h"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace densito {

/// One marker of a ladder lane placed on the blot: its mass and where its band is. Positions
/// are those bands.csv holds (box centre x, `peak_y`), so a run re-read from its CSV files
/// (`quantify`) reads the same masses as the run that wrote them.
struct MarkerBand {
    double kda = 0.0;
    double xPx = 0.0; ///< original-image pixels
    double yPx = 0.0; ///< migration position (the band's maximum)

    friend bool operator==(const MarkerBand&, const MarkerBand&) = default;
};

/// A ladder lane's detected bands matched to its marker masses, and the migration law they
/// give: log10(kDa) interpolated linearly in y between neighbouring markers (semi-log
/// point-to-point, as Bio-Rad Image Lab's "point to point" fit). Not a global line or
/// polynomial: log(mass) vs migration bends at both ends of a gel, most in gradient gels
/// (Weber & Osborn 1969, J Biol Chem 244:4406; Hames, Gel Electrophoresis of Proteins, 3rd
/// ed., ch. 1), and a fitted curve trades accuracy at the markers for smoothness, where a
/// bracketing pair of markers is the best local evidence there is.
struct LadderCalibration {
    Lane lane;                       ///< the ladder lane
    double xPx = 0.0;                ///< mean x of the matched markers' bands
    std::vector<MarkerBand> markers; ///< matched, top to bottom (kDa decreasing, y increasing)
    int unmatchedMarkers = 0;        ///< markers of the set no band was matched to
    int extraBands = 0;              ///< bands of the lane matched to no marker
    bool isUnsure = false;           ///< another assignment of bands to markers fits as well
    std::string note;                ///< why unsure, or what was left unmatched; may be empty

    /// log10(kDa) at migration position `yPx`; beyond the outermost markers extrapolated along
    /// the end segment for at most half its length (kMarginOfEndSegment), else nothing.
    std::optional<double> log10KdaAt(double yPx) const;
    /// The migration position of log10(kDa) `log10Kda` (the inverse of log10KdaAt, same range).
    std::optional<double> yAt(double log10Kda) const;
};

/// Matches the bands found in a ladder lane (their migration positions and x, any order) to
/// the marker masses `markerKda` (top to bottom). The counts may differ: faint end markers go
/// undetected, a smear or doublet adds bands. Every anchoring of two bands to two markers is
/// tried; each proposes where all markers lie (log-linear through the anchors), bands within
/// 0.4 of the local marker spacing are assigned in order, and the law is refitted (a quadratic
/// in log10 kDa once four markers are matched, so a bent law is followed) and re-assigned
/// twice. The assignment with the most markers, then the fewest unmatched markers between
/// matched ones (markers go missing at the ends of a ladder, seldom in its middle), then the
/// smallest spacing-relative residual wins; it is unsure when a different assignment equal on
/// the first two has a residual less than twice as large, or when fewer than three markers, or
/// fewer than half of them, are matched (then `markers` is empty). Pure.
LadderCalibration matchLadderBands(const Lane& lane, std::span<const MarkerBand> bands,
                                   std::span<const double> markerKda);

/// The shape the strip's band rows share, y = a + slopeAtCentre (x - xCentrePx) + curvature
/// (x - xCentrePx)^2 per row (a per row): how lines of equal migration run across the strip
/// (tilt and smile), as the sample lanes show them.
struct RowShape {
    double xCentrePx = 0.0;
    double slopeAtCentre = 0.0; ///< dy/dx at xCentrePx
    double curvature = 0.0;     ///< 1/px
    /// y of the shape at x relative to its y at `fromX`.
    double riseBetween(double fromX, double x) const {
        const double u = x - xCentrePx;
        const double v = fromX - xCentrePx;
        return slopeAtCentre * (u - v) + curvature * (u * u - v * v);
    }
};

/// How masses are read in one strip of one image: from its ladder lanes (left to right) and
/// the band rows' shape. With one ladder a point is carried to the ladder along the row shape
/// (tilt and smile); with two or more, a point between two ladders is read on the curve that
/// joins the two ladders' positions of the same mass with the rows' curvature (the straight
/// part between them comes from the ladders, so uneven running is followed too); beyond the
/// outermost ladders, and beyond the masses both ladders show (one lost an end marker), the
/// nearest ladder that shows the mass is used as a single one.
struct StripCalibration {
    std::string image; ///< the image's file name
    int strip = 1;
    std::vector<LadderCalibration> ladders; ///< usable ones (markers not empty), left to right
    std::vector<int> ladderLanes;           ///< every ladder lane of the layout, used or not
    /// Median shape of the band rows with bands in at least four sample lanes; absent: lines
    /// of equal migration are taken as straight across the strip.
    std::optional<RowShape> rowShape;
    std::vector<std::string> warnings; ///< one sentence each, naming image, strip and lane

    bool isUsable() const { return !ladders.empty(); }
    /// The mass at a point of the strip (original-image pixels), or nothing when the point is
    /// outside the range the ladders calibrate (see LadderCalibration::log10KdaAt) or there
    /// is no usable ladder. For the GUI's kDa axis too.
    std::optional<double> kdaAt(double xPx, double yPx) const;
};

/// Where the calibration places one mass along a path down a strip.
struct MassTick {
    double kda = 0.0;
    double xPx = 0.0; ///< original-image pixels (pixel centres, as Lane and Band)
    double yPx = 0.0;

    friend bool operator==(const MassTick&, const MassTick&) = default;
};

/// The strip's marker masses (every mass a usable ladder matched, each once, heaviest first)
/// placed along the path x = xAt(y) from `topPx` to `bottomPx`: for each mass the row where
/// kdaAt(xAt(y), y) equals it, bracketed in steps of at most 1 px and bisected to 0.001 px
/// (the mass falls down the strip, so the first crossing is the one). A mass the calibration
/// does not reach along the path is left out, so ticks follow tilt and smile wherever the
/// path runs: a strip's edge (the GUI's kDa axis) or a lane's centre line (its profile's kDa
/// scale). Empty without a usable ladder. Pure.
std::vector<MassTick> massTicksAlong(const StripCalibration& calibration,
                                     const std::function<double(double yPx)>& xAt, double topPx,
                                     double bottomPx);

/// Where a band is for reading its mass: its box's centre x and its maximum's y. The maximum,
/// not the box centre: a band's tail toward the wells stretches its box upward, more for broad
/// sample bands than for sharp markers (on synthetic ladders the box centre doubled the median
/// error).
inline double bandXPx(const Band& band) {
    return band.box.x + 0.5 * band.box.width;
}
inline double bandYPx(const Band& band) {
    return band.peakYPx;
}

/// The calibration of one strip from the ladder lanes `ladderLanes` (indices within the strip)
/// with their marker lists: the bands `analysis` found in each, matched by matchLadderBands.
/// A ladder lane the strip does not have, or with too few matched markers, is left out with a
/// warning; an unsure match is used and warned about.
StripCalibration calibrateStrip(const std::string& image, const BlotAnalysis& analysis, int strip,
                                std::span<const int> ladderLanes,
                                std::span<const std::vector<double>> markerKda);

/// What leaves the molecular weights of `image` in doubt (a ladder lane refused or matched
/// unsure: its calibrations' warnings), one sentence each: reasons to review the image.
std::vector<std::string> calibrationDoubts(std::span<const StripCalibration> calibrations,
                                           std::string_view image);

/// The calibration of `strip` of `image` among `calibrations`, or null.
const StripCalibration* findCalibration(std::span<const StripCalibration> calibrations,
                                        std::string_view image, int strip);

} // namespace densito
