#pragma once

#include <expected>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace densito {

/// A two-sided Student t-test result.
struct TTestResult {
    double t = 0.0;
    double degreesOfFreedom = 0.0; ///< fractional for Welch's test
    double p = 1.0;                ///< two-sided
};

/// A closed interval.
struct Interval {
    double low = 0.0;
    double high = 0.0;
};

/// A geometric-mean fold change estimated from log2 fold changes.
struct FoldChangeEstimate {
    int n = 0;
    double meanLog2 = 0.0;
    double foldChange = 1.0;      ///< 2^meanLog2, the geometric mean of the fold changes
    std::optional<double> sdLog2; ///< absent when n < 2
    std::optional<Interval> ci95; ///< 2^(meanLog2 -/+ t(0.975, n-1) * SE); absent when n < 2
};

/// Two-sided p of Student's t statistic `t` with `degreesOfFreedom` (may be fractional).
double studentTwoSidedP(double t, double degreesOfFreedom);

/// The t quantile for a two-sided `level` interval: upper-tail probability (1 - level) / 2.
double studentCriticalT(double level, double degreesOfFreedom);

/// Arithmetic mean; NaN for no values.
double mean(std::span<const double> values);

/// Sample standard deviation (n - 1 denominator); NaN for fewer than two values.
double standardDeviation(std::span<const double> values);

/// One-sample t-test of mean(values) = mu. No test (the reason instead) for fewer than two
/// values or no variance: a column of identical values is never tested. Matches R's
/// t.test(values, mu = mu), including its "essentially constant" rule.
std::expected<TTestResult, std::string> oneSampleTTest(std::span<const double> values,
                                                       double mu = 0.0);

/// Welch's unequal-variance two-sample t-test of mean(x) = mean(y), with the Welch-
/// Satterthwaite degrees of freedom; t is for x - y. Needs two values in each group and some
/// variance. Matches R's t.test(x, y).
std::expected<TTestResult, std::string> welchTTest(std::span<const double> x,
                                                   std::span<const double> y);

/// The `level` confidence interval of the mean: mean -/+ t((1 + level) / 2, n - 1) * SE.
/// Needs two values; zero variance gives the zero-width interval.
std::expected<Interval, std::string> meanConfidenceInterval(std::span<const double> values,
                                                            double level = 0.95);

/// Geometric-mean fold change and its 95% CI from log2 fold changes; the reason when there
/// are no values.
std::expected<FoldChangeEstimate, std::string>
foldChangeFromLog2(std::span<const double> log2FoldChanges);

/// Holm's step-down adjustment, as R's p.adjust(p, "holm"): sorted p times n, n-1, ...,
/// made monotone by a running maximum and capped at 1; ties keep their input order. Absent
/// p-values stay absent and do not count in n.
std::vector<std::optional<double>> holmAdjust(std::span<const std::optional<double>> pValues);

} // namespace densito
