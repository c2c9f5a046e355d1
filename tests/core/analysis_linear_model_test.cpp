// Least squares by Householder QR and contrast tests, on designs whose answers are worked
// out by hand in the comments.
#include "core/analysis/linear_model.h"

#include <cmath>
#include <gtest/gtest.h>
#include <vector>

namespace densito {
namespace {

/// y = a + b x through (0, 1), (1, 3), (2, 4), (3, 8).
std::expected<LeastSquaresFit, std::string> straightLine() {
    DesignMatrix design(4, 2);
    for (std::size_t i = 0; i < 4; ++i) {
        design.at(i, 0) = 1.0;
        design.at(i, 1) = static_cast<double>(i);
    }
    const std::vector<double> y{1, 3, 4, 8};
    return fitLeastSquares(design, y);
}

TEST(LinearModel, StraightLineByHand) {
    // x mean 1.5, Sxx = 5, Sxy = (-1.5)(1) + (-0.5)(3) + (0.5)(4) + (1.5)(8) = 11, so b = 2.2
    // and a = 4 - 2.2 * 1.5 = 0.7. Residuals 0.3, 0.1, -1.1, 0.7: RSS = 1.8 on 2 df.
    const auto fit = straightLine();
    ASSERT_TRUE(fit.has_value()) << fit.error();
    EXPECT_NEAR(fit->coefficients[0], 0.7, 1e-14);
    EXPECT_NEAR(fit->coefficients[1], 2.2, 1e-14);
    EXPECT_EQ(fit->residualDegreesOfFreedom, 2);
    EXPECT_NEAR(fit->residualSumOfSquares, 1.8, 1e-13);
    EXPECT_NEAR(fit->residualVariance, 0.9, 1e-13);
    // The slope: SE = sqrt(0.9 / 5), t = 2.2 / SE; with 2 df p = 1 - |t| / sqrt(2 + t^2).
    const std::vector<double> slope{0.0, 1.0};
    const auto test = testContrast(*fit, slope);
    ASSERT_TRUE(test.has_value()) << test.error();
    const double se = std::sqrt(0.9 / 5.0);
    EXPECT_NEAR(test->estimate, 2.2, 1e-14);
    EXPECT_NEAR(test->standardError, se, 1e-14);
    EXPECT_EQ(test->degreesOfFreedom, 2);
    const double t = 2.2 / se;
    EXPECT_NEAR(test->t, t, 1e-12);
    EXPECT_NEAR(test->p, 1.0 - t / std::sqrt(2.0 + t * t), 1e-14);
    // t(0.975, 2) = 0.95 / sqrt(0.04875) (from the 2-df closed form).
    const double t975 = 0.95 / std::sqrt(0.04875);
    EXPECT_NEAR(test->ci95.low, 2.2 - t975 * se, 1e-12);
    EXPECT_NEAR(test->ci95.high, 2.2 + t975 * se, 1e-12);
    // The fitted value at x = 2: a + 2b = 5.1, variance sigma^2 (1/4 + (0.5)^2 / 5) = 0.27.
    const std::vector<double> atTwo{1.0, 2.0};
    EXPECT_NEAR(contrastEstimate(*fit, atTwo), 5.1, 1e-13);
    EXPECT_NEAR(testContrast(*fit, atTwo)->standardError, std::sqrt(0.27), 1e-14);
}

TEST(LinearModel, RankDeficientDesignsAreRefused) {
    DesignMatrix design(3, 3); // third column = first + second
    const double values[3][3] = {{1, 0, 1}, {1, 1, 2}, {0, 1, 1}};
    for (std::size_t i = 0; i < 3; ++i) {
        for (std::size_t j = 0; j < 3; ++j) {
            design.at(i, j) = values[i][j];
        }
    }
    const std::vector<double> y{1, 2, 3};
    const auto fit = fitLeastSquares(design, y);
    ASSERT_FALSE(fit.has_value());
    EXPECT_EQ(fit.error(), "the design is rank deficient: column 3 is a combination of the others");
    EXPECT_FALSE(fitLeastSquares(DesignMatrix(2, 3), std::vector<double>{1, 2}).has_value());
    EXPECT_FALSE(fitLeastSquares(DesignMatrix(3, 1), std::vector<double>{1, 2}).has_value());
}

TEST(LinearModel, NoResidualDegreesOfFreedomOrVarianceMeansNoTest) {
    DesignMatrix square(2, 2);
    square.at(0, 0) = 1.0;
    square.at(1, 0) = 1.0;
    square.at(1, 1) = 1.0;
    const auto exact = fitLeastSquares(square, std::vector<double>{1.0, 3.0});
    ASSERT_TRUE(exact.has_value());
    EXPECT_NEAR(exact->coefficients[1], 2.0, 1e-15);
    const std::vector<double> effect{0.0, 1.0};
    EXPECT_EQ(testContrast(*exact, effect).error(),
              "no residual degrees of freedom: no CI or test");

    DesignMatrix line(3, 2); // points exactly on y = 1 + 2x
    for (std::size_t i = 0; i < 3; ++i) {
        line.at(i, 0) = 1.0;
        line.at(i, 1) = static_cast<double>(i);
    }
    const auto perfect = fitLeastSquares(line, std::vector<double>{1.0, 3.0, 5.0});
    ASSERT_TRUE(perfect.has_value());
    EXPECT_EQ(testContrast(*perfect, effect).error(),
              "no residual variance (a perfect fit): no test");
}

} // namespace
} // namespace densito
