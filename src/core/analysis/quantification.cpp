#include "core/analysis/quantification.h"

#include "core/measure/blot_analysis.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
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
std::vector<Series> planSeries(const Layout& layout, std::vector<std::string>& warnings) {
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
        series.normalizer = isPhospho && hasRow(layout, row.membrane, row.target, Measure::Total)
                                ? Normalizer::Total
                            : !series.loadingTarget.empty() ? Normalizer::Loading
                                                            : Normalizer::Stain;
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

std::string exclusionReason(std::uint32_t flags, bool keepFlagged) {
    std::vector<std::string_view> reasons;
    if (!keepFlagged && (flags & kBandSaturated) != 0) {
        reasons.push_back("saturated band");
    }
    if (!keepFlagged && (flags & kBandWeak) != 0) {
        reasons.push_back("weak band");
    }
    for (const LaneFlagText& text : kLaneFlagTexts) {
        const bool isQualityFlag = text.flag == kLaneOutsideLinearRange;
        if ((flags & text.flag) != 0 && !(keepFlagged && isQualityFlag)) {
            reasons.push_back(text.reason);
        }
    }
    return fmt::format("{}", fmt::join(reasons, "; "));
}

QuantifiedLane quantifyLane(const Series& series, const SampleRow& sample, const BandIndex& bands,
                            bool keepFlagged, bool isDilutionSeries) {
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
    row.excluded = exclusionReason(row.flags, keepFlagged);
    return row;
}

/// Fold changes of one series on one membrane: ratio / mean ratio of the usable control lanes.
void applyFoldChanges(std::vector<QuantifiedLane>& rows, const Series& series,
                      const std::string& control, std::vector<std::string>& warnings) {
    std::vector<double> controlRatios;
    int controlLane = 0;
    for (const QuantifiedLane& row : rows) {
        if (row.condition == control && row.ratio && row.excluded.empty()) {
            controlRatios.push_back(*row.ratio);
            controlLane = row.lane;
        }
    }
    if (controlRatios.size() == 1) {
        warnings.push_back(fmt::format("membrane \"{}\", {}: fold changes are relative to a "
                                       "single control lane (lane {})",
                                       series.membrane, series.label(), controlLane));
    }
    const double controlMean = mean(controlRatios);
    for (QuantifiedLane& row : rows) {
        if (row.ratio && !controlRatios.empty()) {
            row.foldChange = *row.ratio / controlMean;
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

/// The lanes of one target (and phospho site) over all membranes, and what they support.
struct SeriesData {
    std::string target;
    bool isPhospho = false;
    std::string site;
    /// Per condition, one log2 fold change per biological replicate (membrane, replicate).
    std::map<std::string, std::vector<double>> unitLog2;
    bool isWelch = false; ///< some membrane holds several replicates of one condition
};

SeriesData collectSeries(std::span<const QuantifiedLane* const> rows) {
    SeriesData data;
    data.target = rows.front()->target;
    data.isPhospho = rows.front()->isPhospho;
    data.site = rows.front()->site;
    std::map<std::tuple<std::string, std::string, std::string>, std::vector<double>> units;
    std::map<std::pair<std::string, std::string>, std::set<std::string>> replicates;
    for (const QuantifiedLane* row : rows) {
        replicates[{row->membrane, row->condition}].insert(row->replicate);
        if (row->foldChange && row->excluded.empty()) {
            units[{row->membrane, row->replicate, row->condition}].push_back(
                std::log2(*row->foldChange));
        }
    }
    for (const auto& [key, log2FoldChanges] : units) {
        data.unitLog2[std::get<2>(key)].push_back(mean(log2FoldChanges));
    }
    data.isWelch =
        std::ranges::any_of(replicates, [](const auto& entry) { return entry.second.size() > 1; });
    return data;
}

ConditionSummary summaryRow(const SeriesData& data, const std::string& condition) {
    ConditionSummary row;
    row.target = data.target;
    row.isPhospho = data.isPhospho;
    row.site = data.site;
    row.condition = condition;
    return row;
}

ConditionSummary controlSummary(const SeriesData& data, const std::string& control) {
    ConditionSummary row = summaryRow(data, control);
    row.isControl = true;
    row.n =
        static_cast<int>(data.unitLog2.contains(control) ? data.unitLog2.at(control).size() : 0);
    if (row.n == 0) {
        row.note = "no usable control lanes";
        return row;
    }
    row.foldChange = 1.0;
    row.meanLog2FoldChange = 0.0;
    row.note = "reference: fold changes are relative to the mean ratio of each membrane's "
               "control lanes";
    return row;
}

ConditionSummary conditionSummary(const SeriesData& data, const std::string& condition,
                                  const std::vector<double>& controlValues) {
    ConditionSummary row = summaryRow(data, condition);
    const std::vector<double> values =
        data.unitLog2.contains(condition) ? data.unitLog2.at(condition) : std::vector<double>{};
    row.n = static_cast<int>(values.size());
    if (const auto estimate = foldChangeFromLog2(values)) {
        row.foldChange = estimate->foldChange;
        row.ci95 = estimate->ci95;
        row.meanLog2FoldChange = estimate->meanLog2;
        row.sdLog2FoldChange = estimate->sdLog2;
    } else {
        row.note = "no usable lanes";
        return row;
    }
    const auto test = data.isWelch ? welchTTest(values, controlValues) : oneSampleTTest(values);
    if (test) {
        row.test = data.isWelch ? "Welch t-test" : "ratio-paired t-test";
        row.p = test->p;
    } else {
        row.note = test.error();
    }
    return row;
}

void adjustByHolm(std::span<ConditionSummary> rows) {
    std::vector<std::optional<double>> pValues;
    for (const ConditionSummary& row : rows) {
        pValues.push_back(row.p);
    }
    const auto adjusted = holmAdjust(pValues);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        rows[i].pHolm = adjusted[i];
    }
}

std::vector<ConditionSummary> summarizeSeries(const Layout& layout,
                                              std::span<const QuantifiedLane* const> rows) {
    const SeriesData data = collectSeries(rows);
    std::set<std::string> present;
    for (const QuantifiedLane* row : rows) {
        present.insert(row->condition);
    }
    std::vector<ConditionSummary> summary{controlSummary(data, layout.control)};
    const std::vector<double> controlValues = data.unitLog2.contains(layout.control)
                                                  ? data.unitLog2.at(layout.control)
                                                  : std::vector<double>{};
    for (const std::string& condition : layout.conditions) {
        if (condition != layout.control && present.contains(condition)) {
            summary.push_back(conditionSummary(data, condition, controlValues));
        }
    }
    adjustByHolm(std::span(summary).subspan(1));
    return summary;
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

} // namespace

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

std::expected<std::vector<QuantifiedLane>, Error>
quantifyLanes(const Layout& layout, std::span<const MeasuredBand> bands,
              const QuantificationSettings& settings, std::vector<std::string>& warnings) {
    const auto index = BandIndex::build(bands);
    if (!index) {
        return std::unexpected(index.error());
    }
    const std::vector<Series> plan = planSeries(layout, warnings);
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
                perSeries.back().push_back(quantifyLane(
                    series, *sample, *index, settings.keepFlagged,
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

std::vector<ConditionSummary> summarizeConditions(const Layout& layout,
                                                  std::span<const QuantifiedLane> lanes) {
    using SeriesKey = std::tuple<std::string, bool, std::string>; ///< target, isPhospho, site
    std::vector<SeriesKey> order;
    std::map<SeriesKey, std::vector<const QuantifiedLane*>> series;
    for (const QuantifiedLane& lane : lanes) {
        const SeriesKey key{targetKey(lane.target), lane.isPhospho, asciiLower(lane.site)};
        if (!series.contains(key)) {
            order.push_back(key);
        }
        series[key].push_back(&lane);
    }
    std::vector<ConditionSummary> summary;
    for (const auto& key : order) {
        for (ConditionSummary& row : summarizeSeries(layout, series.at(key))) {
            summary.push_back(std::move(row));
        }
    }
    return summary;
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
    return result;
}

} // namespace densito
