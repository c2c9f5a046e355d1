#pragma once

#include "core/analysis/layout_sheets.h"
#include "core/analysis/quantification.h"
#include "core/error.h"
#include "core/io/results_csv.h"
#include "core/pipeline/image_analysis.h"

#include <expected>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace densito {

/// The analysis settings for one image of an experiment: `base`, plus what the layout says
/// about the image. When its blots.csv rows give regions, those are its strips, numbered in
/// order of first appearance; the lanes expected in a strip are the highest lane samples.csv
/// lists for the membrane the strip holds (a strip shared by several membranes with different
/// counts, or an image without rows, keeps `base`).
AnalysisSettings experimentSettingsFor(const Layout& layout, std::string_view imageName,
                                       const AnalysisSettings& base);

/// Problems of the layout that only show against the analysed images: an image whose rows mix
/// `region` with `strip`, a row naming a strip the image does not have, or no strip on an image
/// that holds several (not for a stain row measured in another image's lanes, stainLaneGrid).
/// Each names blots.csv and the row's line.
std::vector<Error> checkStripsOfLayout(const Layout& layout,
                                       std::span<const NamedAnalysis> analyses);

/// Every check of a layout against a run's images before the experiment is analysed
/// (analyzeExperiment): checkStripsOfLayout, then checkLayoutAgainstImages with the lanes found
/// (lanesFoundIn). `imageNames` are the run's images, failed ones included.
std::vector<Error> checkLayoutAgainstAnalyses(const Layout& layout,
                                              std::span<const NamedAnalysis> analyses,
                                              const std::vector<std::string>& imageNames);

/// The lanes found in the strip each blots.csv row measures, for checkLayoutAgainstImages (a
/// stain row: the lanes of its stainLaneGrid()).
/// The returned function refers to `layout` and `analyses`, which must outlive it.
LanesFound lanesFoundIn(const Layout& layout, std::span<const NamedAnalysis> analyses);

/// The strip of its image a blots.csv row measures: its region's strip, its `strip`, or the
/// only strip; 0 when it cannot be told (checkStripsOfLayout reports why).
int stripOfRow(const Layout& layout, const BlotRow& row, const BlotAnalysis& analysis);

/// The band row a blots.csv row measures in its strip: its `band`, else (`auto`) with a
/// calibration of the strip and a target-panel mass of the row's target, the row whose mass
/// (median over its bands outside the layout's ladder lanes) is nearest the panel's first mass (the
/// main form) on the log scale; else the row with the largest summed volume over the strip's lanes.
/// 0 when the strip has no bands.
int bandRowOfRow(const BlotRow& row, const BlotAnalysis& analysis, int strip,
                 const StripCalibration* calibration = nullptr);

/// The molecular-weight calibrations of the strips of one analysed image: for each strip a
/// blots.csv row measures, the ladder lanes samples.csv lists for the row's membrane
/// (calibrateStrip). Empty when the layout lists no ladder for it.
std::vector<StripCalibration> calibrationsOfImage(const Layout& layout, const NamedAnalysis& image);

/// The lanes a total-protein stain row is integrated in, and their strip: when another image
/// of the row's membrane (a band measure, in blots.csv order) has the stain image's size, that
/// image's strip and lanes (the membrane's lane grid, so stain and target lanes are the same
/// pixels, whatever strips and lanes the stain image's own detection found: a stain's smeared
/// lanes are easily taken for strips); else the stain image's own. Empty (no grid image) when
/// the row's strip cannot be told.
struct StainLaneGrid {
    Strip strip;
    std::vector<Lane> lanes; ///< left to right, as Lane::index counts them
    std::string gridImage;   ///< the image the lanes were found in
};
StainLaneGrid stainLaneGrid(const Layout& layout, const BlotRow& row,
                            std::span<const NamedAnalysis> analyses);

/// One measured band per blots.csv row and samples.csv lane of its membrane, from the analysed
/// images (by file name). A lane without a band in the chosen row is left out (quantifyLanes
/// then flags it missing). Rows whose image was not analysed are skipped. A stain row is
/// measured over whole lanes (measureLaneTotal, its `rows` or the whole strip) in the lanes of
/// stainLaneGrid(), flagged saturated when a lane pixel is; it needs the image's pixels in its
/// NamedAnalysis (the error says so when they are missing). Bands of a stain row have
/// bandRow 0. A warning when a stain lane has no membrane beside it for a background.
/// With `calibrations`, `band=auto` rows pick by mass (bandRowOfRow) and each band carries its
/// apparent mass.
std::expected<std::vector<MeasuredBand>, Error>
measuredBandsOf(const Layout& layout, std::span<const NamedAnalysis> analyses,
                std::vector<std::string>& warnings,
                std::span<const StripCalibration> calibrations = {});

/// How far apart (relative) the apparent masses of a lane's phospho and total bands of one
/// target may be before they are taken for different proteins: phosphorylation itself slows a
/// protein by a few percent at most (p-ERK, p-Akt shift 1-3 kDa) and a ladder reads to about
/// 5%, while the forms band=auto can confuse are further apart (p70 and p85 S6K1: 19%).
inline constexpr double kPhosphoTotalMassTolerance = 0.10;

/// One warning per membrane, target and site whose phospho and total bands differ in apparent
/// mass by more than kPhosphoTotalMassTolerance in some lane (naming the lanes and masses).
std::vector<std::string> phosphoTotalMassWarnings(std::span<const MeasuredBand> bands);

/// Warnings where two images of one membrane (phospho and re-probe, say) disagree on the lane
/// geometry: after removing the shift between them, a lane centre differs by more than a
/// quarter of the lane pitch, or the lane counts differ.
std::vector<std::string> compareLaneGeometry(const Layout& layout,
                                             std::span<const NamedAnalysis> analyses);

} // namespace densito
