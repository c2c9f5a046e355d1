// Ratios, fold changes and replicate statistics on hand-made volume tables whose answers are
// worked out by hand in the comments.
#include "core/analysis/analysis_csv.h"
#include "core/analysis/quantification.h"
#include "core/io/results_csv.h"
#include "core/measure/blot_analysis.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <string>
#include <tuple>
#include <vector>

namespace densito {
namespace {

Layout layoutOf(std::string_view blots, std::string_view samples) {
    const auto layout = parseLayout(parseCsv(blots, "blots.csv").value(),
                                    parseCsv(samples, "samples.csv").value(), {});
    if (!layout) {
        ADD_FAILURE() << layout.error().front().describe();
        return {};
    }
    return *layout;
}

MeasuredBand band(std::string membrane, int lane, std::string target, Measure measure,
                  double volume, std::uint32_t flags = 0, std::string site = {}) {
    return MeasuredBand{std::move(membrane),
                        lane,
                        std::move(target),
                        std::move(site),
                        measure,
                        volume,
                        flags,
                        "blot.tif",
                        1,
                        1};
}

/// p-Akt Ser473 / Akt on three membranes, one biological replicate of each condition per
/// membrane (ratio-paired design). Total Akt is 1000 and beta-actin 500 in every lane, so the
/// ratio is phospho / 1000:
///   M1: control 0.5 and 2 (technical duplicates, geometric mean 1), insulin 2, rapamycin 0.5
///   M2: control 0.25, insulin 1, rapamycin 0.125, and a saturated insulin duplicate 8
///   M3: control 0.125, insulin 0.5 and 2 (technical duplicates), rapamycin 0.03125
/// Fold changes: M1 insulin 2, rapamycin 0.5; M2 insulin 4 (the saturated 32 is excluded),
/// rapamycin 0.5; M3 insulin 4 and 16 (geometric mean 8), rapamycin 0.25.
/// log2 per membrane: insulin 1, 2, 3; rapamycin -1, -1, -2.
struct PairedExperiment {
    Layout layout;
    std::vector<MeasuredBand> bands;
};

PairedExperiment pairedExperiment() {
    PairedExperiment experiment;
    experiment.layout = layoutOf("image,membrane,target,measure,site\n"
                                 "m1.tif,M1,p-Akt,phospho,Ser473\nm1.tif,M1,Akt,total,\n"
                                 "m1.tif,M1,beta-actin,loading,\n"
                                 "m2.tif,M2,p-Akt,phospho,Ser473\nm2.tif,M2,Akt,total,\n"
                                 "m2.tif,M2,ACTB,loading,\n"
                                 "m3.tif,M3,pAkt,phospho,Ser473\nm3.tif,M3,AKT1,total,\n"
                                 "m3.tif,M3,actin,loading,\n",
                                 "membrane,lane,sample,condition,replicate\n"
                                 "M1,1,c1a,control,1\nM1,2,c1b,control,1\nM1,3,i1,insulin,1\n"
                                 "M1,4,r1,rapamycin,1\n"
                                 "M2,1,c2,control,2\nM2,2,i2,insulin,2\nM2,3,r2,rapamycin,2\n"
                                 "M2,4,i2x,insulin,2\n"
                                 "M3,1,c3,control,3\nM3,2,i3a,insulin,3\nM3,3,i3b,insulin,3\n"
                                 "M3,4,r3,rapamycin,3\n");
    const std::vector<std::pair<std::string, std::vector<double>>> phospho{
        {"M1", {500, 2000, 2000, 500}},
        {"M2", {250, 1000, 125, 8000}},
        {"M3", {125, 500, 2000, 31.25}}};
    for (const auto& [membrane, volumes] : phospho) {
        for (int lane = 1; lane <= 4; ++lane) {
            const bool isSaturated = membrane == "M2" && lane == 4;
            experiment.bands.push_back(band(membrane, lane, "Akt", Measure::Phospho,
                                            volumes[static_cast<std::size_t>(lane - 1)],
                                            isSaturated ? kBandSaturated : 0u, "Ser473"));
            experiment.bands.push_back(band(membrane, lane, "Akt", Measure::Total, 1000));
            experiment.bands.push_back(band(membrane, lane, "beta-actin", Measure::Loading, 500));
        }
    }
    return experiment;
}

TEST(Quantification, RatiosAndFoldChangesPerLane) {
    const PairedExperiment experiment = pairedExperiment();
    const auto result = quantify(experiment.layout, experiment.bands, {});
    ASSERT_TRUE(result.has_value());
    ASSERT_EQ(result->lanes.size(), 12u);
    const QuantifiedLane& first = result->lanes[0];
    EXPECT_EQ(first.membrane, "M1");
    EXPECT_EQ(first.lane, 1);
    EXPECT_EQ(first.sample, "c1a");
    EXPECT_EQ(first.target, "Akt");
    EXPECT_EQ(first.site, "Ser473");
    EXPECT_EQ(first.phospho, 500.0);
    EXPECT_EQ(first.total, 1000.0);
    EXPECT_EQ(first.loading, 500.0);
    EXPECT_FALSE(first.stain.has_value());
    EXPECT_EQ(first.normalizedBy, Normalizer::Total);
    EXPECT_EQ(first.ratio, 0.5);
    EXPECT_EQ(first.totalToLoading, 2.0);
    EXPECT_EQ(first.foldChange, 0.5); // 0.5 / geometric mean(0.5, 2)
    EXPECT_EQ(result->lanes[2].foldChange, 2.0);
    EXPECT_EQ(result->lanes[9].foldChange, 4.0);   // M3 lane 2: 0.5 / 0.125
    EXPECT_EQ(result->lanes[10].foldChange, 16.0); // M3 lane 3: 2 / 0.125
    const QuantifiedLane& saturated = result->lanes[7];
    EXPECT_EQ(saturated.sample, "i2x");
    EXPECT_EQ(saturated.foldChange, 32.0); // shown, but not used
    EXPECT_EQ(saturated.flags, kBandSaturated);
    EXPECT_EQ(saturated.excluded, "saturated band");
    EXPECT_EQ(result->lanes[6].excluded, "");
    // M2 and M3 have one control lane each: said once per membrane and target.
    EXPECT_EQ(result->warnings,
              (std::vector<std::string>{
                  "membrane \"M2\", Akt Ser473: fold changes are relative to a single control "
                  "lane (lane 1)",
                  "membrane \"M3\", Akt Ser473: fold changes are relative to a single control "
                  "lane (lane 1)"}));
}

// One model for the three conditions: log2 ratio ~ membrane + condition. Units (log2 fold
// changes per membrane): control 0, 0, 0; insulin 1, 2, 3; rapamycin -1, -1, -2. The
// estimates are the column means (balanced): insulin 2, rapamycin -4/3. Until issue 14 each
// condition had its own one-sample t-test on 2 df (insulin p = 1 - sqrt(6/7) = 0.074); the
// model pools the residual over all conditions: residuals (unit - membrane mean - condition
// mean + grand mean) 2/9, -7/9, 5/9; -1/9, -1/9, 2/9; -1/9, 8/9, -7/9 give RSS 22/9 on
// 9 - 3 - 2 = 4 df, residual variance 11/18, and SE of a difference with control sqrt(11/27).
TEST(Quantification, BlockedModelSummary) {
    const PairedExperiment experiment = pairedExperiment();
    const auto result = quantify(experiment.layout, experiment.bands, {});
    ASSERT_TRUE(result.has_value());
    ASSERT_EQ(result->summary.size(), 3u);
    // With 4 df: two-sided p = 1 - x (3 - x^2) / 2, x = t / sqrt(t^2 + 4); t(0.975, 4) from
    // R's qt(0.975, 4).
    const auto p4 = [](double t) {
        const double x = std::abs(t) / std::sqrt(t * t + 4.0);
        return 1.0 - x * (3.0 - x * x) / 2.0;
    };
    const double t975 = 2.7764451051977934;
    const double se = std::sqrt(11.0 / 27.0);
    const ConditionSummary& control = result->summary[0];
    EXPECT_EQ(control.condition, "control");
    EXPECT_TRUE(control.isControl);
    EXPECT_EQ(control.n, 3);
    EXPECT_EQ(control.foldChange, 1.0);
    EXPECT_FALSE(control.p.has_value());
    EXPECT_FALSE(control.residualDegreesOfFreedom.has_value());
    EXPECT_EQ(control.test, "");
    // Insulin: t = 2 / SE = 3.1334, p = 0.0350701 (R: 2 * pt(-t, 4)).
    const ConditionSummary& insulin = result->summary[1];
    EXPECT_EQ(insulin.condition, "insulin");
    EXPECT_EQ(insulin.n, 3);
    EXPECT_NEAR(*insulin.foldChange, 4.0, 1e-12);
    EXPECT_NEAR(*insulin.meanLog2FoldChange, 2.0, 1e-12);
    EXPECT_NEAR(*insulin.sdLog2FoldChange, 1.0, 1e-12);
    EXPECT_NEAR(insulin.ci95->low, std::exp2(2.0 - t975 * se), 1e-12);
    EXPECT_NEAR(insulin.ci95->high, std::exp2(2.0 + t975 * se), 1e-10);
    EXPECT_EQ(insulin.test, "linear model t-test");
    EXPECT_EQ(insulin.model, "log2 ratio ~ membrane + condition");
    EXPECT_EQ(insulin.residualDegreesOfFreedom, 4);
    EXPECT_NEAR(*insulin.p, p4(2.0 / se), 1e-12);
    EXPECT_NEAR(*insulin.p, 0.035070144120438969, 1e-12);
    // Rapamycin: t = (-4/3) / SE = -2.0889, p = 0.104957.
    const ConditionSummary& rapamycin = result->summary[2];
    EXPECT_NEAR(*rapamycin.meanLog2FoldChange, -4.0 / 3.0, 1e-12);
    EXPECT_NEAR(*rapamycin.foldChange, std::exp2(-4.0 / 3.0), 1e-12);
    EXPECT_NEAR(*rapamycin.sdLog2FoldChange, std::sqrt(1.0 / 3.0), 1e-12);
    EXPECT_NEAR(rapamycin.ci95->low, std::exp2(-4.0 / 3.0 - t975 * se), 1e-12);
    EXPECT_NEAR(*rapamycin.p, p4(4.0 / 3.0 / se), 1e-12);
    // Holm over the two: insulin 2 x 0.0350701 = 0.0701403; rapamycin max(0.0701403, 0.104957).
    EXPECT_NEAR(*insulin.pHolm, 2.0 * p4(2.0 / se), 1e-12);
    EXPECT_NEAR(*rapamycin.pHolm, p4(4.0 / 3.0 / se), 1e-12);
    EXPECT_EQ(insulin.note,
              "p_holm: Holm over the 2 tested comparisons with the control of this target");
    EXPECT_EQ(control.note, "reference: fold changes are relative to the geometric mean of "
                            "each membrane's control replicates");
    // Treatment vs treatment from the same model: rapamycin / insulin, log2 -10/3, SE
    // sqrt(11/27) as well (balanced).
    ASSERT_EQ(result->contrasts.size(), 1u);
    const ContrastSummary& contrast = result->contrasts[0];
    EXPECT_EQ(contrast.contrast, "rapamycin vs insulin");
    EXPECT_EQ(contrast.target, "Akt");
    EXPECT_EQ(contrast.site, "Ser473");
    EXPECT_NEAR(*contrast.foldChange, std::exp2(-10.0 / 3.0), 1e-12);
    EXPECT_NEAR(*contrast.p, p4(10.0 / 3.0 / se), 1e-12);
    EXPECT_EQ(contrast.pHolm, contrast.p);
    EXPECT_EQ(contrast.residualDegreesOfFreedom, 4);
}

// With one replicate of control and one treatment per membrane the model is the
// ratio-paired t-test: the one-sample t-test of the per-membrane log2 fold changes.
TEST(Quantification, TwoConditionsOneReplicatePerMembraneIsTheRatioPairedTTest) {
    const Layout layout = layoutOf("image,membrane,target,measure\n"
                                   "a.tif,M1,Akt,phospho\na.tif,M1,GAPDH,loading\n"
                                   "b.tif,M2,Akt,phospho\nb.tif,M2,GAPDH,loading\n"
                                   "c.tif,M3,Akt,phospho\nc.tif,M3,GAPDH,loading\n",
                                   "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,a,control,1\nM1,2,b,insulin,1\n"
                                   "M2,1,c,control,2\nM2,2,d,insulin,2\n"
                                   "M3,1,e,control,3\nM3,2,f,insulin,3\n");
    std::vector<MeasuredBand> bands;
    // log2 fold changes 1, 2, 3 on membranes of different exposure.
    for (const auto& [membrane, control, insulin] :
         {std::tuple("M1", 100.0, 200.0), std::tuple("M2", 50.0, 200.0),
          std::tuple("M3", 300.0, 2400.0)}) {
        bands.push_back(band(membrane, 1, "Akt", Measure::Phospho, control));
        bands.push_back(band(membrane, 2, "Akt", Measure::Phospho, insulin));
        bands.push_back(band(membrane, 1, "GAPDH", Measure::Loading, 10.0));
        bands.push_back(band(membrane, 2, "GAPDH", Measure::Loading, 10.0));
    }
    const auto result = quantify(layout, bands, {});
    ASSERT_TRUE(result.has_value());
    const std::vector<double> log2FoldChanges{1.0, 2.0, 3.0};
    const auto paired = oneSampleTTest(log2FoldChanges);
    const auto interval = meanConfidenceInterval(log2FoldChanges);
    ASSERT_TRUE(paired && interval);
    const ConditionSummary& insulin = result->summary[1];
    EXPECT_EQ(insulin.residualDegreesOfFreedom, 2);
    EXPECT_NEAR(*insulin.p, paired->p, 1e-12);
    EXPECT_NEAR(*insulin.p, 1.0 - std::sqrt(6.0 / 7.0), 1e-12);
    EXPECT_NEAR(std::log2(insulin.ci95->low), interval->low, 1e-12);
    EXPECT_NEAR(std::log2(insulin.ci95->high), interval->high, 1e-12);
    EXPECT_TRUE(result->contrasts.empty());
}

TEST(Quantification, KeepFlaggedUsesSaturatedLanes) {
    const PairedExperiment experiment = pairedExperiment();
    const auto result = quantify(experiment.layout, experiment.bands, {.exclude = kKeepFlagged});
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->lanes[7].excluded, "");
    EXPECT_EQ(result->lanes[7].flags, kBandSaturated);
    // M2's insulin replicate is now the mean of log2 4 and log2 32 = 3.5: (1 + 3.5 + 3) / 3.
    EXPECT_NEAR(*result->summary[1].meanLog2FoldChange, 2.5, 1e-12);
}

TEST(Quantification, ModelWhenAMembraneHoldsSeveralReplicates) {
    // One membrane per experiment, three biological replicates per condition on each:
    // M1 ratios control 1, 2, 4 and insulin 8, 16, 32; M2 the same times 10. The true fold
    // change is 8 (log2: control k, insulin k + 3, k = 0, 1, 2, plus log2 10 on M2).
    // Until issue 14 this design got Welch's t-test of log2 ratios centred on each
    // membrane's arithmetic control mean (7/3 and 70/3), and a fold change of
    // 2^(4 - log2(7/3)) = 48/7 = 6.86: the arithmetic mean of the control ratios is not the
    // reference the geometric-mean fold change needs, so the estimate was 14% low. Now the
    // control reference is geometric (2 and 20) and log2 ratio ~ membrane + condition gives
    // exactly log2 8 = 3. Residuals are k - 1 within each group (RSS 8) on 12 - 3 = 9 df;
    // SE = sqrt(8/9 * (1/6 + 1/6)) = sqrt(8/27), t = 5.5113519, p = 3.7464565e-4 (R:
    // 2 * pt(-t, 9)); 95% CI 2^(3 -/+ qt(0.975, 9) SE) = 3.4073 to 18.783.
    const Layout layout = layoutOf("image,membrane,target,measure\n"
                                   "a.tif,M1,Akt,phospho\na.tif,M1,GAPDH,loading\n"
                                   "b.tif,M2,Akt,phospho\nb.tif,M2,GAPDH,loading\n",
                                   "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,a,control,1\nM1,2,b,control,2\nM1,3,c,control,3\n"
                                   "M1,4,d,insulin,4\nM1,5,e,insulin,5\nM1,6,f,insulin,6\n"
                                   "M2,1,g,control,7\nM2,2,h,control,8\nM2,3,i,control,9\n"
                                   "M2,4,j,insulin,10\nM2,5,k,insulin,11\nM2,6,l,insulin,12\n");
    std::vector<MeasuredBand> bands;
    for (const auto& [membrane, scale] : {std::pair("M1", 1.0), std::pair("M2", 10.0)}) {
        for (int lane = 1; lane <= 6; ++lane) {
            bands.push_back(
                band(membrane, lane, "Akt", Measure::Phospho, 100.0 * scale * std::exp2(lane - 1)));
            bands.push_back(band(membrane, lane, "GAPDH", Measure::Loading, 100.0));
        }
    }
    const auto result = quantify(layout, bands, {});
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->lanes[0].normalizedBy, Normalizer::Loading);
    EXPECT_NEAR(*result->lanes[3].foldChange, 4.0, 1e-12); // 8 / geometric mean(1, 2, 4)
    ASSERT_EQ(result->summary.size(), 2u);
    EXPECT_EQ(result->summary[0].n, 6);
    const ConditionSummary& insulin = result->summary[1];
    EXPECT_EQ(insulin.test, "linear model t-test");
    EXPECT_EQ(insulin.model, "log2 ratio ~ membrane + condition");
    EXPECT_EQ(insulin.residualDegreesOfFreedom, 9);
    EXPECT_EQ(insulin.n, 6);
    EXPECT_NEAR(*insulin.foldChange, 8.0, 1e-12);
    EXPECT_LT(insulin.ci95->low, 8.0);
    EXPECT_GT(insulin.ci95->high, 8.0);
    EXPECT_NEAR(insulin.ci95->low, 3.4073203831143526, 1e-10);
    EXPECT_NEAR(insulin.ci95->high, 18.783088410812386, 1e-10);
    EXPECT_NEAR(*insulin.p, 3.7464565309010912e-04, 1e-12);
    EXPECT_NEAR(*insulin.pHolm, *insulin.p, 0.0);
    EXPECT_TRUE(result->warnings.empty());
}

// Replicates that share a membrane and carry the same label in every condition are paired:
// the block is membrane:replicate, and the pairs' shared level leaves the residual.
TEST(Quantification, ReplicateLabelsPairUnitsWithinAMembrane) {
    // One membrane, three experiments each with a control and an insulin lane. Ratios:
    // experiment 1: 1 and 2; experiment 2: 8 and 32; experiment 3: 64 and 128 (log2 fold
    // changes 1, 2, 1: a paired t-test of 1, 2, 1 on 2 df, mean 4/3, SD sqrt(1/3)).
    const Layout layout = layoutOf("image,membrane,target,measure\n"
                                   "a.tif,M1,Akt,phospho\na.tif,M1,GAPDH,loading\n",
                                   "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,a,control,1\nM1,2,b,insulin,1\n"
                                   "M1,3,c,control,2\nM1,4,d,insulin,2\n"
                                   "M1,5,e,control,3\nM1,6,f,insulin,3\n");
    std::vector<MeasuredBand> bands;
    const double ratios[] = {1, 2, 8, 32, 64, 128};
    for (int lane = 1; lane <= 6; ++lane) {
        bands.push_back(
            band("M1", lane, "Akt", Measure::Phospho, ratios[static_cast<std::size_t>(lane - 1)]));
        bands.push_back(band("M1", lane, "GAPDH", Measure::Loading, 1.0));
    }
    const auto result = quantify(layout, bands, {});
    ASSERT_TRUE(result.has_value());
    const ConditionSummary& insulin = result->summary[1];
    EXPECT_EQ(insulin.model, "log2 ratio ~ membrane:replicate + condition");
    EXPECT_EQ(insulin.residualDegreesOfFreedom, 2);
    const std::vector<double> differences{1.0, 2.0, 1.0};
    EXPECT_NEAR(*insulin.foldChange, std::exp2(4.0 / 3.0), 1e-12);
    EXPECT_NEAR(*insulin.p, oneSampleTTest(differences)->p, 1e-12);
    // Control units differ from the membrane's reference (the mean of the three).
    const auto units = biologicalUnits(layout, result->lanes);
    ASSERT_EQ(units.size(), 6u);
    EXPECT_NEAR(units[0].log2FoldChange, -3.0, 1e-12); // log2 1 - (0 + 3 + 6) / 3
    // units.csv's rows: the same units, each with its block of the paired model.
    ASSERT_EQ(result->units.size(), 6u);
    const std::vector<std::string> blocks{"M1:1", "M1:1", "M1:2", "M1:2", "M1:3", "M1:3"};
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(result->units[i].block, blocks[i]) << i;
        EXPECT_EQ(result->units[i].log2Ratio, units[i].log2Ratio) << i;
        EXPECT_EQ(result->units[i].normalizedBy, Normalizer::Loading) << i;
    }
}

TEST(Quantification, ModelUnitsAreWhatTheModelIsFittedTo) {
    // pairedExperiment(): one unit per membrane and condition, so the block is the membrane;
    // M1's control unit is the mean of log2 0.5 and log2 2 = 0 over its 2 lanes, M2's
    // insulin unit its unsaturated lane alone (log2 1 = 0).
    const PairedExperiment experiment = pairedExperiment();
    const auto result = quantify(experiment.layout, experiment.bands, {});
    ASSERT_TRUE(result.has_value());
    ASSERT_EQ(result->units.size(), 9u);
    const BiologicalUnit& control = result->units[0];
    EXPECT_EQ(std::tie(control.membrane, control.condition, control.block, control.lanes),
              std::tuple("M1", "control", "M1", 2));
    EXPECT_EQ(control.log2Ratio, 0.0);
    const auto insulinOnM2 = std::ranges::find_if(result->units, [](const BiologicalUnit& u) {
        return u.membrane == "M2" && u.condition == "insulin";
    });
    ASSERT_NE(insulinOnM2, result->units.end());
    EXPECT_EQ(insulinOnM2->block, "M2");
    EXPECT_EQ(insulinOnM2->lanes, 1);
    EXPECT_EQ(insulinOnM2->log2Ratio, 0.0);
    EXPECT_EQ(insulinOnM2->log2FoldChange, 2.0); // M2's control is log2 0.25 = -2
}

TEST(Quantification, BlockLabelsThatWouldReadAlikeAreNumbered) {
    // Paired design (membrane "A" holds two insulin units, every replicate has a control):
    // blocks (A, 1:2), (A, 3) and (A:1, 2); "A" + "1:2" and "A:1" + "2" would both read
    // "A:1:2", so every label gets its place in the model.
    const Layout layout = layoutOf("image,membrane,target,measure\n"
                                   "a.tif,A,Akt,phospho\na.tif,A,GAPDH,loading\n"
                                   "b.tif,A:1,Akt,phospho\nb.tif,A:1,GAPDH,loading\n",
                                   "membrane,lane,sample,condition,replicate\n"
                                   "A,1,a,control,1:2\nA,2,b,insulin,1:2\n"
                                   "A,3,c,control,3\nA,4,d,insulin,3\n"
                                   "A:1,1,e,control,2\nA:1,2,f,insulin,2\n");
    std::vector<MeasuredBand> bands;
    for (const auto& [membrane, lanes] : {std::pair("A", 4), std::pair("A:1", 2)}) {
        for (int lane = 1; lane <= lanes; ++lane) {
            bands.push_back(band(membrane, lane, "Akt", Measure::Phospho, 100.0 * lane));
            bands.push_back(band(membrane, lane, "GAPDH", Measure::Loading, 100.0));
        }
    }
    const auto result = quantify(layout, bands, {});
    ASSERT_TRUE(result.has_value());
    ASSERT_EQ(result->summary[1].model, "log2 ratio ~ membrane:replicate + condition");
    std::vector<std::string> blocks;
    for (const BiologicalUnit& unit : result->units) {
        blocks.push_back(unit.block);
    }
    EXPECT_EQ(blocks, (std::vector<std::string>{"A:1:2 #1", "A:1:2 #1", "A:3 #2", "A:3 #2",
                                                "A:1:2 #3", "A:1:2 #3"}));
}

TEST(Quantification, MissingAndNonPositiveBandsAreFlaggedAndExcluded) {
    const Layout layout = layoutOf("image,membrane,target,measure\n"
                                   "a.tif,M1,p-Akt,phospho\na.tif,M1,Akt,total\n",
                                   "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,a,control,1\nM1,2,b,control,1\nM1,3,c,insulin,1\n"
                                   "M1,4,d,insulin,1\n");
    const std::vector<MeasuredBand> bands{
        band("M1", 1, "Akt", Measure::Phospho, 100),
        band("M1", 1, "Akt", Measure::Total, 100),
        band("M1", 2, "Akt", Measure::Phospho, 300, kBandWeak | kBandEdge),
        band("M1", 2, "Akt", Measure::Total, 100),
        band("M1", 3, "Akt", Measure::Phospho, 50), // no total band in lane 3
        band("M1", 4, "Akt", Measure::Phospho, -20),
        band("M1", 4, "Akt", Measure::Total, 100)};
    // Weak bands are left out only when asked (they are kept by default; see below).
    const auto result = quantify(layout, bands, {.exclude = {.weak = true}});
    ASSERT_TRUE(result.has_value());
    const auto& lanes = result->lanes;
    EXPECT_EQ(lanes[1].flags, kBandWeak | kBandEdge);
    EXPECT_EQ(lanes[1].excluded, "weak band");
    EXPECT_EQ(lanes[0].foldChange, 1.0); // the only usable control lane
    EXPECT_EQ(lanes[1].foldChange, 3.0);
    EXPECT_EQ(lanes[2].flags, kLaneMissingTotal);
    EXPECT_FALSE(lanes[2].ratio.has_value());
    EXPECT_EQ(lanes[2].excluded, "no total band");
    EXPECT_EQ(lanes[3].flags, kLaneNonPositive);
    EXPECT_EQ(lanes[3].excluded, "non-positive volume");
    EXPECT_EQ(laneFlagsText(lanes[1].flags | kLaneMissingTotal | kLaneNonPositive),
              "weak;edge;missing_total;non_positive");
    ASSERT_EQ(result->summary.size(), 2u);
    EXPECT_EQ(result->summary[1].n, 0);
    EXPECT_EQ(result->summary[1].note, "no usable lanes");
    EXPECT_EQ(result->summary[0].lanesUsed, 1);
    EXPECT_EQ(result->summary[0].lanesExcluded, 1);
    EXPECT_EQ(result->summary[1].lanesUsed, 0);
    EXPECT_EQ(result->summary[1].lanesExcluded, 2);
    // The single control lane, and every insulin lane excluded against half the controls.
    ASSERT_EQ(result->warnings.size(), 2u);
    EXPECT_EQ(result->warnings[1],
              "p-Akt: 2 of 2 insulin lanes excluded but 1 of 2 control lanes (50 percentage "
              "points apart): the exclusions may bias the comparison (quantification.csv, column "
              "excluded)");
}

// Each flag kind has its own switch. By default saturated and out-of-range bands are left
// out and weak ones kept (flagged): leaving out only the faint bands censors a condition.
TEST(Quantification, ExclusionIsChosenPerFlagKind) {
    const Layout layout = layoutOf("image,membrane,target,measure\n"
                                   "a.tif,M1,Akt,phospho\na.tif,M1,GAPDH,loading\n",
                                   "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,a,control,1\nM1,2,b,control,2\nM1,3,c,insulin,1\n"
                                   "M1,4,d,insulin,2\n");
    const std::vector<MeasuredBand> bands{
        band("M1", 1, "Akt", Measure::Phospho, 100),
        band("M1", 2, "Akt", Measure::Phospho, 4, kBandWeak),
        band("M1", 3, "Akt", Measure::Phospho, 400, kBandSaturated),
        band("M1", 4, "Akt", Measure::Phospho, 300, kLaneOutsideLinearRange),
        band("M1", 1, "GAPDH", Measure::Loading, 100),
        band("M1", 2, "GAPDH", Measure::Loading, 100),
        band("M1", 3, "GAPDH", Measure::Loading, 100),
        band("M1", 4, "GAPDH", Measure::Loading, 100)};
    const auto excludedOf = [&](const ExclusionPolicy& policy) {
        std::vector<std::string> excluded;
        const auto result = quantify(layout, bands, {policy});
        EXPECT_TRUE(result.has_value());
        for (const QuantifiedLane& lane : result->lanes) {
            excluded.push_back(lane.excluded);
        }
        return excluded;
    };
    EXPECT_EQ(excludedOf({}),
              (std::vector<std::string>{"", "", "saturated band", "outside the linear range"}));
    EXPECT_EQ(excludedOf({.saturated = false, .weak = true, .outsideLinearRange = false}),
              (std::vector<std::string>{"", "weak band", "", ""}));
    EXPECT_EQ(excludedOf(kKeepFlagged), (std::vector<std::string>{"", "", "", ""}));
    EXPECT_EQ(exclusionPolicyKinds(ExclusionPolicy{}),
              (std::vector<std::string>{"saturated", "outside_linear_range"}));
    const std::vector<std::string> kinds{"Weak", "outside-linear-range"};
    EXPECT_EQ(parseExclusionPolicy(kinds),
              (ExclusionPolicy{.saturated = false, .weak = true, .outsideLinearRange = true}));
    const std::vector<std::string> unknown{"faint"};
    EXPECT_EQ(parseExclusionPolicy(unknown).error(),
              "\"faint\" is not a flag kind to exclude (saturated, weak or "
              "outside_linear_range)");
}

TEST(Quantification, LaneCountsNotesAndPseudoReplicationWarnings) {
    // The paired experiment: insulin has 5 lanes, the saturated one excluded (20 points more
    // than the controls': not over the 20-point threshold, so no warning).
    const PairedExperiment experiment = pairedExperiment();
    const auto result = quantify(experiment.layout, experiment.bands, {});
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->summary[0].lanesUsed, 4);
    EXPECT_EQ(result->summary[0].lanesExcluded, 0);
    EXPECT_EQ(result->summary[1].lanesUsed, 4);
    EXPECT_EQ(result->summary[1].lanesExcluded, 1);
    EXPECT_EQ(result->summary[2].lanesUsed, 3);
    EXPECT_EQ(result->warnings.size(), 2u); // the two single control lanes only

    // Two membranes, the same sample names on both; n = 2 and 1 residual df are said.
    const Layout layout = layoutOf("image,membrane,target,measure\n"
                                   "a.tif,M1,Akt,phospho\na.tif,M1,GAPDH,loading\n"
                                   "b.tif,M2,Akt,phospho\nb.tif,M2,GAPDH,loading\n",
                                   "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,mouse 1,control,1\nM1,2,mouse 2,insulin,1\n"
                                   "M2,1,mouse 1,control,2\nM2,2,mouse 2,insulin,2\n");
    std::vector<MeasuredBand> bands;
    for (const auto& [membrane, insulin] : {std::pair("M1", 200.0), std::pair("M2", 300.0)}) {
        bands.push_back(band(membrane, 1, "Akt", Measure::Phospho, 100.0));
        bands.push_back(band(membrane, 2, "Akt", Measure::Phospho, insulin));
        bands.push_back(band(membrane, 1, "GAPDH", Measure::Loading, 10.0));
        bands.push_back(band(membrane, 2, "GAPDH", Measure::Loading, 10.0));
    }
    const auto twoMembranes = quantify(layout, bands, {});
    ASSERT_TRUE(twoMembranes.has_value());
    EXPECT_EQ(twoMembranes->summary[1].note,
              "p_holm: Holm over the 1 tested comparisons with the control of this target; n = "
              "2: two biological replicates say little about their variation; 1 residual degree "
              "of freedom: a very wide CI and little power");
    EXPECT_EQ(twoMembranes->warnings,
              (std::vector<std::string>{
                  "membrane \"M1\", Akt: fold changes are relative to a single control lane "
                  "(lane 1)",
                  "membrane \"M2\", Akt: fold changes are relative to a single control lane "
                  "(lane 1)",
                  "sample \"mouse 1\" is on membranes M1, M2: each membrane's lanes count as a "
                  "biological replicate of their own; if they are one sample, this is "
                  "pseudo-replication",
                  "sample \"mouse 2\" is on membranes M1, M2: each membrane's lanes count as a "
                  "biological replicate of their own; if they are one sample, this is "
                  "pseudo-replication"}));
}

TEST(Quantification, WithoutAUsableControlLaneThereIsNoFoldChange) {
    const Layout layout = layoutOf("image,membrane,target,measure\na.tif,M1,Akt,phospho\n"
                                   "a.tif,M1,Akt,total\n",
                                   "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,a,control,1\nM1,2,b,insulin,1\n");
    const std::vector<MeasuredBand> bands{
        band("M1", 1, "Akt", Measure::Phospho, 100, kBandSaturated),
        band("M1", 1, "Akt", Measure::Total, 100), band("M1", 2, "Akt", Measure::Phospho, 100),
        band("M1", 2, "Akt", Measure::Total, 100)};
    const auto result = quantify(layout, bands, {});
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->lanes[0].excluded, "saturated band; no usable control lane on this membrane");
    EXPECT_EQ(result->lanes[1].excluded, "no usable control lane on this membrane");
    EXPECT_FALSE(result->lanes[1].foldChange.has_value());
    EXPECT_EQ(result->summary[0].note, "no usable control lanes");
    EXPECT_EQ(result->summary[1].note, "no usable lanes");
    EXPECT_FALSE(result->summary[1].foldChange.has_value());
    EXPECT_EQ(result->warnings,
              (std::vector<std::string>{"membrane \"M1\", Akt: no usable control lane, so none "
                                        "of its lanes enter the statistics"}));
}

TEST(Quantification, ExpressionTargetsAndStainNormalization) {
    // IRS-1 has no phospho row: ratio = total / stain. Lane 2: 600 / 200 = 3 vs control
    // 200 / 200 = 1. Its single identical control value is never tested.
    const Layout layout = layoutOf("image,membrane,target,measure\na.tif,M1,IRS1,total\n"
                                   "s.tif,M1,Ponceau S,stain\n",
                                   "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,a,control,1\nM1,2,b,insulin,1\n");
    const std::vector<MeasuredBand> bands{
        band("M1", 1, "IRS-1", Measure::Total, 200),
        band("M1", 1, "total protein stain", Measure::Stain, 200),
        band("M1", 2, "IRS-1", Measure::Total, 600),
        band("M1", 2, "total protein stain", Measure::Stain, 200)};
    const auto result = quantify(layout, bands, {});
    ASSERT_TRUE(result.has_value());
    ASSERT_EQ(result->lanes.size(), 2u);
    EXPECT_EQ(result->lanes[1].target, "IRS-1");
    EXPECT_EQ(result->lanes[1].site, "");
    EXPECT_EQ(result->lanes[1].normalizedBy, Normalizer::Stain);
    EXPECT_EQ(result->lanes[1].stain, 200.0);
    EXPECT_EQ(result->lanes[1].ratio, 3.0);
    EXPECT_EQ(result->lanes[1].foldChange, 3.0);
    EXPECT_FALSE(result->lanes[1].totalToLoading.has_value());
    // One membrane, one unit per condition: an estimate but no residual to test it with.
    EXPECT_NEAR(*result->summary[1].foldChange, 3.0, 1e-12);
    EXPECT_EQ(result->summary[1].residualDegreesOfFreedom, 0);
    EXPECT_EQ(result->summary[1].note, "no residual degrees of freedom: no CI or test");
    EXPECT_FALSE(result->summary[1].p.has_value());
    EXPECT_FALSE(result->summary[1].ci95.has_value());
    EXPECT_EQ(result->summary[1].test, "");
}

TEST(Quantification, PhosphoWithoutTotalUsesTheLoadingControlAndSaysWhichOne) {
    const Layout layout = layoutOf("image,membrane,target,measure\na.tif,M1,p-mTOR,phospho\n"
                                   "b.tif,M1,GAPDH,loading\nc.tif,M1,vinculin,loading\n",
                                   "membrane,lane,sample,condition,replicate\nM1,1,a,control,1\n");
    const std::vector<MeasuredBand> bands{band("M1", 1, "mTOR", Measure::Phospho, 50),
                                          band("M1", 1, "GAPDH", Measure::Loading, 200),
                                          band("M1", 1, "vinculin", Measure::Loading, 400)};
    const auto result = quantify(layout, bands, {});
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->lanes[0].normalizedBy, Normalizer::Loading);
    EXPECT_EQ(result->lanes[0].loading, 200.0);
    EXPECT_EQ(result->lanes[0].ratio, 0.25);
    ASSERT_EQ(result->warnings.size(), 2u);
    EXPECT_EQ(result->warnings[0], "membrane \"M1\" has several loading rows; ratios use the "
                                   "first, GAPDH (blots.csv:4 lists vinculin too)");
}

TEST(Quantification, PhosphoAndExpressionOfOneTargetAreSummarizedApart) {
    // M1 measures p-Akt (no site) over total Akt; M2 only total Akt over GAPDH.
    const Layout layout =
        layoutOf("image,membrane,target,measure\na.tif,M1,p-Akt,phospho\n"
                 "a.tif,M1,Akt,total\nb.tif,M2,Akt,total\nb.tif,M2,GAPDH,loading\n",
                 "membrane,lane,sample,condition,replicate\nM1,1,a,control,1\n"
                 "M2,1,b,control,1\n");
    const std::vector<MeasuredBand> bands{
        band("M1", 1, "Akt", Measure::Phospho, 10), band("M1", 1, "Akt", Measure::Total, 20),
        band("M2", 1, "Akt", Measure::Total, 30), band("M2", 1, "GAPDH", Measure::Loading, 60)};
    const auto result = quantify(layout, bands, {});
    ASSERT_TRUE(result.has_value());
    ASSERT_EQ(result->lanes.size(), 2u);
    EXPECT_TRUE(result->lanes[0].isPhospho);
    EXPECT_EQ(result->lanes[0].ratio, 0.5);
    EXPECT_FALSE(result->lanes[1].isPhospho);
    EXPECT_EQ(result->lanes[1].normalizedBy, Normalizer::Loading);
    EXPECT_EQ(result->lanes[1].ratio, 0.5);
    ASSERT_EQ(result->summary.size(), 2u);
    EXPECT_TRUE(result->summary[0].isPhospho);
    EXPECT_EQ(result->summary[0].n, 1);
    EXPECT_FALSE(result->summary[1].isPhospho);
    EXPECT_EQ(result->summary[1].n, 1);
}

TEST(Quantification, MembranesNormalisedDifferentlyAreWarnedAbout) {
    // p-Akt over total Akt on M1, over GAPDH on M2 (no total there): one series, said.
    const Layout layout = layoutOf("image,membrane,target,measure,site\n"
                                   "a.tif,M1,p-Akt,phospho,Ser473\na.tif,M1,Akt,total,\n"
                                   "b.tif,M2,p-Akt,phospho,Ser473\nb.tif,M2,GAPDH,loading,\n",
                                   "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,a,control,1\nM1,2,b,insulin,1\n"
                                   "M2,1,c,control,2\nM2,2,d,insulin,2\n");
    std::vector<MeasuredBand> bands;
    for (const int lane : {1, 2}) {
        bands.push_back(band("M1", lane, "Akt", Measure::Phospho, 100.0 * lane, 0, "Ser473"));
        bands.push_back(band("M1", lane, "Akt", Measure::Total, 100.0));
        bands.push_back(band("M2", lane, "Akt", Measure::Phospho, 50.0 * lane, 0, "Ser473"));
        bands.push_back(band("M2", lane, "GAPDH", Measure::Loading, 100.0));
    }
    const auto result = quantify(layout, bands, {});
    ASSERT_TRUE(result.has_value());
    ASSERT_FALSE(result->warnings.empty());
    EXPECT_EQ(result->warnings.back(),
              "p-Akt Ser473: membranes normalised differently (total on M1; loading on M2) are "
              "pooled in one model; the membrane block absorbs a constant difference of scale, "
              "not a normaliser that treatment changes");
    EXPECT_EQ(result->summary.size(), 2u); // one series
}

TEST(Quantification, TwoBandsForOneLaneAreAnError) {
    const Layout layout = layoutOf("image,membrane,target,measure\na.tif,M1,Akt,phospho\n"
                                   "a.tif,M1,Akt,total\n",
                                   "membrane,lane,sample,condition,replicate\nM1,1,a,control,1\n");
    const std::vector<MeasuredBand> bands{band("M1", 1, "Akt", Measure::Total, 1),
                                          band("M1", 1, "Akt", Measure::Total, 2)};
    const auto result = quantify(layout, bands, {});
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().describe(),
              "blot.tif: two total Akt bands for membrane \"M1\" lane 1");
}

} // namespace
} // namespace densito

namespace densito {
namespace {

TEST(Quantification, NormalizerOrderPrefersTheStainOverTheLoadingControlByDefault) {
    // IRS-1 has no phospho row; the membrane offers GAPDH (loading) and Ponceau (stain).
    const Layout layout = layoutOf("image,membrane,target,measure\na.tif,M1,IRS1,total\n"
                                   "b.tif,M1,GAPDH,loading\ns.tif,M1,Ponceau S,stain\n",
                                   "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,a,control,1\nM1,2,b,insulin,1\n");
    const std::vector<MeasuredBand> bands{
        band("M1", 1, "IRS-1", Measure::Total, 200),
        band("M1", 1, "GAPDH", Measure::Loading, 100),
        band("M1", 1, "total protein stain", Measure::Stain, 400),
        band("M1", 2, "IRS-1", Measure::Total, 600),
        band("M1", 2, "GAPDH", Measure::Loading, 300),
        band("M1", 2, "total protein stain", Measure::Stain, 400)};
    const auto byDefault = quantify(layout, bands, {});
    ASSERT_TRUE(byDefault.has_value());
    EXPECT_EQ(byDefault->lanes[1].normalizedBy, Normalizer::Stain);
    EXPECT_EQ(byDefault->lanes[1].ratio, 1.5);
    EXPECT_EQ(byDefault->lanes[1].foldChange, 3.0);
    const auto loadingFirst = quantify(layout, bands, {.normalizerOrder = kLegacyNormalizerOrder});
    ASSERT_TRUE(loadingFirst.has_value());
    EXPECT_EQ(loadingFirst->lanes[1].normalizedBy, Normalizer::Loading);
    EXPECT_EQ(loadingFirst->lanes[1].ratio, 2.0);
    EXPECT_EQ(loadingFirst->lanes[1].foldChange, 1.0);
    // A phospho target with a total: total first unless the order says otherwise.
    const Layout phospho = layoutOf("image,membrane,target,measure\na.tif,M1,p-Akt,phospho\n"
                                    "a.tif,M1,Akt,total\ns.tif,M1,Ponceau S,stain\n",
                                    "membrane,lane,sample,condition,replicate\n"
                                    "M1,1,a,control,1\n");
    const std::vector<MeasuredBand> phosphoBands{
        band("M1", 1, "Akt", Measure::Phospho, 50), band("M1", 1, "Akt", Measure::Total, 100),
        band("M1", 1, "total protein stain", Measure::Stain, 400)};
    EXPECT_EQ(quantify(phospho, phosphoBands, {})->lanes[0].ratio, 0.5);
    const auto stainFirst =
        quantify(phospho, phosphoBands,
                 {.normalizerOrder = {Normalizer::Stain, Normalizer::Total, Normalizer::Loading}});
    EXPECT_EQ(stainFirst->lanes[0].normalizedBy, Normalizer::Stain);
    EXPECT_EQ(stainFirst->lanes[0].ratio, 0.125);
}

TEST(Quantification, NormalizerOrderText) {
    EXPECT_EQ(normalizerOrderText(kDefaultNormalizerOrder), "total,stain,loading");
    EXPECT_EQ(parseNormalizerOrder(" Loading, total ,STAIN"),
              (NormalizerOrder{Normalizer::Loading, Normalizer::Total, Normalizer::Stain}));
    for (const std::string_view bad : {"total,stain", "total,stain,loading,total",
                                       "total,total,stain", "total,stain,actin", ""}) {
        EXPECT_EQ(parseNormalizerOrder(bad).error(),
                  fmt::format("\"{}\" is not a normaliser order: total, stain and loading, each "
                              "once, comma-separated, first preferred (e.g. total,stain,loading)",
                              bad));
    }
    const std::vector<NormalizerOrder> orders = allNormalizerOrders();
    ASSERT_EQ(orders.size(), 6u);
    EXPECT_EQ(orders.front(), kDefaultNormalizerOrder);
    for (const NormalizerOrder& order : orders) {
        EXPECT_EQ(parseNormalizerOrder(normalizerOrderText(order)), order);
        EXPECT_EQ(std::count(orders.begin(), orders.end(), order), 1);
    }
}

} // namespace
} // namespace densito

namespace densito {
namespace {

/// p-Akt Ser473 over GAPDH (no total) on three membranes, one control and one insulin lane
/// each. GAPDH in the control lanes 1000, 800, 1250 (unequal loading); in the insulin lanes
/// the control's times `gapdhFold` times 2^0.1, 2^-0.1 and 2^0: per membrane a log2 fold
/// change of log2(gapdhFold) + (0.1, -0.1, 0), mean log2(gapdhFold), SD 0.1. The model
/// (membrane + condition, six units, 2 residual df) is then the paired t-test: SE
/// 0.1 / sqrt(3), t(0.975, 2) = 4.302652729911275 (R's qt), so the 95% CI of the fold change
/// is gapdhFold x 2^(-/+0.24841...) and, for gapdhFold 1.5, t = 0.58496 / 0.057735 = 10.132
/// and p = 1 - t / sqrt(t^2 + 2) = 0.0096014 (values from scipy 1.10: stats.t).
/// p-Akt is the control lane's GAPDH x 0.5 in control lanes and x 2^jitter (the lane's load)
/// in insulin lanes: p-Akt truly doubles, so the ratio's fold change is 2 / gapdhFold.
struct LoadingControlExperiment {
    Layout layout;
    std::vector<MeasuredBand> bands;
};

LoadingControlExperiment loadingControlExperiment(double gapdhFold) {
    LoadingControlExperiment experiment;
    experiment.layout = layoutOf("image,membrane,target,measure,site\n"
                                 "m1.tif,M1,p-Akt,phospho,Ser473\nm1.tif,M1,GAPDH,loading,\n"
                                 "m2.tif,M2,p-Akt,phospho,Ser473\nm2.tif,M2,GAPDH,loading,\n"
                                 "m3.tif,M3,p-Akt,phospho,Ser473\nm3.tif,M3,GAPDH,loading,\n",
                                 "membrane,lane,sample,condition,replicate\n"
                                 "M1,1,c1,control,1\nM1,2,i1,insulin,1\n"
                                 "M2,1,c2,control,2\nM2,2,i2,insulin,2\n"
                                 "M3,1,c3,control,3\nM3,2,i3,insulin,3\n");
    const std::vector<std::tuple<std::string, double, double>> membranes{
        {"M1", 1000.0, 0.1}, {"M2", 800.0, -0.1}, {"M3", 1250.0, 0.0}};
    for (const auto& [membrane, control, jitter] : membranes) {
        const double insulin = control * gapdhFold * std::exp2(jitter);
        experiment.bands.push_back(band(membrane, 1, "GAPDH", Measure::Loading, control));
        experiment.bands.push_back(band(membrane, 2, "GAPDH", Measure::Loading, insulin));
        experiment.bands.push_back(
            band(membrane, 1, "Akt", Measure::Phospho, 0.5 * control, 0, "Ser473"));
        experiment.bands.push_back(
            band(membrane, 2, "Akt", Measure::Phospho, control * std::exp2(jitter), 0, "Ser473"));
    }
    return experiment;
}

constexpr double kTCritical2Df = 4.302652729911275; // qt(0.975, 2)
const double kHalfWidthLog2 = kTCritical2Df * 0.1 / std::sqrt(3.0);
/// For the CI: Boost's t quantile and R's agree to about 1e-11 (the R goldens allow 1e-10).
constexpr double kQuantileTolerance = 1e-10;

constexpr std::string_view kGapdhNote =
    "normaliser of p-Akt Ser473, analysed on its own (log2 band volume)";

std::vector<std::string> normalizerWarnings(const Quantification& result) {
    std::vector<std::string> warnings;
    for (const std::string& warning : result.warnings) {
        if (warning.starts_with("normaliser ")) {
            warnings.push_back(warning);
        }
    }
    return warnings;
}

TEST(NormalizerCheck, UnchangedLoadingControlGivesFoldChangeOneAndNoWarning) {
    const LoadingControlExperiment experiment = loadingControlExperiment(1.0);
    const auto result = quantify(experiment.layout, experiment.bands, {});
    ASSERT_TRUE(result.has_value());
    // The ratio rows are the target's only: the normaliser is not a target.
    ASSERT_EQ(result->summary.size(), 2u);
    EXPECT_EQ(result->summary[0].target, "Akt");
    EXPECT_FALSE(result->summary[0].normalizerChecked.has_value());
    EXPECT_TRUE(std::ranges::none_of(
        result->units, [](const BiologicalUnit& unit) { return unit.target == "GAPDH"; }));
    ASSERT_EQ(result->normalizerChecks.size(), 2u);
    const ConditionSummary& control = result->normalizerChecks[0];
    EXPECT_EQ(control.target, "GAPDH");
    EXPECT_EQ(control.normalizerChecked, Normalizer::Loading);
    EXPECT_TRUE(control.isControl);
    EXPECT_EQ(control.condition, "control");
    EXPECT_EQ(control.n, 3);
    const ConditionSummary& insulin = result->normalizerChecks[1];
    EXPECT_EQ(insulin.condition, "insulin");
    EXPECT_EQ(insulin.n, 3);
    EXPECT_NEAR(*insulin.foldChange, 1.0, 1e-12);
    ASSERT_TRUE(insulin.ci95.has_value());
    EXPECT_NEAR(insulin.ci95->low, std::exp2(-kHalfWidthLog2), kQuantileTolerance); // 0.84182
    EXPECT_NEAR(insulin.ci95->high, std::exp2(kHalfWidthLog2), kQuantileTolerance); // 1.18790
    EXPECT_NEAR(*insulin.p, 1.0, 1e-12);
    EXPECT_NEAR(*insulin.pHolm, 1.0, 1e-12);
    EXPECT_NEAR(*insulin.sdLog2FoldChange, 0.1, 1e-12);
    EXPECT_EQ(insulin.residualDegreesOfFreedom, 2);
    EXPECT_EQ(insulin.test, "linear model t-test");
    EXPECT_EQ(insulin.model, "log2 volume ~ membrane + condition");
    EXPECT_EQ(insulin.lanesUsed, 3);
    EXPECT_EQ(insulin.lanesExcluded, 0);
    EXPECT_TRUE(normalizerWarnings(*result).empty());
    // summary.csv: the ratio rows, then the normaliser's, told apart by `measure`.
    const std::string csv = summaryCsv(result->summary, result->normalizerChecks);
    EXPECT_NE(csv.find(fmt::format("\nGAPDH,normaliser:loading,,control,3,1,,,0,,,,,\"{}; "
                                   "reference: fold changes are relative to the geometric mean "
                                   "of each membrane's control replicates\",,,3,0\n",
                                   kGapdhNote)),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find(fmt::format(",linear model t-test,{},{},\"{}; p_holm: Holm over the 1 "
                                   "tested comparisons with the control of this target\",log2 "
                                   "volume ~ membrane + condition,2,3,0\n",
                                   csvNumber(*insulin.p), csvNumber(*insulin.pHolm), kGapdhNote)),
              std::string::npos)
        << csv;
    EXPECT_TRUE(csv.find("\nGAPDH,normaliser:loading,,insulin,3,") != std::string::npos) << csv;
}

TEST(NormalizerCheck, LoadingControlRaisedByHalfIsWarnedAbout) {
    const LoadingControlExperiment experiment = loadingControlExperiment(1.5);
    const auto result = quantify(experiment.layout, experiment.bands, {});
    ASSERT_TRUE(result.has_value());
    ASSERT_EQ(result->normalizerChecks.size(), 2u);
    const ConditionSummary& insulin = result->normalizerChecks[1];
    EXPECT_NEAR(*insulin.foldChange, 1.5, 1e-12);
    EXPECT_NEAR(*insulin.meanLog2FoldChange, std::log2(1.5), 1e-12);
    EXPECT_NEAR(insulin.ci95->low, 1.5 * std::exp2(-kHalfWidthLog2), kQuantileTolerance); // 1.26273
    EXPECT_NEAR(insulin.ci95->high, 1.5 * std::exp2(kHalfWidthLog2), kQuantileTolerance); // 1.78185
    EXPECT_NEAR(*insulin.p, 0.009601358668466089, 1e-12);
    EXPECT_EQ(normalizerWarnings(*result),
              std::vector<std::string>{
                  "normaliser loading GAPDH differs under insulin: fold change 1.5 vs control "
                  "(95% CI 1.26 to 1.78, p = 0.0096; beyond 1.2-fold): unequal loading, or a "
                  "change by treatment that the ratios it divides carry: p-Akt Ser473 "
                  "(summary.csv, measure normaliser:loading)"});
    // The ratio divided by it is biased by the same factor: 2 / 1.5.
    EXPECT_NEAR(*result->summary[1].foldChange, 2.0 / 1.5, 1e-12);
}

TEST(NormalizerCheck, SmallButConsistentChangeIsWarnedAboutByItsP) {
    // GAPDH 19% up in the insulin lanes: below 1.2-fold, but t = log2(1.19) / 0.057735 =
    // 4.3468 on 2 df, p = 1 - t / sqrt(t^2 + 2) = 0.04906 (scipy: 0.04906304501417301), and the
    // CI's lower end, 1.19 x 2^-0.24841 = 1.0021, just above 1.
    const LoadingControlExperiment experiment = loadingControlExperiment(1.19);
    const auto result = quantify(experiment.layout, experiment.bands, {});
    ASSERT_TRUE(result.has_value());
    const ConditionSummary& insulin = result->normalizerChecks[1];
    const double t = std::log2(1.19) / (0.1 / std::sqrt(3.0));
    EXPECT_NEAR(*insulin.p, 1.0 - t / std::sqrt(t * t + 2.0), 1e-12);
    EXPECT_NEAR(*insulin.p, 0.04906304501417301, 1e-12);
    EXPECT_EQ(normalizerWarnings(*result),
              std::vector<std::string>{
                  "normaliser loading GAPDH differs under insulin: fold change 1.19 vs control "
                  "(95% CI 1 to 1.41, p = 0.049; p below 0.05): unequal loading, or a change by "
                  "treatment that the ratios it divides carry: p-Akt Ser473 (summary.csv, "
                  "measure normaliser:loading)"});
}

TEST(NormalizerCheck, TotalLoadingAndStainEachGetRows) {
    // p-Akt over total Akt; IRS-1 (no phospho) over the stain (the default order); the
    // membranes' GAPDH is checked too although it divides nothing.
    const Layout layout = layoutOf("image,membrane,target,measure,site\n"
                                   "a.tif,M1,p-Akt,phospho,Ser473\na.tif,M1,Akt,total,\n"
                                   "b.tif,M1,IRS1,total,\nc.tif,M1,GAPDH,loading,\n"
                                   "s.tif,M1,Ponceau S,stain,\n"
                                   "a2.tif,M2,p-Akt,phospho,Ser473\na2.tif,M2,Akt,total,\n"
                                   "b2.tif,M2,IRS1,total,\nc2.tif,M2,GAPDH,loading,\n"
                                   "s2.tif,M2,Ponceau S,stain,\n",
                                   "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,a,control,1\nM1,2,b,insulin,1\nM1,3,x,insulin,1\n"
                                   "M2,1,c,control,2\nM2,2,d,insulin,2\n");
    std::vector<MeasuredBand> bands;
    for (const auto& [membrane, lanes] : {std::pair<std::string, int>{"M1", 3}, {"M2", 2}}) {
        for (int lane = 1; lane <= lanes; ++lane) {
            bands.push_back(band(membrane, lane, "Akt", Measure::Phospho, 50, 0, "Ser473"));
            // M1 lane 3's total Akt saturates: left out of the total's check as of the ratio.
            bands.push_back(band(membrane, lane, "Akt", Measure::Total, 100,
                                 membrane == "M1" && lane == 3 ? kBandSaturated : 0u));
            bands.push_back(band(membrane, lane, "IRS-1", Measure::Total, 70));
            bands.push_back(band(membrane, lane, "GAPDH", Measure::Loading, 300));
            bands.push_back(band(membrane, lane, "total protein stain", Measure::Stain, 900));
        }
    }
    const auto result = quantify(layout, bands, {});
    ASSERT_TRUE(result.has_value());
    ASSERT_EQ(result->normalizerChecks.size(), 6u);
    const std::vector<std::tuple<std::string, Normalizer, std::string, int, int>> expected{
        {"Akt", Normalizer::Total, "control", 2, 0},
        {"Akt", Normalizer::Total, "insulin", 2, 1},
        {"GAPDH", Normalizer::Loading, "control", 2, 0},
        {"GAPDH", Normalizer::Loading, "insulin", 3, 0},
        {"total protein stain", Normalizer::Stain, "control", 2, 0},
        {"total protein stain", Normalizer::Stain, "insulin", 3, 0}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const ConditionSummary& row = result->normalizerChecks[i];
        const auto& [target, kind, condition, used, excluded] = expected[i];
        EXPECT_EQ(targetKey(row.target), targetKey(target)) << i;
        EXPECT_EQ(row.normalizerChecked, kind) << i;
        EXPECT_EQ(row.condition, condition) << i;
        EXPECT_EQ(row.lanesUsed, used) << i;
        EXPECT_EQ(row.lanesExcluded, excluded) << i;
        EXPECT_EQ(row.n, 2) << i; // one unit per membrane
    }
    EXPECT_TRUE(result->normalizerChecks[1].note.starts_with(
        "normaliser of p-Akt Ser473, analysed on its own (log2 band volume)"));
    EXPECT_TRUE(result->normalizerChecks[3].note.starts_with(
        "loading control of these membranes, analysed on its own (log2 band volume); it "
        "divides no ratio here"));
    EXPECT_TRUE(result->normalizerChecks[5].note.starts_with(
        "normaliser of IRS-1, analysed on its own (log2 band volume)"));
    // Constant volumes: fold change 1 with no residual variance, so nothing to warn about.
    EXPECT_NEAR(*result->normalizerChecks[1].foldChange, 1.0, 1e-12);
    EXPECT_FALSE(result->normalizerChecks[1].p.has_value());
    EXPECT_NE(result->normalizerChecks[1].note.find("no residual variance (a perfect fit): no "
                                                    "test"),
              std::string::npos)
        << result->normalizerChecks[1].note;
    EXPECT_TRUE(normalizerWarnings(*result).empty());
    const std::string csv = summaryCsv(result->summary, result->normalizerChecks);
    for (const std::string_view measure :
         {"normaliser:total", "normaliser:loading", "normaliser:stain"}) {
        EXPECT_NE(csv.find(fmt::format(",{},,insulin,2,", measure)), std::string::npos)
            << measure << "\n"
            << csv;
    }
}

} // namespace
} // namespace densito
