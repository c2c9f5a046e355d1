#pragma once

#include "core/analysis/quantification.h"

#include <expected>
#include <span>
#include <string>

namespace densito {

/// quantification.csv, one row per membrane, lane and target:
/// membrane,lane,sample,condition,replicate,target,measure,site,phospho,total,loading,stain,
/// normalized_by,ratio,total_to_loading,fold_change,flags,excluded,linearity
/// `measure` is the ratio's numerator: phospho, or total for an expression target. Volumes are band
/// volumes in signal units; `normalized_by` is total, loading or stain; `flags` is `;`-separated
/// (laneFlagsText); `excluded` says why a row is left out of the statistics (empty when used);
/// `linearity` is verified, outside or not checked (QuantifiedLane::linearity). RFC
/// 4180, LF line ends, shortest round-trip numbers, empty fields for absent values.
std::string quantificationCsv(std::span<const QuantifiedLane> lanes);

/// summary.csv, one row per target and condition (control first):
/// target,measure,site,condition,n,fold_change,ci95_low,ci95_high,mean_log2_fold_change,
/// sd_log2_fold_change,test,p,p_holm,note,model,df,lanes_used,lanes_excluded
/// `fold_change` is the model's fold change vs the control and ci95_* its 95% CI; `model`
/// the linear model of the target and `df` its residual degrees of freedom (empty for the
/// control and when nothing was fitted); lanes_* count the condition's lanes that enter the
/// statistics and those left out. The rows of `normalizerChecks` (summarizeNormalizers())
/// follow the ratio rows with `measure` normaliser:total, normaliser:loading or
/// normaliser:stain (normalizerCheckMeasure()), `target` the normaliser's band (e.g. Akt,
/// beta-actin), `site` empty, `model` "log2 volume ~ ..." and a note naming the ratios it
/// divides.
std::string summaryCsv(std::span<const ConditionSummary> summary,
                       std::span<const ConditionSummary> normalizerChecks = {});

/// contrasts.csv, one row per target and declared contrast (summarizeContrasts()):
/// target,site,contrast,fold_change,ci95_low,ci95_high,p,p_holm,model,df,note
/// `note` says over which contrasts p_holm adjusts, or why a contrast has no test.
std::string contrastsCsv(std::span<const ContrastSummary> contrasts);

/// units.csv, one row per biological unit and target, exactly what each target's linear model
/// is fitted to (modelUnits()):
/// target,measure,site,membrane,replicate,condition,block,normalized_by,lanes,log2_ratio,
/// log2_fold_change
/// `lanes` used lanes combined (technical duplicates, averaged on the log2 scale into
/// `log2_ratio`); `block` the unit's level of the model's block factor (the membrane, or
/// "membrane:replicate" when the model pairs replicates), so that R's
/// `lm(log2_ratio ~ block + condition)` on one target's rows is summary.csv's model;
/// `log2_fold_change` is log2_ratio minus the membrane's control reference.
std::string unitsCsv(std::span<const BiologicalUnit> units);

/// prism/<target>.csv for one target: a matched table of ratios for GraphPad Prism's
/// ratio paired t-test and repeated-measures one-way ANOVA. Header `block` then
/// `conditions` (summary.csv order, control first; those without units left out); one row
/// per block of the model (BiologicalUnit::block) in order of first appearance, each cell
/// the unit's ratio 2^log2_ratio, empty when the block lacks the condition. `units` are one
/// target's. The reason instead when a block holds a condition more than once (the model
/// then blocks by membrane only and a matched table cannot hold its units), or a condition
/// is named "block".
std::expected<std::string, std::string> prismTableCsv(std::span<const BiologicalUnit> units,
                                                      std::span<const std::string> conditions);

/// fold_change_wide.csv: one row per sample on one membrane (membrane,sample,condition,
/// replicate: lanes of one sample name on different membranes are never merged), then one
/// column per target, named "p-Akt Ser473" (phospho, with its site when given) or "IRS-1"
/// (expression), holding the sample's fold change: the geometric mean over its used lanes;
/// empty when it has none. Rows grouped by condition in order of first appearance, then in
/// order of first appearance (membrane, then sample).
std::string foldChangeWideCsv(std::span<const QuantifiedLane> lanes);

} // namespace densito
