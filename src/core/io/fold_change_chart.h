#pragma once

#include "core/analysis/quantification.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace densito {

/// The chart's size in SVG user units (CSS pixels).
inline constexpr int kFoldChangeChartWidth = 640;
inline constexpr int kFoldChangeChartHeight = 420;
/// The PNG is the same chart drawn at this scale, so 1280 x 840 pixels.
inline constexpr int kFoldChangeChartPngScale = 2;

/// Which quantified series a chart shows: a phospho form (with its site, which may be empty)
/// or an expression target. Matched as summarizeConditions() groups lanes: target by
/// targetKey(), site ASCII case-insensitively. A target without a site can be both a phospho
/// series and an expression series (measured without a phospho form on another membrane),
/// hence isPhospho.
struct FoldChangeSeries {
    std::string target;
    bool isPhospho = false;
    std::string site;
};

/// The series of `summary` in order of first appearance, as summary.csv lists them.
std::vector<FoldChangeSeries> foldChangeSeries(std::span<const ConditionSummary> summary);

/// One fold-change chart, as a standalone SVG 1.1 document and as PNG bytes.
struct FoldChangeChart {
    std::string svg;               ///< UTF-8, starts with "<svg"
    std::vector<std::uint8_t> png; ///< BGR; empty only when OpenCV failed to draw or encode
};

/// A bar chart of one series' fold changes. x: the series' conditions in `summary` order
/// (control first); bar: the summary's fold change (the linear model's; the geometric mean
/// when every membrane holds each condition once), drawn from the dashed line at 1 on a
/// log2 axis; dots: one per biological replicate (the lanes of one membrane, replicate and
/// condition combined by geometric mean, excluded lanes left out: the unit of the
/// statistics); whiskers: the 95% CI when there is one; above each non-control bar its
/// Holm-adjusted p ("p = 0.012", "p < 0.001", "no test" without a p); under each condition
/// the summary's n. A condition without a fold change gets no bar and its n (0). The axis
/// spans the data padded to whole powers of two, at least 0.5 to 2, at most 2^-20 to 2^20
/// (beyond that marks stop at the edge). A bar whose fold change is about 1 (the control) is
/// drawn 2 units tall around the line so that it stays visible. Same input, same bytes.
/// `summary` and `lanes` may hold other series (e.g. a whole Quantification); only this
/// series' rows are used. Labels too long for their column wrap (up to three lines) and
/// shrink, then end in "…"; crowded p-values alternate between two rows. The SVG's elements
/// carry a class (bar, dot, whisker, reference-line, p-value, n, condition, title, tick,
/// tick-label, ...) for scripts and tests; the PNG's text is ASCII (Hershey fonts), with Greek
/// letters spelled out.
FoldChangeChart renderFoldChangeChart(const FoldChangeSeries& series,
                                      std::span<const ConditionSummary> summary,
                                      std::span<const QuantifiedLane> lanes);

/// A file name stem for the series' chart: "fold_change_p-Akt_Ser473", "fold_change_GAPDH".
/// Only [A-Za-z0-9._-]: common Greek letters are spelled out ("beta-actin"), other characters
/// become "_" (runs collapsed); never ends in "." or "_"; at most 120 characters.
std::string foldChangeChartStem(const FoldChangeSeries& series);

/// foldChangeChartStem() of each series, made unique by "_2", "_3"... in order, comparing
/// case-insensitively so that the files do not collide on macOS and Windows either.
std::vector<std::string> foldChangeChartStems(std::span<const FoldChangeSeries> series);

} // namespace densito
