// Ratios, fold changes and replicate statistics on hand-made volume tables whose answers are
// worked out by hand in the comments.
#include "core/analysis/quantification.h"
#include "core/measure/blot_analysis.h"

#include <cmath>
#include <gtest/gtest.h>
#include <string>
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
///   M1: control 0.5 and 1.5 (technical duplicates, mean 1), insulin 2, rapamycin 0.5
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
        {"M1", {500, 1500, 2000, 500}},
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
    EXPECT_EQ(first.foldChange, 0.5); // 0.5 / mean(0.5, 1.5)
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

TEST(Quantification, RatioPairedSummary) {
    const PairedExperiment experiment = pairedExperiment();
    const auto result = quantify(experiment.layout, experiment.bands, {});
    ASSERT_TRUE(result.has_value());
    ASSERT_EQ(result->summary.size(), 3u);
    // With 2 df: two-sided p = 1 - |t| / sqrt(2 + t^2), t(0.975) = 0.95 / sqrt(0.04875).
    const double t975 = 0.95 / std::sqrt(0.04875);
    const ConditionSummary& control = result->summary[0];
    EXPECT_EQ(control.condition, "control");
    EXPECT_TRUE(control.isControl);
    EXPECT_EQ(control.n, 3);
    EXPECT_EQ(control.foldChange, 1.0);
    EXPECT_FALSE(control.p.has_value());
    EXPECT_EQ(control.test, "");
    // Insulin: log2 1, 2, 3 -> mean 2, sd 1, t = sqrt 12, p = 1 - sqrt(6/7) = 0.0741799.
    const ConditionSummary& insulin = result->summary[1];
    EXPECT_EQ(insulin.condition, "insulin");
    EXPECT_EQ(insulin.n, 3);
    EXPECT_NEAR(*insulin.foldChange, 4.0, 1e-12);
    EXPECT_NEAR(*insulin.meanLog2FoldChange, 2.0, 1e-12);
    EXPECT_NEAR(*insulin.sdLog2FoldChange, 1.0, 1e-12);
    EXPECT_NEAR(insulin.ci95->low, std::exp2(2.0 - t975 / std::sqrt(3.0)), 1e-12);
    EXPECT_NEAR(insulin.ci95->high, std::exp2(2.0 + t975 / std::sqrt(3.0)), 1e-10);
    EXPECT_EQ(insulin.test, "ratio-paired t-test");
    EXPECT_NEAR(*insulin.p, 1.0 - std::sqrt(6.0 / 7.0), 1e-12);
    // Rapamycin: log2 -1, -1, -2 -> mean -4/3, sd sqrt(1/3), SE 1/3, t = -4,
    // p = 1 - 4 / sqrt(18) = 0.0571910.
    const ConditionSummary& rapamycin = result->summary[2];
    EXPECT_NEAR(*rapamycin.meanLog2FoldChange, -4.0 / 3.0, 1e-12);
    EXPECT_NEAR(*rapamycin.foldChange, std::exp2(-4.0 / 3.0), 1e-12);
    EXPECT_NEAR(*rapamycin.sdLog2FoldChange, std::sqrt(1.0 / 3.0), 1e-12);
    EXPECT_NEAR(rapamycin.ci95->low, std::exp2(-4.0 / 3.0 - t975 / 3.0), 1e-12);
    EXPECT_NEAR(*rapamycin.p, 1.0 - 4.0 / std::sqrt(18.0), 1e-12);
    // Holm over the two: 0.0571910 * 2 = 0.114382 and max(0.0741799, 0.114382).
    EXPECT_NEAR(*rapamycin.pHolm, 2.0 * (1.0 - 4.0 / std::sqrt(18.0)), 1e-12);
    EXPECT_NEAR(*insulin.pHolm, 2.0 * (1.0 - 4.0 / std::sqrt(18.0)), 1e-12);
}

TEST(Quantification, KeepFlaggedUsesSaturatedLanes) {
    const PairedExperiment experiment = pairedExperiment();
    const auto result = quantify(experiment.layout, experiment.bands, {.keepFlagged = true});
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->lanes[7].excluded, "");
    EXPECT_EQ(result->lanes[7].flags, kBandSaturated);
    // M2's insulin replicate is now the mean of log2 4 and log2 32 = 3.5: (1 + 3.5 + 3) / 3.
    EXPECT_NEAR(*result->summary[1].meanLog2FoldChange, 2.5, 1e-12);
}

TEST(Quantification, WelchWhenAMembraneHoldsSeveralReplicates) {
    // One membrane per experiment, three biological replicates per condition on each:
    // M1 ratios control 1, 2, 4 and insulin 8, 16, 32; M2 the same times 10. Centred on
    // each membrane's control mean (7/3 and 70/3) the log2 values are control k - log2(7/3)
    // and insulin k + 3 - log2(7/3), k = 0, 1, 2, on both membranes. Welch: difference 3,
    // both variances 0.8 (n = 6), SE = sqrt(2 * 0.8 / 6), t = 5.8094750, df = 10 and
    // p = 0.000170743 (t tail by numerical integration). Insulin's geometric-mean fold
    // change is 2^(4 - log2(7/3)) = 48/7.
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
    EXPECT_NEAR(*result->lanes[3].foldChange, 8.0 / (7.0 / 3.0), 1e-12);
    ASSERT_EQ(result->summary.size(), 2u);
    EXPECT_EQ(result->summary[0].n, 6);
    const ConditionSummary& insulin = result->summary[1];
    EXPECT_EQ(insulin.test, "Welch t-test");
    EXPECT_EQ(insulin.n, 6);
    EXPECT_NEAR(*insulin.foldChange, 48.0 / 7.0, 1e-12);
    EXPECT_NEAR(*insulin.p, 0.0001707434551801051, 1e-12);
    EXPECT_NEAR(*insulin.pHolm, *insulin.p, 0.0);
    EXPECT_TRUE(result->warnings.empty());
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
    const auto result = quantify(layout, bands, {});
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
    EXPECT_EQ(result->warnings.size(), 1u);
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
    EXPECT_EQ(result->summary[1].note, "fewer than 2 values (n = 1): no test");
    EXPECT_FALSE(result->summary[1].p.has_value());
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
