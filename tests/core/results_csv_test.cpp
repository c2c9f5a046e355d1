#include "core/io/results_csv.h"

#include <gtest/gtest.h>
#include <string>

namespace densito {
namespace {

BlotAnalysis twoLaneAnalysis() {
    BlotAnalysis analysis;
    analysis.strips.push_back({1, cv::Rect(0, 0, 100, 50)});
    Lane first;
    first.index = 1;
    first.xCenterPx = 20.5;
    first.leftPx = 10;
    first.rightPx = 31;
    first.kind = LaneKind::Ladder;
    Lane second = first;
    second.index = 2;
    second.xCenterPx = 0.1 + 0.2; // must round-trip exactly, not print as 0.3
    second.kind = LaneKind::Sample;
    second.confidence = 0.25;
    analysis.lanes = {first, second};
    Band band;
    band.lane = 2;
    band.row = 1;
    band.box = cv::Rect(10, 12, 22, 7);
    band.peakYPx = 14.5;
    band.volume = 123456.5;
    band.backgroundVolume = -0.0;
    band.peak = 1e-7;
    band.saturatedPixels = 3;
    band.snr = 42.25;
    band.flags = kBandSaturated | kBandOverlap;
    analysis.bands = {band};
    return analysis;
}

TEST(ResultsCsv, LanesCsvHasTheContractColumns) {
    const BlotAnalysis analysis = twoLaneAnalysis();
    EXPECT_EQ(lanesCsv({{"blot, 1.tif", &analysis}}),
              "image,lane,x_center,left,right,strip,kind,confidence\n"
              "\"blot, 1.tif\",1,20.5,10,31,1,ladder,1\n"
              "\"blot, 1.tif\",2,0.30000000000000004,10,31,1,sample,0.25\n");
}

TEST(ResultsCsv, BandsCsvHasTheContractColumnsInOrder) {
    const BlotAnalysis analysis = twoLaneAnalysis();
    EXPECT_EQ(bandsCsv({{"a.tif", &analysis}}),
              "image,lane,band,x,y,width,height,volume,strip,background,peak,saturated_pixels,"
              "snr,flags,mw_kda,peak_y\n"
              "a.tif,2,1,10,12,22,7,123456.5,1,0,1e-07,3,42.25,saturated;overlap,,14.5\n");
}

// mw_kda: read at the box's centre x and the band's maximum (peak_y), rounded to 0.1 kDa; empty
// for another image or strip.
TEST(ResultsCsv, BandsCsvReadsTheMassFromTheStripsCalibration) {
    BlotAnalysis analysis = twoLaneAnalysis();
    LadderCalibration ladder;
    ladder.lane.xCenterPx = 0.0;
    ladder.markers = {{100.0, 0.0, 4.5}, {10.0, 0.0, 24.5}}; // the band's maximum: y 14.5
    StripCalibration calibration;
    calibration.image = "a.tif";
    calibration.strip = 1;
    calibration.ladders = {ladder};
    const std::vector<StripCalibration> calibrations = {calibration};
    // Half way between the markers on the log scale: sqrt(100 * 10) = 31.62...
    EXPECT_EQ(bandsCsv({{"a.tif", &analysis}}, calibrations),
              "image,lane,band,x,y,width,height,volume,strip,background,peak,saturated_pixels,"
              "snr,flags,mw_kda,peak_y\n"
              "a.tif,2,1,10,12,22,7,123456.5,1,0,1e-07,3,42.25,saturated;overlap,31.6,14.5\n");
    EXPECT_EQ(bandsCsv({{"b.tif", &analysis}}, calibrations).substr(103),
              "b.tif,2,1,10,12,22,7,123456.5,1,0,1e-07,3,42.25,saturated;overlap,,14.5\n");
}

TEST(ResultsCsv, FieldsAreQuotedPerRfc4180) {
    EXPECT_EQ(csvField("plain"), "plain");
    EXPECT_EQ(csvField("a,b"), "\"a,b\"");
    EXPECT_EQ(csvField("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csvField("two\nlines"), "\"two\nlines\"");
}

TEST(ResultsCsv, NumbersRoundTrip) {
    for (const double value : {1.0 / 3.0, 2.5e-300, 123456789.123, -7.0, 0.1}) {
        EXPECT_EQ(std::stod(csvNumber(value)), value) << csvNumber(value);
    }
    EXPECT_EQ(csvNumber(-0.0), "0");
}

TEST(BandFlags, TextListsFlagsInContractOrder) {
    EXPECT_EQ(bandFlagsText(0), "");
    EXPECT_EQ(bandFlagsText(kBandSplit | kBandSaturated | kBandWeak), "saturated;weak;split");
    EXPECT_EQ(bandFlagsText(kBandEdge), "edge");
}

} // namespace
} // namespace densito
