#include "core/analysis/statistics.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <numeric>

namespace densito {
namespace {

// Errors become NaN results rather than exceptions: the core never throws across its API.
using NoThrowPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;
using StudentT = boost::math::students_t_distribution<double, NoThrowPolicy>;

/// R's rule: a standard error this small next to the mean is rounding noise, not variance.
bool isEssentiallyConstant(double standardError, double scale) {
    return standardError == 0.0 ||
           standardError < 10.0 * std::numeric_limits<double>::epsilon() * std::abs(scale);
}

std::string tooFewValues(std::size_t n) {
    return fmt::format("fewer than 2 values (n = {}): no test", n);
}

} // namespace

double studentTwoSidedP(double t, double degreesOfFreedom) {
    return 2.0 * boost::math::cdf(boost::math::complement(StudentT(degreesOfFreedom), std::abs(t)));
}

double studentCriticalT(double level, double degreesOfFreedom) {
    return boost::math::quantile(
        boost::math::complement(StudentT(degreesOfFreedom), (1.0 - level) / 2.0));
}

double mean(std::span<const double> values) {
    if (values.empty()) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double standardDeviation(std::span<const double> values) {
    if (values.size() < 2) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    const double centre = mean(values);
    double sumOfSquares = 0.0;
    for (const double value : values) {
        sumOfSquares += (value - centre) * (value - centre);
    }
    return std::sqrt(sumOfSquares / static_cast<double>(values.size() - 1));
}

std::expected<TTestResult, std::string> oneSampleTTest(std::span<const double> values, double mu) {
    if (values.size() < 2) {
        return std::unexpected(tooFewValues(values.size()));
    }
    const double n = static_cast<double>(values.size());
    const double centre = mean(values);
    const double standardError = standardDeviation(values) / std::sqrt(n);
    if (isEssentiallyConstant(standardError, centre)) {
        return std::unexpected("no variance (all values equal): no test");
    }
    const double t = (centre - mu) / standardError;
    return TTestResult{t, n - 1.0, studentTwoSidedP(t, n - 1.0)};
}

std::expected<TTestResult, std::string> welchTTest(std::span<const double> x,
                                                   std::span<const double> y) {
    if (x.size() < 2 || y.size() < 2) {
        return std::unexpected(fmt::format(
            "fewer than 2 values in a group (n = {} and {}): no test", x.size(), y.size()));
    }
    const double nx = static_cast<double>(x.size());
    const double ny = static_cast<double>(y.size());
    const double varianceOfMeanX = std::pow(standardDeviation(x), 2) / nx;
    const double varianceOfMeanY = std::pow(standardDeviation(y), 2) / ny;
    const double standardError = std::sqrt(varianceOfMeanX + varianceOfMeanY);
    if (isEssentiallyConstant(standardError, std::max(std::abs(mean(x)), std::abs(mean(y))))) {
        return std::unexpected("no variance (all values equal): no test");
    }
    const double t = (mean(x) - mean(y)) / standardError;
    const double degreesOfFreedom = std::pow(varianceOfMeanX + varianceOfMeanY, 2) /
                                    (varianceOfMeanX * varianceOfMeanX / (nx - 1.0) +
                                     varianceOfMeanY * varianceOfMeanY / (ny - 1.0));
    return TTestResult{t, degreesOfFreedom, studentTwoSidedP(t, degreesOfFreedom)};
}

std::expected<Interval, std::string> meanConfidenceInterval(std::span<const double> values,
                                                            double level) {
    if (values.size() < 2) {
        return std::unexpected(
            fmt::format("fewer than 2 values (n = {}): no interval", values.size()));
    }
    const double n = static_cast<double>(values.size());
    const double halfWidth =
        studentCriticalT(level, n - 1.0) * standardDeviation(values) / std::sqrt(n);
    return Interval{mean(values) - halfWidth, mean(values) + halfWidth};
}

std::expected<FoldChangeEstimate, std::string>
foldChangeFromLog2(std::span<const double> log2FoldChanges) {
    if (log2FoldChanges.empty()) {
        return std::unexpected("no values");
    }
    FoldChangeEstimate estimate;
    estimate.n = static_cast<int>(log2FoldChanges.size());
    estimate.meanLog2 = mean(log2FoldChanges);
    estimate.foldChange = std::exp2(estimate.meanLog2);
    if (const auto log2Interval = meanConfidenceInterval(log2FoldChanges)) {
        estimate.sdLog2 = standardDeviation(log2FoldChanges);
        estimate.ci95 = Interval{std::exp2(log2Interval->low), std::exp2(log2Interval->high)};
    }
    return estimate;
}

std::vector<std::optional<double>> holmAdjust(std::span<const std::optional<double>> pValues) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < pValues.size(); ++i) {
        if (pValues[i]) {
            order.push_back(i);
        }
    }
    std::ranges::stable_sort(order, {}, [&](std::size_t i) { return *pValues[i]; });
    std::vector<std::optional<double>> adjusted(pValues.size());
    double runningMax = 0.0;
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
        const double multiplier = static_cast<double>(order.size() - rank);
        runningMax = std::max(runningMax, multiplier * *pValues[order[rank]]);
        adjusted[order[rank]] = std::min(1.0, runningMax);
    }
    return adjusted;
}

} // namespace densito
