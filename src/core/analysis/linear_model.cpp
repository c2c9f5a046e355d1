#include "core/analysis/linear_model.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace densito {
namespace {

/// lm()'s tolerance: a column whose part not explained by the columns before it is below
/// this fraction of its norm is taken as a combination of them.
constexpr double kRankTolerance = 1e-7;

/// A residual SD below this fraction of the response's scale is rounding, not variance.
constexpr double kPerfectFitTolerance = 1e-10;

double sumOfSquares(std::span<const double> values) {
    double sum = 0.0;
    for (const double value : values) {
        sum += value * value;
    }
    return sum;
}

} // namespace

std::expected<LeastSquaresFit, std::string> fitLeastSquares(const DesignMatrix& design,
                                                            std::span<const double> response) {
    const std::size_t n = design.rows();
    const std::size_t p = design.columns();
    if (p == 0) {
        return std::unexpected("no parameters to fit");
    }
    if (response.size() != n) {
        return std::unexpected(
            fmt::format("{} responses for a design of {} rows", response.size(), n));
    }
    if (n < p) {
        return std::unexpected(fmt::format("fewer observations ({}) than parameters ({})", n, p));
    }
    // Column-major working copy: Householder reflections act on whole columns.
    std::vector<std::vector<double>> columns(p, std::vector<double>(n));
    for (std::size_t j = 0; j < p; ++j) {
        for (std::size_t i = 0; i < n; ++i) {
            columns[j][i] = design.at(i, j);
        }
    }
    std::vector<double> effects(response.begin(), response.end()); // becomes Q'y
    for (std::size_t k = 0; k < p; ++k) {
        std::vector<double>& column = columns[k];
        const double originalNorm = std::sqrt(sumOfSquares(column));
        const double norm =
            std::sqrt(sumOfSquares(std::span(column).subspan(k))); // the unexplained part
        if (originalNorm == 0.0 || norm <= kRankTolerance * originalNorm) {
            return std::unexpected(fmt::format(
                "the design is rank deficient: column {} is a combination of the others", k + 1));
        }
        // Reflect column[k..n) onto alpha * e1, with alpha's sign chosen against cancellation.
        const double alpha = column[k] > 0.0 ? -norm : norm;
        std::vector<double> v(column.begin() + static_cast<std::ptrdiff_t>(k), column.end());
        v[0] -= alpha;
        const double vNorm2 = sumOfSquares(v);
        const auto reflect = [&](std::vector<double>& target) {
            double dot = 0.0;
            for (std::size_t i = 0; i < v.size(); ++i) {
                dot += v[i] * target[k + i];
            }
            const double scale = 2.0 * dot / vNorm2;
            for (std::size_t i = 0; i < v.size(); ++i) {
                target[k + i] -= scale * v[i];
            }
        };
        for (std::size_t j = k + 1; j < p; ++j) {
            reflect(columns[j]);
        }
        reflect(effects);
        column[k] = alpha;
        std::fill(column.begin() + static_cast<std::ptrdiff_t>(k) + 1, column.end(), 0.0);
    }
    LeastSquaresFit fit;
    fit.r.assign(p * p, 0.0);
    for (std::size_t i = 0; i < p; ++i) {
        for (std::size_t j = i; j < p; ++j) {
            fit.r[i * p + j] = columns[j][i];
        }
    }
    fit.coefficients.assign(p, 0.0);
    for (std::size_t i = p; i-- > 0;) {
        double sum = effects[i];
        for (std::size_t j = i + 1; j < p; ++j) {
            sum -= fit.r[i * p + j] * fit.coefficients[j];
        }
        fit.coefficients[i] = sum / fit.r[i * p + i];
    }
    fit.residualDegreesOfFreedom = static_cast<int>(n - p);
    fit.residualSumOfSquares = sumOfSquares(std::span(effects).subspan(p));
    fit.residualVariance = fit.residualDegreesOfFreedom > 0
                               ? fit.residualSumOfSquares / fit.residualDegreesOfFreedom
                               : std::numeric_limits<double>::quiet_NaN();
    for (const double value : response) {
        fit.responseScale = std::max(fit.responseScale, std::abs(value));
    }
    return fit;
}

double contrastEstimate(const LeastSquaresFit& fit, std::span<const double> weights) {
    double estimate = 0.0;
    for (std::size_t i = 0; i < fit.coefficients.size() && i < weights.size(); ++i) {
        estimate += weights[i] * fit.coefficients[i];
    }
    return estimate;
}

std::expected<ContrastTest, std::string> testContrast(const LeastSquaresFit& fit,
                                                      std::span<const double> weights) {
    if (fit.residualDegreesOfFreedom < 1) {
        return std::unexpected("no residual degrees of freedom: no CI or test");
    }
    const double residualSd = std::sqrt(fit.residualVariance);
    if (residualSd <= kPerfectFitTolerance * std::max(1.0, fit.responseScale)) {
        return std::unexpected("no residual variance (a perfect fit): no test");
    }
    // c'(R'R)^-1 c = |z|^2 with R'z = c (forward substitution; R' is lower triangular).
    const std::size_t p = fit.coefficients.size();
    std::vector<double> z(p, 0.0);
    for (std::size_t i = 0; i < p; ++i) {
        double sum = i < weights.size() ? weights[i] : 0.0;
        for (std::size_t j = 0; j < i; ++j) {
            sum -= fit.r[j * p + i] * z[j];
        }
        z[i] = sum / fit.r[i * p + i];
    }
    ContrastTest test;
    test.estimate = contrastEstimate(fit, weights);
    test.standardError = residualSd * std::sqrt(sumOfSquares(z));
    test.degreesOfFreedom = fit.residualDegreesOfFreedom;
    if (!(test.standardError > 0.0)) {
        return std::unexpected("the contrast has no variance: no test");
    }
    test.t = test.estimate / test.standardError;
    test.p = studentTwoSidedP(test.t, test.degreesOfFreedom);
    const double halfWidth = studentCriticalT(0.95, test.degreesOfFreedom) * test.standardError;
    test.ci95 = Interval{test.estimate - halfWidth, test.estimate + halfWidth};
    return test;
}

} // namespace densito
