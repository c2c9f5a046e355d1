// Strip, lane and band detection on generated blots with known geometry.
#include "core/detect/band_detector.h"
#include "core/detect/detection_map.h"
#include "core/detect/lane_detector.h"
#include "core/detect/strip_detector.h"

#include "support/synthetic_blot.h"

#include <cmath>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace densito {
namespace {

cv::Mat toSignal(const cv::Mat& raw) {
    cv::Mat signal;
    raw.convertTo(signal, CV_32F);
    return signal;
}

/// The signal of a synthetic membrane `width` x `height` px with `lanes` lanes and `rows` band
/// rows on a background level of `background`.
cv::Mat membrane(int width, int height, int lanes, int rows, double background,
                 std::uint64_t seed = 7) {
    test::SyntheticBlotSpec spec;
    spec.width = width;
    spec.height = height;
    spec.lanes = lanes;
    spec.bandRows = rows;
    spec.background = background;
    spec.seed = seed;
    return toSignal(test::makeSyntheticBlot(spec));
}

/// Lane centres of test::makeSyntheticBlot: equal pitch, centre at (lane + 0.5) pitch.
double trueCentre(const test::SyntheticBlotSpec& spec, int lane) {
    return static_cast<double>(spec.width) / spec.lanes * (lane + 0.5);
}

TEST(LaneDetector, FindsEveryLaneCentreWithinOnePixel) {
    test::SyntheticBlotSpec spec;
    spec.width = 480;
    spec.height = 320;
    spec.lanes = 8;
    const cv::Mat signal = toSignal(test::makeSyntheticBlot(spec));
    const DetectionMap map = makeDetectionMap(signal, {});
    std::vector<std::string> warnings;
    const std::vector<Strip> strips = detectStrips(map);
    ASSERT_EQ(strips.size(), 1u);
    const std::vector<Lane> lanes = detectLanes(map, strips[0], {}, warnings).lanes;
    ASSERT_EQ(lanes.size(), 8u);
    for (int i = 0; i < 8; ++i) {
        EXPECT_NEAR(lanes[static_cast<std::size_t>(i)].xCenterPx, trueCentre(spec, i), 1.0) << i;
        EXPECT_EQ(lanes[static_cast<std::size_t>(i)].index, i + 1);
        EXPECT_NEAR(lanes[static_cast<std::size_t>(i)].slope, 0.0, 0.01);
        EXPECT_TRUE(lanes[static_cast<std::size_t>(i)].bend.empty());
    }
    EXPECT_TRUE(warnings.empty());
}

TEST(LaneDetector, LaneEdgesFollowTheProfileNotEqualSplits) {
    test::SyntheticBlotSpec spec;
    spec.width = 480;
    spec.height = 200;
    spec.lanes = 6;
    const cv::Mat signal = toSignal(test::makeSyntheticBlot(spec));
    const DetectionMap map = makeDetectionMap(signal, {});
    std::vector<std::string> warnings;
    const auto lanes = detectLanes(map, detectStrips(map)[0], {}, warnings).lanes;
    ASSERT_EQ(lanes.size(), 6u);
    const double pitch = 480.0 / 6;
    for (const Lane& lane : lanes) {
        // The generated lanes fill 44% of the pitch at full height, with soft shoulders:
        // narrower than the pitch, wider than the flat top.
        EXPECT_GT(lane.widthPx(), 0.44 * pitch) << lane.index;
        EXPECT_LT(lane.widthPx(), 0.9 * pitch) << lane.index;
    }
}

TEST(LaneDetector, ExpectedCountThatDisagreesKeepsEveryLaneWithSignalAndAsksForReview) {
    test::SyntheticBlotSpec spec;
    spec.width = 480;
    spec.lanes = 8;
    const cv::Mat signal = toSignal(test::makeSyntheticBlot(spec));
    const DetectionMap map = makeDetectionMap(signal, {});
    std::vector<std::string> warnings;
    const auto strips = detectStrips(map);
    // A layout that lists 7 lanes on a membrane with 8 lanes of bands (an unlisted ladder, a
    // lane left out): no lane with signal is dropped.
    const StripLanes fewer = detectLanes(map, strips[0], {7}, warnings);
    EXPECT_EQ(fewer.lanes.size(), 8u);
    const std::string disagreement =
        "strip 1: 7 lanes requested but the image shows 8 lanes with signal; all 8 kept (ladder "
        "lanes count as lanes)";
    EXPECT_EQ(warnings, std::vector<std::string>{disagreement});
    EXPECT_EQ(fewer.reviewReasons, std::vector<std::string>{disagreement});
    warnings.clear();
    // More lanes than fit on the strip at the lane spacing: the 8 lanes stay, and a person is
    // asked to look.
    const StripLanes more = detectLanes(map, strips[0], {9}, warnings);
    EXPECT_EQ(more.lanes.size(), 8u);
    const std::string tooMany = "strip 1: 9 lanes requested but only 8 fit on the strip at the "
                                "lane spacing the image shows; 8 kept";
    EXPECT_EQ(warnings, std::vector<std::string>{tooMany});
    EXPECT_EQ(more.reviewReasons, std::vector<std::string>{tooMany});
}

// Lanes loaded in pairs (wells 24 px wide, 4 px apart within a pair and 28 px between
// pairs): the band rows repeat most clearly at the pairs' spacing, and one lane per pair is
// never given without asking for a look.
TEST(LaneDetector, LanesThatEachShowTwoColumnsOfBandsAskForReview) {
    cv::Mat signal(220, 600, CV_32FC1, cv::Scalar(800.0f));
    for (int pair = 0; pair < 7; ++pair) {
        for (int member = 0; member < 2; ++member) {
            const int left = 20 + pair * 80 + member * 28;
            for (int row = 0; row < 2; ++row) {
                // Strengths differ by lane and row, as loads and proteins do.
                const float height =
                    3000.0f + 1500.0f * static_cast<float>((pair * 3 + member * 5 + row * 2) % 4);
                signal(cv::Rect(left, 60 + row * 80, 24, 12)) += height;
            }
        }
    }
    cv::GaussianBlur(signal, signal, cv::Size(0, 0), 1.5);
    cv::Mat noise(signal.size(), CV_32FC1);
    cv::randn(noise, 0.0, 30.0);
    signal += noise;
    const DetectionMap map = makeDetectionMap(signal, {});
    std::vector<std::string> warnings;
    const auto strips = detectStrips(map);
    ASSERT_EQ(strips.size(), 1u);
    const StripLanes found = detectLanes(map, strips[0], {}, warnings);
    // The comb takes the pairs (7 lanes); each shows two columns of bands, so it is marked.
    ASSERT_EQ(found.lanes.size(), 7u);
    EXPECT_EQ(found.reviewReasons,
              std::vector<std::string>{"strip 1: 7 of its 7 lanes each show two separate "
                                       "columns of bands: they may hold two lanes each; check "
                                       "the lane count"});
    EXPECT_LE(found.confidence, 0.5);
}

// Eight sample lanes on two band rows and, left of them, a marker lane whose three bands lie
// between those rows (too few for a ladder by the image alone). A layout of 9 lanes is
// supported by the image: 9 lanes, said in a warning, not marked for review.
TEST(LaneDetector, AMarkerLaneOffTheBandRowsSupportsTheLayoutsCount) {
    test::SyntheticBlotSpec spec;
    spec.width = 480;
    spec.lanes = 8;
    cv::Mat signal(spec.height, 600, CV_32FC1, cv::Scalar(800.0f));
    toSignal(test::makeSyntheticBlot(spec)).copyTo(signal(cv::Rect(60, 0, 480, spec.height)));
    for (int y = 0; y < signal.rows; ++y) {
        for (int x = 12; x < 48; ++x) {
            double marker = 0.0;
            for (const double row : {20.0, 80.0, 140.0}) {
                marker += 15000.0 * std::exp(-0.5 * std::pow((y - row) / 3.0, 2.0));
            }
            signal.at<float>(y, x) += static_cast<float>(marker);
        }
    }
    const DetectionMap map = makeDetectionMap(signal, {});
    Strip strip;
    strip.index = 1;
    strip.region = cv::Rect(0, 0, signal.cols, signal.rows);
    std::vector<std::string> warnings;
    ASSERT_EQ(detectLanes(map, strip, {}, warnings).lanes.size(), 8u);
    warnings.clear();
    const StripLanes nine = detectLanes(map, strip, {9}, warnings);
    ASSERT_EQ(nine.lanes.size(), 9u);
    EXPECT_NEAR(nine.lanes[0].xCenterPx, 30.0, 4.0);
    EXPECT_TRUE(nine.reviewReasons.empty()) << nine.reviewReasons.front();
    EXPECT_EQ(warnings, std::vector<std::string>{
                            "strip 1: 9 lanes requested; 8 show bands on the strip's band rows "
                            "and lane 1 holds bands off them (a marker ladder?)"});
}

TEST(LaneDetector, ExpectedCountPlacesEmptyWellsOnTheLaneGrid) {
    // A gel of 10 lanes whose last two wells are empty: a layout of 10 lanes gets the two empty
    // wells on the comb, next to the lanes with signal.
    test::SyntheticBlotSpec spec;
    spec.width = 600;
    spec.lanes = 10;
    cv::Mat blot = test::makeSyntheticBlot(spec);
    test::SyntheticBlotSpec empty = spec;
    empty.peak = 0.0;
    const cv::Rect emptyWells(8 * spec.width / spec.lanes, 0, 2 * spec.width / spec.lanes,
                              spec.height);
    test::makeSyntheticBlot(empty)(emptyWells).copyTo(blot(emptyWells));
    const cv::Mat signal = toSignal(blot);
    const DetectionMap map = makeDetectionMap(signal, {});
    std::vector<std::string> warnings;
    const auto strips = detectStrips(map);
    const StripLanes free = detectLanes(map, strips[0], {}, warnings);
    ASSERT_EQ(free.lanes.size(), 8u);
    const StripLanes ten = detectLanes(map, strips[0], {10}, warnings);
    ASSERT_EQ(ten.lanes.size(), 10u);
    EXPECT_FALSE(ten.reviewReasons.empty());
    const double pitch = free.lanes[1].xCenterPx - free.lanes[0].xCenterPx;
    for (std::size_t i = 1; i < ten.lanes.size(); ++i) {
        EXPECT_NEAR(ten.lanes[i].xCenterPx - ten.lanes[i - 1].xCenterPx, pitch, 0.1 * pitch)
            << "lanes " << i << " and " << i + 1;
    }
    // Every lane with signal is one of the ten.
    for (const Lane& lane : free.lanes) {
        const bool kept = std::any_of(ten.lanes.begin(), ten.lanes.end(), [&](const Lane& other) {
            return std::abs(other.xCenterPx - lane.xCenterPx) < 0.2 * pitch;
        });
        EXPECT_TRUE(kept) << lane.xCenterPx;
    }
}

TEST(LaneDetector, FollowsATiltedGel) {
    test::SyntheticBlotSpec spec;
    spec.width = 400;
    spec.height = 400;
    spec.lanes = 5;
    spec.bandRows = 4;
    const cv::Mat upright = toSignal(test::makeSyntheticBlot(spec));
    // Shear the image: x' = x + 0.02 (y - 200), about 1.1 degrees of tilt.
    const cv::Mat shear = (cv::Mat_<double>(2, 3) << 1, 0.02, -0.02 * 200, 0, 1, 0);
    cv::Mat tilted;
    cv::warpAffine(upright, tilted, shear, upright.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    const DetectionMap map = makeDetectionMap(tilted, {});
    std::vector<std::string> warnings;
    const auto lanes = detectLanes(map, detectStrips(map)[0], {}, warnings).lanes;
    ASSERT_EQ(lanes.size(), 5u);
    for (const Lane& lane : lanes) {
        EXPECT_NEAR(lane.slope, 0.02, 0.006) << lane.index;
    }
}

// Six lanes (pitch 70 px, flat tops 44 px wide) whose centre lines bow 12 px to the right at
// mid-height, as lanes do on an unevenly run gel; seven band rows, background 800, noise 40.
TEST(LaneDetector, FollowsALaneThatBends) {
    const int size = 480;
    auto bendAt = [&](double y) {
        const double t = (y - size / 2.0) / (size / 2.0);
        return 12.0 * (1.0 - t * t);
    };
    cv::Mat signal(size, size, CV_32FC1);
    cv::RNG rng(5);
    rng.fill(signal, cv::RNG::NORMAL, 800.0, 40.0);
    for (int y = 0; y < size; ++y) {
        double band = 0;
        for (int row = 0; row < 7; ++row) {
            const double d = (y - (40.0 + 65.0 * row)) / 4.0;
            band += 6000.0 * std::exp(-0.5 * d * d);
        }
        for (int lane = 0; lane < 6; ++lane) {
            const double centre = 65.0 + 70.0 * lane + bendAt(y);
            for (int x = 0; x < size; ++x) {
                const double across = std::pow(std::abs(x - centre) / 22.0, 8.0);
                signal.at<float>(y, x) += static_cast<float>(band * std::exp(-across));
            }
        }
    }
    const DetectionMap map = makeDetectionMap(signal, {});
    std::vector<std::string> warnings;
    const auto lanes = detectLanes(map, detectStrips(map)[0], {}, warnings).lanes;
    ASSERT_EQ(lanes.size(), 6u);
    for (const Lane& lane : lanes) {
        EXPECT_FALSE(lane.bend.empty()) << lane.index;
        for (int row = 0; row < 7; ++row) {
            const double y = 40.0 + 65.0 * row;
            EXPECT_NEAR(lane.centreAt(y), 65.0 + 70.0 * (lane.index - 1) + bendAt(y), 2.0)
                << "lane " << lane.index << " y " << y;
        }
    }
}

TEST(StripDetector, FindsTwoMembranesAboveTheTray) {
    // Two membranes (background 3000) on a dark tray (200), each with its own lanes.
    cv::Mat signal(400, 500, CV_32FC1, cv::Scalar(200.0f));
    test::SyntheticBlotSpec spec;
    spec.width = 400;
    spec.height = 120;
    spec.lanes = 6;
    spec.bandRows = 3;
    spec.background = 3000;
    toSignal(test::makeSyntheticBlot(spec)).copyTo(signal(cv::Rect(40, 30, 400, 120)));
    spec.lanes = 7;
    spec.seed = 9;
    toSignal(test::makeSyntheticBlot(spec)).copyTo(signal(cv::Rect(70, 240, 400, 120)));
    const DetectionMap map = makeDetectionMap(signal, {});
    std::vector<std::string> warnings;
    const auto strips = detectStrips(map);
    ASSERT_EQ(strips.size(), 2u);
    EXPECT_EQ(strips[0].index, 1);
    EXPECT_LE((strips[0].region & cv::Rect(40, 30, 400, 120)).area(), strips[0].region.area());
    EXPECT_GT((strips[0].region & cv::Rect(40, 30, 400, 120)).area(), 0.9 * 400 * 120);
    EXPECT_GT((strips[1].region & cv::Rect(70, 240, 400, 120)).area(), 0.9 * 400 * 120);
    EXPECT_EQ(detectLanes(map, strips[0], {}, warnings).lanes.size(), 6u);
    EXPECT_EQ(detectLanes(map, strips[1], {}, warnings).lanes.size(), 7u);
}

TEST(StripDetector, SplitsMembranesLaidEdgeToEdgeAtTheirSeam) {
    // Two membranes (background 3000) on a dark tray (200), the second directly below the
    // first with a 2-px seam (1000) between them, lanes offset by a third of a pitch.
    cv::Mat signal(420, 500, CV_32FC1, cv::Scalar(200.0f));
    test::SyntheticBlotSpec spec;
    spec.width = 420;
    spec.height = 150;
    spec.lanes = 6;
    spec.bandRows = 2;
    spec.background = 3000;
    toSignal(test::makeSyntheticBlot(spec)).copyTo(signal(cv::Rect(40, 60, 420, 150)));
    spec.seed = 9;
    toSignal(test::makeSyntheticBlot(spec)).copyTo(signal(cv::Rect(63, 212, 420, 150)));
    signal(cv::Rect(40, 210, 443, 2)).setTo(1000.0f);
    const DetectionMap map = makeDetectionMap(signal, {});
    std::vector<std::string> warnings;
    const auto strips = detectStrips(map);
    ASSERT_EQ(strips.size(), 2u);
    EXPECT_NEAR(strips[0].region.y + strips[0].region.height, 211, 3);
    EXPECT_NEAR(strips[1].region.y, 211, 3);
    const auto top = detectLanes(map, strips[0], {}, warnings).lanes;
    const auto bottom = detectLanes(map, strips[1], {}, warnings).lanes;
    ASSERT_EQ(top.size(), 6u);
    ASSERT_EQ(bottom.size(), 6u);
    EXPECT_NEAR(top[0].xCenterPx, 40 + 35, 1.5);
    EXPECT_NEAR(bottom[0].xCenterPx, 63 + 35, 1.5);
}

// Two membranes laid edge to edge along a seam tilted by 2 degrees (falling 15 px across
// 443 px, a 2-px line at 1000 between membranes at 3000 on a 200 tray). Their lanes line up,
// so only the seam tells them apart; a level search sees the line in a seventh of each row.
TEST(StripDetector, SplitsMembranesLaidEdgeToEdgeAtATiltedSeam) {
    cv::Mat signal(440, 520, CV_32FC1, cv::Scalar(200.0f));
    const cv::Mat top = membrane(443, 170, 6, 2, 3000);
    const cv::Mat bottom = membrane(443, 170, 6, 2, 3000, 9);
    const int left = 40;
    const int topY = 50;
    const int bottomY = 200;
    const auto seamAt = [&](int x) {
        return 220.0 - 15.0 * (x - left) / (top.cols - 1);
    };
    for (int x = left; x < left + top.cols; ++x) {
        for (int y = topY; y < bottomY + bottom.rows; ++y) {
            const double seam = seamAt(x);
            float& pixel = signal.at<float>(y, x);
            if (y < seam - 1.0) {
                pixel = y - topY < top.rows ? top.at<float>(y - topY, x - left) : 3000.0f;
            } else if (y > seam + 1.0) {
                pixel = y >= bottomY ? bottom.at<float>(y - bottomY, x - left) : 3000.0f;
            } else {
                pixel = 1000.0f;
            }
        }
    }
    const DetectionMap map = makeDetectionMap(signal, {});
    const auto strips = detectStrips(map);
    ASSERT_EQ(strips.size(), 2u);
    // Strips are upright boxes: the cut lies at the seam's middle row, 212.5.
    EXPECT_NEAR(strips[0].region.y + strips[0].region.height, 212.5, 4);
    EXPECT_NEAR(strips[1].region.y, 212.5, 4);
    std::vector<std::string> warnings;
    EXPECT_EQ(detectLanes(map, strips[0], {}, warnings).lanes.size(), 6u);
    EXPECT_EQ(detectLanes(map, strips[1], {}, warnings).lanes.size(), 6u);
}

// A strip of 4 lanes cut from a second gel (2.5% of the image) beside a whole membrane on
// the dark tray is a membrane piece of its own.
TEST(StripDetector, FindsASmallStripBesideAWholeMembrane) {
    cv::Mat signal(500, 640, CV_32FC1, cv::Scalar(200.0f));
    membrane(400, 300, 8, 3, 3000).copyTo(signal(cv::Rect(40, 150, 400, 300)));
    membrane(160, 50, 4, 1, 3000, 11).copyTo(signal(cv::Rect(460, 40, 160, 50)));
    const DetectionMap map = makeDetectionMap(signal, {});
    const auto strips = detectStrips(map);
    ASSERT_EQ(strips.size(), 2u);
    EXPECT_GT((strips[0].region & cv::Rect(460, 40, 160, 50)).area(), 0.9 * 160 * 50);
    EXPECT_GT((strips[1].region & cv::Rect(40, 150, 400, 300)).area(), 0.9 * 400 * 300);
    std::vector<std::string> warnings;
    EXPECT_EQ(detectLanes(map, strips[0], {}, warnings).lanes.size(), 4u);
    EXPECT_EQ(detectLanes(map, strips[1], {}, warnings).lanes.size(), 8u);
}

// A membrane glowing above the tray (3000 on 200) and, below it, a piece that does not glow
// (its background is the tray's) with one row of 8 bands: the strips hold only the first, and
// the band row left outside lines up in lanes, so the image is marked for review. Dust specks
// in the same place do not line up in lanes and mark nothing.
TEST(StripDetector, BandRowsOutsideTheStripsThatLineUpInLanesAskForReview) {
    cv::Mat signal(560, 500, CV_32FC1, cv::Scalar(200.0f));
    membrane(420, 300, 8, 5, 3000).copyTo(signal(cv::Rect(40, 30, 420, 300)));
    cv::Mat withDust = signal.clone();
    membrane(420, 60, 8, 1, 200, 11).copyTo(signal(cv::Rect(40, 420, 420, 60)));
    std::vector<std::string> reasons;
    const auto strips = detectStrips(makeDetectionMap(signal, {}), &reasons);
    ASSERT_EQ(strips.size(), 1u);
    EXPECT_EQ(reasons, std::vector<std::string>{
                           "band rows below strip 1, outside every strip, line up in 8 lanes: a "
                           "membrane or part of one was missed; check the strips"});

    for (const cv::Point speck : {cv::Point(90, 440), cv::Point(230, 455), cv::Point(380, 430)}) {
        cv::circle(withDust, speck, 3, cv::Scalar(1500.0), cv::FILLED);
    }
    reasons.clear();
    ASSERT_EQ(detectStrips(makeDetectionMap(withDust, {}), &reasons).size(), 1u);
    EXPECT_TRUE(reasons.empty());
}

// Two membranes cut from one gel and laid back edge to edge without a visible seam, neither
// glowing above the other: one strip by the image alone. A layout that names two strips in
// the image has them cut between the band rows, and the image is marked for review.
TEST(StripDetector, ALayoutNamingMoreStripsCutsBetweenBandRows) {
    const DetectionMap map = makeDetectionMap(membrane(420, 300, 6, 2, 800), {});
    ASSERT_EQ(detectStrips(map).size(), 1u);
    std::vector<std::string> reasons;
    const auto strips = detectStrips(map, &reasons, 2);
    ASSERT_EQ(strips.size(), 2u);
    // The cut lies between the two band rows, each strip holding one.
    const int cut = strips[0].region.y + strips[0].region.height;
    EXPECT_EQ(strips[1].region.y, cut);
    EXPECT_GT(cut, 100);
    EXPECT_LT(cut, 200);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_EQ(reasons[0], fmt::format("the layout names 2 strips but the image shows 1: cut "
                                      "between band rows at y = {} px; check the strips",
                                      cut));
    std::vector<std::string> warnings;
    EXPECT_EQ(detectLanes(map, strips[0], {}, warnings).lanes.size(), 6u);
    EXPECT_EQ(detectLanes(map, strips[1], {}, warnings).lanes.size(), 6u);
    // A layout naming as many strips as the image shows, or fewer, changes nothing.
    reasons.clear();
    EXPECT_EQ(detectStrips(map, &reasons, 1).size(), 1u);
    EXPECT_TRUE(reasons.empty());
}

// Membranes whose own background varies a lot (1500 to 12000 across each) are still found
// whole on the dark tray (200): their dim sides belong to them, not to the tray.
TEST(StripDetector, FindsUnevenlyGlowingMembranesOnADarkTray) {
    cv::Mat signal(440, 500, CV_32FC1, cv::Scalar(200.0f));
    test::SyntheticBlotSpec spec;
    spec.width = 420;
    spec.height = 150;
    spec.lanes = 6;
    spec.bandRows = 2;
    spec.background = 0;
    for (const int top : {40, 250}) {
        const cv::Rect membrane(40, top, 420, 150);
        cv::Mat piece = toSignal(test::makeSyntheticBlot(spec));
        for (int x = 0; x < piece.cols; ++x) {
            piece.col(x) += 1500.0 + 10500.0 * x / (piece.cols - 1);
        }
        piece.copyTo(signal(membrane));
        spec.seed += 1;
    }
    const DetectionMap map = makeDetectionMap(signal, {});
    const auto strips = detectStrips(map);
    ASSERT_EQ(strips.size(), 2u);
    EXPECT_GT((strips[0].region & cv::Rect(40, 40, 420, 150)).area(), 0.9 * 420 * 150);
    EXPECT_GT((strips[1].region & cv::Rect(40, 250, 420, 150)).area(), 0.9 * 420 * 150);
}

// One membrane filling the image, lit from one side (background 50 to 400 left to right, as
// on the ChemiDoc sample): its darker side is membrane, not tray, so it stays one strip.
TEST(StripDetector, AMembraneLitFromOneSideIsOneStrip) {
    test::SyntheticBlotSpec spec;
    spec.width = 600;
    spec.height = 300;
    spec.lanes = 10;
    spec.bandRows = 2;
    spec.background = 0;
    cv::Mat signal = toSignal(test::makeSyntheticBlot(spec));
    for (int x = 0; x < signal.cols; ++x) {
        signal.col(x) += 50.0 + 350.0 * x / (signal.cols - 1);
    }
    const DetectionMap map = makeDetectionMap(signal, {});
    const auto strips = detectStrips(map);
    ASSERT_EQ(strips.size(), 1u);
    EXPECT_EQ(strips[0].region, cv::Rect(0, 0, spec.width, spec.height));
}

// Uneven substrate: the background triples across the membrane along a S-shaped ramp some 60 px
// wide. Otsu's level splits such a ramp as cleanly as it splits a tray from a membrane (between-
// class variance above 0.75 of the total), but nothing steps down where it cuts: one strip,
// not its brighter half.
TEST(StripDetector, ABackgroundRampIsNotATrayEdge) {
    test::SyntheticBlotSpec spec;
    spec.width = 512;
    spec.height = 320;
    spec.lanes = 9;
    spec.bandRows = 1;
    spec.background = 0;
    cv::Mat signal = toSignal(test::makeSyntheticBlot(spec));
    for (int x = 0; x < signal.cols; ++x) {
        const double dx = static_cast<double>(x) / (signal.cols - 1) - 0.5;
        signal.col(x) += 4000.0 + 2000.0 * std::tanh(8.0 * dx);
    }
    const DetectionMap map = makeDetectionMap(signal, {});
    const auto strips = detectStrips(map);
    ASSERT_EQ(strips.size(), 1u);
    EXPECT_EQ(strips[0].region, cv::Rect(0, 0, spec.width, spec.height));
}

TEST(StripDetector, AUniformMembraneIsOneStrip) {
    test::SyntheticBlotSpec spec;
    const cv::Mat signal = toSignal(test::makeSyntheticBlot(spec));
    const DetectionMap map = makeDetectionMap(signal, {});
    std::vector<std::string> warnings;
    const auto strips = detectStrips(map);
    ASSERT_EQ(strips.size(), 1u);
    EXPECT_EQ(strips[0].region, cv::Rect(0, 0, spec.width, spec.height));
}

TEST(BandDetector, FindsEveryBandRowInEveryLane) {
    test::SyntheticBlotSpec spec;
    spec.width = 480;
    spec.height = 300;
    spec.lanes = 6;
    spec.bandRows = 3;
    const cv::Mat signal = toSignal(test::makeSyntheticBlot(spec));
    const DetectionMap map = makeDetectionMap(signal, {});
    std::vector<std::string> warnings;
    const auto strips = detectStrips(map);
    const auto lanes = detectLanes(map, strips[0], {}, warnings).lanes;
    const auto bands = detectBands(signal, strips[0], lanes);
    ASSERT_EQ(bands.size(), 18u);
    for (const BandCandidate& band : bands) {
        const double trueY = spec.height * band.row / 4.0;
        EXPECT_NEAR(band.peakYPx, trueY, 1.0) << band.lane << "/" << band.row;
        EXPECT_FALSE(band.isInferred);
        EXPECT_LT(band.topPx, trueY);
        EXPECT_GT(band.bottomPx, trueY);
    }
}

/// A 480 x 200 blot with one band row through six lanes, whose lane 4 (index 3) is replaced,
/// where bands are looked for, by the background (800) with noise of sigma 40 plus a band of
/// `faintPeak` counts (sigma 4 rows) at the middle row.
struct FaintLaneBlot {
    cv::Mat signal;
    Strip strip;
    std::vector<Lane> lanes;
};

FaintLaneBlot makeFaintLaneBlot(double faintPeak) {
    test::SyntheticBlotSpec spec;
    spec.width = 480;
    spec.height = 200;
    spec.lanes = 6;
    spec.bandRows = 1;
    FaintLaneBlot blot;
    blot.signal = toSignal(test::makeSyntheticBlot(spec));
    const DetectionMap map = makeDetectionMap(blot.signal, {});
    std::vector<std::string> warnings;
    blot.strip = detectStrips(map).at(0);
    blot.lanes = detectLanes(map, blot.strip, {}, warnings).lanes;
    const Lane& lane = blot.lanes.at(3);
    const cv::Rect area(static_cast<int>(lane.leftPx) - 2, 0, static_cast<int>(lane.widthPx()) + 4,
                        spec.height);
    cv::Mat replaced(area.size(), CV_32F);
    cv::RNG rng(11);
    rng.fill(replaced, cv::RNG::NORMAL, 800.0, 40.0);
    for (int y = 0; y < area.height; ++y) {
        const double d = (y - spec.height / 2.0) / 4.0;
        replaced.row(y) += faintPeak * std::exp(-0.5 * d * d);
    }
    replaced.copyTo(blot.signal(area));
    return blot;
}

TEST(BandDetector, AnEmptyLaneInAFullRowGetsNoMadeUpBand) {
    const FaintLaneBlot blot = makeFaintLaneBlot(0.0);
    ASSERT_EQ(blot.lanes.size(), 6u);
    const auto bands = detectBands(blot.signal, blot.strip, blot.lanes);
    ASSERT_EQ(bands.size(), 5u);
    for (const BandCandidate& band : bands) {
        EXPECT_NE(band.lane, 4);
        EXPECT_FALSE(band.isInferred);
    }
}

// The lane profile averages ~36 columns, so its noise is about 40 / 6 = 6.7 counts: a 27-count
// band is about 4 sigmas, below the blind search's 5 but above the 3 a band row allows.
TEST(BandDetector, AFaintBandWhereItsRowRunsIsFoundAtTheRowsLowerThreshold) {
    const FaintLaneBlot blot = makeFaintLaneBlot(27.0);
    ASSERT_EQ(blot.lanes.size(), 6u);
    const auto bands = detectBands(blot.signal, blot.strip, blot.lanes);
    ASSERT_EQ(bands.size(), 6u);
    EXPECT_EQ(bands[3].lane, 4);
    EXPECT_TRUE(bands[3].isInferred);
    EXPECT_NEAR(bands[3].peakYPx, 100.0, 3.0);
    EXPECT_FALSE(bands[2].isInferred);
}

} // namespace
} // namespace densito

namespace densito {
namespace {

// 2048 x 1537 reduces by 2 to 1024 x 769, and 769 * 2 = 1538 rows: regions computed from the
// reduced grid once ran one row past the image (a crash in the lane profile).
TEST(DetectionMap, RegionsStayInsideAnImageWhoseReducedHeightRoundsUp) {
    test::SyntheticBlotSpec spec;
    spec.width = 2048;
    spec.height = 1537;
    spec.lanes = 10;
    spec.bandRows = 3;
    cv::Mat signal;
    test::makeSyntheticBlot(spec).convertTo(signal, CV_32F);
    const DetectionMap map = makeDetectionMap(signal, {});
    EXPECT_EQ(map.originalSize, signal.size());
    std::vector<std::string> warnings;
    const auto strips = detectStrips(map);
    ASSERT_EQ(strips.size(), 1u);
    EXPECT_EQ(strips[0].region, cv::Rect(0, 0, 2048, 1537));
    const auto lanes = detectLanes(map, strips[0], {}, warnings).lanes;
    EXPECT_EQ(lanes.size(), 10u);
    EXPECT_EQ(detectBands(signal, strips[0], lanes).size(), 30u);
}

} // namespace
} // namespace densito
