// The summary's p-values are calibrated in every design: thousands of simulated null
// experiments per design (no treatment effect; membranes, replicate pairs, biological
// replicates and technical lanes varying as real ones do) through quantify(), and the
// fraction of p < 0.05 must lie in [0.035, 0.065]. The old analysis failed this: a Welch
// test against a control column centred to 0 rejected 11-19% of null experiments when a
// membrane held one control and several treated replicates (issue 14). Fixed seeds; the
// power at a true 1.5-fold change is printed for the record.
#include "core/analysis/quantification.h"

#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

namespace densito {
namespace {

constexpr double kMembraneSd = 0.5;  ///< log2 scale: exposure and transfer per membrane
constexpr double kPairSd = 0.4;      ///< a replicate pair's shared culture and harvest
constexpr double kReplicateSd = 0.3; ///< biological replicate
constexpr double kLaneSd = 0.1;      ///< technical lane
constexpr int kNullExperiments = 4000;

/// One lane of a simulated design.
struct DesignLane {
    int membrane = 1;
    std::string condition;
    int replicate = 1; ///< label; the same label on one membrane pairs lanes
    int pair = 0;      ///< lanes of one pair share a draw; 0 = no pair effect
    int unit = 0;      ///< lanes of one biological unit share a draw
};

struct Design {
    std::string name;
    std::vector<DesignLane> lanes;
    int membranes = 0;
};

Layout layoutOf(const Design& design) {
    std::string blots = "image,membrane,target,measure\n";
    for (int m = 1; m <= design.membranes; ++m) {
        blots += fmt::format("m{0}.tif,M{0},p-Akt,phospho\nm{0}.tif,M{0},GAPDH,loading\n", m);
    }
    std::string samples = "membrane,lane,sample,condition,replicate\n";
    std::vector<int> lanesOnMembrane(static_cast<std::size_t>(design.membranes) + 1, 0);
    for (const DesignLane& lane : design.lanes) {
        const int index = ++lanesOnMembrane[static_cast<std::size_t>(lane.membrane)];
        samples += fmt::format("M{},{},s{},{},{}\n", lane.membrane, index, index, lane.condition,
                               lane.replicate);
    }
    return parseLayout(parseCsv(blots, "blots.csv").value(),
                       parseCsv(samples, "samples.csv").value(), {})
        .value();
}

/// The bands of one simulated experiment: log2 ratio = membrane + pair + unit + lane draws,
/// plus log2(foldChange) for lanes of `treated`.
std::vector<MeasuredBand> simulate(const Design& design, std::mt19937_64& random,
                                   const std::string& treated, double foldChange) {
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> membrane(static_cast<std::size_t>(design.membranes) + 1);
    for (double& effect : membrane) {
        effect = kMembraneSd * normal(random);
    }
    std::vector<double> pair(64);
    for (double& effect : pair) {
        effect = kPairSd * normal(random);
    }
    std::vector<double> unit(64);
    for (double& effect : unit) {
        effect = kReplicateSd * normal(random);
    }
    std::vector<MeasuredBand> bands;
    std::vector<int> lanesOnMembrane(static_cast<std::size_t>(design.membranes) + 1, 0);
    for (const DesignLane& lane : design.lanes) {
        const int index = ++lanesOnMembrane[static_cast<std::size_t>(lane.membrane)];
        double log2Ratio = membrane[static_cast<std::size_t>(lane.membrane)] +
                           unit[static_cast<std::size_t>(lane.unit)] + kLaneSd * normal(random);
        if (lane.pair > 0) {
            log2Ratio += pair[static_cast<std::size_t>(lane.pair)];
        }
        if (lane.condition == treated) {
            log2Ratio += std::log2(foldChange);
        }
        const std::string m = fmt::format("M{}", lane.membrane);
        bands.push_back(
            {m, index, "Akt", "", Measure::Phospho, std::exp2(log2Ratio), 0, "blot.tif", 1, 1});
        bands.push_back({m, index, "GAPDH", "", Measure::Loading, 1.0, 0, "blot.tif", 1, 1});
    }
    return bands;
}

/// Three membranes, each with one replicate of control, A and B, technical duplicates.
Design balanced() {
    Design design{"balanced: 3 membranes x (control, A, B), duplicates", {}, 3};
    int unit = 0;
    for (int m = 1; m <= 3; ++m) {
        for (const char* condition : {"control", "A", "B"}) {
            ++unit;
            for (int duplicate = 0; duplicate < 2; ++duplicate) {
                design.lanes.push_back({m, condition, m, 0, unit});
            }
        }
    }
    return design;
}

/// Three membranes, each with one control and three treated replicates.
Design sharedControl() {
    Design design{"3 membranes x (1 control + 3 treated)", {}, 3};
    int unit = 0;
    for (int m = 1; m <= 3; ++m) {
        ++unit;
        design.lanes.push_back({m, "control", unit, 0, unit});
        for (int k = 0; k < 3; ++k) {
            ++unit;
            design.lanes.push_back({m, "A", unit, 0, unit});
        }
    }
    return design;
}

/// Two membranes, each with three paired experiments (control and treated of one culture).
Design pairedOnMembrane() {
    Design design{"2 membranes x 3 paired experiments (control, A)", {}, 2};
    int unit = 0;
    int pair = 0;
    for (int m = 1; m <= 2; ++m) {
        for (int k = 0; k < 3; ++k) {
            ++pair;
            for (const char* condition : {"control", "A"}) {
                design.lanes.push_back({m, condition, pair, pair, ++unit});
            }
        }
    }
    return design;
}

/// Four membranes with control, A and B, two cells missing, duplicates in some cells.
Design missingCells() {
    Design design{"4 membranes x (control, A, B), 2 cells missing, some duplicates", {}, 4};
    int unit = 0;
    for (int m = 1; m <= 4; ++m) {
        for (const char* condition : {"control", "A", "B"}) {
            const std::string c = condition;
            if ((m == 3 && c == "A") || (m == 4 && c == "B")) {
                continue;
            }
            ++unit;
            const int duplicates = (m + static_cast<int>(c.size())) % 2 == 0 ? 2 : 1;
            for (int duplicate = 0; duplicate < duplicates; ++duplicate) {
                design.lanes.push_back({m, condition, m, 0, unit});
            }
        }
    }
    return design;
}

/// Fraction of the experiments in which condition A's p is below 0.05.
double rejectionRate(const Design& design, std::uint64_t seed, int experiments, double foldChange,
                     std::string* model = nullptr) {
    const Layout layout = layoutOf(design);
    std::mt19937_64 random(seed);
    int rejected = 0;
    int tested = 0;
    for (int i = 0; i < experiments; ++i) {
        const auto result = quantify(layout, simulate(design, random, "A", foldChange), {});
        if (!result) {
            ADD_FAILURE() << result.error().describe();
            return 0.0;
        }
        for (const ConditionSummary& row : result->summary) {
            if (row.condition == "A") {
                EXPECT_TRUE(row.p.has_value()) << row.note;
                tested += row.p ? 1 : 0;
                rejected += row.p && *row.p < 0.05 ? 1 : 0;
                if (model != nullptr) {
                    *model = row.model;
                }
            }
        }
    }
    EXPECT_EQ(tested, experiments);
    return static_cast<double>(rejected) / experiments;
}

void expectCalibrated(const Design& design, std::uint64_t seed, const std::string& model) {
    std::string used;
    const double rate = rejectionRate(design, seed, kNullExperiments, 1.0, &used);
    EXPECT_EQ(used, model);
    EXPECT_GE(rate, 0.035) << design.name;
    EXPECT_LE(rate, 0.065) << design.name;
    const std::string line = fmt::format("type-I error at 5% ({} null experiments), {}: {:.4f}",
                                         kNullExperiments, design.name, rate);
    std::printf("%s\n", line.c_str());
    ::testing::Test::RecordProperty("type_I_error", fmt::format("{:.4f}", rate));
}

TEST(StatisticsCalibration, BalancedDesign) {
    expectCalibrated(balanced(), 1401, "log2 ratio ~ membrane + condition");
}

TEST(StatisticsCalibration, OneControlAndThreeTreatedPerMembrane) {
    expectCalibrated(sharedControl(), 1402, "log2 ratio ~ membrane + condition");
}

TEST(StatisticsCalibration, SeveralPairedExperimentsPerMembrane) {
    expectCalibrated(pairedOnMembrane(), 1403, "log2 ratio ~ membrane:replicate + condition");
}

TEST(StatisticsCalibration, MissingCells) {
    expectCalibrated(missingCells(), 1404, "log2 ratio ~ membrane + condition");
}

// Power at a true 1.5-fold change with three biological replicates of the treatment
// (printed, not asserted beyond being above the null rate): the closing note of issue 14.
TEST(StatisticsCalibration, PowerAtOnePointFiveFoldWithThreeReplicates) {
    constexpr int kExperiments = 2000;
    Design balancedThree{"3 membranes x (control, A), paired", {}, 3};
    for (int m = 1; m <= 3; ++m) {
        balancedThree.lanes.push_back({m, "control", m, 0, 2 * m - 1});
        balancedThree.lanes.push_back({m, "A", m, 0, 2 * m});
    }
    Design sharedThree{"1 membrane x (3 control + 3 treated)", {}, 1};
    for (int k = 0; k < 6; ++k) {
        sharedThree.lanes.push_back({1, k < 3 ? "control" : "A", k + 1, 0, k + 1});
    }
    Design pairedThree{"1 membrane x 3 paired experiments (control, A), labelled as pairs", {}, 1};
    for (int k = 1; k <= 3; ++k) {
        pairedThree.lanes.push_back({1, "control", k, k, 2 * k - 1});
        pairedThree.lanes.push_back({1, "A", k, k, 2 * k});
    }
    // The same experiments with replicate labels that do not pair them: the membrane is the
    // only block and the pairs' shared variation stays in the residual.
    Design unlabelledPairs = pairedThree;
    unlabelledPairs.name = "1 membrane x 3 paired experiments (control, A), not labelled as pairs";
    for (DesignLane& lane : unlabelledPairs.lanes) {
        lane.replicate = lane.condition == "A" ? lane.replicate + 10 : lane.replicate;
    }
    for (const Design& design : {balancedThree, sharedThree, pairedThree, unlabelledPairs}) {
        const double power = rejectionRate(design, 1410, kExperiments, 1.5);
        EXPECT_GT(power, 0.065) << design.name;
        std::printf("%s\n", fmt::format("power at a 1.5-fold change, n = 3 ({} experiments), {}: "
                                        "{:.3f}",
                                        kExperiments, design.name, power)
                                .c_str());
    }
}

} // namespace
} // namespace densito
