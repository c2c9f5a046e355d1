// Dilution series: the linear range, flags on sample bands outside it, and how both reach the
// quantification. Volumes are hand-made so every answer can be worked out by hand.
#include "core/analysis/linearity.h"
#include "core/measure/blot_analysis.h"

#include <gtest/gtest.h>
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
    return MeasuredBand{"M1", lane, measure == Measure::Loading ? "GAPDH" : "Akt", "", measure,
                        volume, flags, measure == Measure::Loading ? "gapdh.tif" : "akt.tif",
                        1,    1};
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
/// GAPDH 500 in every lane.
std::vector<MeasuredBand> seriesBands(double treatedVolume) {
    std::vector<MeasuredBand> bands = {band(1, Measure::Total, 100), band(2, Measure::Total, 200),
                                       band(3, Measure::Total, 400), band(4, Measure::Total, 800),
                                       band(5, Measure::Total, 1000),
                                       band(6, Measure::Total, 300), band(7, Measure::Total, 300),
                                       band(8, Measure::Total, 300),
                                       band(9, Measure::Total, treatedVolume)};
    for (int lane = 1; lane <= 9; ++lane) {
        bands.push_back(band(lane, Measure::Loading, 500));
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
    // GAPDH is flat (500 at every load): a line of slope 0, R^2 1 (no variance to explain).
    EXPECT_NEAR(*fits[1].slope, 0.0, 1e-12);
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
    EXPECT_EQ(fits[0].note, "2 usable series bands: a line needs 3");
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
              "linear_load_low,linear_load_high,linear_volume_low,linear_volume_high,note");
    EXPECT_NE(csv.find("\nM1,akt.tif,Akt,total,,5,100,0,1,1,8,100,800,loads from 16 leave the "
                       "line\n"),
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

} // namespace
} // namespace densito
