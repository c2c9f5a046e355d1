#pragma once

#include "core/analysis/statistics.h"

#include <cstddef>
#include <expected>
#include <span>
#include <string>
#include <vector>

namespace densito {

/// A dense design matrix, row-major: one row per observation, one column per parameter.
class DesignMatrix {
public:
    DesignMatrix(std::size_t rows, std::size_t columns)
        : m_rows(rows), m_columns(columns), m_values(rows * columns, 0.0) {}

    std::size_t rows() const { return m_rows; }
    std::size_t columns() const { return m_columns; }
    double& at(std::size_t row, std::size_t column) { return m_values[row * m_columns + column]; }
    double at(std::size_t row, std::size_t column) const {
        return m_values[row * m_columns + column];
    }

private:
    std::size_t m_rows;
    std::size_t m_columns;
    std::vector<double> m_values;
};

/// An ordinary least-squares fit y = X b + e with independent errors of equal variance.
struct LeastSquaresFit {
    std::vector<double> coefficients; ///< b, one per column of X
    /// R of X = QR, upper triangular, row-major (columns x columns); b's covariance is
    /// residualVariance * (R'R)^-1.
    std::vector<double> r;
    int residualDegreesOfFreedom = 0; ///< observations - columns
    double residualSumOfSquares = 0.0;
    /// residualSumOfSquares / residualDegreesOfFreedom; NaN without residual degrees of freedom.
    double residualVariance = 0.0;
    double responseScale = 0.0; ///< max |y|, against which a residual SD is judged zero
};

/// Least squares by Householder QR (Golub and Van Loan, Matrix Computations, 5.2-5.3), the
/// decomposition R's lm() uses, without pivoting: the caller builds a design of full rank.
/// Fails, saying why, when X has no columns, fewer rows than columns, a row count other than
/// y's, or a column that is (numerically, relative tolerance 1e-7 as lm()) a combination of
/// the others.
std::expected<LeastSquaresFit, std::string> fitLeastSquares(const DesignMatrix& design,
                                                            std::span<const double> response);

/// A linear contrast c'b of a fit, tested against 0 with the fit's residual standard error
/// and residual degrees of freedom (Student t).
struct ContrastTest {
    double estimate = 0.0;
    double standardError = 0.0;
    int degreesOfFreedom = 0;
    double t = 0.0;
    double p = 1.0;  ///< two-sided
    Interval ci95{}; ///< estimate -/+ t(0.975, df) * SE
};

/// c'b; `weights` holds c, one weight per coefficient.
double contrastEstimate(const LeastSquaresFit& fit, std::span<const double> weights);

/// The t-test and 95% CI of c'b. No test (the reason instead) without residual degrees of
/// freedom, or when the residual SD is below 1e-10 of the response's scale (a perfect fit:
/// rounding, not variance; R's summary.lm() warns of it too).
std::expected<ContrastTest, std::string> testContrast(const LeastSquaresFit& fit,
                                                      std::span<const double> weights);

} // namespace densito
