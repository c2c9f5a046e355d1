#include "core/measure/background_method.h"
#include "core/measure/border_median.h"
#include "core/measure/lane_baseline.h"
#include "core/measure/rolling_ball.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <limits>
#include <numbers>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <vector>

namespace densito {
namespace {

// ---------------------------------------------------------------------------------------------
// Method text

TEST(BackgroundMethodText, ParsesEveryAcceptedForm) {
    using K = BackgroundKind;
    const auto expectParsed = [](std::string_view text, BackgroundMethod expected) {
        const auto parsed = parseBackgroundMethod(text);
        ASSERT_TRUE(parsed.has_value()) << text << ": " << parsed.error();
        EXPECT_EQ(*parsed, expected) << text;
    };
    expectParsed("rolling-ball", {K::RollingBall, std::nullopt});
    expectParsed("rolling-ball:50", {K::RollingBall, 50.0});
    expectParsed("rolling-ball:12.5", {K::RollingBall, 12.5});
    expectParsed("rolling-ball:1e2", {K::RollingBall, 100.0});
    expectParsed("lane-baseline", {K::LaneBaseline, std::nullopt});
    expectParsed("border-median", {K::BorderMedian, std::nullopt});
    expectParsed("border-median:3", {K::BorderMedian, 3.0});
    expectParsed("none", {K::None, std::nullopt});
}

TEST(BackgroundMethodText, ToStringRoundTripsThroughParse) {
    using K = BackgroundKind;
    EXPECT_EQ(toString({K::RollingBall, std::nullopt}), "rolling-ball");
    EXPECT_EQ(toString({K::RollingBall, 50.0}), "rolling-ball:50");
    EXPECT_EQ(toString({K::BorderMedian, 2.5}), "border-median:2.5");
    EXPECT_EQ(toString({K::LaneBaseline, std::nullopt}), "lane-baseline");
    EXPECT_EQ(toString({K::None, std::nullopt}), "none");
    const std::vector<BackgroundMethod> methods{
        {K::RollingBall, std::nullopt}, {K::RollingBall, 50.0},          {K::RollingBall, 0.1},
        {K::RollingBall, 1.0 / 3.0},    {K::RollingBall, 123456.789},    {K::RollingBall, 1e21},
        {K::RollingBall, 4.9e-324},     {K::BorderMedian, std::nullopt}, {K::BorderMedian, 3.0},
        {K::BorderMedian, 2.75},        {K::LaneBaseline, std::nullopt}, {K::None, std::nullopt},
    };
    for (const BackgroundMethod& method : methods) {
        const std::string text = toString(method);
        const auto parsed = parseBackgroundMethod(text);
        ASSERT_TRUE(parsed.has_value()) << text << ": " << parsed.error();
        EXPECT_EQ(*parsed, method) << text;
    }
}

TEST(BackgroundMethodText, RejectsEverythingElseNamingTheAcceptedForms) {
    const std::vector<std::string> bad{
        "",
        "rolling",
        "rollingball",
        "Rolling-Ball",
        "NONE",
        " rolling-ball",
        "rolling-ball ",
        "rolling-ball:",
        "rolling-ball: 5",
        "rolling-ball:0",
        "rolling-ball:-5",
        "rolling-ball:+5",
        "rolling-ball:abc",
        "rolling-ball:5px",
        "rolling-ball:5:6",
        "rolling-ball:inf",
        "rolling-ball:nan",
        "rolling-ball:1e999",
        "border-median:",
        "border-median:0",
        "border-median:-1",
        "lane-baseline:5",
        "lane-baseline:",
        "none:1",
        "median",
    };
    for (const std::string& text : bad) {
        const auto parsed = parseBackgroundMethod(text);
        ASSERT_FALSE(parsed.has_value()) << "accepted '" << text << "'";
        const std::string& error = parsed.error();
        EXPECT_NE(error.find("'" + text + "'"), std::string::npos) << error;
        for (const char* form : {"rolling-ball,", "rolling-ball:RADIUS", "lane-baseline",
                                 "border-median,", "border-median:WIDTH", "none"}) {
            EXPECT_NE(error.find(form), std::string::npos) << error << " lacks " << form;
        }
    }
    EXPECT_NE(parseBackgroundMethod("lane-baseline:5").error().find("takes no parameter"),
              std::string::npos);
    EXPECT_NE(parseBackgroundMethod("rolling-ball:0").error().find("positive"), std::string::npos);
    EXPECT_NE(parseBackgroundMethod("rolling-ball:abc").error().find("not a number"),
              std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Rolling ball

double maxAbsDifference(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat difference;
    cv::absdiff(a, b, difference);
    double maximum = 0.0;
    cv::minMaxLoc(difference, nullptr, &maximum);
    return maximum;
}

/// White noise blurred into a smooth random surface, values about offset +- amplitude.
cv::Mat smoothRandomImage(cv::Size size, double blurSigma, double offset, double amplitude,
                          unsigned seed) {
    cv::Mat noise(size, CV_32FC1);
    cv::RNG rng(seed);
    rng.fill(noise, cv::RNG::UNIFORM, -1.0, 1.0);
    cv::Mat smooth;
    cv::GaussianBlur(noise, smooth, cv::Size(0, 0), blurSigma, blurSigma, cv::BORDER_REFLECT);
    double lo = 0.0;
    double hi = 0.0;
    cv::minMaxLoc(smooth, &lo, &hi);
    smooth.convertTo(smooth, CV_32F, 2.0 * amplitude / (hi - lo),
                     offset - amplitude * (hi + lo) / (hi - lo));
    return smooth;
}

/// A band with compact support: flat top over |dx| <= halfFlatPx with cos^2 shoulders to
/// |dx| = halfWidthPx, times cos^2 over |dy| < halfHeightPx; exactly 0 outside.
double bandValue(double dx, double dy, double halfFlatPx, double halfWidthPx, double halfHeightPx) {
    if (std::abs(dy) >= halfHeightPx || std::abs(dx) >= halfWidthPx) {
        return 0.0;
    }
    const double vertical = std::pow(std::cos(0.5 * std::numbers::pi * dy / halfHeightPx), 2);
    double horizontal = 1.0;
    if (std::abs(dx) > halfFlatPx) {
        const double t = (std::abs(dx) - halfFlatPx) / (halfWidthPx - halfFlatPx);
        horizontal = std::pow(std::cos(0.5 * std::numbers::pi * t), 2);
    }
    return vertical * horizontal;
}

struct TestBand {
    int x = 0;
    int y = 0;
    double amplitude = 0.0;
};

constexpr double kBandHalfFlatPx = 18.0;
constexpr double kBandHalfWidthPx = 28.0;
constexpr double kBandHalfHeightPx = 6.0;

cv::Rect bandBox(const TestBand& band) {
    const int hx = static_cast<int>(kBandHalfWidthPx);
    const int hy = static_cast<int>(kBandHalfHeightPx);
    return {band.x - hx, band.y - hy, 2 * hx + 1, 2 * hy + 1};
}

cv::Mat bandsImage(cv::Size size, const std::vector<TestBand>& bands) {
    cv::Mat image(size, CV_32FC1, cv::Scalar(0.0));
    for (const TestBand& band : bands) {
        const cv::Rect box = bandBox(band) & cv::Rect(cv::Point(0, 0), size);
        for (int y = box.y; y < box.y + box.height; ++y) {
            for (int x = box.x; x < box.x + box.width; ++x) {
                image.at<float>(y, x) += static_cast<float>(
                    band.amplitude * bandValue(x - band.x, y - band.y, kBandHalfFlatPx,
                                               kBandHalfWidthPx, kBandHalfHeightPx));
            }
        }
    }
    return image;
}

/// A line-by-line transliteration of ImageJ's float rolling ball (BackgroundSubtracter.java:
/// rollingBallFloatBackground without pre-smoothing or inversion, shrinkImage, rollBall,
/// enlargeImage, makeInterpolationArrays, and class RollingBall), kept deliberately naive, to
/// check the streamed, vectorised implementation against ImageJ itself, bit for bit.
namespace imagej {

struct RollingBall {
    std::vector<float> data;
    int width = 0;
    int shrinkFactor = 1;

    explicit RollingBall(double radius) {
        int arcTrimPer = 0;
        if (radius <= 10) {
            shrinkFactor = 1;
            arcTrimPer = 24;
        } else if (radius <= 30) {
            shrinkFactor = 2;
            arcTrimPer = 24;
        } else if (radius <= 100) {
            shrinkFactor = 4;
            arcTrimPer = 32;
        } else {
            shrinkFactor = 8;
            arcTrimPer = 40;
        }
        double smallballradius = radius / shrinkFactor;
        if (smallballradius < 1) {
            smallballradius = 1;
        }
        const double rsquare = smallballradius * smallballradius;
        const int xtrim = static_cast<int>(arcTrimPer * smallballradius) / 100;
        const int halfWidth = static_cast<int>(std::floor(smallballradius - xtrim + 0.5));
        width = 2 * halfWidth + 1;
        data.assign(static_cast<std::size_t>(width * width), 0.0f);
        for (int y = 0, p = 0; y < width; y++) {
            for (int x = 0; x < width; x++, p++) {
                const int xval = x - halfWidth;
                const int yval = y - halfWidth;
                const double temp = rsquare - xval * xval - yval * yval;
                data[static_cast<std::size_t>(p)] =
                    temp > 0. ? static_cast<float>(std::sqrt(temp)) : 0.0f;
            }
        }
    }
};

struct FloatImage {
    std::vector<float> pixels;
    int width = 0;
    int height = 0;
    float& at(int p) { return pixels[static_cast<std::size_t>(p)]; }
};

FloatImage shrinkImage(FloatImage& ip, int shrinkFactor) {
    const int width = ip.width;
    const int height = ip.height;
    FloatImage small;
    small.width = (width + shrinkFactor - 1) / shrinkFactor;
    small.height = (height + shrinkFactor - 1) / shrinkFactor;
    small.pixels.resize(static_cast<std::size_t>(small.width * small.height));
    for (int ySmall = 0; ySmall < small.height; ySmall++) {
        for (int xSmall = 0; xSmall < small.width; xSmall++) {
            float min = std::numeric_limits<float>::max();
            for (int j = 0, y = shrinkFactor * ySmall; j < shrinkFactor && y < height; j++, y++) {
                for (int k = 0, x = shrinkFactor * xSmall; k < shrinkFactor && x < width;
                     k++, x++) {
                    const float thispixel = ip.at(x + y * width);
                    if (thispixel < min) {
                        min = thispixel;
                    }
                }
            }
            small.at(xSmall + ySmall * small.width) = min;
        }
    }
    return small;
}

void rollBall(const RollingBall& ball, FloatImage& fp) {
    const int width = fp.width;
    const int height = fp.height;
    const std::vector<float>& zBall = ball.data;
    const int ballWidth = ball.width;
    const int radius = ballWidth / 2;
    std::vector<float> cache(static_cast<std::size_t>(width * ballWidth));
    for (int y = -radius; y < height + radius; y++) {
        const int nextLineToWriteInCache = (y + radius) % ballWidth;
        const int nextLineToRead = y + radius;
        if (nextLineToRead < height) {
            std::copy_n(fp.pixels.begin() + nextLineToRead * width, width,
                        cache.begin() + nextLineToWriteInCache * width);
            for (int x = 0, p = nextLineToRead * width; x < width; x++, p++) {
                fp.at(p) = -std::numeric_limits<float>::max();
            }
        }
        int y0 = y - radius;
        if (y0 < 0) {
            y0 = 0;
        }
        const int yBall0 = y0 - y + radius;
        int yend = y + radius;
        if (yend >= height) {
            yend = height - 1;
        }
        for (int x = -radius; x < width + radius; x++) {
            float z = std::numeric_limits<float>::max();
            int x0 = x - radius;
            if (x0 < 0) {
                x0 = 0;
            }
            const int xBall0 = x0 - x + radius;
            int xend = x + radius;
            if (xend >= width) {
                xend = width - 1;
            }
            for (int yp = y0, yBall = yBall0; yp <= yend; yp++, yBall++) {
                int cachePointer = (yp % ballWidth) * width + x0;
                for (int xp = x0, bp = xBall0 + yBall * ballWidth; xp <= xend;
                     xp++, cachePointer++, bp++) {
                    const float zReduced = cache[static_cast<std::size_t>(cachePointer)] -
                                           zBall[static_cast<std::size_t>(bp)];
                    if (z > zReduced) {
                        z = zReduced;
                    }
                }
            }
            for (int yp = y0, yBall = yBall0; yp <= yend; yp++, yBall++) {
                for (int xp = x0, p = xp + yp * width, bp = xBall0 + yBall * ballWidth; xp <= xend;
                     xp++, p++, bp++) {
                    const float zMin = z + zBall[static_cast<std::size_t>(bp)];
                    if (fp.at(p) < zMin) {
                        fp.at(p) = zMin;
                    }
                }
            }
        }
    }
}

void makeInterpolationArrays(std::vector<int>& smallIndices, std::vector<float>& weights,
                             int length, int smallLength, int shrinkFactor) {
    for (int i = 0; i < length; i++) {
        int smallIndex = (i - shrinkFactor / 2) / shrinkFactor;
        if (smallIndex >= smallLength - 1) {
            smallIndex = smallLength - 2;
        }
        smallIndices[static_cast<std::size_t>(i)] = smallIndex;
        const float distance = (static_cast<float>(i) + 0.5f) / static_cast<float>(shrinkFactor) -
                               (static_cast<float>(smallIndex) + 0.5f);
        weights[static_cast<std::size_t>(i)] = 1.0f - distance;
    }
}

void enlargeImage(FloatImage& smallImage, FloatImage& fp, int shrinkFactor) {
    const int width = fp.width;
    const int height = fp.height;
    const int smallWidth = smallImage.width;
    const int smallHeight = smallImage.height;
    std::vector<int> xSmallIndices(static_cast<std::size_t>(width));
    std::vector<float> xWeights(static_cast<std::size_t>(width));
    makeInterpolationArrays(xSmallIndices, xWeights, width, smallWidth, shrinkFactor);
    std::vector<int> ySmallIndices(static_cast<std::size_t>(height));
    std::vector<float> yWeights(static_cast<std::size_t>(height));
    makeInterpolationArrays(ySmallIndices, yWeights, height, smallHeight, shrinkFactor);
    std::vector<float> line0(static_cast<std::size_t>(width));
    std::vector<float> line1(static_cast<std::size_t>(width));
    const auto u = [](int i) {
        return static_cast<std::size_t>(i);
    };
    for (int x = 0; x < width; x++) {
        line1[u(x)] = smallImage.at(xSmallIndices[u(x)]) * xWeights[u(x)] +
                      smallImage.at(xSmallIndices[u(x)] + 1) * (1.0f - xWeights[u(x)]);
    }
    int ySmallLine0 = -1;
    for (int y = 0; y < height; y++) {
        if (ySmallLine0 < ySmallIndices[u(y)]) {
            std::swap(line0, line1);
            ySmallLine0++;
            const int sYPointer = (ySmallIndices[u(y)] + 1) * smallWidth;
            for (int x = 0; x < width; x++) {
                line1[u(x)] =
                    smallImage.at(sYPointer + xSmallIndices[u(x)]) * xWeights[u(x)] +
                    smallImage.at(sYPointer + xSmallIndices[u(x)] + 1) * (1.0f - xWeights[u(x)]);
            }
        }
        const float weight = yWeights[u(y)];
        for (int x = 0, p = y * width; x < width; x++, p++) {
            fp.at(p) = line0[u(x)] * weight + line1[u(x)] * (1.0f - weight);
        }
    }
}

/// filter3 and filter3x3 with type MEAN.
void filter3(FloatImage& fp, int length, int pixel0, int inc) {
    float v3 = fp.at(pixel0);
    float v2 = v3;
    float v1 = 0.0f;
    for (int i = 0, p = pixel0; i < length; i++, p += inc) {
        v1 = v2;
        v2 = v3;
        if (i < length - 1) {
            v3 = fp.at(p + inc);
        }
        fp.at(p) = (v1 + v2 + v3) * 0.333333333f;
    }
}

void filter3x3Mean(FloatImage& fp) {
    for (int y = 0; y < fp.height; y++) {
        filter3(fp, fp.width, y * fp.width, 1);
    }
    for (int x = 0; x < fp.width; x++) {
        filter3(fp, fp.height, x, fp.width);
    }
}

cv::Mat background(const cv::Mat& image, double radius, bool presmooth = false) {
    const RollingBall ball(radius);
    FloatImage fp{std::vector<float>(image.begin<float>(), image.end<float>()), image.cols,
                  image.rows};
    if (presmooth) {
        filter3x3Mean(fp);
    }
    if (ball.shrinkFactor > 1) {
        FloatImage small = shrinkImage(fp, ball.shrinkFactor);
        rollBall(ball, small);
        enlargeImage(small, fp, ball.shrinkFactor);
    } else {
        rollBall(ball, fp);
    }
    return cv::Mat(image.rows, image.cols, CV_32FC1, fp.pixels.data()).clone();
}

} // namespace imagej

TEST(RollingBall, MatchesImageJBitForBit) {
    // Four bands of rows where the image is tall enough, whatever the machine.
    const int threads = cv::getNumThreads();
    cv::setNumThreads(std::max(threads, 4));
    unsigned seed = 100;
    for (const double radius : {3.0, 10.0, 10.5, 18.0, 30.0, 31.0, 50.0, 100.0, 101.0, 160.0}) {
        for (const cv::Size size :
             {cv::Size(211, 157), cv::Size(64, 48), cv::Size(19, 23), cv::Size(150, 1301)}) {
            cv::Mat image = smoothRandomImage(size, 3.0, 500.0, 200.0, ++seed);
            image += bandsImage(size, {{size.width / 3, size.height / 2, 3000.0}});
            const cv::Mat expected = imagej::background(image, radius);
            const cv::Mat actual = rollingBallBackground(image, radius);
            ASSERT_EQ(actual.size(), size);
            EXPECT_EQ(cv::countNonZero(actual != expected), 0)
                << "radius " << radius << " size " << size << ": max difference "
                << maxAbsDifference(actual, expected);
        }
    }
    cv::setNumThreads(threads);
}

TEST(RollingBall, ShrinkFactorFollowsImageJ) {
    EXPECT_EQ(rollingBallShrinkFactor(1.0), 1);
    EXPECT_EQ(rollingBallShrinkFactor(10.0), 1);
    EXPECT_EQ(rollingBallShrinkFactor(10.5), 2);
    EXPECT_EQ(rollingBallShrinkFactor(30.0), 2);
    EXPECT_EQ(rollingBallShrinkFactor(30.1), 4);
    EXPECT_EQ(rollingBallShrinkFactor(100.0), 4);
    EXPECT_EQ(rollingBallShrinkFactor(100.5), 8);
}

TEST(RollingBall, RejectsBadInputWithAnEmptyResult) {
    const cv::Mat image(20, 20, CV_32FC1, cv::Scalar(1.0));
    EXPECT_TRUE(rollingBallBackground(cv::Mat(), 5.0).empty());
    EXPECT_TRUE(rollingBallBackground(image, 0.0).empty());
    EXPECT_TRUE(rollingBallBackground(image, -3.0).empty());
    EXPECT_TRUE(rollingBallBackground(image, std::nan("")).empty());
    EXPECT_TRUE(rollingBallBackground(cv::Mat(20, 20, CV_32FC3), 5.0).empty());
    EXPECT_TRUE(rollingBallBackgroundBruteForce(image, 0.0).empty());
}

TEST(RollingBall, FlatImageIsItsOwnBackground) {
    const cv::Mat flat(61, 97, CV_32FC1, cv::Scalar(1234.5));
    for (const double radius : {1.0, 5.0, 10.0, 25.0, 50.0, 150.0}) {
        for (const bool presmooth : {false, true}) {
            const cv::Mat background = rollingBallBackground(flat, radius, presmooth);
            ASSERT_EQ(background.size(), flat.size());
            ASSERT_EQ(background.type(), CV_32FC1);
            EXPECT_LE(maxAbsDifference(background, flat), 1e-3) << "radius " << radius;
        }
    }
}

TEST(RollingBall, TinyImagesNarrowerThanTheShrinkFactor) {
    // One shrunk column and one shrunk row: ImageJ would index outside the shrunk image.
    const cv::Mat flat(3, 5, CV_32FC1, cv::Scalar(7.0));
    const cv::Mat background = rollingBallBackground(flat, 150.0);
    ASSERT_EQ(background.size(), flat.size());
    EXPECT_LE(maxAbsDifference(background, flat), 1e-5);
    const cv::Mat column(40, 1, CV_32FC1, cv::Scalar(3.0));
    EXPECT_LE(maxAbsDifference(rollingBallBackground(column, 50.0), column), 1e-5);
}

// A plane with narrow bands of known volume: away from the bands the background is the plane,
// less ImageJ's block-minimum bias of (s - 1) / 2 * (|gx| + |gy|); the band volumes after
// subtraction are the true volumes within 1 %.
TEST(RollingBall, PlaneWithNarrowBandsGivesThePlaneAndTheTrueVolumes) {
    const cv::Size size(403, 301);
    constexpr double gx = 0.05;
    constexpr double gy = 0.03; // both positive: every block, partial ones too, has its
                                // minimum at its top-left pixel
    cv::Mat plane(size, CV_32FC1);
    for (int y = 0; y < size.height; ++y) {
        for (int x = 0; x < size.width; ++x) {
            plane.at<float>(y, x) = static_cast<float>(500.0 + gx * x + gy * y);
        }
    }
    std::vector<TestBand> bands;
    for (int lane = 0; lane < 5; ++lane) {
        for (int row = 0; row < 3; ++row) {
            bands.push_back({45 + 75 * lane, 50 + 100 * row, 300.0 + 400.0 * lane + 150.0 * row});
        }
    }
    const cv::Mat truth = bandsImage(size, bands);
    const cv::Mat signal = plane + truth;

    cv::Mat nearBands(size, CV_8UC1, cv::Scalar(0));
    for (const TestBand& band : bands) {
        nearBands(bandBox(band) & cv::Rect(cv::Point(0, 0), size)).setTo(255);
    }
    // Radius 10 is under two band heights (13 px): the ball sags 2 units into each band and
    // costs 0.9 % of the smallest volume; the larger radii cost 0.3 % or less.
    for (const double radius : {10.0, 12.0, 25.0, 50.0, 150.0}) {
        const int s = rollingBallShrinkFactor(radius);
        const cv::Mat background = rollingBallBackground(signal, radius);
        ASSERT_EQ(background.size(), size);

        // The interpolation reaches s pixels; keep 2s away from the bands.
        cv::Mat reached;
        cv::dilate(nearBands, reached,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(4 * s + 1, 4 * s + 1)));
        const double bias = (s - 1) / 2.0 * (std::abs(gx) + std::abs(gy));
        double worst = 0.0;
        for (int y = 0; y < size.height; ++y) {
            for (int x = 0; x < size.width; ++x) {
                if (reached.at<unsigned char>(y, x) == 0) {
                    const double expected = static_cast<double>(plane.at<float>(y, x)) - bias;
                    worst =
                        std::max(worst, std::abs(static_cast<double>(background.at<float>(y, x)) -
                                                 expected));
                }
            }
        }
        EXPECT_LE(worst, 2e-3) << "radius " << radius;

        double worstVolumeError = 0.0;
        for (const TestBand& band : bands) {
            const cv::Rect box = bandBox(band);
            const double trueVolume = cv::sum(truth(box))[0];
            cv::Mat net;
            cv::subtract(signal(box), background(box), net, cv::noArray(), CV_64F);
            const double volume = cv::sum(net)[0];
            EXPECT_NEAR(volume / trueVolume, 1.0, 0.01)
                << "radius " << radius << " band at " << band.x << "," << band.y;
            worstVolumeError = std::max(worstVolumeError, std::abs(volume / trueVolume - 1.0));
        }
        RecordProperty("volumeErrorRadius" + std::to_string(static_cast<int>(radius)),
                       std::to_string(worstVolumeError));
    }
}

TEST(RollingBall, MatchesBruteForceExactlyWithoutShrinking) {
    unsigned seed = 11;
    for (const double radius : {1.0, 2.5, 4.0, 6.0, 7.5, 10.0}) {
        for (const cv::Size size : {cv::Size(47, 33), cv::Size(16, 29), cv::Size(5, 3)}) {
            ++seed;
            cv::Mat image = smoothRandomImage(size, 2.5, 200.0, 50.0, seed);
            // Some narrow peaks, which the ball cannot enter.
            cv::RNG rng(seed);
            for (int i = 0; i < 6; ++i) {
                image.at<float>(rng.uniform(0, size.height), rng.uniform(0, size.width)) +=
                    static_cast<float>(rng.uniform(20.0, 300.0));
            }
            const cv::Mat fast = rollingBallBackground(image, radius);
            const cv::Mat reference = rollingBallBackgroundBruteForce(image, radius);
            ASSERT_EQ(fast.size(), size);
            ASSERT_EQ(reference.size(), size);
            EXPECT_LE(maxAbsDifference(fast, reference), 1e-4 * 200.0)
                << "radius " << radius << " size " << size;
            EXPECT_EQ(cv::countNonZero(fast != reference), 0) << "not bit-identical";
            // An opening: never above the signal, but for float rounding of (f - z) + z.
            cv::Mat above = fast - image;
            double highest = 0.0;
            cv::minMaxLoc(above, nullptr, &highest);
            EXPECT_LE(highest, 1e-4);
        }
    }
}

TEST(RollingBall, WhiteNoiseAndOtherDepthsMatchBruteForce) {
    cv::Mat noise(40, 52, CV_16UC1);
    cv::RNG(5).fill(noise, cv::RNG::UNIFORM, 0, 60000);
    const cv::Mat roi = noise(cv::Rect(3, 4, 41, 30)); // not continuous
    for (const double radius : {3.0, 9.0}) {
        const cv::Mat fast = rollingBallBackground(roi, radius);
        const cv::Mat reference = rollingBallBackgroundBruteForce(roi, radius);
        ASSERT_EQ(fast.type(), CV_32FC1);
        EXPECT_EQ(cv::countNonZero(fast != reference), 0) << "radius " << radius;
    }
}

// With shrinking, ImageJ's background differs from the full-resolution ball opening by
// (a) the block minimum, at most (s - 1) |grad|_1 below a sloping surface (a pixel up to s - 1
//     from its block's minimum in each direction, the partial blocks at the far edges
//     included),
// (b) the bilinear interpolation and the extrapolation at the edges, at most s^2 k / 2 for a
//     curvature bound k (second differences, both directions), and
// (c) the ball: the reference is a sphere of radius R, ImageJ's is s times flatter; under a
//     band of half-height h both are lifted by at most their sag over h, R - sqrt(R^2 - h^2).
// On a surface whose curvature stays below the flatter ball's, 1 / (R s), both balls touch it
// everywhere off the bands, so nothing else contributes.
TEST(RollingBall, WithShrinkingStaysWithinTheShrinkingErrorOfBruteForce) {
    const cv::Size size(163, 121);
    cv::Mat image = smoothRandomImage(size, 40.0, 400.0, 4.0, 3);
    for (int y = 0; y < size.height; ++y) {
        for (int x = 0; x < size.width; ++x) {
            image.at<float>(y, x) += static_cast<float>(0.08 * x - 0.05 * y);
        }
    }
    image += bandsImage(size, {{50, 40, 800.0}, {115, 85, 500.0}});

    // Gradient and curvature bounds of the surface, from differences, off the bands.
    const cv::Mat surface = smoothRandomImage(size, 40.0, 400.0, 4.0, 3);
    double gradient = 0.0;
    double curvature = 0.0;
    for (int y = 1; y + 1 < size.height; ++y) {
        for (int x = 1; x + 1 < size.width; ++x) {
            const auto f = [&](int dy, int dx) {
                return static_cast<double>(surface.at<float>(y + dy, x + dx));
            };
            gradient = std::max(gradient, std::abs(f(0, 1) - f(0, -1)) / 2 + 0.08 +
                                              std::abs(f(1, 0) - f(-1, 0)) / 2 + 0.05);
            curvature = std::max({curvature, std::abs(f(0, 1) - 2 * f(0, 0) + f(0, -1)),
                                  std::abs(f(1, 0) - 2 * f(0, 0) + f(-1, 0))});
        }
    }
    for (const double radius : {20.0, 30.0, 50.0}) {
        const double s = rollingBallShrinkFactor(radius);
        const double sag =
            radius - std::sqrt(radius * radius - kBandHalfHeightPx * kBandHalfHeightPx);
        ASSERT_LT(curvature * radius * s, 1.0) << "the test surface is too curved";
        const double tolerance = (s - 1) * gradient + s * s * curvature / 2 + sag;
        const cv::Mat fast = rollingBallBackground(image, radius);
        const cv::Mat reference = rollingBallBackgroundBruteForce(image, radius);
        const double difference = maxAbsDifference(fast, reference);
        EXPECT_LE(difference, tolerance) << "radius " << radius;
        EXPECT_GT(difference, 0.0); // they are different algorithms
        RecordProperty("radius" + std::to_string(static_cast<int>(radius)),
                       std::to_string(difference) + " <= " + std::to_string(tolerance));
    }
}

TEST(RollingBall, ResultDoesNotDependOnTheThreadCount) {
    const cv::Mat image = smoothRandomImage(cv::Size(517, 389), 4.0, 1000.0, 300.0, 9);
    const int threads = cv::getNumThreads();
    for (const double radius : {8.0, 25.0, 60.0}) {
        cv::setNumThreads(1);
        const cv::Mat single = rollingBallBackground(image, radius);
        cv::setNumThreads(std::max(threads, 4));
        const cv::Mat multi = rollingBallBackground(image, radius);
        cv::setNumThreads(threads);
        ASSERT_EQ(single.size(), multi.size());
        EXPECT_EQ(std::memcmp(single.data, multi.data, single.total() * single.elemSize()), 0)
            << "radius " << radius;
    }
}

TEST(RollingBall, PresmoothingIsImageJs3x3Mean) {
    // A single spike: the ball (radius 1, 3x3 patch, rim at height 0) cuts it to its apex
    // height; after the 3x3 mean it is a 3x3 plateau of 100 + 900 / 9 that the patch fits.
    cv::Mat spike(30, 30, CV_32FC1, cv::Scalar(100.0));
    spike.at<float>(15, 15) = 1000.0f;
    EXPECT_NEAR(rollingBallBackground(spike, 1.0, false).at<float>(15, 15), 101.0, 1e-3);
    EXPECT_NEAR(rollingBallBackground(spike, 1.0, true).at<float>(15, 15), 200.0, 1e-3);

    unsigned seed = 300;
    for (const double radius : {4.0, 25.0, 60.0}) {
        for (const cv::Size size : {cv::Size(131, 97), cv::Size(1, 9), cv::Size(7, 1)}) {
            cv::Mat image(size, CV_32FC1);
            cv::RNG(++seed).fill(image, cv::RNG::UNIFORM, 0.0, 1000.0);
            if (size.width == 1 || size.height == 1) {
                if (rollingBallShrinkFactor(radius) > 1) {
                    continue; // ImageJ itself fails on a one-pixel shrunk dimension
                }
            }
            const cv::Mat expected = imagej::background(image, radius, true);
            const cv::Mat actual = rollingBallBackground(image, radius, true);
            EXPECT_EQ(cv::countNonZero(actual != expected), 0)
                << "radius " << radius << " size " << size;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lane baselines

TEST(RubberBandBaseline, VShapeIsItsOwnBaseline) {
    const std::vector<double> v{4, 3, 2, 1, 0, 1, 2, 3, 4};
    EXPECT_EQ(rubberBandBaseline(v), v);
}

TEST(RubberBandBaseline, PeakGivesTheChordBetweenItsEnds) {
    const std::vector<double> peak{0, 1, 2, 3, 4, 3, 2, 1, 0};
    EXPECT_EQ(rubberBandBaseline(peak), std::vector<double>(9, 0.0));
}

TEST(RubberBandBaseline, ConvexBumpOnASlopeLeavesTheSlope) {
    //                              slope 2i    +  bump
    const std::vector<double> profile{0, 2, 4, 6 + 3, 8 + 6, 10 + 6, 12, 14, 16};
    const std::vector<double> expected{0, 2, 4, 6, 8, 10, 12, 14, 16};
    EXPECT_EQ(rubberBandBaseline(profile), expected);
}

TEST(RubberBandBaseline, StretchesBetweenTheLowestPoints) {
    //                                 0  1  2  3  4  5
    const std::vector<double> profile{5, 1, 4, 8, 3, 6};
    const auto baseline = rubberBandBaseline(profile);
    ASSERT_EQ(baseline.size(), 6u);
    EXPECT_DOUBLE_EQ(baseline[0], 5.0);
    EXPECT_DOUBLE_EQ(baseline[1], 1.0);
    EXPECT_DOUBLE_EQ(baseline[2], 1.0 + 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(baseline[3], 1.0 + 4.0 / 3.0);
    EXPECT_DOUBLE_EQ(baseline[4], 3.0);
    EXPECT_DOUBLE_EQ(baseline[5], 6.0);
}

TEST(RubberBandBaseline, DegenerateProfiles) {
    EXPECT_TRUE(rubberBandBaseline(std::vector<double>{}).empty());
    EXPECT_EQ(rubberBandBaseline(std::vector<double>{7}), std::vector<double>{7});
    EXPECT_EQ(rubberBandBaseline(std::vector<double>{7, 3}), (std::vector<double>{7, 3}));
    EXPECT_EQ(rubberBandBaseline(std::vector<double>(5, 2.5)), std::vector<double>(5, 2.5));
}

TEST(RubberBandBaseline, NeverAboveARandomProfileAndTouchesItsEnds) {
    std::mt19937 random(4);
    std::uniform_real_distribution<double> value(0.0, 100.0);
    for (int trial = 0; trial < 20; ++trial) {
        std::vector<double> profile(200);
        for (double& v : profile) {
            v = value(random);
        }
        const auto baseline = rubberBandBaseline(profile);
        EXPECT_EQ(baseline.front(), profile.front());
        EXPECT_EQ(baseline.back(), profile.back());
        for (std::size_t i = 0; i < profile.size(); ++i) {
            EXPECT_LE(baseline[i], profile[i]);
        }
        // Convex: second differences not negative (to rounding).
        for (std::size_t i = 1; i + 1 < profile.size(); ++i) {
            EXPECT_GE(baseline[i - 1] - 2 * baseline[i] + baseline[i + 1], -1e-9);
        }
    }
}

TEST(LocalMinimaBaseline, RemovesANarrowPeakOnAFlatBackground) {
    std::vector<double> profile(100, 10.0);
    for (int i = 48; i <= 52; ++i) {
        profile[static_cast<std::size_t>(i)] = 110.0;
    }
    EXPECT_EQ(localMinimaBaseline(profile, 21), std::vector<double>(100, 10.0));
}

TEST(LocalMinimaBaseline, KeepsAStraightLineUpToItsEnds) {
    std::vector<double> line(80);
    for (std::size_t i = 0; i < line.size(); ++i) {
        line[i] = 3.0 + 0.5 * static_cast<double>(i);
    }
    for (const int window : {1, 4, 11, 25}) {
        const auto baseline = localMinimaBaseline(line, window);
        ASSERT_EQ(baseline.size(), line.size());
        for (std::size_t i = 0; i < line.size(); ++i) {
            EXPECT_NEAR(baseline[i], line[i], 1e-9) << "window " << window << " at " << i;
        }
    }
}

TEST(LocalMinimaBaseline, ExactUnderBandsOnASlope) {
    std::vector<double> line(90);
    for (std::size_t i = 0; i < line.size(); ++i) {
        line[i] = 200.0 - 1.5 * static_cast<double>(i);
    }
    std::vector<double> withBands = line;
    for (const std::size_t centre : {std::size_t{25}, std::size_t{60}}) {
        for (std::size_t i = centre - 3; i <= centre + 3; ++i) {
            withBands[i] += 100.0 + 10.0 * static_cast<double>(i % 3);
        }
    }
    const auto baseline = localMinimaBaseline(withBands, 15);
    for (std::size_t i = 0; i < line.size(); ++i) {
        EXPECT_NEAR(baseline[i], line[i], 1e-9) << i;
    }
}

TEST(LocalMinimaBaseline, FollowsAHumpThatTheRubberBandCutsUnder) {
    // A smear (wide hump) on a slope, with narrow bands on its flanks and top.
    std::vector<double> background(200);
    for (std::size_t i = 0; i < background.size(); ++i) {
        const double x = static_cast<double>(i);
        background[i] = 50.0 + 0.3 * x + 40.0 * std::exp(-std::pow((x - 100.0) / 30.0, 2));
    }
    const std::vector<std::size_t> bandCentres{70, 100, 140};
    std::vector<double> profile = background;
    for (const std::size_t centre : bandCentres) {
        for (std::size_t i = centre - 3; i <= centre + 3; ++i) {
            profile[i] += 150.0;
        }
    }
    constexpr int window = 15;
    const auto baseline = localMinimaBaseline(profile, window);
    const auto rubberBand = rubberBandBaseline(profile);
    EXPECT_LT(rubberBand[100], background[100] - 20.0);
    // Away from the bands only the hump's top is cut, flat over the window:
    // 40 (1 - exp(-(7.5 / 30)^2)) = 2.42.
    for (std::size_t i = 0; i < profile.size(); ++i) {
        EXPECT_LE(baseline[i], profile[i]);
        EXPECT_GE(baseline[i], rubberBand[i]);
        const bool nearBand = std::any_of(bandCentres.begin(), bandCentres.end(), [&](auto c) {
            return (i > c ? i - c : c - i) <= static_cast<std::size_t>(window);
        });
        if (!nearBand) {
            EXPECT_NEAR(baseline[i], background[i], 2.42) << i;
        }
    }
}

TEST(LocalMinimaBaseline, DegenerateProfiles) {
    EXPECT_TRUE(localMinimaBaseline(std::vector<double>{}, 5).empty());
    EXPECT_EQ(localMinimaBaseline(std::vector<double>{4}, 5), std::vector<double>{4});
    const std::vector<double> profile{3, 9, 1, 7};
    EXPECT_EQ(localMinimaBaseline(profile, 1), profile);
    EXPECT_EQ(localMinimaBaseline(profile, 0), profile);
}

// ---------------------------------------------------------------------------------------------
// Border median

/// 10 x 8 image with value 10 y + x.
cv::Mat indexImage() {
    cv::Mat image(8, 10, CV_32FC1);
    for (int y = 0; y < image.rows; ++y) {
        for (int x = 0; x < image.cols; ++x) {
            image.at<float>(y, x) = static_cast<float>(10 * y + x);
        }
    }
    return image;
}

TEST(BorderMedian, MedianOfTheRingAroundTheBox) {
    const cv::Mat image = indexImage();
    // Box x 3..5, y 2..3; ring of 1 px: rows 1..4, columns 2..6, without the box:
    // 12 13 14 15 16 22 26 32 36 42 43 44 45 46 -> middle pair 26, 32.
    EXPECT_DOUBLE_EQ(borderMedian(image, cv::Rect(3, 2, 3, 2), 1), 29.0);
    // Width 2: rows 0..5, columns 1..7 (42 values) minus the 6 of the box: 36 values.
    std::vector<double> ring;
    for (int y = 0; y <= 5; ++y) {
        for (int x = 1; x <= 7; ++x) {
            if (!(y >= 2 && y <= 3 && x >= 3 && x <= 5)) {
                ring.push_back(10.0 * y + x);
            }
        }
    }
    std::sort(ring.begin(), ring.end());
    EXPECT_DOUBLE_EQ(borderMedian(image, cv::Rect(3, 2, 3, 2), 2), (ring[17] + ring[18]) / 2);
}

TEST(BorderMedian, LeavesOutMaskedPixels) {
    const cv::Mat image = indexImage();
    cv::Mat mask(image.size(), CV_8UC1, cv::Scalar(0));
    mask.row(1).setTo(1); // e.g. another band's box above
    // Left: 22 26 32 36 42 43 44 45 46 -> 42.
    EXPECT_DOUBLE_EQ(borderMedian(image, cv::Rect(3, 2, 3, 2), 1, mask), 42.0);
    // The mask may cover the box itself: no change.
    mask(cv::Rect(3, 2, 3, 2)).setTo(255);
    EXPECT_DOUBLE_EQ(borderMedian(image, cv::Rect(3, 2, 3, 2), 1, mask), 42.0);
    // Everything masked: no level.
    mask.setTo(1);
    EXPECT_TRUE(std::isnan(borderMedian(image, cv::Rect(3, 2, 3, 2), 1, mask)));
}

TEST(BorderMedian, ClipsTheRingAtTheImageEdges) {
    const cv::Mat image = indexImage();
    // Box at the corner, x 0..1, y 0..1, ring of 2 clipped to x 0..3, y 0..3:
    // 2 3 12 13 20 21 22 23 30 31 32 33 -> middle pair 21, 22.
    EXPECT_DOUBLE_EQ(borderMedian(image, cv::Rect(0, 0, 2, 2), 2), 21.5);
    // Box partly outside: x 8..11, y 6..9; ring of 1 inside: x 7..9, y 5..7 minus x 8..9,
    // y 6..7: 57 58 59 67 77 -> 59.
    EXPECT_DOUBLE_EQ(borderMedian(image, cv::Rect(8, 6, 4, 4), 1), 59.0);
}

TEST(BorderMedian, NoUsablePixelsGiveNaN) {
    const cv::Mat image = indexImage();
    EXPECT_TRUE(std::isnan(borderMedian(image, cv::Rect(3, 2, 3, 2), 0)));
    EXPECT_TRUE(std::isnan(borderMedian(image, cv::Rect(30, 30, 3, 2), 2)));
    EXPECT_TRUE(std::isnan(borderMedian(image, cv::Rect(0, 0, 10, 8), 3))); // box = image
    EXPECT_TRUE(std::isnan(borderMedian(image, cv::Rect(3, 2, 0, 2), 1)));
    EXPECT_TRUE(std::isnan(borderMedian(cv::Mat(), cv::Rect(3, 2, 3, 2), 1)));
    EXPECT_TRUE(std::isnan(borderMedian(image, cv::Rect(3, 2, 3, 2), 1, cv::Mat(4, 4, CV_8UC1))));
}

TEST(BorderMedian, SkipsNonFiniteValuesAndAcceptsIntegerImages) {
    cv::Mat image = indexImage();
    image.at<float>(1, 2) = std::numeric_limits<float>::quiet_NaN(); // 12 is gone
    // 13 14 15 16 22 26 32 36 42 43 44 45 46 -> 32.
    EXPECT_DOUBLE_EQ(borderMedian(image, cv::Rect(3, 2, 3, 2), 1), 32.0);
    cv::Mat counts;
    indexImage().convertTo(counts, CV_16U);
    EXPECT_DOUBLE_EQ(borderMedian(counts, cv::Rect(3, 2, 3, 2), 1), 29.0);
}

} // namespace
} // namespace densito
