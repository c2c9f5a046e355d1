#include "core/detect/profile_tools.h"

#include <cmath>
#include <gtest/gtest.h>
#include <numeric>
#include <random>
#include <vector>

namespace densito {
namespace {

TEST(FindPeaks, ProminenceIsHeightAboveTheHigherSaddle) {
    //                          0  1  2  3  4  5  6  7  8
    const std::vector<double> p{0, 5, 1, 3, 2, 9, 4, 4, 0};
    const auto peaks = findPeaks(p);
    ASSERT_EQ(peaks.size(), 3u);
    EXPECT_EQ(peaks[0].index, 1);
    EXPECT_DOUBLE_EQ(peaks[0].prominence, 4.0); // higher ground (9) right, beyond the saddle 1
    EXPECT_EQ(peaks[1].index, 3);
    EXPECT_DOUBLE_EQ(peaks[1].prominence, 1.0); // saddles 1 (left) and 2 (right)
    EXPECT_EQ(peaks[2].index, 5);
    EXPECT_DOUBLE_EQ(peaks[2].prominence, 9.0);
    EXPECT_EQ(peaks[2].rightBase, 8);
}

TEST(FindPeaks, PlateauCountsOnceAtItsMiddle) {
    const std::vector<double> p{0, 2, 2, 2, 2, 2, 0};
    const auto peaks = findPeaks(p);
    ASSERT_EQ(peaks.size(), 1u);
    EXPECT_EQ(peaks[0].index, 3);
}

TEST(SelectPeaks, DropsWeakAndCrowdedPeaks) {
    const std::vector<double> p{0, 5, 0, 4, 0, 0, 0, 1, 0, 6, 0};
    const auto kept = selectPeaks(findPeaks(p), 2.0, 3);
    ASSERT_EQ(kept.size(), 2u);
    EXPECT_EQ(kept[0].index, 1); // 3 is within 3 of the stronger 1; 7 is too weak
    EXPECT_EQ(kept[1].index, 9);
}

TEST(GaussianSmooth, KeepsTheSumOfAnInteriorPulse) {
    std::vector<double> p(41, 0.0);
    p[20] = 10.0;
    const auto s = gaussianSmooth(p, 2.0);
    EXPECT_NEAR(std::accumulate(s.begin(), s.end(), 0.0), 10.0, 1e-9);
    EXPECT_EQ(std::max_element(s.begin(), s.end()) - s.begin(), 20);
}

TEST(OpeningBaseline, RemovesNarrowPeaksAndKeepsASlope) {
    std::vector<double> p(60);
    for (int i = 0; i < 60; ++i) {
        p[static_cast<std::size_t>(i)] = 0.5 * i;
    }
    std::vector<double> withPeak = p;
    for (int i = 28; i <= 32; ++i) {
        withPeak[static_cast<std::size_t>(i)] += 100.0;
    }
    const auto baseline = openingBaseline(withPeak, 15);
    for (int i = 8; i < 52; ++i) {
        EXPECT_NEAR(baseline[static_cast<std::size_t>(i)], p[static_cast<std::size_t>(i)], 3.6)
            << i;
    }
    EXPECT_LT(baseline[30], 20.0);
}

TEST(DifferenceNoiseSigma, RecoversWhiteNoiseSigmaUnderASmoothProfile) {
    std::mt19937 random(3);
    std::normal_distribution<double> noise(0.0, 2.0);
    std::vector<double> p(20000);
    for (std::size_t i = 0; i < p.size(); ++i) {
        p[i] = 100.0 * std::sin(static_cast<double>(i) / 500.0) + noise(random);
    }
    EXPECT_NEAR(differenceNoiseSigma(p), 2.0, 0.1);
}

TEST(AutocorrelationPeriod, FindsTheFundamentalOfAPulseTrain) {
    std::vector<double> p(400, 0.0);
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double phase = std::fmod(static_cast<double>(i), 37.0);
        // Alternating lane strengths: the double period correlates well too.
        const double strength = (i / 37) % 2 == 0 ? 1.0 : 0.4;
        p[i] = phase > 8 && phase < 28 ? strength : 0.0;
    }
    EXPECT_NEAR(autocorrelationPeriod(p, 4, 200), 37.0, 0.5);
}

TEST(Median, OddEvenAndEmpty) {
    EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2.0);
    EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
    EXPECT_DOUBLE_EQ(median({}), 0.0);
}

} // namespace
} // namespace densito
