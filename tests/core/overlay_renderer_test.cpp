#include "core/io/overlay_renderer.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

namespace densito {
namespace {

TEST(OverlayRenderer, DrawsSaturationPaddingBoxesAndALegend) {
    cv::Mat raw(100, 200, CV_16UC1, cv::Scalar(1000));
    raw(cv::Rect(50, 40, 20, 10)).setTo(30000);
    raw.at<std::uint16_t>(45, 60) = 65535; // one saturated pixel
    cv::Mat valid(raw.size(), CV_8UC1, cv::Scalar(255));
    valid(cv::Rect(0, 0, 10, 100)).setTo(0); // transparent padding on the left
    cv::Mat signal;
    raw.convertTo(signal, CV_32F);
    SignalModel model;
    model.saturationRaw = 65535;
    BlotAnalysis analysis;
    analysis.strips = {{1, cv::Rect(0, 0, 200, 100)}};
    Lane lane;
    lane.leftPx = 45;
    lane.rightPx = 75;
    lane.xCenterPx = 60;
    lane.yMiddlePx = 50;
    analysis.lanes = {lane};
    Band band;
    band.box = cv::Rect(45, 35, 31, 20);
    band.flags = kBandWeak;
    analysis.bands = {band};

    const cv::Mat overlay =
        renderOverlay(signal, raw, valid, model, analysis, {"blot.tif", "none"});
    ASSERT_EQ(overlay.type(), CV_8UC3);
    EXPECT_EQ(overlay.cols, 200);
    EXPECT_GT(overlay.rows, 100); // legend strip below the picture
    EXPECT_EQ(overlay.at<cv::Vec3b>(45, 60), cv::Vec3b(0, 0, 230));    // saturated: red
    EXPECT_EQ(overlay.at<cv::Vec3b>(50, 5), cv::Vec3b(255, 255, 255)); // padding: white
    EXPECT_EQ(overlay.at<cv::Vec3b>(35, 60), cv::Vec3b(0, 140, 255));  // weak box: orange
    EXPECT_LT(overlay.at<cv::Vec3b>(45, 55)[0], 64);                   // band: dark on white
}

TEST(OverlayRenderer, WideImagesAreScaledTo2000Pixels) {
    const cv::Mat signal(300, 3000, CV_32FC1, cv::Scalar(5.0f));
    const cv::Mat raw(300, 3000, CV_16UC1, cv::Scalar(5));
    const cv::Mat overlay =
        renderOverlay(signal, raw, {}, SignalModel{}, BlotAnalysis{}, {"wide.tif", ""});
    EXPECT_EQ(overlay.cols, 2000);
}

} // namespace
} // namespace densito
