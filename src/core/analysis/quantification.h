#pragma once

#include "core/analysis/layout_sheets.h"
#include "core/analysis/statistics.h"
#include "core/error.h"

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace densito {

// Flags of a quantified lane beyond the band flags. The low 16 bits hold the BandFlag bits
// (core/measure/blot_analysis.h) of the bands that enter the ratio, unchanged. Plain
// constants rather than an enum, so they combine with BandFlag without enum arithmetic.
inline constexpr std::uint32_t kLaneMissingPhospho = 1u << 16; ///< the lane has no phospho band
inline constexpr std::uint32_t kLaneMissingTotal = 1u << 17;   ///< no total band for the ratio
inline constexpr std::uint32_t kLaneMissingLoading = 1u << 18; ///< no loading-control band
inline constexpr std::uint32_t kLaneMissingStain = 1u << 19;   ///< no total-protein stain band
inline constexpr std::uint32_t kLaneNonPositive = 1u << 20;    ///< a ratio volume is zero or below
/// A band of the ratio lies outside the linear range its membrane's dilution series shows.
inline constexpr std::uint32_t kLaneOutsideLinearRange = 1u << 21;
/// The lane belongs to its membrane's dilution series (a `load` in samples.csv), which
/// calibrates the measurement rather than testing a condition.
inline constexpr std::uint32_t kLaneDilutionSeries = 1u << 22;

/// "saturated;weak;...;missing_total;non_positive;outside_linear_range;dilution_series": band
/// flags first, then the kLane* flags.
std::string laneFlagsText(std::uint32_t flags);

/// What a ratio's denominator is.
enum class Normalizer { Total, Loading, Stain };

/// "total", "loading" or "stain".
std::string_view normalizerName(Normalizer normalizer);

/// One measured band, as the pipeline found it for one blots.csv row and one lane.
struct MeasuredBand {
    std::string membrane;
    int lane = 1;
    std::string target; ///< canonical, as BlotRow::target
    std::string site;   ///< as BlotRow::site; tells phospho sites of one target apart
    Measure measure = Measure::Total;
    double volume = 0.0;     ///< background-subtracted, signal units
    std::uint32_t flags = 0; ///< BandFlag bits
    std::string image;
    int strip = 1;
    int bandRow = 1;
};

/// One row of quantification.csv: one target in one lane of one membrane.
struct QuantifiedLane {
    std::string membrane;
    int lane = 1;
    std::string sample;
    std::string condition;
    std::string replicate;
    std::string target;
    bool isPhospho = false;        ///< the ratio's numerator is the phospho form, else the total
    std::string site;              ///< of the phospho form; empty for an expression target
    std::optional<double> phospho; ///< band volumes; absent when not measured in this lane
    std::optional<double> total;
    std::optional<double> loading;
    std::optional<double> stain;
    Normalizer normalizedBy = Normalizer::Total;
    /// phospho / normalizer, or total / normalizer for a target without a phospho form.
    std::optional<double> ratio;
    std::optional<double> totalToLoading; ///< when both volumes are positive
    /// ratio / mean ratio of the membrane's usable control lanes of this target.
    std::optional<double> foldChange;
    std::uint32_t flags = 0; ///< BandFlag and kLane* bits
    std::string excluded;    ///< why the row is left out of statistics; empty when used
};

/// One row of summary.csv: one target and condition over all membranes. The unit is the
/// biological replicate: lanes of one membrane, replicate and condition (technical
/// duplicates) are first combined by the geometric mean of their fold changes.
struct ConditionSummary {
    std::string target;
    bool isPhospho = false; ///< as QuantifiedLane::isPhospho
    std::string site;
    std::string condition;
    bool isControl = false;
    int n = 0;                        ///< biological replicates with a usable fold change
    std::optional<double> foldChange; ///< geometric mean; 1 for the control by construction
    std::optional<Interval> ci95;     ///< of the geometric-mean fold change
    std::optional<double> meanLog2FoldChange;
    std::optional<double> sdLog2FoldChange;
    std::string test; ///< "ratio-paired t-test" or "Welch t-test"; empty for the control
    std::optional<double> p;
    std::optional<double> pHolm; ///< Holm over the non-control conditions of this target
    std::string note;            ///< why there is no p, or what the control row means
};

/// Everything computed from the measured volumes of an experiment.
struct Quantification {
    std::vector<QuantifiedLane> lanes;
    std::vector<ConditionSummary> summary;
    std::vector<std::string> warnings;
};

struct QuantificationSettings {
    /// Use saturated and weak bands in the control means and statistics (flags still shown).
    bool keepFlagged = false;
};

/// Pairs bands by membrane and lane and computes ratios and fold changes (ARCHITECTURE.md,
/// "The measuring pipeline", step 7). A phospho target's normalizer is chosen per membrane
/// from the layout: its total, else the membrane's loading control, else its stain; a target
/// with only a total is normalized by loading, else stain. When a membrane lists several
/// loading controls, the first in blots.csv is used (with a warning). A lane whose band is
/// missing gets no ratio and a missing_* flag rather than another normalizer. Fails only when
/// two bands claim the same membrane, lane, target, site and measure.
std::expected<std::vector<QuantifiedLane>, Error>
quantifyLanes(const Layout& layout, std::span<const MeasuredBand> bands,
              const QuantificationSettings& settings, std::vector<std::string>& warnings);

/// The per-target, per-condition statistics on log2 fold changes of the used lanes. When
/// every membrane holds at most one biological replicate of each condition, the ratio-paired
/// t-test (one-sample t-test of per-membrane log2 fold changes against 0); when a membrane
/// holds several, Welch's t-test of the condition's log2 fold changes (log2 ratios centred on
/// each membrane's control mean) against the control's. Conditions in layout order, control
/// first; Holm-adjusted over the non-control conditions of each target.
std::vector<ConditionSummary> summarizeConditions(const Layout& layout,
                                                  std::span<const QuantifiedLane> lanes);

/// quantifyLanes() then summarizeConditions().
std::expected<Quantification, Error> quantify(const Layout& layout,
                                              std::span<const MeasuredBand> bands,
                                              const QuantificationSettings& settings);

} // namespace densito
