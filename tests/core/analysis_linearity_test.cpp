// Dilution series: the linear range, flags on sample bands outside it, and how both reach the
// quantification. Volumes are hand-made so every answer can be worked out by hand.
#include "core/analysis/linearity.h"
#include "core/io/results_csv.h"
#include "core/measure/blot_analysis.h"

#include <cstdio>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace densito {
namespace {

Layout layoutOf(std::string_view blots, std::string_view samples) {
    const auto layout = parseLayout(parseCsv(blots, "blots.csv").value(),
                                    parseCsv(samples, "samples.csv").value(), {});
    if (!layout) {
        ADD_FAILURE() << layout.error().front().describe();
        return {};
    }
    return *layout;
}

MeasuredBand band(int lane, Measure measure, double volume, std::uint32_t flags = 0) {
    return MeasuredBand{
        "M1",   lane,  measure == Measure::Loading ? "GAPDH" : "Akt",         "", measure,
        volume, flags, measure == Measure::Loading ? "gapdh.tif" : "akt.tif", 1,  1};
}

/// Membrane M1: lanes 1-5 a dilution series of 1, 2, 4, 8 and 16 ug; lanes 6-9 samples
/// (control 6-7, treated 8-9). Akt is an expression target normalised by GAPDH.
Layout seriesLayout() {
    return layoutOf("image,membrane,target,measure\n"
                    "akt.tif,M1,Akt,total\n"
                    "gapdh.tif,M1,GAPDH,loading\n",
                    "membrane,lane,sample,condition,replicate,load\n"
                    "M1,1,std1,standard,s,1\nM1,2,std2,standard,s,2\nM1,3,std4,standard,s,4\n"
                    "M1,4,std8,standard,s,8\nM1,5,std16,standard,s,16\n"
                    "M1,6,c1,Control,1,\nM1,7,c2,Control,1,\n"
                    "M1,8,t1,Treated,1,\nM1,9,t2,Treated,1,\n");
}

/// Akt volumes 100 per ug up to 8 ug, then 1000 at 16 ug (not 1600: the signal saturates);
/// GAPDH 50 per ug in the series (proportional throughout) and 500 in every sample lane.
std::vector<MeasuredBand> seriesBands(double treatedVolume) {
    std::vector<MeasuredBand> bands = {
        band(1, Measure::Total, 100),          band(2, Measure::Total, 200),
        band(3, Measure::Total, 400),          band(4, Measure::Total, 800),
        band(5, Measure::Total, 1000),         band(6, Measure::Total, 300),
        band(7, Measure::Total, 300),          band(8, Measure::Total, 300),
        band(9, Measure::Total, treatedVolume)};
    for (int lane = 1; lane <= 9; ++lane) {
        bands.push_back(band(lane, Measure::Loading, lane <= 5 ? 50.0 * (1 << (lane - 1)) : 500));
    }
    return bands;
}

TEST(Linearity, TheLinearRangeEndsWhereTheSeriesLeavesTheLine) {
    const Layout layout = seriesLayout();
    const auto fits = fitDilutionSeries(layout, seriesBands(300));
    ASSERT_EQ(fits.size(), 2u); // Akt and GAPDH rows
    const LinearityFit& akt = fits[0];
    EXPECT_EQ(akt.target, "Akt");
    EXPECT_EQ(akt.points, 5);
    // 1-8 ug lie on volume = 100 * load exactly; 16 ug predicts 1600, 1000 is 37.5% off.
    EXPECT_NEAR(*akt.slope, 100.0, 1e-9);
    EXPECT_NEAR(*akt.intercept, 0.0, 1e-9);
    EXPECT_NEAR(*akt.rSquared, 1.0, 1e-12);
    EXPECT_EQ(*akt.loadLow, 1.0);
    EXPECT_EQ(*akt.loadHigh, 8.0);
    EXPECT_EQ(*akt.volumeLow, 100.0);
    EXPECT_EQ(*akt.volumeHigh, 800.0);
    EXPECT_EQ(akt.note, "loads from 16 leave the line");
    EXPECT_NEAR(*akt.logSlope, 1.0, 1e-12);
    EXPECT_EQ(*akt.interceptP, 1.0); // an exact line: the intercept is 0 to rounding
    // GAPDH is proportional over all five loads.
    EXPECT_NEAR(*fits[1].slope, 50.0, 1e-9);
    EXPECT_EQ(*fits[1].loadHigh, 16.0);
    EXPECT_EQ(fits[1].note, "");
}

TEST(Linearity, AFlatSeriesHasNoLinearRangeAndItsBandsAreOutside) {
    // GAPDH at 500 whatever the load: it does not follow the load at all.
    const Layout layout = seriesLayout();
    std::vector<MeasuredBand> bands = seriesBands(300);
    for (MeasuredBand& b : bands) {
        b.volume = b.measure == Measure::Loading ? 500.0 : b.volume;
    }
    const auto fits = fitDilutionSeries(layout, bands);
    EXPECT_FALSE(fits[1].loadLow.has_value());
    EXPECT_FALSE(fits[1].volumeHigh.has_value());
    EXPECT_NEAR(*fits[1].logSlope, 0.0, 1e-12);
    EXPECT_EQ(fits[1].note,
              "no linear range: no window of 3 or more loads is proportional "
              "(loads 1 to 4: log-log slope 0, not 1 +- 0.1, intercept 500 differs from 0 "
              "(p 0), log-log R^2 0 below 0.98)");
    flagOutsideLinearRange(layout, fits, bands);
    for (const MeasuredBand& b : bands) {
        if (b.measure == Measure::Loading) {
            EXPECT_EQ(b.linearity, Linearity::Outside) << b.lane;
            EXPECT_EQ((b.flags & kLaneOutsideLinearRange) != 0, b.lane > 5) << b.lane;
        }
    }
}

TEST(Linearity, ASaturatedBandEndsTheSeries) {
    const Layout layout = seriesLayout();
    std::vector<MeasuredBand> bands = seriesBands(300);
    bands[3].flags = kBandSaturated; // 8 ug
    const auto fits = fitDilutionSeries(layout, bands);
    EXPECT_EQ(fits[0].points, 3);
    EXPECT_EQ(*fits[0].loadHigh, 4.0);
    EXPECT_EQ(fits[0].note, "saturated from load 8");
}

TEST(Linearity, FewerThanThreeUsableBandsGiveNoLine) {
    const Layout layout = seriesLayout();
    std::vector<MeasuredBand> bands = seriesBands(300);
    std::erase_if(bands, [](const MeasuredBand& b) {
        return b.measure == Measure::Total && b.lane >= 2 && b.lane <= 4;
    });
    const auto fits = fitDilutionSeries(layout, bands);
    EXPECT_EQ(fits[0].points, 2);
    EXPECT_FALSE(fits[0].slope.has_value());
    EXPECT_EQ(fits[0].note, "2 usable series loads: a line needs 3");
    flagOutsideLinearRange(layout, fits, bands);
    for (const MeasuredBand& b : bands) {
        if (b.measure == Measure::Total) {
            EXPECT_EQ(b.linearity, Linearity::NotChecked) << b.lane;
        }
    }
}

TEST(Linearity, SampleBandsOutsideTheRangeAreFlaggedAndExcluded) {
    const Layout layout = seriesLayout();
    std::vector<MeasuredBand> bands = seriesBands(900); // treated duplicate 2 above 800
    const auto fits = fitDilutionSeries(layout, bands);
    flagOutsideLinearRange(layout, fits, bands);
    for (const MeasuredBand& b : bands) {
        const bool isOutside = b.measure == Measure::Total && b.lane == 9;
        EXPECT_EQ((b.flags & kLaneOutsideLinearRange) != 0, isOutside) << b.lane;
    }
    const auto quantified = quantify(layout, bands, {});
    ASSERT_TRUE(quantified.has_value());
    for (const QuantifiedLane& lane : quantified->lanes) {
        // Akt and GAPDH both inside their ranges, except Akt at 16 ug (1000, above 800) and
        // the treated duplicate 2 (900).
        EXPECT_EQ(lane.linearity,
                  lane.lane == 5 || lane.lane == 9 ? Linearity::Outside : Linearity::Verified)
            << lane.lane;
        if (lane.lane <= 5) {
            EXPECT_EQ(lane.excluded, "dilution series lane") << lane.lane;
            EXPECT_EQ(laneFlagsText(lane.flags), "dilution_series");
        } else if (lane.lane == 9) {
            EXPECT_EQ(lane.excluded, "outside the linear range");
            EXPECT_EQ(laneFlagsText(lane.flags), "outside_linear_range");
        } else {
            EXPECT_EQ(lane.excluded, "") << lane.lane;
        }
    }
    // --keep-flagged lets the band outside the range back into the statistics.
    const auto kept = quantify(layout, bands, {kKeepFlagged});
    EXPECT_EQ(kept->lanes[8].lane, 9);
    EXPECT_EQ(kept->lanes[8].excluded, "");
}

TEST(Linearity, LinearityCsvHasOneRowPerFittedRow) {
    const Layout layout = seriesLayout();
    const auto fits = fitDilutionSeries(layout, seriesBands(300));
    const std::string csv = linearityCsv(fits);
    EXPECT_EQ(csv.substr(0, csv.find('\n')),
              "membrane,image,target,measure,site,points,slope,intercept,r_squared,"
              "linear_load_low,linear_load_high,linear_volume_low,linear_volume_high,note,"
              "log_slope,intercept_p");
    EXPECT_NE(csv.find(fmt::format("\nM1,akt.tif,Akt,total,,5,100,0,1,1,8,100,800,loads from 16 "
                                   "leave the line,{},1\n",
                                   csvNumber(*fits[0].logSlope))),
              std::string::npos)
        << csv;
}

TEST(Linearity, ABadLoadIsReportedByLineAndColumn) {
    const auto layout = parseLayout(
        parseCsv("image,membrane,target,measure\nakt.tif,M1,Akt,total\ng.tif,M1,GAPDH,loading\n",
                 "blots.csv")
            .value(),
        parseCsv("membrane,lane,sample,condition,replicate,load\nM1,1,a,Control,1,2\n"
                 "M1,2,b,Control,1,abc\n",
                 "samples.csv")
            .value(),
        {});
    ASSERT_FALSE(layout.has_value());
    EXPECT_EQ(layout.error().front().describe(),
              "samples.csv:3: column \"load\": \"abc\" is not an amount loaded (a number, 0 or "
              "more)");
}

/// A two-fold dilution series of 1-64 ug (lanes 1-7) and one sample lane, for Akt over
/// GAPDH; volumes from `response(load)` with 2% multiplicative noise (seeded).
struct NoisySeries {
    Layout layout = layoutOf("image,membrane,target,measure\nakt.tif,M1,Akt,total\n"
                             "gapdh.tif,M1,GAPDH,loading\n",
                             "membrane,lane,sample,condition,replicate,load\n"
                             "M1,1,s1,standard,s,1\nM1,2,s2,standard,s,2\nM1,3,s4,standard,s,4\n"
                             "M1,4,s8,standard,s,8\nM1,5,s16,standard,s,16\n"
                             "M1,6,s32,standard,s,32\nM1,7,s64,standard,s,64\n"
                             "M1,8,c,Control,1,\n");

    template <typename Response> LinearityFit fit(Response response, unsigned seed) const {
        std::mt19937 random(seed);
        std::normal_distribution<double> noise(0.0, 0.02);
        std::vector<MeasuredBand> bands;
        for (int lane = 1; lane <= 7; ++lane) {
            const double load = static_cast<double>(1 << (lane - 1));
            bands.push_back(band(lane, Measure::Total, response(load) * (1.0 + noise(random))));
            bands.push_back(band(lane, Measure::Loading, 10.0 * load));
        }
        return fitDilutionSeries(layout, bands).at(0);
    }
};

// Proportional only when the line goes through 0: an intercept of 10% or 30% of the maximum
// gives a straight line that is not proportional, and no linear range.
TEST(Linearity, ProportionalOnlyWithoutAnIntercept) {
    const NoisySeries series;
    constexpr double kMax = 64000.0;
    for (const double intercept : {0.0, 0.1, 0.3}) {
        int found = 0;
        int whole = 0;
        for (unsigned seed = 1; seed <= 20; ++seed) {
            const LinearityFit fit = series.fit(
                [&](double load) {
                    return intercept * kMax + (1.0 - intercept) * kMax * load / 64.0;
                },
                seed);
            found += fit.loadHigh.has_value() ? 1 : 0;
            whole += fit.loadLow == 1.0 && fit.loadHigh == 64.0 ? 1 : 0;
            if (intercept == 0.0) {
                EXPECT_TRUE(fit.loadHigh.has_value()) << "seed " << seed << ": " << fit.note;
            } else {
                EXPECT_FALSE(fit.loadHigh.has_value())
                    << "intercept " << intercept << ", seed " << seed << ": loads "
                    << fit.loadLow.value_or(0) << "-" << fit.loadHigh.value_or(0);
            }
        }
        std::printf("intercept %.0f%% of the maximum: a linear range in %d of 20 series, all "
                    "seven loads in %d\n",
                    100.0 * intercept, found, whole);
        if (intercept == 0.0) {
            // The intercept is tested at 5%: about one series in twenty loses an end load.
            EXPECT_GE(whole, 17);
        }
    }
}

// A saturating (hyperbolic) response, volume = max * load / (K + load), falls 10% below
// proportional at load K / 9: with K = 36 at 4 ug. The range ends within one load step of it.
TEST(Linearity, ASaturatingSeriesEndsWithinOneLoadStepOfItsBend) {
    const NoisySeries series;
    constexpr double kHalfSaturation = 36.0;
    std::map<double, int> ends;
    for (unsigned seed = 1; seed <= 20; ++seed) {
        const LinearityFit fit = series.fit(
            [&](double load) { return 100000.0 * load / (kHalfSaturation + load); }, seed);
        ASSERT_TRUE(fit.loadHigh.has_value()) << "seed " << seed << ": " << fit.note;
        EXPECT_EQ(*fit.loadLow, 1.0) << "seed " << seed;
        EXPECT_GE(*fit.loadHigh, 2.0) << "seed " << seed;
        EXPECT_LE(*fit.loadHigh, 8.0) << "seed " << seed;
        ++ends[*fit.loadHigh];
    }
    std::printf("saturating series (bend at 4 ug): linear range ends at");
    for (const auto& [load, count] : ends) {
        std::printf(" %g ug in %d", load, count);
    }
    std::printf(" of 20 series\n");
}

} // namespace
} // namespace densito
