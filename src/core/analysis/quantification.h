#pragma once

#include "core/analysis/layout_sheets.h"
#include "core/analysis/statistics.h"
#include "core/error.h"

#include <array>
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

/// Which normaliser a ratio takes when its membrane offers several, first preferred. Total
/// protein of the target applies to phospho targets only (a target without a phospho row is
/// normalised by stain or loading, in this order's sense). Default total > stain > loading:
/// a whole-lane total-protein stain over a housekeeping protein, whose expression can change
/// with treatment and which saturates at loads where the target is still linear (Aldridge et
/// al. 2008, J Neurosci Methods 172:250; Butler et al. 2019, Biomed Res Int 2019:5214821).
using NormalizerOrder = std::array<Normalizer, 3>;
inline constexpr NormalizerOrder kDefaultNormalizerOrder{Normalizer::Total, Normalizer::Stain,
                                                         Normalizer::Loading};
/// The order before version 0.2 (projects of format version 2 and older were saved with it).
inline constexpr NormalizerOrder kLegacyNormalizerOrder{Normalizer::Total, Normalizer::Loading,
                                                        Normalizer::Stain};

/// "total,stain,loading".
std::string normalizerOrderText(const NormalizerOrder& order);

/// The order named by "total,stain,loading" (each of total, stain and loading exactly once,
/// comma-separated, any case, spaces ignored); the reason when it is not one.
std::expected<NormalizerOrder, std::string> parseNormalizerOrder(std::string_view text);

/// All six orders, the default first: what a settings control offers.
std::vector<NormalizerOrder> allNormalizerOrders();

/// Whether a band lies in the linear range of its row's dilution series (quantification.csv
/// `linearity`): verified, outside (or the series has no linear range), or not checked (no
/// dilution series of three or more loads for its row).
enum class Linearity { NotChecked, Verified, Outside };

/// "not checked", "verified" or "outside".
std::string_view linearityName(Linearity linearity);

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
    Linearity linearity = Linearity::NotChecked; ///< set by flagOutsideLinearRange
    std::optional<double> mwKda = std::nullopt;  ///< apparent mass from the strip's ladders
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
    /// ratio / the membrane's control reference for this target: the geometric mean over its
    /// control biological replicates, each the geometric mean of its usable lanes.
    std::optional<double> foldChange;
    std::uint32_t flags = 0; ///< BandFlag and kLane* bits
    std::string excluded;    ///< why the row is left out of statistics; empty when used
    /// Of the ratio's bands (numerator and normaliser): outside when either is, verified when
    /// both are, else not checked.
    Linearity linearity = Linearity::NotChecked;
};

/// One biological replicate of one target: the used lanes (technical duplicates) of one
/// membrane, replicate and condition, combined on the log2 scale. The unit of the statistics.
struct BiologicalUnit {
    std::string target;
    bool isPhospho = false;
    std::string site;
    std::string membrane;
    std::string replicate;
    std::string condition;
    Normalizer normalizedBy = Normalizer::Total; ///< the ratio's denominator on its membrane
    int lanes = 0;                               ///< used lanes combined
    double log2Ratio = 0.0;                      ///< mean of the lanes' log2 ratios
    /// log2Ratio minus the membrane's control reference (the mean log2Ratio of its control
    /// units): log2 of the unit's fold change; exactly 0 for a membrane's only control unit.
    double log2FoldChange = 0.0;
    /// The unit's level of the model's block factor (modelUnits()): the membrane, or
    /// "membrane:replicate" when the model pairs replicates; empty from biologicalUnits().
    std::string block;
};

/// One row of summary.csv: one target and condition over all membranes, from the linear
/// model of its target (summarizeConditions).
struct ConditionSummary {
    std::string target;
    bool isPhospho = false; ///< as QuantifiedLane::isPhospho
    std::string site;
    std::string condition;
    bool isControl = false;
    int n = 0;                        ///< biological replicates with a usable fold change
    std::optional<double> foldChange; ///< 2^model estimate; 1 for the control by construction
    std::optional<Interval> ci95;     ///< of the fold change, from the model's contrast
    /// The model's estimate of the log2 fold change vs the control (the mean of the units'
    /// log2 fold changes when every block holds each condition once).
    std::optional<double> meanLog2FoldChange;
    /// SD of the units' log2 fold changes (descriptive; the test uses the model's residual SE).
    std::optional<double> sdLog2FoldChange;
    std::string test; ///< "linear model t-test"; empty for the control and when untested
    std::optional<double> p;
    std::optional<double> pHolm; ///< Holm over the non-control conditions of this target
    std::string model;           ///< e.g. "log2 ratio ~ membrane + condition"; empty if none
    std::optional<int> residualDegreesOfFreedom; ///< of the model; absent for the control
    std::string note; ///< why there is no p, or what the control row means
    /// Lanes of this target and condition that enter the statistics, and those left out
    /// (flagged, missing, without a control: QuantifiedLane::excluded). Dilution-series
    /// lanes, calibration rather than samples, count in neither.
    int lanesUsed = 0;
    int lanesExcluded = 0;
    /// Set on a normaliser check row (summarizeNormalizers()): the kind of normaliser whose
    /// own band volume the row analyses, `target` then naming its band (e.g. total Akt,
    /// beta-actin); absent on a ratio row.
    std::optional<Normalizer> normalizerChecked;
};

/// One row of contrasts.csv: a declared contrast of one target, from the same linear model
/// as its summary rows: treatment vs treatment, or the interaction of two factors.
struct ContrastSummary {
    std::string target;
    bool isPhospho = false;
    std::string site;
    /// "L-isoleucine vs Insulin" (fold change of the first over the second), or
    /// "interaction: insulin x isoleucine" (the ratio of fold changes: the first factor's
    /// effect with the second changed over its effect without).
    std::string contrast;
    std::optional<double> foldChange;
    std::optional<Interval> ci95;
    std::optional<double> p;
    std::optional<double> pHolm; ///< Holm over this target's contrasts in contrasts.csv
    std::string model;
    std::optional<int> residualDegreesOfFreedom;
    std::string note;
};

/// Everything computed from the measured volumes of an experiment.
struct Quantification {
    std::vector<QuantifiedLane> lanes;
    std::vector<ConditionSummary> summary;
    std::vector<ContrastSummary> contrasts;
    std::vector<BiologicalUnit> units; ///< modelUnits(): what each target's model was fitted to
    /// summarizeNormalizers(): the normalisers analysed on their own, after the ratio rows in
    /// summary.csv; kept apart from `summary`, whose series are the targets (charts, prism/,
    /// units.csv).
    std::vector<ConditionSummary> normalizerChecks;
    std::vector<std::string> warnings;
};

/// Which flagged bands are left out of the statistics, one switch per flag kind; the flags
/// stay in quantification.csv either way. Missing and non-positive bands are always left
/// out: they have no log ratio.
struct ExclusionPolicy {
    bool saturated = true; ///< clipped pixels: the volume understates the band
    /// Below the detection limit (SNR < 3). Kept by default: a weak band is still the best
    /// estimate of a faint band, and dropping only the faint ones censors a condition and
    /// biases its fold change (issue 14: control at SNR 3 and a true fold change of 3 read
    /// as 2.38, a quarter of the membranes lost).
    bool weak = false;
    bool outsideLinearRange = true; ///< beyond the linear range of the membrane's dilution series

    friend bool operator==(const ExclusionPolicy&, const ExclusionPolicy&) = default;
};

/// Nothing flagged left out (`--keep-flagged`).
inline constexpr ExclusionPolicy kKeepFlagged{false, false, false};

/// The flag kinds a policy excludes, in the order saturated, weak, outside_linear_range (the
/// flag names of quantification.csv); empty when none.
std::vector<std::string> exclusionPolicyKinds(const ExclusionPolicy& policy);

/// The policy excluding exactly `kinds` (saturated, weak, outside_linear_range; `-` may
/// stand for `_`, any case); the reason when a kind is unknown.
std::expected<ExclusionPolicy, std::string>
parseExclusionPolicy(std::span<const std::string> kinds);

struct QuantificationSettings {
    ExclusionPolicy exclude{};
    NormalizerOrder normalizerOrder = kDefaultNormalizerOrder;

    friend bool operator==(const QuantificationSettings&, const QuantificationSettings&) = default;
};

/// Pairs bands by membrane and lane and computes ratios and fold changes (ARCHITECTURE.md,
/// "The measuring pipeline", step 7). A target's normalizer is chosen per membrane from the
/// layout: the first of `settings.normalizerOrder` the membrane offers (total only for a
/// phospho target with a total row). When a membrane lists several
/// loading controls, the first in blots.csv is used (with a warning). A lane whose band is
/// missing gets no ratio and a missing_* flag rather than another normalizer. Fails only when
/// two bands claim the same membrane, lane, target, site and measure.
std::expected<std::vector<QuantifiedLane>, Error>
quantifyLanes(const Layout& layout, std::span<const MeasuredBand> bands,
              const QuantificationSettings& settings, std::vector<std::string>& warnings);

/// The biological replicates of every target, in order of first appearance in `lanes` (a
/// target's units together): used lanes (a fold change, nothing excluded) grouped by
/// membrane, replicate and condition.
std::vector<BiologicalUnit> biologicalUnits(const Layout& layout,
                                            std::span<const QuantifiedLane> lanes);

/// The units each target's linear model (summarizeConditions()) is fitted to, targets in the
/// order of summary.csv, each with its level of the model's block factor. A block label
/// "membrane:replicate" that two different blocks would share (a ':' inside a name) is made
/// unique by " #N", N the block's 1-based place in the target's model.
std::vector<BiologicalUnit> modelUnits(const Layout& layout, std::span<const QuantifiedLane> lanes);

/// The per-target, per-condition statistics. Per target one linear model of the units'
/// log2 ratios, `log2 ratio ~ block + condition`, fitted by least squares (linear model with
/// a block factor: Montgomery, Design and Analysis of Experiments, ch. 4). The block is the
/// membrane; when a membrane holds several replicates of a condition and every replicate
/// label of a membrane also has a control unit, `replicate` pairs the units across
/// conditions and the block is membrane:replicate. Each condition's fold change, 95% CI and
/// p come from its contrast with the control and the residual SE on the residual df
/// (Student t); with one replicate of each of two conditions per membrane this is the
/// ratio-paired t-test. Conditions in layout order, control first (fold change 1, never
/// tested); Holm-adjusted (Holm 1979) over the non-control conditions of each target. A
/// condition the model cannot test (no residual df, no variance) keeps its estimate and says
/// why in its note.
std::vector<ConditionSummary> summarizeConditions(const Layout& layout,
                                                  std::span<const QuantifiedLane> lanes);

/// The declared contrasts of each target from the same model as summarizeConditions():
/// every pair of non-control conditions (layout order, "later vs earlier"), then with a
/// factorial design the interaction of its two factors. Holm-adjusted over each target's
/// contrasts.
std::vector<ContrastSummary> summarizeContrasts(const Layout& layout,
                                                std::span<const QuantifiedLane> lanes);

/// A normaliser differs from the control, when a condition's normaliser check row has p below this
/// (unadjusted): the conventional 5% level. Unadjusted on purpose: a missed change biases every
/// ratio the normaliser divides, while a false alarm costs a look at summary.csv.
inline constexpr double kNormalizerChangeP = 0.05;
/// ... or a fold change beyond this factor either way (|log2 fold change| > log2(1.2)): 20% is
/// the tolerance issue 14 sets for a normaliser. The JBC instructions to authors ask that a
/// housekeeping protein be shown constant across all samples and conditions (quoted in
/// LI-COR's Housekeeping Protein Validation Protocol, 2017) without giving a number; a
/// primary source for a numeric 20% limit was not found.
inline constexpr double kNormalizerChangeFold = 1.2;

/// "normaliser:total", "normaliser:loading" or "normaliser:stain": summary.csv's `measure` of
/// a normaliser check row.
std::string normalizerCheckMeasure(Normalizer normalizer);

/// Each normaliser of the experiment analysed on its own, with the statistics of the ratios:
/// per normaliser (the total protein of a phospho target, a loading control, a stain; one
/// band target of one kind, however many ratios it divides) and condition, its lanes' log2
/// band volumes on the membranes where it divides a ratio, technical lanes averaged into
/// biological units, `log2 volume ~ membrane + condition` (the block as summarizeConditions()
/// chooses it) fitted by least squares, control reference the geometric mean, Holm over the
/// normaliser's conditions. A membrane's loading control and stain are checked whichever
/// divides its ratios: raw volumes also follow unequal loading, and only another normaliser
/// of the same lanes tells a loading difference from a change by treatment. A lane is left
/// out when its
/// normaliser band is missing, not positive, flagged as `settings.exclude` says, or on a
/// membrane without a usable control lane; dilution-series lanes count in neither. Rows as
/// summarizeConditions() makes them (control first), with normalizerChecked set, a note
/// naming the ratios divided and model "log2 volume ~ ...". Normalisers in order of first
/// use in blots.csv.
std::vector<ConditionSummary> summarizeNormalizers(const Layout& layout,
                                                   std::span<const MeasuredBand> bands,
                                                   const QuantificationSettings& settings);

/// quantifyLanes(), summarizeConditions(), summarizeContrasts() and summarizeNormalizers(),
/// with a warning per normaliser and condition where it differs from the control (p below
/// kNormalizerChangeP or a fold change beyond kNormalizerChangeFold either way: unequal
/// loading, or a change by treatment that the ratios it divides carry), and for
/// exclusion rates that differ between the conditions of a target by more than 20
/// percentage points (exclusion then may bias the comparison) and for a sample name used on
/// several membranes (possible pseudo-replication: each membrane's lanes count as their own
/// biological replicate), and for a target normalised differently on different membranes.
std::expected<Quantification, Error> quantify(const Layout& layout,
                                              std::span<const MeasuredBand> bands,
                                              const QuantificationSettings& settings);

} // namespace densito
