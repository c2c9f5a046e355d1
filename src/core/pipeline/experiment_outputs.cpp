#include "core/pipeline/experiment_outputs.h"

#include "core/analysis/analysis_csv.h"
#include "core/io/fold_change_chart.h"
#include "core/pipeline/experiment_analysis.h"

namespace densito {

std::expected<ExperimentOutcome, Error> analyzeExperiment(const Layout& layout,
                                                          std::span<const NamedAnalysis> analyses,
                                                          const ExclusionPolicy& exclude) {
    ExperimentOutcome outcome;
    outcome.warnings = compareLaneGeometry(layout, analyses);
    std::vector<MeasuredBand> bands = measuredBandsOf(layout, analyses);
    outcome.linearity = fitDilutionSeries(layout, bands);
    flagOutsideLinearRange(layout, outcome.linearity, bands);
    auto quantified = quantify(layout, bands, {exclude});
    if (!quantified) {
        return std::unexpected(quantified.error());
    }
    outcome.quantification = std::move(*quantified);
    outcome.warnings.insert(outcome.warnings.end(), outcome.quantification.warnings.begin(),
                            outcome.quantification.warnings.end());
    outcome.measuredBands = bands.size();
    return outcome;
}

std::vector<OutputFile> analysisOutputFiles(std::span<const NamedAnalysis> analyses,
                                            const ExperimentOutcome* experiment) {
    const std::vector<NamedAnalysis> images(analyses.begin(), analyses.end());
    std::vector<OutputFile> files = {{"lanes.csv", lanesCsv(images)},
                                     {"bands.csv", bandsCsv(images)}};
    if (experiment == nullptr) {
        return files;
    }
    const Quantification& quantification = experiment->quantification;
    files.push_back({"quantification.csv", quantificationCsv(quantification.lanes)});
    files.push_back({"summary.csv", summaryCsv(quantification.summary)});
    files.push_back({"contrasts.csv", contrastsCsv(quantification.contrasts)});
    files.push_back({"fold_change_wide.csv", foldChangeWideCsv(quantification.lanes)});
    if (!experiment->linearity.empty()) {
        files.push_back({"linearity.csv", linearityCsv(experiment->linearity)});
    }
    const std::vector<FoldChangeSeries> series = foldChangeSeries(quantification.summary);
    const std::vector<std::string> stems = foldChangeChartStems(series);
    for (std::size_t i = 0; i < series.size(); ++i) {
        const FoldChangeChart chart =
            renderFoldChangeChart(series[i], quantification.summary, quantification.lanes);
        files.push_back({"charts/" + stems[i] + ".svg", chart.svg});
        files.push_back(
            {"charts/" + stems[i] + ".png", std::string(chart.png.begin(), chart.png.end())});
    }
    return files;
}

} // namespace densito
