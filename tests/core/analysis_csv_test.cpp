// Exact bytes of quantification.csv, summary.csv, contrasts.csv, units.csv, the prism/
// tables and fold_change_wide.csv.
#include "core/analysis/analysis_csv.h"
#include "core/measure/blot_analysis.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace densito {
namespace {

QuantifiedLane lane(std::string membrane, int index, std::string sample, std::string condition,
                    std::string replicate, std::string target, std::string site) {
    QuantifiedLane row;
    row.membrane = std::move(membrane);
    row.lane = index;
    row.sample = std::move(sample);
    row.condition = std::move(condition);
    row.replicate = std::move(replicate);
    row.isPhospho = target == "Akt";
    row.target = std::move(target);
    row.site = std::move(site);
    return row;
}

std::vector<QuantifiedLane> twoTargetLanes() {
    QuantifiedLane control = lane("M1", 1, "c1", "control", "1", "Akt", "Ser473");
    control.phospho = 500;
    control.total = 1000;
    control.loading = 250;
    control.ratio = 0.5;
    control.totalToLoading = 4;
    control.foldChange = 1;
    QuantifiedLane treated = lane("M1", 2, "t, 1", "insulin", "1", "Akt", "Ser473");
    treated.phospho = 1000.0 / 3.0;
    treated.total = 1000;
    treated.ratio = 1.0 / 3.0;
    treated.foldChange = 2.0 / 3.0;
    treated.flags = kBandSaturated | kLaneMissingLoading;
    treated.excluded = "saturated band";
    QuantifiedLane expression = lane("M2", 1, "c1", "control", "1", "IRS-1", "");
    expression.total = 300;
    expression.stain = 150;
    expression.normalizedBy = Normalizer::Stain;
    expression.ratio = 2;
    expression.foldChange = 1;
    QuantifiedLane expressionTreated = lane("M2", 2, "t, 1", "insulin", "1", "IRS-1", "");
    expressionTreated.total = 600;
    expressionTreated.stain = 150;
    expressionTreated.normalizedBy = Normalizer::Stain;
    expressionTreated.ratio = 4;
    expressionTreated.foldChange = 2;
    QuantifiedLane duplicate = expressionTreated;
    duplicate.lane = 3;
    duplicate.foldChange = 8; // technical duplicate: geometric mean of 2 and 8 is 4
    return {control, treated, expression, expressionTreated, duplicate};
}

TEST(AnalysisCsv, QuantificationCsvBytes) {
    std::vector<QuantifiedLane> lanes = twoTargetLanes();
    lanes[0].linearity = Linearity::Verified;
    lanes[1].linearity = Linearity::Outside;
    EXPECT_EQ(quantificationCsv(lanes),
              "membrane,lane,sample,condition,replicate,target,measure,site,phospho,total,"
              "loading,stain,normalized_by,ratio,total_to_loading,fold_change,flags,excluded,"
              "linearity\n"
              "M1,1,c1,control,1,Akt,phospho,Ser473,500,1000,250,,total,0.5,4,1,,,verified\n"
              "M1,2,\"t, 1\",insulin,1,Akt,phospho,Ser473,333.3333333333333,1000,,,total,"
              "0.3333333333333333,,0.6666666666666666,saturated;missing_loading,saturated band,"
              "outside\n"
              "M2,1,c1,control,1,IRS-1,total,,,300,,150,stain,2,,1,,,not checked\n"
              "M2,2,\"t, 1\",insulin,1,IRS-1,total,,,600,,150,stain,4,,2,,,not checked\n"
              "M2,3,\"t, 1\",insulin,1,IRS-1,total,,,600,,150,stain,4,,8,,,not checked\n");
}

TEST(AnalysisCsv, SummaryCsvBytes) {
    ConditionSummary control;
    control.target = "Akt";
    control.isPhospho = true;
    control.site = "Ser473";
    control.condition = "control";
    control.isControl = true;
    control.n = 3;
    control.foldChange = 1;
    control.meanLog2FoldChange = 0;
    control.note = "reference";
    control.lanesUsed = 6;
    ConditionSummary insulin = control;
    insulin.condition = "insulin";
    insulin.isControl = false;
    insulin.foldChange = 4;
    insulin.ci95 = Interval{0.25, 64};
    insulin.meanLog2FoldChange = 2;
    insulin.sdLog2FoldChange = 1;
    insulin.test = "linear model t-test";
    insulin.p = 0.0625;
    insulin.pHolm = 0.125;
    insulin.model = "log2 ratio ~ membrane + condition";
    insulin.residualDegreesOfFreedom = 4;
    insulin.lanesUsed = 5;
    insulin.lanesExcluded = 1;
    insulin.note = "";
    ConditionSummary single = insulin;
    single.condition = "a \"new\" drug";
    single.n = 1;
    single.ci95.reset();
    single.sdLog2FoldChange.reset();
    single.test = "";
    single.p.reset();
    single.pHolm.reset();
    single.residualDegreesOfFreedom = 0;
    single.note = "no residual degrees of freedom: no CI or test";
    const std::vector<ConditionSummary> summary{control, insulin, single};
    EXPECT_EQ(summaryCsv(summary),
              "target,measure,site,condition,n,fold_change,ci95_low,ci95_high,"
              "mean_log2_fold_change,sd_log2_fold_change,test,p,p_holm,note,model,df,lanes_used,"
              "lanes_excluded\n"
              "Akt,phospho,Ser473,control,3,1,,,0,,,,,reference,,,6,0\n"
              "Akt,phospho,Ser473,insulin,3,4,0.25,64,2,1,linear model t-test,0.0625,0.125,,"
              "log2 ratio ~ membrane + condition,4,5,1\n"
              "Akt,phospho,Ser473,\"a \"\"new\"\" drug\",1,4,,,2,,,,,no residual degrees of "
              "freedom: no CI or test,log2 ratio ~ membrane + condition,0,5,1\n");
}

TEST(AnalysisCsv, ContrastsCsvBytes) {
    ContrastSummary interaction;
    interaction.target = "Akt";
    interaction.isPhospho = true;
    interaction.site = "Ser473";
    interaction.contrast = "interaction: insulin x isoleucine";
    interaction.foldChange = 0.75;
    interaction.ci95 = Interval{0.5, 1.125};
    interaction.p = 0.25;
    interaction.pHolm = 0.5;
    interaction.model = "log2 ratio ~ membrane + condition";
    interaction.residualDegreesOfFreedom = 6;
    interaction.note = "p_holm: Holm over the 2 tested contrasts of this target";
    ContrastSummary untested;
    untested.target = "IRS-1";
    untested.contrast = "rapamycin, 1 h vs insulin";
    untested.note = "no usable lanes of \"insulin\"";
    const std::vector<ContrastSummary> contrasts{interaction, untested};
    EXPECT_EQ(
        contrastsCsv(contrasts),
        "target,site,contrast,fold_change,ci95_low,ci95_high,p,p_holm,model,df,note\n"
        "Akt,Ser473,interaction: insulin x isoleucine,0.75,0.5,1.125,0.25,0.5,log2 ratio ~ "
        "membrane + condition,6,p_holm: Holm over the 2 tested contrasts of this target\n"
        "IRS-1,,\"rapamycin, 1 h vs insulin\",,,,,,,,\"no usable lanes of \"\"insulin\"\"\"\n");
}

BiologicalUnit unit(std::string membrane, std::string replicate, std::string condition,
                    std::string block, double log2Ratio, double log2FoldChange) {
    BiologicalUnit one;
    one.target = "Akt";
    one.isPhospho = true;
    one.site = "Ser473";
    one.membrane = std::move(membrane);
    one.replicate = std::move(replicate);
    one.condition = std::move(condition);
    one.block = std::move(block);
    one.normalizedBy = Normalizer::Total;
    one.lanes = 1;
    one.log2Ratio = log2Ratio;
    one.log2FoldChange = log2FoldChange;
    return one;
}

TEST(AnalysisCsv, UnitsCsvBytes) {
    // Two membranes, control and insulin; M1's control is two technical lanes. An
    // expression target normalised by the stain, with a comma in its replicate label.
    BiologicalUnit control = unit("M1", "1", "control", "M1", -1.5, 0);
    control.lanes = 2;
    BiologicalUnit insulin = unit("M1", "1", "insulin", "M1", 0.5, 2);
    BiologicalUnit expression = unit("M2", "2, b", "control", "M2", 1, 0);
    expression.target = "IRS-1";
    expression.isPhospho = false;
    expression.site = "";
    expression.normalizedBy = Normalizer::Stain;
    const std::vector<BiologicalUnit> units{control, insulin, expression};
    EXPECT_EQ(unitsCsv(units),
              "target,measure,site,membrane,replicate,condition,block,normalized_by,lanes,"
              "log2_ratio,log2_fold_change\n"
              "Akt,phospho,Ser473,M1,1,control,M1,total,2,-1.5,0\n"
              "Akt,phospho,Ser473,M1,1,insulin,M1,total,1,0.5,2\n"
              "IRS-1,total,,M2,\"2, b\",control,M2,stain,1,1,0\n");
}

TEST(AnalysisCsv, PrismTableIsMatchedByBlock) {
    // Rows are the model's blocks in order of first appearance, columns the conditions in
    // summary order (control first; "never seen" has no units and no column); M2 lacks
    // rapamycin, so its cell is empty. Cells are ratios: 2^log2 ratio.
    const std::vector<BiologicalUnit> units{
        unit("M1", "1", "insulin", "M1", 1, 2), unit("M1", "1", "control", "M1", -1, 0),
        unit("M1", "1", "rapamycin", "M1", -3, -2), unit("M2", "2", "control", "M2", 2, 0),
        unit("M2", "2", "insulin", "M2", 4, 2)};
    const std::vector<std::string> conditions{"control", "insulin", "never seen", "rapamycin"};
    EXPECT_EQ(prismTableCsv(units, conditions).value(), "block,control,insulin,rapamycin\n"
                                                        "M1,0.5,2,0.125\n"
                                                        "M2,4,16,\n");
}

TEST(AnalysisCsv, PrismTableRefusesSeveralUnitsOfAConditionInOneBlock) {
    // One control and two insulin replicates on one membrane (the model blocks by membrane):
    // a matched table has one cell per block and condition, so there is none.
    const std::vector<BiologicalUnit> units{unit("M1", "1", "control", "M1", 0, 0),
                                            unit("M1", "2", "insulin", "M1", 1, 1),
                                            unit("M1", "3", "insulin", "M1", 2, 2)};
    const std::vector<std::string> conditions{"control", "insulin"};
    const auto table = prismTableCsv(units, conditions);
    ASSERT_FALSE(table.has_value());
    EXPECT_EQ(table.error(), "block \"M1\" holds several units of \"insulin\", which a "
                             "matched table (one value per block and condition) cannot hold");
    const std::vector<BiologicalUnit> named{unit("M1", "1", "control", "M1", 0, 0),
                                            unit("M1", "1", "Block", "M1", 1, 1)};
    const std::vector<std::string> withBlock{"control", "Block"};
    EXPECT_EQ(prismTableCsv(named, withBlock).error(),
              "a condition named \"block\" would share the name of the table's first column");
}

TEST(AnalysisCsv, FoldChangeWideCsvBytes) {
    // One row per sample on one membrane, one column per target; excluded lanes are left
    // empty; the IRS-1 duplicates of sample "t, 1" on M2 combine to the geometric mean
    // sqrt(2 * 8) = 4. Sample "c1" is on M1 and on M2: two rows, never merged (until issue 14
    // they were one row, "c1,control,1,1,1", as if one membrane had measured both).
    std::vector<QuantifiedLane> lanes = twoTargetLanes();
    lanes.push_back(lane("M3", 1, "c2", "control", "2", "Akt", "Ser473"));
    lanes.back().foldChange = 1.25;
    EXPECT_EQ(foldChangeWideCsv(lanes), "membrane,sample,condition,replicate,p-Akt Ser473,IRS-1\n"
                                        "M1,c1,control,1,1,\n"
                                        "M2,c1,control,1,,1\n"
                                        "M3,c2,control,2,1.25,\n"
                                        "M1,\"t, 1\",insulin,1,,\n"
                                        "M2,\"t, 1\",insulin,1,,4\n");
}

} // namespace
} // namespace densito
