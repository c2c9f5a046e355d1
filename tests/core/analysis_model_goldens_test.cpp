// The linear-model statistics against R: tests/data/statistics/make_goldens.R fits each
// fixture with lm() (technical lanes averaged on the log2 scale, block + condition) and wrote
// goldens.csv; Densito's summary.csv and contrasts.csv rows must agree to 1e-10. R is not
// needed for that. Then the output files read back in R and pandas (OutputsReadBack, which
// skips when they are missing).
#include "core/analysis/csv_table.h"
#include "core/analysis/quantification.h"
#include "core/io/fold_change_chart.h"
#include "core/pipeline/experiment_outputs.h"

#include "support/process.h"
#include "support/temp_dir.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

namespace densito {
namespace {

const std::filesystem::path kDataDir =
    std::filesystem::path(DENSITO_SOURCE_DIR) / "tests" / "data" / "statistics";

constexpr double kTolerance = 1e-10;

/// A sheet as maps from column name to text.
std::vector<std::map<std::string, std::string>> readSheet(const std::filesystem::path& path) {
    std::vector<std::map<std::string, std::string>> rows;
    const auto table = readCsvFile(path);
    if (!table) {
        ADD_FAILURE() << table.error().describe();
        return rows;
    }
    for (const CsvRow& row : table->rows) {
        std::map<std::string, std::string> fields;
        for (std::size_t c = 0; c < table->header.size(); ++c) {
            fields[table->header[c]] = std::string(table->text(row, c));
        }
        rows.push_back(std::move(fields));
    }
    return rows;
}

/// A fixture as Densito sees it: p-Akt over GAPDH on every membrane, GAPDH 1 in every lane
/// (so each lane's ratio is the fixture's ratio exactly), or the fixture's `loading` when it
/// has that column (phospho then ratio x loading).
Quantification quantifyFixture(const std::string& name, const std::vector<std::string>& factors) {
    const auto lanes = readSheet(kDataDir / fmt::format("fixture_{}.csv", name));
    std::string blots = "image,membrane,target,measure\n";
    std::string samples = "membrane,lane,sample,condition,replicate";
    for (const std::string& factor : factors) {
        samples += "," + factor;
    }
    samples += "\n";
    std::vector<std::string> membranes;
    std::vector<MeasuredBand> bands;
    for (const auto& lane : lanes) {
        const std::string& membrane = lane.at("membrane");
        if (std::ranges::find(membranes, membrane) == membranes.end()) {
            membranes.push_back(membrane);
            blots +=
                fmt::format("{0}.tif,{0},p-Akt,phospho\n{0}.tif,{0},GAPDH,loading\n", membrane);
        }
        samples += fmt::format("{},{},s{},{},{}", membrane, lane.at("lane"), lane.at("lane"),
                               lane.at("condition"), lane.at("replicate"));
        for (const std::string& factor : factors) {
            samples += "," + lane.at(factor);
        }
        samples += "\n";
        const int index = std::stoi(lane.at("lane"));
        const double loadingVolume = lane.contains("loading") ? std::stod(lane.at("loading")) : 1.0;
        MeasuredBand phospho{membrane,
                             index,
                             "Akt",
                             "",
                             Measure::Phospho,
                             std::stod(lane.at("ratio")) * loadingVolume,
                             0,
                             membrane + ".tif",
                             1,
                             1};
        MeasuredBand loading{membrane,      index, "GAPDH",           "", Measure::Loading,
                             loadingVolume, 0,     membrane + ".tif", 1,  1};
        bands.push_back(phospho);
        bands.push_back(loading);
    }
    LayoutSettings settings;
    settings.factors = factors;
    const auto layout = parseLayout(parseCsv(blots, "blots.csv").value(),
                                    parseCsv(samples, "samples.csv").value(), settings);
    if (!layout) {
        ADD_FAILURE() << layout.error().front().describe();
        return {};
    }
    auto result = quantify(*layout, bands, {});
    if (!result) {
        ADD_FAILURE() << result.error().describe();
        return {};
    }
    return std::move(*result);
}

struct Golden {
    std::string family; ///< summary, contrast or normaliser (the loading control's own model)
    std::string name;   ///< condition or contrast
    double estimate = 0.0;
    int df = 0;
    double p = 0.0;
    double ciLow = 0.0;
    double ciHigh = 0.0;
    double pHolm = 0.0;
    std::optional<double> sdLog2;
};

std::vector<Golden> goldensOf(const std::string& fixture) {
    std::vector<Golden> goldens;
    for (const auto& row : readSheet(kDataDir / "goldens.csv")) {
        if (row.at("fixture") != fixture) {
            continue;
        }
        Golden golden;
        golden.family = row.at("family");
        golden.name = row.at("name");
        golden.estimate = std::stod(row.at("estimate"));
        golden.df = std::stoi(row.at("df"));
        golden.p = std::stod(row.at("p"));
        golden.ciLow = std::stod(row.at("ci95_low"));
        golden.ciHigh = std::stod(row.at("ci95_high"));
        golden.pHolm = std::stod(row.at("p_holm"));
        if (!row.at("sd_log2").empty()) {
            golden.sdLog2 = std::stod(row.at("sd_log2"));
        }
        goldens.push_back(golden);
    }
    return goldens;
}

void expectFigures(const Golden& golden, std::optional<double> foldChange,
                   std::optional<Interval> ci95, std::optional<double> p,
                   std::optional<double> pHolm, std::optional<int> df) {
    ASSERT_TRUE(foldChange && ci95 && p && pHolm && df) << golden.name;
    EXPECT_NEAR(std::log2(*foldChange), golden.estimate, kTolerance) << golden.name;
    EXPECT_NEAR(std::log2(ci95->low), golden.ciLow, kTolerance) << golden.name;
    EXPECT_NEAR(std::log2(ci95->high), golden.ciHigh, kTolerance) << golden.name;
    EXPECT_NEAR(*p, golden.p, kTolerance) << golden.name;
    EXPECT_NEAR(*pHolm, golden.pHolm, kTolerance) << golden.name;
    EXPECT_EQ(*df, golden.df) << golden.name;
}

/// Every golden row of the fixture has its Densito row with the same figures, and Densito
/// has no tested row R did not make.
void expectAgreement(const std::string& fixture, const std::vector<std::string>& factors,
                     const std::string& model) {
    const Quantification result = quantifyFixture(fixture, factors);
    const std::vector<Golden> goldens = goldensOf(fixture);
    ASSERT_FALSE(goldens.empty());
    std::size_t summaries = 0;
    std::size_t contrasts = 0;
    std::size_t normalizers = 0;
    for (const Golden& golden : goldens) {
        if (golden.family == "normaliser") {
            ++normalizers;
            const auto row = std::ranges::find(result.normalizerChecks, golden.name,
                                               &ConditionSummary::condition);
            ASSERT_NE(row, result.normalizerChecks.end()) << golden.name;
            expectFigures(golden, row->foldChange, row->ci95, row->p, row->pHolm,
                          row->residualDegreesOfFreedom);
            ASSERT_TRUE(golden.sdLog2 && row->sdLog2FoldChange) << golden.name;
            EXPECT_NEAR(*row->sdLog2FoldChange, *golden.sdLog2, kTolerance);
            EXPECT_EQ(row->target, "GAPDH");
            EXPECT_EQ(row->normalizerChecked, Normalizer::Loading);
            EXPECT_EQ(row->model, "log2 volume ~ membrane + condition");
        } else if (golden.family == "summary") {
            ++summaries;
            const auto row =
                std::ranges::find(result.summary, golden.name, &ConditionSummary::condition);
            ASSERT_NE(row, result.summary.end()) << golden.name;
            expectFigures(golden, row->foldChange, row->ci95, row->p, row->pHolm,
                          row->residualDegreesOfFreedom);
            EXPECT_NEAR(*row->meanLog2FoldChange, golden.estimate, kTolerance);
            ASSERT_EQ(row->sdLog2FoldChange.has_value(), golden.sdLog2.has_value());
            if (golden.sdLog2) {
                EXPECT_NEAR(*row->sdLog2FoldChange, *golden.sdLog2, kTolerance);
            }
            EXPECT_EQ(row->model, model);
            EXPECT_EQ(row->test, "linear model t-test");
        } else {
            ++contrasts;
            const auto row =
                std::ranges::find(result.contrasts, golden.name, &ContrastSummary::contrast);
            ASSERT_NE(row, result.contrasts.end()) << golden.name;
            expectFigures(golden, row->foldChange, row->ci95, row->p, row->pHolm,
                          row->residualDegreesOfFreedom);
            EXPECT_EQ(row->model, model);
        }
    }
    EXPECT_EQ(result.summary.size(), summaries + 1); // and the control row
    EXPECT_EQ(result.contrasts.size(), contrasts);
    if (normalizers > 0) {
        EXPECT_EQ(result.normalizerChecks.size(), normalizers + 1); // and the control row
    }
    EXPECT_TRUE(result.summary.front().isControl);
    EXPECT_FALSE(result.summary.front().p.has_value());
}

TEST(LinearModelGoldens, MembraneBlocksWithTechnicalDuplicatesAndAMissingCell) {
    expectAgreement("blocked_unbalanced", {}, "log2 ratio ~ membrane + condition");
}

TEST(LinearModelGoldens, ReplicatesPairedWithinAMembrane) {
    expectAgreement("paired_within_membrane", {}, "log2 ratio ~ membrane:replicate + condition");
}

TEST(LinearModelGoldens, OneControlAndThreeTreatedPerMembrane) {
    expectAgreement("shared_control", {}, "log2 ratio ~ membrane + condition");
}

// The loading control analysed on its own (summary.csv's normaliser rows) is R's
// lm(log2(loading) ~ membrane + condition): technical duplicates averaged, a missing cell;
// TNF raises it about 1.5-fold, EGF leaves it (fold change 1.026, p 0.22).
TEST(LinearModelGoldens, NormaliserCheckOfALoadingControl) {
    expectAgreement("normaliser", {}, "log2 ratio ~ membrane + condition");
    const Quantification result = quantifyFixture("normaliser", {});
    std::vector<std::string> normalizerWarnings;
    std::ranges::copy_if(result.warnings, std::back_inserter(normalizerWarnings),
                         [](const std::string& w) { return w.starts_with("normaliser "); });
    ASSERT_EQ(normalizerWarnings.size(), 1u);
    EXPECT_EQ(normalizerWarnings.front(),
              "normaliser loading GAPDH differs under TNF: fold change 1.53 vs control (95% CI "
              "1.45 to 1.61, p = 5e-06; beyond 1.2-fold): unequal loading, or a change by "
              "treatment that the ratios it divides carry: p-Akt (summary.csv, measure "
              "normaliser:loading)");
}

TEST(LinearModelGoldens, FactorialInteractionWithAMissingUnit) {
    expectAgreement("factorial", {"insulin", "isoleucine"}, "log2 ratio ~ membrane + condition");
}

// ---- Read back -------------------------------------------------------------------------
// The files a reader takes to R, pandas or Prism give summary.csv's p-values back:
// tests/data/statistics/read_back.R and read_back.py fit units.csv and each prism/ table
// as README.md says and compare to 1e-12 (read_back.py also compares results.xlsx's cells
// with the CSV files). Skipped, saying so, only when Rscript or pandas is missing
// (installer/debian-packages.txt installs both).

/// `name` found on the PATH (test::runProcess() runs a path, not a command name); empty
/// when it is not there.
std::string onPath(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string_view folders = path != nullptr ? path : "";
    while (!folders.empty()) {
        const std::size_t end = std::min(folders.find(':'), folders.size());
        const std::filesystem::path candidate =
            std::filesystem::path(folders.substr(0, end)) / name;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate.string();
        }
        folders.remove_prefix(std::min(end + 1, folders.size()));
    }
    return {};
}

/// The first of /usr/bin/python3 (Debian's, which python3-pandas serves) and python3 on the
/// PATH that imports pandas, numpy and scipy; empty when none does.
std::string pythonWithPandas() {
    for (const std::string& candidate : {std::string("/usr/bin/python3"), onPath("python3")}) {
        if (!candidate.empty() &&
            test::runProcess({candidate, "-c", "import pandas, numpy, scipy"}).exitCode == 0) {
            return candidate;
        }
    }
    return {};
}

/// Writes the run's files for `fixture` into `folder` and, beside them, prism_index.csv
/// naming each prism table's target for the scripts.
void writeOutputs(const std::string& fixture, const std::vector<std::string>& factors,
                  const std::filesystem::path& folder) {
    ExperimentOutcome outcome;
    outcome.quantification = quantifyFixture(fixture, factors);
    const auto files = analysisOutputFiles({}, &outcome);
    ASSERT_TRUE(files.has_value()) << files.error().describe();
    for (const OutputFile& file : *files) {
        std::filesystem::create_directories((folder / file.name).parent_path());
        std::ofstream(folder / file.name, std::ios::binary) << file.contents;
    }
    const std::vector<FoldChangeSeries> series = foldChangeSeries(outcome.quantification.summary);
    const std::vector<std::string> stems = seriesFileStems(series);
    std::string index = "file,target,measure,site\n";
    for (std::size_t i = 0; i < series.size(); ++i) {
        const std::string file = "prism/" + stems[i] + ".csv";
        if (std::filesystem::exists(folder / file)) {
            index += fmt::format("{},{},{},{}\n", file, series[i].target,
                                 series[i].isPhospho ? "phospho" : "total", series[i].site);
        }
    }
    std::ofstream(folder / "prism_index.csv", std::ios::binary) << index;
    // The cells of the factorial fixture's interaction, as a reader knows their design.
    std::ofstream(folder / "design.csv", std::ios::binary)
        << "contrast,first_only,second_only,both\n"
           "interaction: insulin x isoleucine,Insulin,L-isoleucine,L-isoleucine + Insulin\n";
}

/// The lines of `text` that start with `start` and contain `part`.
std::ptrdiff_t linesWith(const std::string& text, std::string_view start, std::string_view part) {
    std::ptrdiff_t count = 0;
    std::size_t begin = 0;
    while (begin < text.size()) {
        const std::size_t end = std::min(text.find('\n', begin), text.size());
        const std::string_view line(text.data() + begin, end - begin);
        count += line.starts_with(start) && line.find(part) != std::string_view::npos ? 1 : 0;
        begin = end + 1;
    }
    return count;
}

class OutputsReadBack : public testing::TestWithParam<std::string> {};

TEST_P(OutputsReadBack, UnitsAndPrismTablesGiveSummaryPValuesInRAndPandas) {
    const std::string python = pythonWithPandas();
    const std::string rscript = onPath("Rscript");
    if (rscript.empty() || python.empty()) {
        GTEST_SKIP() << "needs Rscript (Debian r-base-core) and pandas with scipy (Debian "
                        "python3-pandas, python3-scipy): installer/install-deps.sh installs them";
    }
    const std::string fixture = GetParam();
    const std::vector<std::string> factors = fixture == "factorial"
                                                 ? std::vector<std::string>{"insulin", "isoleucine"}
                                                 : std::vector<std::string>{};
    test::TempDir dir;
    writeOutputs(fixture, factors, dir.path());
    // One control and three treated units per membrane: no matched table (units.csv only).
    EXPECT_EQ(std::filesystem::exists(dir / "prism" / "p-Akt.csv"), fixture != "shared_control");
    const std::string index = (dir / "prism_index.csv").string();
    const std::string design = (dir / "design.csv").string();
    const auto r = test::runProcess(
        {rscript, (kDataDir / "read_back.R").string(), dir.path().string(), index, design});
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find(" values compared, 0 differ"), std::string::npos) << r.out;
    const auto pandas = test::runProcess(
        {python, (kDataDir / "read_back.py").string(), dir.path().string(), index, design});
    EXPECT_EQ(pandas.exitCode, 0) << pandas.out << pandas.err;
    EXPECT_NE(pandas.out.find(" values compared, 0 failures"), std::string::npos) << pandas.out;
    // Holm and every contrast R made a golden of (fold change, p, p_holm) came back too.
    const std::vector<Golden> goldens = goldensOf(fixture);
    const auto contrastGoldens = std::ranges::count(goldens, "contrast", &Golden::family);
    const auto summaryGoldens = std::ranges::count(goldens, "summary", &Golden::family);
    for (const std::string* out : {&r.out, &pandas.out}) {
        EXPECT_EQ(linesWith(*out, "ok contrasts.csv ", " p_holm: "), contrastGoldens) << *out;
        EXPECT_EQ(linesWith(*out, "ok contrasts.csv ", " fold_change: "), contrastGoldens);
        EXPECT_EQ(linesWith(*out, "ok units.csv ", " p_holm: "), summaryGoldens) << *out;
    }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, OutputsReadBack,
                         testing::Values("blocked_unbalanced", "paired_within_membrane",
                                         "shared_control", "factorial", "normaliser"));

} // namespace
} // namespace densito
