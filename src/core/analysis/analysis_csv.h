#pragma once

#include "core/analysis/quantification.h"

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
/// statistics and those left out.
std::string summaryCsv(std::span<const ConditionSummary> summary);

/// contrasts.csv, one row per target and declared contrast (summarizeContrasts()):
/// target,site,contrast,fold_change,ci95_low,ci95_high,p,p_holm,model,df,note
/// `note` says over which contrasts p_holm adjusts, or why a contrast has no test.
std::string contrastsCsv(std::span<const ContrastSummary> contrasts);

/// fold_change_wide.csv: one row per sample on one membrane (membrane,sample,condition,
/// replicate: lanes of one sample name on different membranes are never merged), then one
/// column per target, named "p-Akt Ser473" (phospho, with its site when given) or "IRS-1"
/// (expression), holding the sample's fold change: the geometric mean over its used lanes;
/// empty when it has none. Rows grouped by condition in order of first appearance, then in
/// order of first appearance (membrane, then sample).
std::string foldChangeWideCsv(std::span<const QuantifiedLane> lanes);

} // namespace densito
