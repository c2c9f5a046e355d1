// Doublet splitting by a two-EMG fit, on profiles built from known EMGs.
#include "core/measure/band_measurer.h"
#include "core/measure/blot_analysis.h"
#include "core/measure/doublet_split.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <numbers>
#include <opencv2/core.hpp>
#include <random>
#include <vector>

namespace densito {
namespace {

struct EmgBand {
    double centre = 0;
    double sigma = 1;
    double tau = 1;
    double area = 1;
};

/// Standard normal deviates from a fixed generator, by Box-Muller (the same on every library,
/// unlike std::normal_distribution).
class Noise {
public:
    explicit Noise(std::uint32_t seed) : m_engine(seed) {}
    double next() {
        const double u1 = (static_cast<double>(m_engine()) + 1.0) / 4294967297.0;
        const double u2 = static_cast<double>(m_engine()) / 4294967296.0;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }

private:
    std::mt19937 m_engine;
};

/// A lane profile of `rows` rows holding the given bands, cut at the valley between the first
/// two as the band detector cuts it, with white noise of `noiseSigma` (none when 0; the fit
/// then weighs rows by a nominal noise of 1e-6 of the peak).
DoubletProfile makeProfile(const std::vector<EmgBand>& bands, int rows, double noiseSigma,
                           std::uint32_t seed = 1) {
    DoubletProfile profile;
    Noise noise(seed);
    for (int i = 0; i < rows; ++i) {
        double value = 0;
        for (const EmgBand& band : bands) {
            value += band.area * emgTowardWells(i, band.centre, band.sigma, band.tau);
        }
        profile.values.push_back(value + noiseSigma * noise.next());
    }
    const double highest = *std::max_element(profile.values.begin(), profile.values.end());
    profile.noise.assign(static_cast<std::size_t>(rows),
                         noiseSigma > 0 ? noiseSigma : 1e-6 * highest);
    // Peaks: the two highest local maxima, as the band detector finds them; the valley: the
    // lowest row between them.
    std::vector<int> maxima;
    for (int i = 1; i + 1 < rows; ++i) {
        const auto k = static_cast<std::size_t>(i);
        if (profile.values[k] > profile.values[k - 1] &&
            profile.values[k] >= profile.values[k + 1]) {
            maxima.push_back(i);
        }
    }
    std::sort(maxima.begin(), maxima.end(), [&](int a, int b) {
        return profile.values[static_cast<std::size_t>(a)] >
               profile.values[static_cast<std::size_t>(b)];
    });
    maxima.resize(2);
    const int upperPeak = std::min(maxima[0], maxima[1]);
    const int lowerPeak = std::max(maxima[0], maxima[1]);
    int valley = upperPeak;
    for (int i = upperPeak; i <= lowerPeak; ++i) {
        if (profile.values[static_cast<std::size_t>(i)] <
            profile.values[static_cast<std::size_t>(valley)]) {
            valley = i;
        }
    }
    profile.upperPeak = upperPeak;
    profile.lowerPeak = lowerPeak;
    profile.lowerFirst = valley + 1;
    return profile;
}

/// The first band's part of the two bands' signal within the profile's rows.
double trueUpperFraction(const EmgBand& upper, const EmgBand& lower, int rows) {
    double a = 0;
    double b = 0;
    for (int i = 0; i < rows; ++i) {
        a += upper.area * emgTowardWells(i, upper.centre, upper.sigma, upper.tau);
        b += lower.area * emgTowardWells(i, lower.centre, lower.sigma, lower.tau);
    }
    return a / (a + b);
}

double total(const DoubletProfile& profile) {
    double sum = 0;
    for (const double v : profile.values) {
        sum += v;
    }
    return sum;
}

TEST(EmgTowardWells, HasUnitAreaAndItsTailTowardSmallerX) {
    for (const double tau : {0.0, 0.5, 3.0, 12.0}) {
        double area = 0;
        double mean = 0;
        for (double x = -300.0; x <= 100.0; x += 0.01) {
            const double value = emgTowardWells(x, 0.0, 3.0, tau);
            area += value * 0.01;
            mean += x * value * 0.01;
        }
        EXPECT_NEAR(area, 1.0, 1e-6) << "tau " << tau;
        // The exponential moves the mean by tau toward the wells.
        EXPECT_NEAR(mean, -tau, 1e-4) << "tau " << tau;
    }
}

TEST(EmgTowardWells, StaysFiniteFarIntoBothSides) {
    for (const double x : {-1e4, -50.0, 0.0, 50.0, 1e4}) {
        EXPECT_TRUE(std::isfinite(emgTowardWells(x, 0.0, 2.0, 0.01))) << x;
        EXPECT_TRUE(std::isfinite(emgTowardWells(x, 0.0, 2.0, 40.0))) << x;
        EXPECT_GE(emgTowardWells(x, 0.0, 2.0, 0.01), 0.0);
    }
}

TEST(DoubletSplit, NoiseFreeSingleLaneMatchesTrueFractions) {
    const EmgBand upper{30.0, 3.0, 4.0, 1000.0};
    const EmgBand lower{44.0, 3.0, 4.0, 600.0};
    const DoubletProfile profile = makeProfile({upper, lower}, 60, 0.0);
    const std::vector<DoubletSplit> splits = splitDoublets({&profile, 1});
    ASSERT_EQ(splits.size(), 1u);
    ASSERT_TRUE(splits[0].isSplit);
    const double truth = trueUpperFraction(upper, lower, 60);
    EXPECT_NEAR(splits[0].upperFraction, truth, 1e-3);
    EXPECT_NEAR(doubletVolumes(profile, splits[0])[0] / total(profile), truth, 1e-3);
}

TEST(DoubletSplit, NoiseFreeLanesWithTwoShapesMatchTrueFractions) {
    // Two band rows with their own sigma and tail, in four lanes with different loads and
    // ratios and a smile that moves the pair from lane to lane.
    const double ratios[] = {0.3, 1.0, 2.5, 0.8};
    std::vector<DoubletProfile> profiles;
    std::vector<double> truths;
    for (int l = 0; l < 4; ++l) {
        const double shift = 0.7 * l;
        const EmgBand upper{40.0 + shift, 4.0, 9.0, 1000.0 * (1.0 + 0.2 * l)};
        const EmgBand lower{56.0 + shift, 3.5, 4.0, upper.area * ratios[l]};
        profiles.push_back(makeProfile({upper, lower}, 75, 0.0));
        truths.push_back(trueUpperFraction(upper, lower, 75));
    }
    const std::vector<DoubletSplit> splits = splitDoublets(profiles);
    for (std::size_t l = 0; l < profiles.size(); ++l) {
        ASSERT_TRUE(splits[l].isSplit) << "lane " << l;
        EXPECT_NEAR(splits[l].upperFraction, truths[l], 1e-3) << "lane " << l;
        EXPECT_NEAR(doubletVolumes(profiles[l], splits[l])[0] / total(profiles[l]), truths[l], 1e-3)
            << "lane " << l;
    }
}

TEST(DoubletSplit, NoisySplitStaysWithinTolerance) {
    // White noise of 0.5% of the peak row, 20 draws: the split stays within 0.01 of the true
    // fraction (the valley cut is 0.04 off), within four of its reported standard errors.
    const EmgBand upper{30.0, 3.0, 4.0, 1000.0};
    const EmgBand lower{44.0, 3.0, 4.0, 600.0};
    const double truth = trueUpperFraction(upper, lower, 60);
    const DoubletProfile clean = makeProfile({upper, lower}, 60, 0.0);
    const double peak = *std::max_element(clean.values.begin(), clean.values.end());
    double valleyCut = 0;
    for (int i = 0; i < clean.lowerFirst; ++i) {
        valleyCut += clean.values[static_cast<std::size_t>(i)];
    }
    EXPECT_GT(std::abs(valleyCut / total(clean) - truth), 0.03);
    for (std::uint32_t seed = 1; seed <= 20; ++seed) {
        const DoubletProfile profile = makeProfile({upper, lower}, 60, 0.005 * peak, seed);
        const std::vector<DoubletSplit> splits = splitDoublets({&profile, 1});
        ASSERT_TRUE(splits[0].isSplit) << "seed " << seed;
        EXPECT_NEAR(doubletVolumes(profile, splits[0])[0] / total(profile), truth, 0.01)
            << "seed " << seed;
        EXPECT_LT(std::abs(splits[0].upperFraction - truth), 4.0 * splits[0].upperFractionSd)
            << "seed " << seed;
    }
}

TEST(DoubletSplit, SingleBandIsNotSplit) {
    // One band whose far side has a noise wiggle the detector took for a second peak.
    const EmgBand band{30.0, 3.0, 4.0, 1000.0};
    DoubletProfile profile = makeProfile({band, EmgBand{45.0, 3.0, 4.0, 0.0}}, 50, 0.5, 3);
    profile.lowerFirst = 36;
    profile.lowerPeak = 38;
    const std::vector<DoubletSplit> splits = splitDoublets({&profile, 1});
    EXPECT_FALSE(splits[0].isSplit);
}

TEST(DoubletSplit, BadFitFallsBackToValleyCut) {
    // Three bands where two were expected: no two EMGs fit, so the valley cut stays.
    const EmgBand upper{20.0, 2.5, 2.0, 1000.0};
    const EmgBand lower{34.0, 2.5, 2.0, 800.0};
    const EmgBand hidden{44.0, 2.5, 2.0, 900.0};
    const DoubletProfile profile = makeProfile({upper, lower, hidden}, 60, 1.0);
    const std::vector<DoubletSplit> splits = splitDoublets({&profile, 1});
    ASSERT_EQ(splits.size(), 1u);
    EXPECT_FALSE(splits[0].isSplit);
    for (std::size_t i = 0; i < profile.values.size(); ++i) {
        EXPECT_EQ(splits[0].upperShare[i], static_cast<int>(i) < profile.lowerFirst ? 1.0 : 0.0);
    }
}

TEST(DoubletSplit, ShortOrMalformedProfilesKeepTheValleyCut) {
    DoubletProfile tooShort;
    tooShort.values = {1, 3, 2, 3, 1};
    tooShort.noise.assign(5, 0.1);
    tooShort.lowerFirst = 3;
    DoubletProfile noValley = makeProfile({EmgBand{20, 3, 2, 100}, EmgBand{34, 3, 2, 80}}, 50, 0.1);
    noValley.lowerFirst = 0;
    DoubletProfile noNoise = makeProfile({EmgBand{20, 3, 2, 100}, EmgBand{34, 3, 2, 80}}, 50, 0.1);
    noNoise.noise.clear();
    const std::vector<DoubletProfile> profiles = {tooShort, noValley, noNoise};
    const std::vector<DoubletSplit> splits = splitDoublets(profiles);
    ASSERT_EQ(splits.size(), 3u);
    for (const DoubletSplit& split : splits) {
        EXPECT_FALSE(split.isSplit);
    }
    EXPECT_TRUE(splitDoublets({}).empty());
}

TEST(DoubletSplit, NoisyLanesWithLongAndShortTailsStayNearTrueFractions) {
    // A long-tailed upper band over a short-tailed lower one in eight lanes of random loads
    // (noise 20 counts per row, peaks about 10^4): the valley cut is 0.02-0.16 off here.
    Noise loads(7);
    std::vector<DoubletProfile> profiles;
    std::vector<double> truths;
    for (std::uint32_t l = 0; l < 8; ++l) {
        const double shift = 0.5 * l;
        const EmgBand upper{110.0 + shift, 10.0, 24.5, 1e6 * std::exp(0.6 * loads.next())};
        const EmgBand lower{142.0 + shift, 9.5, 8.5, 1e6 * std::exp(0.6 * loads.next())};
        profiles.push_back(makeProfile({upper, lower}, 175, 20.0, l + 1));
        truths.push_back(trueUpperFraction(upper, lower, 175));
    }
    const std::vector<DoubletSplit> splits = splitDoublets(profiles);
    for (std::size_t l = 0; l < profiles.size(); ++l) {
        ASSERT_TRUE(splits[l].isSplit) << "lane " << l;
        EXPECT_NEAR(doubletVolumes(profiles[l], splits[l])[0] / total(profiles[l]), truths[l],
                    0.003)
            << "lane " << l;
    }
}

TEST(DoubletSplit, LanesWithWiderBandsAndABackgroundSlopeStayNearTrueFractions) {
    // Band widths differ by up to 10% from lane to lane, and each lane has a background line
    // left over from the box measurement.
    const double widths[] = {0.92, 1.0, 1.08, 0.95, 1.1};
    const double ratios[] = {0.4, 1.3, 0.8, 2.0, 1.0};
    std::vector<DoubletProfile> profiles;
    std::vector<double> truths;
    for (std::size_t l = 0; l < 5; ++l) {
        const double w = widths[l];
        const EmgBand upper{30.0, 3.0 * w, 4.0 * w, 1000.0};
        const EmgBand lower{46.0, 2.5 * w, 2.0 * w, 1000.0 * ratios[l]};
        DoubletProfile profile =
            makeProfile({upper, lower}, 62, 0.2, static_cast<std::uint32_t>(l));
        for (std::size_t i = 0; i < profile.values.size(); ++i) {
            profile.values[i] += 3.0 - 0.05 * static_cast<double>(i);
        }
        profiles.push_back(std::move(profile));
        truths.push_back(trueUpperFraction(upper, lower, 62));
    }
    const std::vector<DoubletSplit> splits = splitDoublets(profiles);
    for (std::size_t l = 0; l < profiles.size(); ++l) {
        ASSERT_TRUE(splits[l].isSplit) << "lane " << l;
        EXPECT_NEAR(splits[l].upperFraction, truths[l], 0.005) << "lane " << l;
        // The background line is no band's signal: it stays on its side of the cut.
        double upperBackground = 0;
        for (int i = 0; i < profiles[l].lowerFirst; ++i) {
            upperBackground += splits[l].background[static_cast<std::size_t>(i)];
        }
        double upperTrue = 0;
        for (int i = 0; i < 62; ++i) {
            upperTrue += 1000.0 * emgTowardWells(i, 30.0, 3.0 * widths[l], 4.0 * widths[l]);
        }
        EXPECT_NEAR(doubletVolumes(profiles[l], splits[l])[0] - upperBackground, upperTrue,
                    0.01 * upperTrue)
            << "lane " << l;
    }
}

TEST(DoubletSplit, LanesAreSplitTogetherOrNotAtAll) {
    // Three good lanes and one holding a third band: the bad lane vetoes the split of all, so
    // the band rows are measured by one rule.
    std::vector<DoubletProfile> profiles;
    for (std::uint32_t l = 0; l < 3; ++l) {
        profiles.push_back(makeProfile(
            {EmgBand{20.0, 2.5, 2.0, 1000.0}, EmgBand{34.0, 2.5, 2.0, 500.0 + 300.0 * l}}, 50, 1.0,
            l));
    }
    profiles.push_back(makeProfile({EmgBand{20.0, 2.5, 2.0, 1000.0}, EmgBand{34.0, 2.5, 2.0, 800.0},
                                    EmgBand{42.0, 2.5, 2.0, 900.0}},
                                   50, 1.0, 9));
    const std::vector<DoubletSplit> splits = splitDoublets(profiles);
    for (const DoubletSplit& split : splits) {
        EXPECT_FALSE(split.isSplit);
        EXPECT_TRUE(split.background.empty());
    }
    profiles.pop_back();
    for (const DoubletSplit& split : splitDoublets(profiles)) {
        EXPECT_TRUE(split.isSplit);
    }
}

TEST(DoubletVolumes, WithoutASplitAreTheValleyCut) {
    DoubletProfile profile;
    profile.values = {1, 2, 5, 3, 4, 6, 2, 1};
    profile.lowerFirst = 4;
    DoubletSplit cut;
    cut.upperShare = {1, 1, 1, 1, 0, 0, 0, 0};
    const std::array<double, 2> volume = doubletVolumes(profile, cut);
    EXPECT_DOUBLE_EQ(volume[0], 11.0);
    EXPECT_DOUBLE_EQ(volume[1], 13.0);
}

TEST(DoubletMeasurement, SplitsTouchingBandsByTheirFittedShapes) {
    // Four lanes 30 px wide, each with a long-tailed band over a short-tailed one at different
    // ratios, on a flat background with white noise; the candidates are cut at the valley as
    // the detector cuts them. Measured together and split, each band gets its own signal
    // within the two boxes.
    constexpr int kWidth = 200;
    constexpr int kHeight = 120;
    constexpr double kBackground = 100.0;
    const EmgBand upperShape{50.0, 3.0, 5.0, 1.0};
    const EmgBand lowerShape{66.0, 3.0, 2.0, 1.0};
    const double ratios[] = {0.3, 1.0, 1.8, 0.6};
    cv::Mat signal(kHeight, kWidth, CV_32FC1, cv::Scalar(kBackground));
    Noise noise(11);
    std::vector<Lane> lanes;
    for (int l = 0; l < 4; ++l) {
        Lane lane;
        lane.index = l + 1;
        lane.leftPx = 20 + 45 * l;
        lane.rightPx = lane.leftPx + 30;
        lane.xCenterPx = lane.leftPx + 15;
        lane.yMiddlePx = 0.5 * (kHeight - 1);
        lanes.push_back(lane);
    }
    for (int y = 0; y < kHeight; ++y) {
        for (int x = 0; x < kWidth; ++x) {
            double value = kBackground + 2.0 * noise.next();
            for (int l = 0; l < 4; ++l) {
                if (x >= lanes[static_cast<std::size_t>(l)].leftPx &&
                    x <= lanes[static_cast<std::size_t>(l)].rightPx) {
                    value +=
                        2000.0 *
                            emgTowardWells(y, upperShape.centre, upperShape.sigma, upperShape.tau) +
                        2000.0 * ratios[l] *
                            emgTowardWells(y, lowerShape.centre, lowerShape.sigma, lowerShape.tau);
                }
            }
            signal.at<float>(y, x) = static_cast<float>(value);
        }
    }
    MeasurementInput input;
    input.signal = signal;
    input.raw = signal;
    input.signalModel.saturationRaw = std::numeric_limits<double>::infinity();
    input.noiseSigma = 2.0;
    const std::vector<Strip> strips = {{1, cv::Rect(0, 0, kWidth, kHeight)}};
    std::vector<BandCandidate> candidates;
    for (int l = 0; l < 4; ++l) {
        // The valley of this lane's column profile, as the detector finds it.
        std::vector<double> profile;
        for (int y = 0; y < kHeight; ++y) {
            profile.push_back(
                emgTowardWells(y, upperShape.centre, upperShape.sigma, upperShape.tau) +
                ratios[l] * emgTowardWells(y, lowerShape.centre, lowerShape.sigma, lowerShape.tau));
        }
        const auto upperPeak = std::max_element(profile.begin() + 30, profile.begin() + 56);
        const auto lowerPeak = std::max_element(profile.begin() + 60, profile.begin() + 75);
        const auto valley = std::min_element(upperPeak, lowerPeak);
        BandCandidate upper;
        upper.lane = l + 1;
        upper.row = 1;
        upper.peakYPx = static_cast<double>(upperPeak - profile.begin());
        upper.topPx = 20;
        upper.bottomPx = static_cast<int>(valley - profile.begin());
        upper.isOverlapping = true;
        BandCandidate lower = upper;
        lower.row = 2;
        lower.peakYPx = static_cast<double>(lowerPeak - profile.begin());
        lower.topPx = upper.bottomPx + 1;
        lower.bottomPx = 80;
        candidates.push_back(upper);
        candidates.push_back(lower);
    }
    std::vector<std::string> warnings;
    const BackgroundMethod method{BackgroundKind::BorderMedian, 4.0};
    const std::vector<Band> bands =
        measureBands(input, strips, lanes, candidates, method, warnings);
    ASSERT_EQ(bands.size(), 8u);
    for (std::size_t k = 0; k < bands.size(); ++k) {
        const Band& band = bands[k];
        EXPECT_NE(band.flags & kBandSplit, 0u) << "band " << k;
        EXPECT_NE(band.flags & kBandOverlap, 0u) << "band " << k;
        // This band's own signal within the two boxes' rows and its box's columns.
        const EmgBand& shape = band.row == 1 ? upperShape : lowerShape;
        const double amplitude = 2000.0 * (band.row == 1 ? 1.0 : ratios[band.lane - 1]);
        double truth = 0;
        for (int y = 20; y <= 80; ++y) {
            truth += amplitude * emgTowardWells(y, shape.centre, shape.sigma, shape.tau);
        }
        truth *= band.box.width;
        EXPECT_NEAR(band.volume, truth, 0.01 * truth) << "band " << k;
    }
}

} // namespace
} // namespace densito
