#pragma once

#include "core/analysis/quantification.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
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

/// One replicate dot of an interactive chart: its fold change and its centre in SVG units.
struct FoldChangeChartDot {
    double foldChange = 1.0;
    double cx = 0.0;
    double cy = 0.0;
    double radius = 0.0;
};

/// One condition of an interactive chart: the summary row its bar shows (the condition name as
/// the chart prints it), its replicate dots, and the part of the chart it owns, all in SVG user
/// units (0..kFoldChangeChartWidth, 0..kFoldChangeChartHeight).
struct FoldChangeChartColumn {
    ConditionSummary summary;
    std::vector<FoldChangeChartDot> dots;
    double slotLeft = 0.0; ///< the column's slot across the plot, left edge
    double slotRight = 0.0;
    double plotTop = 0.0; ///< the plot area's rows, top to bottom
    double plotBottom = 0.0;
};

/// The chart as a live view draws it: the SVG of renderFoldChangeChart() (the same bytes)
/// with where each condition and dot lies, so that a view can say what is under the pointer
/// without working anything out again. No PNG: drawing it costs more than the SVG.
struct InteractiveFoldChangeChart {
    std::string svg;
    std::vector<FoldChangeChartColumn> columns; ///< left to right
};

/// renderFoldChangeChart()'s SVG and the place of each of its conditions and dots.
InteractiveFoldChangeChart
renderInteractiveFoldChangeChart(const FoldChangeSeries& series,
                                 std::span<const ConditionSummary> summary,
                                 std::span<const QuantifiedLane> lanes);

/// True when a summary row or lane belongs to `series`: matched as foldChangeSeries() groups
/// them (target by targetKey(), site ASCII case-insensitively, phospho or not).
bool isInFoldChangeSeries(const FoldChangeSeries& series, std::string_view target, bool isPhospho,
                          std::string_view site);

/// A file name stem for the series' chart: "fold_change_p-Akt_Ser473", "fold_change_GAPDH".
/// Only [A-Za-z0-9._-]: common Greek letters are spelled out ("beta-actin"), other characters
/// become "_" (runs collapsed); never ends in "." or "_"; at most 120 characters.
std::string foldChangeChartStem(const FoldChangeSeries& series);

/// foldChangeChartStem() of each series, made unique by "_2", "_3"... in order, comparing
/// case-insensitively so that the files do not collide on macOS and Windows either.
std::vector<std::string> foldChangeChartStems(std::span<const FoldChangeSeries> series);

/// A file name stem per series, the series' own name as foldChangeChartStem() spells it
/// ("p-Akt_Ser473", "GAPDH"; "target_CON" for a name Windows reserves, "target_.x" for one
/// that would hide the file, "target" for one with no character left), made unique the same way:
/// safe on Linux, macOS and Windows.
std::vector<std::string> seriesFileStems(std::span<const FoldChangeSeries> series);

} // namespace densito
