#include "core/analysis/analysis_csv.h"

#include "core/analysis/csv_table.h"
#include "core/io/results_csv.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace densito {
namespace {

std::string_view measureOf(bool isPhospho) {
    return measureName(isPhospho ? Measure::Phospho : Measure::Total);
}

std::string seriesLabel(const QuantifiedLane& lane) {
    const std::string name = lane.isPhospho ? "p-" + lane.target : lane.target;
    return lane.site.empty() ? name : name + " " + lane.site;
}

/// The geometric mean; a single value as it is, so that it round-trips exactly.
double geometricMean(const std::vector<double>& values) {
    if (values.size() == 1) {
        return values.front();
    }
    double sumOfLog2 = 0.0;
    for (const double value : values) {
        sumOfLog2 += std::log2(value);
    }
    return std::exp2(sumOfLog2 / static_cast<double>(values.size()));
}

std::string optionalCount(std::optional<int> count) {
    return count ? std::to_string(*count) : std::string();
}

/// membrane, sample, condition, replicate: one sample is one membrane's lanes of it.
using SampleKey = std::tuple<std::string, std::string, std::string, std::string>;

/// Distinct values in order of first appearance.
template <typename T> void appendOnce(std::vector<T>& list, const T& value) {
    if (std::ranges::find(list, value) == list.end()) {
        list.push_back(value);
    }
}

} // namespace

std::string quantificationCsv(std::span<const QuantifiedLane> lanes) {
    std::string text = "membrane,lane,sample,condition,replicate,target,measure,site,phospho,"
                       "total,loading,stain,normalized_by,ratio,total_to_loading,fold_change,"
                       "flags,excluded,linearity\n";
    for (const QuantifiedLane& lane : lanes) {
        text += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                            csvField(lane.membrane), lane.lane, csvField(lane.sample),
                            csvField(lane.condition), csvField(lane.replicate),
                            csvField(lane.target), measureOf(lane.isPhospho), csvField(lane.site),
                            csvOptionalNumber(lane.phospho), csvOptionalNumber(lane.total),
                            csvOptionalNumber(lane.loading), csvOptionalNumber(lane.stain),
                            normalizerName(lane.normalizedBy), csvOptionalNumber(lane.ratio),
                            csvOptionalNumber(lane.totalToLoading),
                            csvOptionalNumber(lane.foldChange), csvField(laneFlagsText(lane.flags)),
                            csvField(lane.excluded), linearityName(lane.linearity));
    }
    return text;
}

std::string summaryCsv(std::span<const ConditionSummary> summary,
                       std::span<const ConditionSummary> normalizerChecks) {
    std::string text = "target,measure,site,condition,n,fold_change,ci95_low,ci95_high,"
                       "mean_log2_fold_change,sd_log2_fold_change,test,p,p_holm,note,model,df,"
                       "lanes_used,lanes_excluded\n";
    for (const auto rows : {summary, normalizerChecks}) {
        for (const ConditionSummary& row : rows) {
            text += fmt::format(
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csvField(row.target),
                row.normalizerChecked ? normalizerCheckMeasure(*row.normalizerChecked)
                                      : std::string(measureOf(row.isPhospho)),
                csvField(row.site), csvField(row.condition), row.n,
                csvOptionalNumber(row.foldChange), row.ci95 ? csvNumber(row.ci95->low) : "",
                row.ci95 ? csvNumber(row.ci95->high) : "",
                csvOptionalNumber(row.meanLog2FoldChange), csvOptionalNumber(row.sdLog2FoldChange),
                csvField(row.test), csvOptionalNumber(row.p), csvOptionalNumber(row.pHolm),
                csvField(row.note), csvField(row.model),
                optionalCount(row.residualDegreesOfFreedom), row.lanesUsed, row.lanesExcluded);
        }
    }
    return text;
}

std::string contrastsCsv(std::span<const ContrastSummary> contrasts) {
    std::string text = "target,site,contrast,fold_change,ci95_low,ci95_high,p,p_holm,model,df,"
                       "note\n";
    for (const ContrastSummary& row : contrasts) {
        text += fmt::format(
            "{},{},{},{},{},{},{},{},{},{},{}\n", csvField(row.target), csvField(row.site),
            csvField(row.contrast), csvOptionalNumber(row.foldChange),
            row.ci95 ? csvNumber(row.ci95->low) : "", row.ci95 ? csvNumber(row.ci95->high) : "",
            csvOptionalNumber(row.p), csvOptionalNumber(row.pHolm), csvField(row.model),
            optionalCount(row.residualDegreesOfFreedom), csvField(row.note));
    }
    return text;
}

std::string unitsCsv(std::span<const BiologicalUnit> units) {
    std::string text = "target,measure,site,membrane,replicate,condition,block,normalized_by,lanes,"
                       "log2_ratio,log2_fold_change\n";
    for (const BiologicalUnit& unit : units) {
        text += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csvField(unit.target),
                            measureOf(unit.isPhospho), csvField(unit.site), csvField(unit.membrane),
                            csvField(unit.replicate), csvField(unit.condition),
                            csvField(unit.block), normalizerName(unit.normalizedBy), unit.lanes,
                            csvNumber(unit.log2Ratio), csvNumber(unit.log2FoldChange));
    }
    return text;
}

std::expected<std::string, std::string> prismTableCsv(std::span<const BiologicalUnit> units,
                                                      std::span<const std::string> conditions) {
    std::vector<std::string> columns;
    for (const std::string& condition : conditions) {
        if (std::ranges::find(units, condition, &BiologicalUnit::condition) != units.end()) {
            columns.push_back(condition);
        }
    }
    if (std::ranges::any_of(columns,
                            [](const std::string& c) { return asciiLower(c) == "block"; })) {
        return std::unexpected(std::string("a condition named \"block\" would share the name "
                                           "of the table's first column"));
    }
    std::vector<std::string> blocks;
    std::map<std::pair<std::string, std::string>, double> log2Ratios; // block, condition
    for (const BiologicalUnit& unit : units) {
        appendOnce(blocks, unit.block);
        if (!log2Ratios.try_emplace({unit.block, unit.condition}, unit.log2Ratio).second) {
            return std::unexpected(fmt::format(
                "block \"{}\" holds several units of \"{}\", which a matched table (one value "
                "per block and condition) cannot hold",
                unit.block, unit.condition));
        }
    }
    std::string text = "block";
    for (const std::string& column : columns) {
        text += ',';
        text += csvField(column);
    }
    text += '\n';
    for (const std::string& block : blocks) {
        text += csvField(block);
        for (const std::string& column : columns) {
            const auto found = log2Ratios.find({block, column});
            text += ',';
            text += found == log2Ratios.end() ? "" : csvNumber(std::exp2(found->second));
        }
        text += '\n';
    }
    return text;
}

std::string foldChangeWideCsv(std::span<const QuantifiedLane> lanes) {
    std::vector<std::string> labels;
    std::vector<std::string> conditions;
    std::vector<SampleKey> samples;
    std::map<std::pair<SampleKey, std::string>, std::vector<double>> foldChanges;
    for (const QuantifiedLane& lane : lanes) {
        const SampleKey sample{lane.membrane, lane.sample, lane.condition, lane.replicate};
        appendOnce(labels, seriesLabel(lane));
        appendOnce(conditions, lane.condition);
        appendOnce(samples, sample);
        if (lane.foldChange && lane.excluded.empty()) {
            foldChanges[{sample, seriesLabel(lane)}].push_back(*lane.foldChange);
        }
    }
    std::ranges::stable_sort(samples, {}, [&](const SampleKey& sample) {
        return std::ranges::find(conditions, std::get<2>(sample)) - conditions.begin();
    });
    std::string text = "membrane,sample,condition,replicate";
    for (const std::string& label : labels) {
        text += ',';
        text += csvField(label);
    }
    text += '\n';
    for (const SampleKey& sample : samples) {
        text +=
            fmt::format("{},{},{},{}", csvField(std::get<0>(sample)), csvField(std::get<1>(sample)),
                        csvField(std::get<2>(sample)), csvField(std::get<3>(sample)));
        for (const std::string& label : labels) {
            const auto found = foldChanges.find({sample, label});
            text += ",";
            text += found == foldChanges.end() ? "" : csvNumber(geometricMean(found->second));
        }
        text += '\n';
    }
    return text;
}

} // namespace densito
