#include "core/pipeline/experiment_outputs.h"

#include "core/analysis/analysis_csv.h"
#include "core/io/fold_change_chart.h"
#include "core/io/results_workbook.h"
#include "core/pipeline/experiment_analysis.h"

#include <algorithm>
#include <fmt/format.h>

namespace densito {

namespace {

/// A housekeeping protein alone is a poor normaliser unless shown fit on this membrane: its
/// expression can change with treatment, and it saturates at loads where targets are still
/// linear (Butler et al. 2019, Biomed Res Int 2019:5214821; Aldridge et al. 2008). Validated
/// = a dilution series on the membrane gives its row a linear range. One warning per
/// membrane and loading target, naming the series it normalises.
std::vector<std::string> unvalidatedHousekeepingWarnings(std::span<const QuantifiedLane> lanes,
                                                         std::span<const LinearityFit> fits,
                                                         const Layout& layout) {
    std::vector<std::pair<std::string, std::vector<std::string>>> byMembrane;
    for (const QuantifiedLane& lane : lanes) {
        if (lane.normalizedBy != Normalizer::Loading) {
            continue;
        }
        const std::string series =
            lane.isPhospho
                ? fmt::format("p-{}{}{}", lane.target, lane.site.empty() ? "" : " ", lane.site)
                : lane.target;
        auto entry = std::find_if(byMembrane.begin(), byMembrane.end(),
                                  [&](const auto& e) { return e.first == lane.membrane; });
        if (entry == byMembrane.end()) {
            byMembrane.push_back({lane.membrane, {}});
            entry = byMembrane.end() - 1;
        }
        if (std::find(entry->second.begin(), entry->second.end(), series) == entry->second.end()) {
            entry->second.push_back(series);
        }
    }
    std::vector<std::string> warnings;
    for (const auto& [membrane, series] : byMembrane) {
        const auto loadingRow =
            std::find_if(layout.blots.begin(), layout.blots.end(), [&](const BlotRow& row) {
                return row.membrane == membrane && row.measure == Measure::Loading;
            });
        if (loadingRow == layout.blots.end()) {
            continue;
        }
        const bool isValidated = std::any_of(fits.begin(), fits.end(), [&](const LinearityFit& f) {
            return f.membrane == membrane && f.measure == Measure::Loading &&
                   f.target == loadingRow->target && f.loadHigh.has_value();
        });
        if (!isValidated) {
            warnings.push_back(fmt::format(
                "membrane \"{}\": {} normalised by the housekeeping protein {} alone, which no "
                "dilution series on this membrane validates; its expression can change with "
                "treatment and it saturates early (a total-protein stain row is preferred)",
                membrane, fmt::join(series, ", "), loadingRow->target));
        }
    }
    return warnings;
}

/// One target's prism/ table, or why it has none.
struct PrismTable {
    std::string label;                   ///< "p-Akt Ser473", "IRS-1": as warnings name a series
    std::string stem;                    ///< file name stem (seriesFileStems())
    std::vector<std::string> conditions; ///< its columns after "block"
    std::expected<std::string, std::string> csv;
};

/// The prism/ table of every target of summary.csv, in its order.
std::vector<PrismTable> prismTables(const Quantification& quantification) {
    const std::vector<FoldChangeSeries> series = foldChangeSeries(quantification.summary);
    const std::vector<std::string> stems = seriesFileStems(series);
    std::vector<PrismTable> tables;
    for (std::size_t i = 0; i < series.size(); ++i) {
        const FoldChangeSeries& one = series[i];
        std::vector<BiologicalUnit> units;
        for (const BiologicalUnit& unit : quantification.units) {
            if (isInFoldChangeSeries(one, unit.target, unit.isPhospho, unit.site)) {
                units.push_back(unit);
            }
        }
        std::vector<std::string> conditions;
        for (const ConditionSummary& row : quantification.summary) {
            if (isInFoldChangeSeries(one, row.target, row.isPhospho, row.site) &&
                std::ranges::find(units, row.condition, &BiologicalUnit::condition) !=
                    units.end()) {
                conditions.push_back(row.condition);
            }
        }
        PrismTable table;
        table.label = one.isPhospho ? "p-" + one.target : one.target;
        if (!one.site.empty()) {
            table.label += " " + one.site;
        }
        table.stem = stems[i];
        table.csv = prismTableCsv(units, conditions);
        table.conditions = std::move(conditions);
        tables.push_back(std::move(table));
    }
    return tables;
}

/// The columns of each table that hold numbers, for results.xlsx.
const std::vector<std::string> kSummaryNumbers = {
    "n", "fold_change", "ci95_low", "ci95_high",  "mean_log2_fold_change", "sd_log2_fold_change",
    "p", "p_holm",      "df",       "lanes_used", "lanes_excluded"};
const std::vector<std::string> kContrastNumbers = {"fold_change", "ci95_low", "ci95_high",
                                                   "p",           "p_holm",   "df"};
const std::vector<std::string> kQuantificationNumbers = {
    "lane", "phospho", "total", "loading", "stain", "ratio", "total_to_loading", "fold_change"};
const std::vector<std::string> kUnitNumbers = {"lanes", "log2_ratio", "log2_fold_change"};

/// The UTF-8 byte-order mark.
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

} // namespace

std::expected<ExperimentOutcome, Error> analyzeExperiment(const Layout& layout,
                                                          std::span<const NamedAnalysis> analyses,
                                                          const QuantificationSettings& settings) {
    ExperimentOutcome outcome;
    outcome.warnings = compareLaneGeometry(layout, analyses);
    for (const NamedAnalysis& image : analyses) {
        for (StripCalibration& calibration : calibrationsOfImage(layout, image)) {
            outcome.warnings.insert(outcome.warnings.end(), calibration.warnings.begin(),
                                    calibration.warnings.end());
            outcome.calibrations.push_back(std::move(calibration));
        }
    }
    auto measured = measuredBandsOf(layout, analyses, outcome.warnings, outcome.calibrations);
    if (!measured) {
        return std::unexpected(measured.error());
    }
    std::vector<MeasuredBand> bands = std::move(*measured);
    for (std::string& warning : phosphoTotalMassWarnings(bands)) {
        outcome.warnings.push_back(std::move(warning));
    }
    outcome.linearity = fitDilutionSeries(layout, bands);
    flagOutsideLinearRange(layout, outcome.linearity, bands);
    for (const LinearityFit& fit : outcome.linearity) {
        if (fit.logSlope && !fit.loadHigh) {
            outcome.warnings.push_back(fmt::format(
                "membrane \"{}\", {} {} ({}): no linear range in the dilution series, so its "
                "bands are outside it ({})",
                fit.membrane, measureName(fit.measure), fit.target, fit.image, fit.note));
        }
    }
    auto quantified = quantify(layout, bands, settings);
    if (!quantified) {
        return std::unexpected(quantified.error());
    }
    outcome.quantification = std::move(*quantified);
    outcome.warnings.insert(outcome.warnings.end(), outcome.quantification.warnings.begin(),
                            outcome.quantification.warnings.end());
    for (std::string& warning :
         unvalidatedHousekeepingWarnings(outcome.quantification.lanes, outcome.linearity, layout)) {
        outcome.warnings.push_back(std::move(warning));
    }
    for (const PrismTable& table : prismTables(outcome.quantification)) {
        if (!table.csv) {
            outcome.warnings.push_back(
                fmt::format("{}: no prism/{}.csv: {} (units.csv holds them for R)", table.label,
                            table.stem, table.csv.error()));
        }
    }
    outcome.measuredBands = bands.size();
    return outcome;
}

std::expected<std::vector<OutputFile>, Error>
analysisOutputFiles(std::span<const NamedAnalysis> analyses, const ExperimentOutcome* experiment,
                    const OutputOptions& options) {
    const std::vector<NamedAnalysis> images(analyses.begin(), analyses.end());
    std::vector<OutputFile> files = {
        {"lanes.csv", lanesCsv(images)},
        {"bands.csv",
         bandsCsv(images, experiment != nullptr
                              ? std::span<const StripCalibration>(experiment->calibrations)
                              : std::span<const StripCalibration>{})}};
    if (experiment != nullptr) {
        const Quantification& quantification = experiment->quantification;
        const std::string summary =
            summaryCsv(quantification.summary, quantification.normalizerChecks);
        const std::string contrasts = contrastsCsv(quantification.contrasts);
        const std::string lanes = quantificationCsv(quantification.lanes);
        const std::string units = unitsCsv(quantification.units);
        files.push_back({"quantification.csv", lanes});
        files.push_back({"summary.csv", summary});
        files.push_back({"contrasts.csv", contrasts});
        files.push_back({"units.csv", units});
        files.push_back({"fold_change_wide.csv", foldChangeWideCsv(quantification.lanes)});
        if (!experiment->linearity.empty()) {
            files.push_back({"linearity.csv", linearityCsv(experiment->linearity)});
        }
        std::vector<std::string> sheetNames = {"summary", "contrasts", "quantification", "units"};
        std::vector<WorkbookSheet> sheets = {{"", summary, kSummaryNumbers},
                                             {"", contrasts, kContrastNumbers},
                                             {"", lanes, kQuantificationNumbers},
                                             {"", units, kUnitNumbers}};
        for (const PrismTable& table : prismTables(quantification)) {
            if (!table.csv) {
                continue;
            }
            files.push_back({"prism/" + table.stem + ".csv", *table.csv});
            sheetNames.push_back("prism " + table.stem);
            sheets.push_back({"", *table.csv, table.conditions});
        }
        const std::vector<std::string> names = workbookSheetNames(sheetNames);
        for (std::size_t i = 0; i < sheets.size(); ++i) {
            sheets[i].name = names[i];
        }
        auto workbook = resultsWorkbook(sheets);
        if (!workbook) {
            return std::unexpected(workbook.error());
        }
        files.push_back({"results.xlsx", std::move(*workbook)});
        const std::vector<FoldChangeSeries> series = foldChangeSeries(quantification.summary);
        const std::vector<std::string> stems = foldChangeChartStems(series);
        for (std::size_t i = 0; i < series.size(); ++i) {
            const FoldChangeChart chart =
                renderFoldChangeChart(series[i], quantification.summary, quantification.lanes);
            files.push_back({"charts/" + stems[i] + ".svg", chart.svg});
            files.push_back(
                {"charts/" + stems[i] + ".png", std::string(chart.png.begin(), chart.png.end())});
        }
    }
    if (options.csvByteOrderMark) {
        for (OutputFile& file : files) {
            if (file.name.ends_with(".csv")) {
                file.contents.insert(0, kByteOrderMark);
            }
        }
    }
    return files;
}

} // namespace densito
