// Statistics against published R results and closed forms. Every literal was checked
// independently: the t tail probabilities and quantiles by numerical integration of the t
// density (Simpson's rule, 200000 steps, in Python with numpy only), which agrees with the
// published R output to all digits shown.
#include "core/analysis/statistics.h"

#include <cmath>
#include <gtest/gtest.h>
#include <optional>
#include <vector>

namespace densito {
namespace {

// Student (1908) / Cushny & Peebles: extra hours of sleep, R's `sleep` data set.
const std::vector<double> kSleepGroup1{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
const std::vector<double> kSleepGroup2{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

std::vector<double> differences() {
    std::vector<double> d;
    for (std::size_t i = 0; i < kSleepGroup1.size(); ++i) {
        d.push_back(kSleepGroup1[i] - kSleepGroup2[i]);
    }
    return d;
}

TEST(Statistics, MeanAndSampleStandardDeviation) {
    // sleep differences: mean -1.58, sd(n-1) 1.229995 (R: mean(d), sd(d)).
    EXPECT_NEAR(mean(differences()), -1.58, 1e-12);
    EXPECT_NEAR(standardDeviation(differences()), 1.2299954832798732, 1e-12);
    EXPECT_TRUE(std::isnan(mean(std::vector<double>{})));
    EXPECT_TRUE(std::isnan(standardDeviation(std::vector<double>{1.0})));
}

TEST(Statistics, WelchMatchesRSleep) {
    // R: t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, p-value = 0.07939.
    const auto test = welchTTest(kSleepGroup1, kSleepGroup2);
    ASSERT_TRUE(test.has_value());
    EXPECT_NEAR(test->t, -1.8608134674868526, 1e-9);
    EXPECT_NEAR(test->degreesOfFreedom, 17.776473516178495, 1e-9);
    EXPECT_NEAR(test->p, 0.07939414018735824, 1e-8);
}

TEST(Statistics, OneSampleMatchesRSleepPaired) {
    // R: t.test(sleep$extra[1:10] - sleep$extra[11:20]) (the paired test):
    // t = -4.0621, df = 9, p-value = 0.002833, 95% CI -2.4598858 -0.7001142.
    const auto test = oneSampleTTest(differences());
    ASSERT_TRUE(test.has_value());
    EXPECT_NEAR(test->t, -4.062127683382037, 1e-9);
    EXPECT_EQ(test->degreesOfFreedom, 9.0);
    EXPECT_NEAR(test->p, 0.002832890197384268, 1e-9);
    const auto interval = meanConfidenceInterval(differences());
    ASSERT_TRUE(interval.has_value());
    EXPECT_NEAR(interval->low, -2.4598857632769824, 1e-7);
    EXPECT_NEAR(interval->high, -0.7001142367230178, 1e-7);
}

TEST(Statistics, ClosedFormsForTwoDegreesOfFreedom) {
    // With 2 df the t distribution has closed forms: two-sided p = 1 - |t| / sqrt(2 + t^2),
    // and the 0.975 quantile is 0.95 / sqrt(2 * 0.975 * 0.025) = 4.302652729749464.
    // log2 values 1, 2, 3: mean 2, sd 1, t = 2 / (1 / sqrt 3) = sqrt 12, p = 1 - sqrt(6/7).
    const std::vector<double> log2{1.0, 2.0, 3.0};
    const auto test = oneSampleTTest(log2);
    ASSERT_TRUE(test.has_value());
    EXPECT_NEAR(test->t, std::sqrt(12.0), 1e-12);
    EXPECT_NEAR(test->p, 1.0 - std::sqrt(6.0 / 7.0), 1e-12);
    const double halfWidth = 0.95 / std::sqrt(0.04875) / std::sqrt(3.0);
    const auto estimate = foldChangeFromLog2(log2);
    ASSERT_TRUE(estimate.has_value());
    EXPECT_EQ(estimate->n, 3);
    EXPECT_DOUBLE_EQ(estimate->foldChange, 4.0);
    EXPECT_DOUBLE_EQ(estimate->meanLog2, 2.0);
    EXPECT_DOUBLE_EQ(*estimate->sdLog2, 1.0);
    ASSERT_TRUE(estimate->ci95.has_value());
    EXPECT_NEAR(estimate->ci95->low, std::exp2(2.0 - halfWidth), 1e-12);
    EXPECT_NEAR(estimate->ci95->high, std::exp2(2.0 + halfWidth), 1e-10);
}

TEST(Statistics, WelchClosedFormForFourDegreesOfFreedom) {
    // 0,1,2 vs 3,4,5: both sd 1, SE = sqrt(2/3), t = -3 / sqrt(2/3), Welch df = 4. With 4 df
    // F(t) = 1/2 + 3/8 * x (1 - x^2 / 12) with x = t / sqrt(1 + t^2 / 4), so p = 0.0213116...
    const auto test =
        welchTTest(std::vector<double>{0.0, 1.0, 2.0}, std::vector<double>{3.0, 4.0, 5.0});
    ASSERT_TRUE(test.has_value());
    const double t = 3.0 / std::sqrt(2.0 / 3.0);
    const double x = t / std::sqrt(1.0 + t * t / 4.0);
    EXPECT_NEAR(test->t, -t, 1e-12);
    EXPECT_NEAR(test->degreesOfFreedom, 4.0, 1e-12);
    EXPECT_NEAR(test->p, 2.0 * (0.5 - 3.0 / 8.0 * x * (1.0 - x * x / 12.0)), 1e-12);
    EXPECT_NEAR(test->p, 0.02131164112875683, 1e-12);
}

TEST(Statistics, NoTestBelowTwoValuesOrWithoutVariance) {
    EXPECT_EQ(oneSampleTTest(std::vector<double>{0.5}).error(),
              "fewer than 2 values (n = 1): no test");
    EXPECT_EQ(oneSampleTTest(std::vector<double>{}).error(),
              "fewer than 2 values (n = 0): no test");
    // A column of identical 1s (log2 = 0) is never tested, nor one equal up to rounding.
    EXPECT_EQ(oneSampleTTest(std::vector<double>{0.0, 0.0, 0.0}).error(),
              "no variance (all values equal): no test");
    EXPECT_FALSE(oneSampleTTest(std::vector<double>{0.1, 0.1, 0.1 + 1e-17}).has_value());
    EXPECT_EQ(welchTTest(std::vector<double>{1.0}, std::vector<double>{1.0, 2.0}).error(),
              "fewer than 2 values in a group (n = 1 and 2): no test");
    EXPECT_FALSE(welchTTest(std::vector<double>{1.0, 1.0}, std::vector<double>{1.0, 1.0}));
    // One constant group is fine when the other varies (as in R).
    EXPECT_TRUE(welchTTest(std::vector<double>{1.0, 1.0}, std::vector<double>{1.0, 2.0}));
}

TEST(Statistics, FoldChangeOfOneValueHasNoInterval) {
    const auto estimate = foldChangeFromLog2(std::vector<double>{-1.0});
    ASSERT_TRUE(estimate.has_value());
    EXPECT_EQ(estimate->foldChange, 0.5);
    EXPECT_FALSE(estimate->ci95.has_value());
    EXPECT_FALSE(estimate->sdLog2.has_value());
    EXPECT_FALSE(foldChangeFromLog2(std::vector<double>{}).has_value());
}

std::vector<std::optional<double>> holm(std::vector<std::optional<double>> p) {
    return holmAdjust(p);
}

TEST(HolmAdjust, MatchesRPAdjust) {
    // R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm") = 0.05 0.08 0.09 0.09 0.09
    // By hand: sorted p times 5, 4, 3, 2, 1 = 0.05 0.08 0.09 0.08 0.05; running max gives
    // 0.05 0.08 0.09 0.09 0.09.
    const auto adjusted = holm({0.01, 0.02, 0.03, 0.04, 0.05});
    const double expected[] = {0.05, 0.08, 0.09, 0.09, 0.09};
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_DOUBLE_EQ(*adjusted[i], expected[i]) << i;
    }
}

TEST(HolmAdjust, UnsortedTiesCapAndAbsentValues) {
    // Ties: p = 0.04, 0.01, 0.04, 0.3. Sorted 0.01, 0.04, 0.04, 0.3 times 4, 3, 2, 1 =
    // 0.04, 0.12, 0.08, 0.3; running max 0.04, 0.12, 0.12, 0.3; back in input order
    // 0.12, 0.04, 0.12, 0.3 (R gives the same).
    const auto ties = holm({0.04, 0.01, 0.04, 0.3});
    EXPECT_DOUBLE_EQ(*ties[0], 0.12);
    EXPECT_DOUBLE_EQ(*ties[1], 0.04);
    EXPECT_DOUBLE_EQ(*ties[2], 0.12);
    EXPECT_DOUBLE_EQ(*ties[3], 0.3);
    // Capped at 1: 0.6 * 2 = 1.2 -> 1; running max keeps the larger one at 1.
    const auto capped = holm({0.7, 0.6});
    EXPECT_EQ(*capped[0], 1.0);
    EXPECT_EQ(*capped[1], 1.0);
    // Absent p-values stay absent and do not count: n = 2 here (R drops NAs the same way).
    const auto partial = holm({std::nullopt, 0.02, 0.01});
    EXPECT_FALSE(partial[0].has_value());
    EXPECT_DOUBLE_EQ(*partial[1], 0.02);
    EXPECT_DOUBLE_EQ(*partial[2], 0.02);
    EXPECT_TRUE(holm({}).empty());
}

} // namespace
} // namespace densito
