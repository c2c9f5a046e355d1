#include "core/analysis/quantification.h"

#include "core/analysis/linear_model.h"
#include "core/measure/blot_analysis.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <iterator>
#include <limits>
#include <map>
#include <ranges>
#include <set>
#include <tuple>

namespace densito {
namespace {

constexpr std::uint32_t kBandFlagBits = 0xFFFFu;

struct LaneFlagText {
    std::uint32_t flag;
    std::string_view name;   ///< in the flags column
    std::string_view reason; ///< in the excluded column
};

constexpr LaneFlagText kLaneFlagTexts[] = {
    {kLaneMissingPhospho, "missing_phospho", "no phospho band"},
    {kLaneMissingTotal, "missing_total", "no total band"},
    {kLaneMissingLoading, "missing_loading", "no loading-control band"},
    {kLaneMissingStain, "missing_stain", "no stain band"},
    {kLaneNonPositive, "non_positive", "non-positive volume"},
    {kLaneOutsideLinearRange, "outside_linear_range", "outside the linear range"},
    {kLaneDilutionSeries, "dilution_series", "dilution series lane"},
};

constexpr std::string_view kNoControl = "no usable control lane on this membrane";

/// One target quantified on one membrane: what is divided by what.
struct Series {
    std::string membrane;
    std::string target;
    std::string site;
    bool isPhospho = false; ///< else an expression target: total / loading or stain
    Normalizer normalizer = Normalizer::Total;
    std::string loadingTarget; ///< the membrane's loading control; empty when none
    std::string stainTarget;   ///< the membrane's stain; empty when none

    std::string label() const { return site.empty() ? target : target + " " + site; }
};

/// The normalizers a membrane offers to all its targets.
struct MembraneNormalizers {
    std::string loadingTarget;
    std::string stainTarget;
};

using BandKey = std::tuple<std::string, int, std::string, Measure, std::string>;

BandKey bandKey(const std::string& membrane, int lane, const std::string& target, Measure measure,
                std::string_view site) {
    return {membrane, lane, targetKey(target), measure,
            measure == Measure::Phospho ? asciiLower(trimmed(site)) : std::string{}};
}

/// The measured bands by membrane, lane, target, measure and (phospho) site.
class BandIndex {
public:
    static std::expected<BandIndex, Error> build(std::span<const MeasuredBand> bands) {
        BandIndex index;
        for (const MeasuredBand& band : bands) {
            const auto key =
                bandKey(band.membrane, band.lane, band.target, band.measure, band.site);
            if (!index.m_bands.emplace(key, &band).second) {
                return std::unexpected(
                    Error{band.image, fmt::format("two {} {} bands for membrane \"{}\" lane {}",
                                                  measureName(band.measure), band.target,
                                                  band.membrane, band.lane)});
            }
        }
        return index;
    }

    const MeasuredBand* find(const SampleRow& sample, const std::string& target, Measure measure,
                             std::string_view site = {}) const {
        if (target.empty()) {
            return nullptr;
        }
        const auto found =
            m_bands.find(bandKey(sample.membrane, sample.lane, target, measure, site));
        return found == m_bands.end() ? nullptr : found->second;
    }

private:
    std::map<BandKey, const MeasuredBand*> m_bands;
};

/// The first target of `measure` on each membrane; a warning when a membrane has several.
std::map<std::string, std::string> firstTargets(const Layout& layout, Measure measure,
                                                std::vector<std::string>& warnings) {
    std::map<std::string, std::string> first;
    std::set<std::string> warned;
    for (const BlotRow& row : layout.blots) {
        if (row.measure != measure) {
            continue;
        }
        const auto [entry, isNew] = first.emplace(row.membrane, row.target);
        if (!isNew && targetKey(entry->second) != targetKey(row.target) &&
            warned.insert(row.membrane).second) {
            warnings.push_back(fmt::format("membrane \"{}\" has several {} rows; ratios use the "
                                           "first, {} ({}:{} lists {} too)",
                                           row.membrane, measureName(measure), entry->second,
                                           layout.blotsFile, row.line, row.target));
        }
    }
    return first;
}

bool hasRow(const Layout& layout, const std::string& membrane, const std::string& target,
            Measure measure) {
    return std::ranges::any_of(layout.blots, [&](const BlotRow& row) {
        return row.membrane == membrane && row.measure == measure &&
               targetKey(row.target) == targetKey(target);
    });
}

/// The targets to quantify, in blots.csv order: every phospho row, and every total row whose
/// target has no phospho row on its membrane.
std::vector<Series> planSeries(const Layout& layout, const NormalizerOrder& order,
                               std::vector<std::string>& warnings) {
    const auto loading = firstTargets(layout, Measure::Loading, warnings);
    const auto stain = firstTargets(layout, Measure::Stain, warnings);
    std::vector<Series> plan;
    for (const BlotRow& row : layout.blots) {
        const bool isPhospho = row.measure == Measure::Phospho;
        if (!isPhospho && (row.measure != Measure::Total ||
                           hasRow(layout, row.membrane, row.target, Measure::Phospho))) {
            continue;
        }
        Series series;
        series.membrane = row.membrane;
        series.target = row.target;
        series.site = isPhospho ? row.site : std::string{};
        series.isPhospho = isPhospho;
        series.loadingTarget = loading.contains(row.membrane) ? loading.at(row.membrane) : "";
        series.stainTarget = stain.contains(row.membrane) ? stain.at(row.membrane) : "";
        const bool hasTotal = isPhospho && hasRow(layout, row.membrane, row.target, Measure::Total);
        const auto isOffered = [&](Normalizer normalizer) {
            switch (normalizer) {
            case Normalizer::Total:
                return hasTotal;
            case Normalizer::Loading:
                return !series.loadingTarget.empty();
            case Normalizer::Stain:
                break;
            }
            return !series.stainTarget.empty();
        };
        // parseLayout guarantees one is offered; the last resort keeps a missing_* flag honest.
        series.normalizer = order.back();
        for (const Normalizer normalizer : std::views::reverse(order)) {
            series.normalizer = isOffered(normalizer) ? normalizer : series.normalizer;
        }
        plan.push_back(std::move(series));
    }
    return plan;
}

std::optional<double> volumeOf(const MeasuredBand* band) {
    return band ? std::optional(band->volume) : std::nullopt;
}

std::uint32_t missingFlag(Normalizer normalizer) {
    switch (normalizer) {
    case Normalizer::Total:
        return kLaneMissingTotal;
    case Normalizer::Loading:
        return kLaneMissingLoading;
    case Normalizer::Stain:
        break;
    }
    return kLaneMissingStain;
}

std::string exclusionReason(std::uint32_t flags, const ExclusionPolicy& exclude) {
    std::vector<std::string_view> reasons;
    if (exclude.saturated && (flags & kBandSaturated) != 0) {
        reasons.push_back("saturated band");
    }
    if (exclude.weak && (flags & kBandWeak) != 0) {
        reasons.push_back("weak band");
    }
    for (const LaneFlagText& text : kLaneFlagTexts) {
        const bool isKept = text.flag == kLaneOutsideLinearRange && !exclude.outsideLinearRange;
        if ((flags & text.flag) != 0 && !isKept) {
            reasons.push_back(text.reason);
        }
    }
    return fmt::format("{}", fmt::join(reasons, "; "));
}

constexpr std::string_view kSaturatedKind = "saturated";
constexpr std::string_view kWeakKind = "weak";
constexpr std::string_view kOutsideLinearRangeKind = "outside_linear_range";

QuantifiedLane quantifyLane(const Series& series, const SampleRow& sample, const BandIndex& bands,
                            const ExclusionPolicy& exclude, bool isDilutionSeries) {
    QuantifiedLane row;
    row.membrane = series.membrane;
    row.lane = sample.lane;
    row.sample = sample.sample;
    row.condition = sample.condition;
    row.replicate = sample.replicate;
    row.target = series.target;
    row.isPhospho = series.isPhospho;
    row.site = series.site;
    const MeasuredBand* phospho =
        series.isPhospho ? bands.find(sample, series.target, Measure::Phospho, series.site)
                         : nullptr;
    const MeasuredBand* total = bands.find(sample, series.target, Measure::Total);
    const MeasuredBand* loading = bands.find(sample, series.loadingTarget, Measure::Loading);
    const MeasuredBand* stain = bands.find(sample, series.stainTarget, Measure::Stain);
    row.phospho = volumeOf(phospho);
    row.total = volumeOf(total);
    row.loading = volumeOf(loading);
    row.stain = volumeOf(stain);
    row.normalizedBy = series.normalizer;
    const MeasuredBand* numerator = series.isPhospho ? phospho : total;
    const MeasuredBand* denominator = series.normalizer == Normalizer::Total     ? total
                                      : series.normalizer == Normalizer::Loading ? loading
                                                                                 : stain;
    for (const MeasuredBand* band : {numerator, denominator}) {
        row.flags |= band ? band->flags & (kBandFlagBits | kLaneOutsideLinearRange) : 0u;
    }
    const auto linearityOf = [](const MeasuredBand* band) {
        return band ? band->linearity : Linearity::NotChecked;
    };
    row.linearity = linearityOf(numerator) == Linearity::Outside ||
                            linearityOf(denominator) == Linearity::Outside
                        ? Linearity::Outside
                    : linearityOf(numerator) == Linearity::Verified &&
                            linearityOf(denominator) == Linearity::Verified
                        ? Linearity::Verified
                        : Linearity::NotChecked;
    if (isDilutionSeries) {
        row.flags |= kLaneDilutionSeries;
    }
    row.flags |= numerator ? 0u : series.isPhospho ? kLaneMissingPhospho : kLaneMissingTotal;
    row.flags |= denominator ? 0u : missingFlag(series.normalizer);
    if (numerator && denominator) {
        if (numerator->volume > 0.0 && denominator->volume > 0.0) {
            row.ratio = numerator->volume / denominator->volume;
        } else {
            row.flags |= kLaneNonPositive;
        }
    }
    if (total && loading && total->volume > 0.0 && loading->volume > 0.0) {
        row.totalToLoading = total->volume / loading->volume;
    }
    row.excluded = exclusionReason(row.flags, exclude);
    return row;
}

/// Fold changes of one series on one membrane: ratio / the control reference, the geometric
/// mean over the control's biological replicates of each one's geometric-mean lane ratio.
/// Geometric, like every other mean of ratios here, so that the fold changes of the lanes
/// and the model's fold change agree (an arithmetic mean of control ratios biases fold
/// changes down when the control lanes differ). Computed exactly as biologicalUnits() does,
/// so a membrane's only control unit has log2 fold change exactly 0.
void applyFoldChanges(std::vector<QuantifiedLane>& rows, const Series& series,
                      const std::string& control, std::vector<std::string>& warnings) {
    std::vector<std::string> replicates; // control units in order of first appearance
    std::map<std::string, std::vector<double>> log2RatiosOf;
    int controlLanes = 0;
    int controlLane = 0;
    for (const QuantifiedLane& row : rows) {
        if (row.condition == control && row.ratio && row.excluded.empty()) {
            if (!log2RatiosOf.contains(row.replicate)) {
                replicates.push_back(row.replicate);
            }
            log2RatiosOf[row.replicate].push_back(std::log2(*row.ratio));
            ++controlLanes;
            controlLane = row.lane;
        }
    }
    if (controlLanes == 1) {
        warnings.push_back(fmt::format("membrane \"{}\", {}: fold changes are relative to a "
                                       "single control lane (lane {})",
                                       series.membrane, series.label(), controlLane));
    }
    const bool hasRatios = std::ranges::any_of(rows, [](const QuantifiedLane& row) {
        return row.ratio.has_value() && row.excluded.empty();
    });
    if (replicates.empty() && hasRatios) {
        warnings.push_back(fmt::format("membrane \"{}\", {}: no usable control lane, so none of "
                                       "its lanes enter the statistics",
                                       series.membrane, series.label()));
    }
    std::vector<double> unitLog2Ratios;
    for (const std::string& replicate : replicates) {
        unitLog2Ratios.push_back(mean(log2RatiosOf.at(replicate)));
    }
    const double referenceLog2 = mean(unitLog2Ratios);
    for (QuantifiedLane& row : rows) {
        if (row.ratio && !replicates.empty()) {
            row.foldChange = std::exp2(std::log2(*row.ratio) - referenceLog2);
        } else if (row.ratio) {
            row.excluded += row.excluded.empty() ? kNoControl : fmt::format("; {}", kNoControl);
        }
    }
}

/// Membranes in order of first appearance in blots.csv.
std::vector<std::string> membranesInOrder(const Layout& layout) {
    std::vector<std::string> membranes;
    for (const BlotRow& row : layout.blots) {
        if (std::ranges::find(membranes, row.membrane) == membranes.end()) {
            membranes.push_back(row.membrane);
        }
    }
    return membranes;
}

std::vector<const SampleRow*> lanesOf(const Layout& layout, const std::string& membrane) {
    std::vector<const SampleRow*> lanes;
    for (const SampleRow& sample : layout.samples) {
        if (sample.membrane == membrane) {
            lanes.push_back(&sample);
        }
    }
    std::ranges::sort(lanes, {}, &SampleRow::lane);
    return lanes;
}

// ---- Summary ----------------------------------------------------------------------------

using SeriesKey = std::tuple<std::string, bool, std::string>; ///< target, isPhospho, site

SeriesKey seriesKeyOf(const std::string& target, bool isPhospho, const std::string& site) {
    return {targetKey(target), isPhospho, asciiLower(site)};
}

/// The units of each series, series in order of first appearance.
std::vector<std::vector<BiologicalUnit>> unitsBySeries(const Layout& layout,
                                                       std::span<const QuantifiedLane> lanes) {
    std::vector<SeriesKey> order;
    std::map<SeriesKey, std::vector<BiologicalUnit>> bySeries;
    for (BiologicalUnit& unit : biologicalUnits(layout, lanes)) {
        const SeriesKey key = seriesKeyOf(unit.target, unit.isPhospho, unit.site);
        if (!bySeries.contains(key)) {
            order.push_back(key);
        }
        bySeries[key].push_back(std::move(unit));
    }
    std::vector<std::vector<BiologicalUnit>> series;
    for (const SeriesKey& key : order) {
        series.push_back(std::move(bySeries.at(key)));
    }
    return series;
}

constexpr std::string_view kRatioResponse = "log2 ratio";
constexpr std::string_view kModelTest = "linear model t-test";

/// The linear model of one series (summarizeConditions() says which).
class SeriesModel {
public:
    /// `first` is any lane of the series: it names the series, which may have no units.
    /// `responseName` names what the units' log2Ratio holds, in the model's formula.
    SeriesModel(const Layout& layout, const QuantifiedLane& first,
                std::vector<BiologicalUnit> units, std::string_view responseName = kRatioResponse)
        : m_first(first), m_units(std::move(units)) {
        const bool isPaired = isPairedDesign(layout.control);
        m_model = fmt::format("{} ~ {} + condition", responseName,
                              isPaired ? "membrane:replicate" : "membrane");
        for (const BiologicalUnit& unit : m_units) {
            const std::string block =
                isPaired ? unit.membrane + '\x1f' + unit.replicate : unit.membrane;
            if (std::ranges::find(m_blocks, block) == m_blocks.end()) {
                m_blocks.push_back(block);
            }
            m_blockOfUnit.push_back(
                static_cast<std::size_t>(std::ranges::find(m_blocks, block) - m_blocks.begin()));
        }
        for (const std::string& condition : layout.conditions) {
            if (condition != layout.control && unitCount(condition) > 0) {
                m_treated.push_back(condition);
            }
        }
        if (m_treated.empty()) {
            return;
        }
        DesignMatrix design(m_units.size(), m_blocks.size() + m_treated.size());
        std::vector<double> response;
        for (std::size_t i = 0; i < m_units.size(); ++i) {
            design.at(i, m_blockOfUnit[i]) = 1.0;
            if (const auto column = columnOf(m_units[i].condition)) {
                design.at(i, *column) = 1.0;
            }
            response.push_back(m_units[i].log2Ratio);
        }
        m_fit = fitLeastSquares(design, response);
    }

    const QuantifiedLane& first() const { return m_first; }
    const std::vector<BiologicalUnit>& units() const { return m_units; }
    const std::string& model() const { return m_model; }

    int unitCount(const std::string& condition) const {
        return static_cast<int>(std::ranges::count(m_units, condition, &BiologicalUnit::condition));
    }

    /// The coefficient of a treated condition; absent for the control and absent conditions.
    std::optional<std::size_t> columnOf(const std::string& condition) const {
        const auto found = std::ranges::find(m_treated, condition);
        if (found == m_treated.end()) {
            return std::nullopt;
        }
        return m_blocks.size() + static_cast<std::size_t>(found - m_treated.begin());
    }

    /// Weights of the log2 contrast sum(sign * condition) (the control's effect is 0); the
    /// reason when a condition has no units.
    std::expected<std::vector<double>, std::string>
    weights(std::initializer_list<std::pair<std::string, double>> terms) const {
        for (const auto& term : terms) {
            if (unitCount(term.first) == 0) {
                return std::unexpected(fmt::format("no usable lanes of \"{}\"", term.first));
            }
        }
        if (!m_fit) {
            return std::unexpected(m_fit.error());
        }
        std::vector<double> weights(m_fit->coefficients.size(), 0.0);
        for (const auto& [condition, sign] : terms) {
            if (const auto column = columnOf(condition)) {
                weights[*column] += sign;
            }
        }
        return weights;
    }

    const std::expected<LeastSquaresFit, std::string>& fit() const { return m_fit; }

    /// The units with their block labels (BiologicalUnit::block).
    std::vector<BiologicalUnit> labelledUnits() const {
        std::vector<std::string> labels;
        for (const std::string& block : m_blocks) {
            std::string label = block;
            std::ranges::replace(label, '\x1f', ':');
            labels.push_back(std::move(label));
        }
        // A ':' inside a membrane or replicate name can make two blocks read alike.
        const std::set<std::string> distinct(labels.begin(), labels.end());
        if (distinct.size() < labels.size()) {
            for (std::size_t i = 0; i < labels.size(); ++i) {
                labels[i] += fmt::format(" #{}", i + 1);
            }
        }
        std::vector<BiologicalUnit> units = m_units;
        for (std::size_t i = 0; i < units.size(); ++i) {
            units[i].block = labels[m_blockOfUnit[i]];
        }
        return units;
    }

private:
    /// Several replicates of a condition on one membrane, and every (membrane, replicate) with
    /// units also holds a control unit: the replicate label pairs units across conditions.
    bool isPairedDesign(const std::string& control) const {
        std::set<std::pair<std::string, std::string>> pairs;
        std::set<std::pair<std::string, std::string>> controlled;
        bool hasSeveral = false;
        std::map<std::pair<std::string, std::string>, int> perMembraneCondition;
        for (const BiologicalUnit& unit : m_units) {
            hasSeveral = ++perMembraneCondition[{unit.membrane, unit.condition}] > 1 || hasSeveral;
            pairs.insert({unit.membrane, unit.replicate});
            if (unit.condition == control) {
                controlled.insert({unit.membrane, unit.replicate});
            }
        }
        return hasSeveral && pairs == controlled;
    }

    const QuantifiedLane& m_first;
    std::vector<BiologicalUnit> m_units;
    std::string m_model;
    std::vector<std::string> m_blocks;
    std::vector<std::size_t> m_blockOfUnit;
    std::vector<std::string> m_treated; ///< non-control conditions with units, layout order
    std::expected<LeastSquaresFit, std::string> m_fit = std::unexpected(std::string());
};

/// A contrast's fold change, CI, p, model and df, or the reason there is none.
struct ContrastFigures {
    std::optional<double> foldChange;
    std::optional<Interval> ci95;
    std::optional<double> p;
    std::optional<double> log2Estimate;
    std::optional<int> residualDegreesOfFreedom;
    std::string note;
};

ContrastFigures contrastFigures(const SeriesModel& model,
                                std::initializer_list<std::pair<std::string, double>> terms) {
    ContrastFigures figures;
    const auto weights = model.weights(terms);
    if (!weights) {
        figures.note = weights.error();
        return figures;
    }
    const LeastSquaresFit& fit = *model.fit();
    figures.log2Estimate = contrastEstimate(fit, *weights);
    figures.foldChange = std::exp2(*figures.log2Estimate);
    figures.residualDegreesOfFreedom = fit.residualDegreesOfFreedom;
    const auto test = testContrast(fit, *weights);
    if (!test) {
        figures.note = test.error();
        return figures;
    }
    figures.ci95 = Interval{std::exp2(test->ci95.low), std::exp2(test->ci95.high)};
    figures.p = test->p;
    return figures;
}

/// Lanes of one series and condition, used and excluded; dilution-series lanes in neither.
struct LaneCounts {
    int used = 0;
    int excluded = 0;
};

std::map<std::string, LaneCounts> laneCountsOf(std::span<const QuantifiedLane> lanes,
                                               const QuantifiedLane& first) {
    std::map<std::string, LaneCounts> counts;
    for (const QuantifiedLane& lane : lanes) {
        if (lane.isPhospho != first.isPhospho ||
            targetKey(lane.target) != targetKey(first.target) ||
            asciiLower(lane.site) != asciiLower(first.site) ||
            (lane.flags & kLaneDilutionSeries) != 0) {
            continue;
        }
        LaneCounts& count = counts[lane.condition];
        ++(lane.excluded.empty() && lane.foldChange ? count.used : count.excluded);
    }
    return counts;
}

ConditionSummary summaryRow(const QuantifiedLane& first, const std::string& condition) {
    ConditionSummary row;
    row.target = first.target;
    row.isPhospho = first.isPhospho;
    row.site = first.site;
    row.condition = condition;
    return row;
}

/// Appends a clause to a note, "; "-separated.
void addNote(std::string& note, std::string_view clause) {
    note += note.empty() ? "" : "; ";
    note += clause;
}

ConditionSummary controlSummary(const SeriesModel& model, const std::string& control) {
    ConditionSummary row = summaryRow(model.first(), control);
    row.isControl = true;
    row.n = model.unitCount(control);
    if (row.n == 0) {
        row.note = "no usable control lanes";
        return row;
    }
    row.foldChange = 1.0;
    row.meanLog2FoldChange = 0.0;
    row.note = "reference: fold changes are relative to the geometric mean of each membrane's "
               "control replicates";
    return row;
}

ConditionSummary conditionSummary(const SeriesModel& model, const std::string& control,
                                  const std::string& condition) {
    ConditionSummary row = summaryRow(model.first(), condition);
    row.n = model.unitCount(condition);
    if (row.n == 0) {
        row.note = "no usable lanes";
        return row;
    }
    std::vector<double> log2FoldChanges;
    for (const BiologicalUnit& unit : model.units()) {
        if (unit.condition == condition) {
            log2FoldChanges.push_back(unit.log2FoldChange);
        }
    }
    if (log2FoldChanges.size() > 1) {
        row.sdLog2FoldChange = standardDeviation(log2FoldChanges);
    }
    const ContrastFigures figures = contrastFigures(model, {{condition, 1.0}, {control, -1.0}});
    row.foldChange = figures.foldChange;
    row.meanLog2FoldChange = figures.log2Estimate;
    row.ci95 = figures.ci95;
    row.p = figures.p;
    row.test = row.p ? std::string(kModelTest) : std::string();
    row.model = model.model();
    row.residualDegreesOfFreedom = figures.residualDegreesOfFreedom;
    row.note = figures.note;
    if (row.n == 2) {
        addNote(row.note, "n = 2: two biological replicates say little about their variation");
    }
    if (row.residualDegreesOfFreedom == 1) {
        addNote(row.note, "1 residual degree of freedom: a very wide CI and little power");
    }
    return row;
}

/// Holm over the rows' p-values; each tested row's note says over what.
template <typename Row> void adjustByHolm(std::span<Row> rows, std::string_view family) {
    std::vector<std::optional<double>> pValues;
    for (const Row& row : rows) {
        pValues.push_back(row.p);
    }
    const auto adjusted = holmAdjust(pValues);
    const auto tested = std::ranges::count_if(pValues, [](const auto& p) { return p.has_value(); });
    for (std::size_t i = 0; i < rows.size(); ++i) {
        rows[i].pHolm = adjusted[i];
        if (adjusted[i]) {
            std::string note =
                fmt::format("p_holm: Holm over the {} tested {} of this target", tested, family);
            if (!rows[i].note.empty()) {
                addNote(note, rows[i].note);
            }
            rows[i].note = std::move(note);
        }
    }
}

std::vector<ConditionSummary> summarizeSeries(const Layout& layout, const SeriesModel& model,
                                              const std::set<std::string>& present) {
    std::vector<ConditionSummary> summary{controlSummary(model, layout.control)};
    for (const std::string& condition : layout.conditions) {
        if (condition != layout.control && present.contains(condition)) {
            summary.push_back(conditionSummary(model, layout.control, condition));
        }
    }
    adjustByHolm(std::span(summary).subspan(1), "comparisons with the control");
    return summary;
}

ContrastSummary contrastRow(const SeriesModel& model, std::string name,
                            std::initializer_list<std::pair<std::string, double>> terms) {
    const QuantifiedLane& first = model.first();
    ContrastSummary row;
    row.target = first.target;
    row.isPhospho = first.isPhospho;
    row.site = first.site;
    row.contrast = std::move(name);
    const ContrastFigures figures = contrastFigures(model, terms);
    row.foldChange = figures.foldChange;
    row.ci95 = figures.ci95;
    row.p = figures.p;
    row.model = figures.foldChange ? model.model() : std::string();
    row.residualDegreesOfFreedom = figures.residualDegreesOfFreedom;
    row.note = figures.note;
    return row;
}

std::vector<ContrastSummary> contrastsOfSeries(const Layout& layout, const SeriesModel& model,
                                               const std::set<std::string>& present) {
    std::vector<std::string> treated;
    for (const std::string& condition : layout.conditions) {
        if (condition != layout.control && present.contains(condition)) {
            treated.push_back(condition);
        }
    }
    std::vector<ContrastSummary> contrasts;
    for (std::size_t i = 0; i < treated.size(); ++i) {
        for (std::size_t j = i + 1; j < treated.size(); ++j) {
            contrasts.push_back(contrastRow(model, fmt::format("{} vs {}", treated[j], treated[i]),
                                            {{treated[j], 1.0}, {treated[i], -1.0}}));
        }
    }
    if (const auto& design = layout.factorial) {
        // (both / second only) / (first only / control): the first factor's effect with the
        // second factor changed over its effect without, on the log2 scale a difference.
        contrasts.push_back(contrastRow(
            model, fmt::format("interaction: {} x {}", design->factors[0], design->factors[1]),
            {{design->both, 1.0},
             {design->secondOnly, -1.0},
             {design->firstOnly, -1.0},
             {layout.control, 1.0}}));
    }
    adjustByHolm(std::span(contrasts), "contrasts");
    return contrasts;
}

/// The conditions of each series' lanes, whether or not any lane is usable, by series key.
std::map<SeriesKey, std::set<std::string>>
conditionsPresent(std::span<const QuantifiedLane> lanes) {
    std::map<SeriesKey, std::set<std::string>> present;
    for (const QuantifiedLane& lane : lanes) {
        present[seriesKeyOf(lane.target, lane.isPhospho, lane.site)].insert(lane.condition);
    }
    return present;
}

/// Series in order of first appearance: their units (possibly none) and first lane.
struct SeriesLanes {
    const QuantifiedLane* first = nullptr;
    std::vector<BiologicalUnit> units;
};

std::vector<SeriesLanes> seriesOf(const Layout& layout, std::span<const QuantifiedLane> lanes) {
    std::vector<SeriesKey> order;
    std::map<SeriesKey, SeriesLanes> series;
    for (const QuantifiedLane& lane : lanes) {
        const SeriesKey key = seriesKeyOf(lane.target, lane.isPhospho, lane.site);
        if (!series.contains(key)) {
            order.push_back(key);
            series[key].first = &lane;
        }
    }
    for (std::vector<BiologicalUnit>& units : unitsBySeries(layout, lanes)) {
        const SeriesKey key =
            seriesKeyOf(units.front().target, units.front().isPhospho, units.front().site);
        series.at(key).units = std::move(units);
    }
    std::vector<SeriesLanes> ordered;
    for (const SeriesKey& key : order) {
        ordered.push_back(std::move(series.at(key)));
    }
    return ordered;
}

/// Exclusion that differs between conditions can bias their comparison: the excluded lanes
/// are rarely a random few (saturation hits the strongest condition, weak bands the
/// weakest). Per target, the conditions with the highest and the lowest share of excluded
/// lanes.
void warnAboutExclusionRates(std::span<const ConditionSummary> summary,
                             std::vector<std::string>& warnings) {
    constexpr double kMaxRateDifference = 0.20;
    const auto rate = [](const ConditionSummary& row) {
        return static_cast<double>(row.lanesExcluded) / (row.lanesUsed + row.lanesExcluded);
    };
    for (std::size_t first = 0; first < summary.size();) {
        std::size_t end = first + 1; // a target's rows: its control row, then the others
        while (end < summary.size() && !summary[end].isControl) {
            ++end;
        }
        const ConditionSummary* lowest = nullptr;
        const ConditionSummary* highest = nullptr;
        for (std::size_t i = first; i < end; ++i) {
            const ConditionSummary& row = summary[i];
            if (row.lanesUsed + row.lanesExcluded == 0) {
                continue;
            }
            lowest = lowest == nullptr || rate(row) < rate(*lowest) ? &row : lowest;
            highest = highest == nullptr || rate(row) > rate(*highest) ? &row : highest;
        }
        if (lowest != nullptr && rate(*highest) - rate(*lowest) > kMaxRateDifference) {
            const std::string name = highest->isPhospho ? "p-" + highest->target : highest->target;
            warnings.push_back(fmt::format(
                "{}{}{}: {} of {} {} lanes excluded but {} of {} {} lanes ({:.0f} percentage "
                "points apart): the exclusions may bias the comparison (quantification.csv, "
                "column excluded)",
                name, highest->site.empty() ? "" : " ", highest->site, highest->lanesExcluded,
                highest->lanesUsed + highest->lanesExcluded, highest->condition,
                lowest->lanesExcluded, lowest->lanesUsed + lowest->lanesExcluded, lowest->condition,
                100.0 * (rate(*highest) - rate(*lowest))));
        }
        first = end;
    }
}

/// One sample name on several membranes may be one biological sample loaded twice: the
/// statistics count each membrane's lanes as a replicate of their own.
void warnAboutSamplesOnSeveralMembranes(const Layout& layout, std::vector<std::string>& warnings) {
    std::vector<std::string> names;
    std::map<std::string, std::vector<std::string>> membranesOf;
    for (const SampleRow& sample : layout.samples) {
        auto& membranes = membranesOf[sample.sample];
        if (membranes.empty()) {
            names.push_back(sample.sample);
        }
        if (std::ranges::find(membranes, sample.membrane) == membranes.end()) {
            membranes.push_back(sample.membrane);
        }
    }
    for (const std::string& name : names) {
        const auto& membranes = membranesOf.at(name);
        if (membranes.size() > 1) {
            warnings.push_back(fmt::format(
                "sample \"{}\" is on membranes {}: each membrane's lanes count as a biological "
                "replicate of their own; if they are one sample, this is pseudo-replication",
                name, fmt::join(membranes, ", ")));
        }
    }
}

/// A target normalised by total protein on one membrane and by a loading control or stain on
/// another is one series in one model: the membrane block absorbs a constant difference of
/// scale, but not a normaliser that treatment changes. Said, not split.
void warnAboutMixedNormalizers(std::span<const QuantifiedLane> lanes,
                               std::vector<std::string>& warnings) {
    std::vector<SeriesKey> order;
    std::map<SeriesKey, const QuantifiedLane*> first;
    std::map<SeriesKey, std::map<Normalizer, std::vector<std::string>>> membranesBy;
    for (const QuantifiedLane& lane : lanes) {
        const SeriesKey key = seriesKeyOf(lane.target, lane.isPhospho, lane.site);
        if (first.emplace(key, &lane).second) {
            order.push_back(key);
        }
        auto& membranes = membranesBy[key][lane.normalizedBy];
        if (std::ranges::find(membranes, lane.membrane) == membranes.end()) {
            membranes.push_back(lane.membrane);
        }
    }
    for (const SeriesKey& key : order) {
        const auto& byNormalizer = membranesBy.at(key);
        if (byNormalizer.size() < 2) {
            continue;
        }
        std::vector<std::string> parts;
        for (const auto& [normalizer, membranes] : byNormalizer) {
            parts.push_back(
                fmt::format("{} on {}", normalizerName(normalizer), fmt::join(membranes, ", ")));
        }
        const QuantifiedLane& lane = *first.at(key);
        warnings.push_back(fmt::format(
            "{}{}{}: membranes normalised differently ({}) are pooled in one model; the "
            "membrane block absorbs a constant difference of scale, not a normaliser that "
            "treatment changes",
            lane.isPhospho ? "p-" + lane.target : lane.target, lane.site.empty() ? "" : " ",
            lane.site, fmt::join(parts, "; ")));
    }
}

/// Whether a membrane's lanes carry a dilution series: loads of three or more amounts.
bool hasDilutionSeries(const std::vector<const SampleRow*>& samples) {
    std::vector<double> loads;
    for (const SampleRow* sample : samples) {
        if (sample->load && std::find(loads.begin(), loads.end(), *sample->load) == loads.end()) {
            loads.push_back(*sample->load);
        }
    }
    return loads.size() >= 3;
}

/// One normaliser analysed on its own: a kind and its band's target, on the membranes where
/// it is checked.
struct NormalizerCheck {
    Normalizer kind = Normalizer::Total;
    std::string target;
    std::vector<std::string> membranes; ///< in order of first appearance
    std::vector<std::string> ratios;    ///< the ratios it divides, e.g. "p-Akt Ser473"
};

Measure measureOf(Normalizer normalizer) {
    switch (normalizer) {
    case Normalizer::Total:
        return Measure::Total;
    case Normalizer::Loading:
        return Measure::Loading;
    case Normalizer::Stain:
        break;
    }
    return Measure::Stain;
}

template <typename T> void appendOnce(std::vector<T>& list, const T& value) {
    if (std::ranges::find(list, value) == list.end()) {
        list.push_back(value);
    }
}

/// The normalisers to check, in order of first use by planSeries()'s series.
std::vector<NormalizerCheck> planNormalizerChecks(const Layout& layout,
                                                  const NormalizerOrder& order) {
    std::vector<std::string> repeated; // quantifyLanes() has given planSeries()'s warnings
    std::vector<NormalizerCheck> checks;
    const auto add = [&checks](Normalizer kind, const std::string& target,
                               const std::string& membrane, const std::string& ratio) {
        auto check = std::ranges::find_if(checks, [&](const NormalizerCheck& known) {
            return known.kind == kind && targetKey(known.target) == targetKey(target);
        });
        if (check == checks.end()) {
            checks.push_back({kind, target, {}, {}});
            check = std::prev(checks.end());
        }
        appendOnce(check->membranes, membrane);
        if (!ratio.empty()) {
            appendOnce(check->ratios, ratio);
        }
    };
    for (const Series& series : planSeries(layout, order, repeated)) {
        const std::string& target = series.normalizer == Normalizer::Total ? series.target
                                    : series.normalizer == Normalizer::Loading
                                        ? series.loadingTarget
                                        : series.stainTarget;
        add(series.normalizer, target, series.membrane,
            series.isPhospho ? "p-" + series.label() : series.label());
        // The membrane's loading control and stain are checked whichever divides: raw volumes
        // also follow unequal loading, and only another normaliser of the same lanes tells a
        // loading difference (all of them move) from a change by treatment (one moves).
        if (!series.loadingTarget.empty()) {
            add(Normalizer::Loading, series.loadingTarget, series.membrane, {});
        }
        if (!series.stainTarget.empty()) {
            add(Normalizer::Stain, series.stainTarget, series.membrane, {});
        }
    }
    return checks;
}

/// The summary rows of one normaliser (summarizeNormalizers()).
std::vector<ConditionSummary> checkNormalizer(const Layout& layout, const NormalizerCheck& check,
                                              const BandIndex& bands,
                                              const ExclusionPolicy& exclude) {
    std::map<std::string, LaneCounts> counts;
    std::set<std::string> present;
    std::vector<BiologicalUnit> units;
    for (const std::string& membrane : check.membranes) {
        const std::vector<const SampleRow*> samples = lanesOf(layout, membrane);
        const bool hasSeries = hasDilutionSeries(samples);
        std::vector<std::pair<std::string, std::string>> order; // replicate, condition
        std::map<std::pair<std::string, std::string>, std::vector<double>> log2Volumes;
        for (const SampleRow* sample : samples) {
            if (sample->load && hasSeries) {
                continue;
            }
            present.insert(sample->condition);
            const MeasuredBand* band = bands.find(*sample, check.target, measureOf(check.kind));
            const bool isUsable =
                band && band->volume > 0.0 &&
                exclusionReason(band->flags & (kBandFlagBits | kLaneOutsideLinearRange), exclude)
                    .empty();
            if (!isUsable) {
                ++counts[sample->condition].excluded;
                continue;
            }
            const std::pair key{sample->replicate, sample->condition};
            if (!log2Volumes.contains(key)) {
                order.push_back(key);
            }
            log2Volumes[key].push_back(std::log2(band->volume));
        }
        std::vector<double> controlLog2Volumes;
        for (const auto& key : order) {
            if (key.second == layout.control) {
                controlLog2Volumes.push_back(mean(log2Volumes.at(key)));
            }
        }
        for (const auto& key : order) {
            const std::vector<double>& values = log2Volumes.at(key);
            if (controlLog2Volumes.empty()) { // no reference: as a ratio without a control lane
                counts[key.second].excluded += static_cast<int>(values.size());
                continue;
            }
            counts[key.second].used += static_cast<int>(values.size());
            BiologicalUnit unit;
            unit.target = check.target;
            unit.membrane = membrane;
            unit.replicate = key.first;
            unit.condition = key.second;
            unit.normalizedBy = check.kind;
            unit.lanes = static_cast<int>(values.size());
            unit.log2Ratio = mean(values);
            unit.log2FoldChange = unit.log2Ratio - mean(controlLog2Volumes);
            units.push_back(std::move(unit));
        }
    }
    QuantifiedLane name; // names the rows: the normaliser's band target
    name.target = check.target;
    const SeriesModel model(layout, name, std::move(units), "log2 volume");
    const std::string what =
        check.ratios.empty()
            ? fmt::format("{} of these membranes, analysed on its own (log2 band volume); it "
                          "divides no ratio here",
                          check.kind == Normalizer::Loading ? "loading control" : "stain")
            : fmt::format("normaliser of {}, analysed on its own (log2 band volume)",
                          fmt::join(check.ratios, ", "));
    std::vector<ConditionSummary> rows = summarizeSeries(layout, model, present);
    for (ConditionSummary& row : rows) {
        row.normalizerChecked = check.kind;
        if (const auto count = counts.find(row.condition); count != counts.end()) {
            row.lanesUsed = count->second.used;
            row.lanesExcluded = count->second.excluded;
        }
        row.note = row.note.empty() ? what : fmt::format("{}; {}", what, row.note);
    }
    return rows;
}

/// "total Akt", "loading beta-actin": a normaliser check row's normaliser, as warnings name it.
std::string normalizerCheckLabel(const ConditionSummary& row) {
    return fmt::format("{} {}", normalizerName(row.normalizerChecked.value_or(Normalizer::Total)),
                       row.target);
}

/// A normaliser that differs between conditions: either the lanes were loaded unequally (which
/// is what a normaliser corrects) or treatment changed it, and then every ratio it divides
/// carries the change as if it were the target's. The raw volume cannot tell which; the
/// membrane's other normalisers can (summary.csv).
void warnAboutChangingNormalizers(std::span<const NormalizerCheck> plan,
                                  std::span<const ConditionSummary> checks,
                                  std::vector<std::string>& warnings) {
    const std::string* control = nullptr;
    for (const ConditionSummary& row : checks) {
        if (row.isControl) {
            control = &row.condition;
            continue;
        }
        if (!row.foldChange || control == nullptr) {
            continue;
        }
        const bool isSignificant = row.p && *row.p < kNormalizerChangeP;
        const bool isLarge =
            std::abs(std::log2(*row.foldChange)) > std::log2(kNormalizerChangeFold);
        if (!isSignificant && !isLarge) {
            continue;
        }
        const auto check = std::ranges::find_if(plan, [&row](const NormalizerCheck& known) {
            return known.kind == row.normalizerChecked &&
                   targetKey(known.target) == targetKey(row.target);
        });
        const bool dividesRatios = check != plan.end() && !check->ratios.empty();
        const std::string test = row.p ? fmt::format("95% CI {:.3g} to {:.3g}, p = {:.2g}",
                                                     row.ci95->low, row.ci95->high, *row.p)
                                       : std::string("no test");
        warnings.push_back(fmt::format(
            "normaliser {} differs under {}: fold change {:.3g} vs {} ({}; {}): unequal "
            "loading, or a change by treatment{} (summary.csv, measure {})",
            normalizerCheckLabel(row), row.condition, *row.foldChange, *control, test,
            isLarge ? fmt::format("beyond {:g}-fold", kNormalizerChangeFold)
                    : fmt::format("p below {:g}", kNormalizerChangeP),
            dividesRatios ? fmt::format(" that the ratios it divides carry: {}",
                                        fmt::join(check->ratios, ", "))
                          : std::string(", though it divides no ratio here"),
            normalizerCheckMeasure(*row.normalizerChecked)));
    }
}

} // namespace

std::string normalizerCheckMeasure(Normalizer normalizer) {
    return fmt::format("normaliser:{}", normalizerName(normalizer));
}

namespace {

/// The rows of the normalisers `plan` names (summarizeNormalizers()).
std::vector<ConditionSummary> summarizeNormalizers(const Layout& layout,
                                                   std::span<const MeasuredBand> bands,
                                                   const ExclusionPolicy& exclude,
                                                   std::span<const NormalizerCheck> plan) {
    const auto index = BandIndex::build(bands);
    if (!index) {
        return {}; // quantifyLanes() reports the clash
    }
    std::vector<ConditionSummary> rows;
    for (const NormalizerCheck& check : plan) {
        for (ConditionSummary& row : checkNormalizer(layout, check, *index, exclude)) {
            rows.push_back(std::move(row));
        }
    }
    return rows;
}

} // namespace

std::vector<ConditionSummary> summarizeNormalizers(const Layout& layout,
                                                   std::span<const MeasuredBand> bands,
                                                   const QuantificationSettings& settings) {
    return summarizeNormalizers(layout, bands, settings.exclude,
                                planNormalizerChecks(layout, settings.normalizerOrder));
}

std::string laneFlagsText(std::uint32_t flags) {
    std::string text = bandFlagsText(flags & kBandFlagBits);
    for (const LaneFlagText& flag : kLaneFlagTexts) {
        if ((flags & flag.flag) != 0) {
            text += text.empty() ? "" : ";";
            text += flag.name;
        }
    }
    return text;
}

std::vector<std::string> exclusionPolicyKinds(const ExclusionPolicy& policy) {
    std::vector<std::string> kinds;
    for (const auto& [isExcluded, kind] :
         {std::pair(policy.saturated, kSaturatedKind), std::pair(policy.weak, kWeakKind),
          std::pair(policy.outsideLinearRange, kOutsideLinearRangeKind)}) {
        if (isExcluded) {
            kinds.emplace_back(kind);
        }
    }
    return kinds;
}

std::expected<ExclusionPolicy, std::string>
parseExclusionPolicy(std::span<const std::string> kinds) {
    ExclusionPolicy policy = kKeepFlagged;
    for (const std::string& kind : kinds) {
        std::string name = asciiLower(trimmed(kind));
        std::ranges::replace(name, '-', '_');
        if (name == kSaturatedKind) {
            policy.saturated = true;
        } else if (name == kWeakKind) {
            policy.weak = true;
        } else if (name == kOutsideLinearRangeKind) {
            policy.outsideLinearRange = true;
        } else {
            return std::unexpected(fmt::format("\"{}\" is not a flag kind to exclude ({}, {} or "
                                               "{})",
                                               kind, kSaturatedKind, kWeakKind,
                                               kOutsideLinearRangeKind));
        }
    }
    return policy;
}

std::string_view linearityName(Linearity linearity) {
    switch (linearity) {
    case Linearity::Verified:
        return "verified";
    case Linearity::Outside:
        return "outside";
    case Linearity::NotChecked:
        break;
    }
    return "not checked";
}

std::string_view normalizerName(Normalizer normalizer) {
    switch (normalizer) {
    case Normalizer::Total:
        return "total";
    case Normalizer::Loading:
        return "loading";
    case Normalizer::Stain:
        break;
    }
    return "stain";
}

std::string normalizerOrderText(const NormalizerOrder& order) {
    return fmt::format("{},{},{}", normalizerName(order[0]), normalizerName(order[1]),
                       normalizerName(order[2]));
}

std::expected<NormalizerOrder, std::string> parseNormalizerOrder(std::string_view text) {
    const auto problem = [&] {
        return fmt::format("\"{}\" is not a normaliser order: total, stain and loading, each "
                           "once, comma-separated, first preferred (e.g. total,stain,loading)",
                           text);
    };
    NormalizerOrder order{};
    std::size_t count = 0;
    std::string_view rest = text;
    while (true) {
        const std::size_t comma = rest.find(',');
        const std::string name = asciiLower(trimmed(rest.substr(0, comma)));
        std::optional<Normalizer> normalizer;
        for (const Normalizer candidate :
             {Normalizer::Total, Normalizer::Stain, Normalizer::Loading}) {
            normalizer = name == normalizerName(candidate) ? candidate : normalizer;
        }
        if (!normalizer || count == order.size() ||
            std::find(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count),
                      *normalizer) != order.begin() + static_cast<std::ptrdiff_t>(count)) {
            return std::unexpected(problem());
        }
        order[count++] = *normalizer;
        if (comma == std::string_view::npos) {
            break;
        }
        rest = rest.substr(comma + 1);
    }
    if (count != order.size()) {
        return std::unexpected(problem());
    }
    return order;
}

std::vector<NormalizerOrder> allNormalizerOrders() {
    NormalizerOrder order = kDefaultNormalizerOrder;
    std::vector<NormalizerOrder> orders;
    std::sort(order.begin(), order.end());
    do {
        orders.push_back(order);
    } while (std::next_permutation(order.begin(), order.end()));
    std::stable_partition(orders.begin(), orders.end(),
                          [](const NormalizerOrder& o) { return o == kDefaultNormalizerOrder; });
    return orders;
}

std::expected<std::vector<QuantifiedLane>, Error>
quantifyLanes(const Layout& layout, std::span<const MeasuredBand> bands,
              const QuantificationSettings& settings, std::vector<std::string>& warnings) {
    const auto index = BandIndex::build(bands);
    if (!index) {
        return std::unexpected(index.error());
    }
    const std::vector<Series> plan = planSeries(layout, settings.normalizerOrder, warnings);
    std::vector<QuantifiedLane> lanes;
    for (const std::string& membrane : membranesInOrder(layout)) {
        const std::vector<const SampleRow*> samples = lanesOf(layout, membrane);
        const bool hasSeries = hasDilutionSeries(samples);
        std::vector<std::vector<QuantifiedLane>> perSeries;
        for (const Series& series : plan) {
            if (series.membrane != membrane) {
                continue;
            }
            perSeries.emplace_back();
            for (const SampleRow* sample : samples) {
                perSeries.back().push_back(quantifyLane(series, *sample, *index, settings.exclude,
                                                        sample->load.has_value() && hasSeries));
            }
            applyFoldChanges(perSeries.back(), series, layout.control, warnings);
        }
        for (std::size_t lane = 0; lane < samples.size(); ++lane) {
            for (const auto& rows : perSeries) {
                lanes.push_back(rows[lane]);
            }
        }
    }
    return lanes;
}

std::vector<BiologicalUnit> biologicalUnits(const Layout& layout,
                                            std::span<const QuantifiedLane> lanes) {
    // series, membrane, replicate, condition
    using UnitKey = std::tuple<SeriesKey, std::string, std::string, std::string>;
    std::vector<UnitKey> order;
    std::map<UnitKey, std::pair<const QuantifiedLane*, std::vector<double>>> log2Ratios;
    for (const QuantifiedLane& lane : lanes) {
        if (!lane.foldChange || !lane.ratio || !lane.excluded.empty()) {
            continue;
        }
        const UnitKey key{seriesKeyOf(lane.target, lane.isPhospho, lane.site), lane.membrane,
                          lane.replicate, lane.condition};
        auto [entry, isNew] = log2Ratios.try_emplace(key, &lane, std::vector<double>{});
        if (isNew) {
            order.push_back(key);
        }
        entry->second.second.push_back(std::log2(*lane.ratio));
    }
    std::vector<BiologicalUnit> units;
    for (const UnitKey& key : order) {
        const auto& [lane, values] = log2Ratios.at(key);
        BiologicalUnit unit;
        unit.target = lane->target;
        unit.isPhospho = lane->isPhospho;
        unit.site = lane->site;
        unit.membrane = lane->membrane;
        unit.replicate = lane->replicate;
        unit.condition = lane->condition;
        unit.normalizedBy = lane->normalizedBy;
        unit.lanes = static_cast<int>(values.size());
        unit.log2Ratio = mean(values);
        units.push_back(std::move(unit));
    }
    // Each membrane's control reference, as applyFoldChanges() computes it: the mean of its
    // control units' log2 ratios, units in order of first appearance. A lane has a fold
    // change only when its membrane has a control unit, so every unit has a reference.
    std::map<std::pair<SeriesKey, std::string>, std::vector<double>> controlLog2Ratios;
    for (const BiologicalUnit& unit : units) {
        if (unit.condition == layout.control) {
            controlLog2Ratios[{seriesKeyOf(unit.target, unit.isPhospho, unit.site), unit.membrane}]
                .push_back(unit.log2Ratio);
        }
    }
    for (BiologicalUnit& unit : units) {
        const auto reference = controlLog2Ratios.find(
            {seriesKeyOf(unit.target, unit.isPhospho, unit.site), unit.membrane});
        unit.log2FoldChange = reference == controlLog2Ratios.end()
                                  ? std::numeric_limits<double>::quiet_NaN()
                                  : unit.log2Ratio - mean(reference->second);
    }
    return units;
}

std::vector<BiologicalUnit> modelUnits(const Layout& layout,
                                       std::span<const QuantifiedLane> lanes) {
    std::vector<BiologicalUnit> units;
    for (SeriesLanes& series : seriesOf(layout, lanes)) {
        const SeriesModel model(layout, *series.first, std::move(series.units));
        for (BiologicalUnit& unit : model.labelledUnits()) {
            units.push_back(std::move(unit));
        }
    }
    return units;
}

std::vector<ConditionSummary> summarizeConditions(const Layout& layout,
                                                  std::span<const QuantifiedLane> lanes) {
    const auto present = conditionsPresent(lanes);
    std::vector<ConditionSummary> summary;
    for (SeriesLanes& series : seriesOf(layout, lanes)) {
        const SeriesModel model(layout, *series.first, std::move(series.units));
        const auto counts = laneCountsOf(lanes, *series.first);
        for (ConditionSummary& row :
             summarizeSeries(layout, model,
                             present.at(seriesKeyOf(series.first->target, series.first->isPhospho,
                                                    series.first->site)))) {
            if (const auto count = counts.find(row.condition); count != counts.end()) {
                row.lanesUsed = count->second.used;
                row.lanesExcluded = count->second.excluded;
            }
            summary.push_back(std::move(row));
        }
    }
    return summary;
}

std::vector<ContrastSummary> summarizeContrasts(const Layout& layout,
                                                std::span<const QuantifiedLane> lanes) {
    const auto present = conditionsPresent(lanes);
    std::vector<ContrastSummary> contrasts;
    for (SeriesLanes& series : seriesOf(layout, lanes)) {
        const SeriesModel model(layout, *series.first, std::move(series.units));
        for (ContrastSummary& row :
             contrastsOfSeries(layout, model,
                               present.at(seriesKeyOf(series.first->target, series.first->isPhospho,
                                                      series.first->site)))) {
            contrasts.push_back(std::move(row));
        }
    }
    return contrasts;
}

std::expected<Quantification, Error> quantify(const Layout& layout,
                                              std::span<const MeasuredBand> bands,
                                              const QuantificationSettings& settings) {
    Quantification result;
    auto lanes = quantifyLanes(layout, bands, settings, result.warnings);
    if (!lanes) {
        return std::unexpected(lanes.error());
    }
    result.lanes = std::move(*lanes);
    result.summary = summarizeConditions(layout, result.lanes);
    result.contrasts = summarizeContrasts(layout, result.lanes);
    result.units = modelUnits(layout, result.lanes);
    warnAboutExclusionRates(result.summary, result.warnings);
    warnAboutSamplesOnSeveralMembranes(layout, result.warnings);
    warnAboutMixedNormalizers(result.lanes, result.warnings);
    const std::vector<NormalizerCheck> plan =
        planNormalizerChecks(layout, settings.normalizerOrder);
    result.normalizerChecks = summarizeNormalizers(layout, bands, settings.exclude, plan);
    warnAboutChangingNormalizers(plan, result.normalizerChecks, result.warnings);
    return result;
}

} // namespace densito
