// The synthetic blot generator: determinism, exact truth, profile ranges, polarity,
// saturation, the truth JSON and the 16-bit TIFF writer.
#include "core/image/image_loader.h"
#include "core/io/tiff_writer.h"
#include "core/synth/synth_random.h"
#include "core/synth/synth_truth.h"
#include "core/synth/synthetic_blot.h"

#include "support/temp_dir.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <gtest/gtest.h>
#include <numbers>
#include <opencv2/core.hpp>
#include <string>

namespace {

using namespace densito;

constexpr SynthProfile kProfiles[] = {SynthProfile::Clean, SynthProfile::Realistic,
                                      SynthProfile::Hard};

SynthParams smallParams(SynthProfile profile, std::uint64_t seed) {
    SynthParams params;
    params.profile = profile;
    params.seed = seed;
    params.widthPx = 640;
    params.heightPx = 480;
    return params;
}

SyntheticBlot generate(const SynthParams& params) {
    auto blot = generateSyntheticBlot(params);
    EXPECT_TRUE(blot.has_value()) << (blot ? "" : blot.error().describe());
    return blot ? std::move(*blot) : SyntheticBlot{};
}

bool samePixels(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() && cv::countNonZero(a != b) == 0;
}

/// The band signal of one raw value: raw - background for light bands, background - raw
/// for dark ones (both frames share the same background in signal units).
double signalAt(const SyntheticBlot& blot, int x, int y) {
    const double raw = blot.raw.at<std::uint16_t>(y, x);
    return blot.polarity == Polarity::LightBands ? raw - blot.backgroundMean
                                                 : blot.backgroundMean - raw;
}

/// True when no other band's box meets `index`'s box (so no other band adds signal in it).
bool isIsolated(const SyntheticBlot& blot, std::size_t index) {
    for (std::size_t j = 0; j < blot.bands.size(); ++j) {
        if (j != index && (blot.bands[j].box & blot.bands[index].box).area() > 0) {
            return false;
        }
    }
    return true;
}

TEST(SynthProfile, NamesRoundTrip) {
    for (const auto profile : kProfiles) {
        EXPECT_EQ(parseSynthProfile(toString(profile)), profile);
    }
    EXPECT_FALSE(parseSynthProfile("Clean").has_value());
    EXPECT_FALSE(parseSynthProfile("").has_value());
}

TEST(SynthRandom, DistributionsHaveTheirMoments) {
    SynthRandom rng(42, 7);
    constexpr int kDraws = 200000;
    double sum = 0.0;
    double sumSquares = 0.0;
    double poissonSum = 0.0;
    int lo = 100;
    int hi = -100;
    for (int i = 0; i < kDraws; ++i) {
        const double z = rng.normal();
        sum += z;
        sumSquares += z * z;
        poissonSum += rng.poisson(4.5);
        const int k = rng.uniformInt(-3, 5);
        lo = std::min(lo, k);
        hi = std::max(hi, k);
    }
    EXPECT_NEAR(sum / kDraws, 0.0, 0.01);
    EXPECT_NEAR(sumSquares / kDraws, 1.0, 0.01);
    EXPECT_NEAR(poissonSum / kDraws, 4.5, 0.02);
    EXPECT_EQ(lo, -3);
    EXPECT_EQ(hi, 5);
}

TEST(SynthRandom, StreamsAreReproducibleAndIndependent) {
    SynthRandom a(9, 1);
    SynthRandom b(9, 1);
    SynthRandom c(9, 2);
    int same = 0;
    for (int i = 0; i < 100; ++i) {
        const auto bits = a.nextBits();
        EXPECT_EQ(bits, b.nextBits());
        same += bits == c.nextBits() ? 1 : 0;
    }
    EXPECT_EQ(same, 0);
}

TEST(SyntheticBlot, SameSeedGivesIdenticalPixelsAndTruth) {
    for (const auto profile : kProfiles) {
        const auto first = generate(smallParams(profile, 17));
        const auto second = generate(smallParams(profile, 17));
        EXPECT_TRUE(samePixels(first.raw, second.raw)) << toString(profile);
        EXPECT_EQ(toTruthJson(first), toTruthJson(second)) << toString(profile);
    }
}

TEST(SyntheticBlot, DifferentSeedGivesDifferentImage) {
    for (const auto profile : kProfiles) {
        const auto first = generate(smallParams(profile, 17));
        const auto second = generate(smallParams(profile, 18));
        EXPECT_FALSE(samePixels(first.raw, second.raw)) << toString(profile);
        EXPECT_NE(toTruthJson(first), toTruthJson(second)) << toString(profile);
    }
}

TEST(SyntheticBlot, SameSeedInAnotherProfileIsAnotherScene) {
    const auto realistic = generate(smallParams(SynthProfile::Realistic, 5));
    const auto hard = generate(smallParams(SynthProfile::Hard, 5));
    EXPECT_NE(realistic.lanes.front().xCenterPx, hard.lanes.front().xCenterPx);
}

TEST(SyntheticBlot, ResolvedParamsReproduceTheImage) {
    for (const auto profile : kProfiles) {
        SynthParams params;
        params.profile = profile;
        params.seed = 3;
        const auto drawn = generate(params);
        EXPECT_GT(drawn.params.widthPx, 0);
        EXPECT_GT(drawn.params.lanes, 0);
        EXPECT_TRUE(drawn.params.saturate.has_value());
        const auto again = generate(drawn.params);
        EXPECT_TRUE(samePixels(drawn.raw, again.raw)) << toString(profile);
    }
}

TEST(SyntheticBlot, CountsStayInTheProfileRanges) {
    struct Range {
        SynthProfile profile;
        int lanesMin, lanesMax, rowsMax;
    };
    for (const Range range :
         {Range{SynthProfile::Clean, 4, 12, 3}, Range{SynthProfile::Realistic, 4, 16, 5},
          Range{SynthProfile::Hard, 4, 16, 5}}) {
        for (std::uint64_t seed = 1; seed <= 40; ++seed) {
            SynthParams params = smallParams(range.profile, seed);
            params.widthPx = 400; // the counts do not depend on the size
            params.heightPx = 300;
            const auto blot = generate(params);
            const int lanes = static_cast<int>(blot.lanes.size());
            EXPECT_GE(lanes, range.lanesMin) << toString(range.profile) << " seed " << seed;
            EXPECT_LE(lanes, range.lanesMax) << toString(range.profile) << " seed " << seed;
            EXPECT_GE(blot.params.bandRows, 1);
            EXPECT_LE(blot.params.bandRows, range.rowsMax);
            EXPECT_EQ(blot.params.lanes, lanes);
            // Every lane index and row index appears as documented.
            for (std::size_t i = 0; i < blot.lanes.size(); ++i) {
                EXPECT_EQ(blot.lanes[i].index, static_cast<int>(i) + 1);
                if (i > 0) {
                    EXPECT_GT(blot.lanes[i].xCenterPx, blot.lanes[i - 1].rightPx);
                }
            }
            std::vector<int> bandsPerRow(static_cast<std::size_t>(blot.params.bandRows), 0);
            for (const auto& band : blot.bands) {
                ASSERT_GE(band.row, 1);
                ASSERT_LE(band.row, blot.params.bandRows);
                ++bandsPerRow[static_cast<std::size_t>(band.row - 1)];
            }
            for (const int count : bandsPerRow) {
                EXPECT_GT(count, 0) << "an empty band row, " << toString(range.profile);
            }
        }
    }
}

TEST(SyntheticBlot, DrawnSizesStayInTheProfileRanges) {
    for (const auto profile : kProfiles) {
        int smallest = 1 << 30;
        int largest = 0;
        for (std::uint64_t seed = 1; seed <= 6; ++seed) {
            SynthParams params;
            params.profile = profile;
            params.seed = seed;
            const auto blot = generate(params);
            EXPECT_EQ(blot.raw.type(), CV_16UC1);
            EXPECT_GE(blot.raw.cols, 400);
            EXPECT_LE(blot.raw.cols, profile == SynthProfile::Clean ? 800 : 4000);
            EXPECT_GE(blot.raw.rows, 300);
            EXPECT_LE(blot.raw.rows, 3000);
            smallest = std::min(smallest, blot.raw.cols);
            largest = std::max(largest, blot.raw.cols);
        }
        EXPECT_LT(smallest, largest) << toString(profile);
    }
}

TEST(SyntheticBlot, BandsLieInsideTheImageWithTheirCentreInTheBox) {
    for (const auto profile : kProfiles) {
        for (std::uint64_t seed = 1; seed <= 8; ++seed) {
            const auto blot = generate(smallParams(profile, seed));
            const cv::Rect image(0, 0, blot.raw.cols, blot.raw.rows);
            for (const auto& band : blot.bands) {
                EXPECT_EQ(band.box & image, band.box);
                EXPECT_TRUE(band.box.contains(
                    cv::Point(static_cast<int>(band.xCenterPx), static_cast<int>(band.yCenterPx))));
                EXPECT_GT(band.volume, 0.0);
                EXPECT_EQ(band.volume, std::round(band.volume)); // whole counts
                EXPECT_GE(band.sigmaYPx, 1.0);
                EXPECT_LE(band.sigmaYPx, 10.5);
                // The lane centre line at the band's height (lanes tilt with the gel).
                const auto& lane = blot.lanes[static_cast<std::size_t>(band.lane - 1)];
                const double tilt = std::tan(blot.scene.rotationDeg * std::numbers::pi / 180.0);
                const double laneX =
                    lane.xCenterPx - tilt * (band.yCenterPx - 0.5 * (blot.raw.rows - 1));
                EXPECT_NEAR(band.xCenterPx, laneX, 1.0);
                EXPECT_NEAR(band.widthPx, lane.widthPx, 1e-9);
            }
        }
    }
}

TEST(SyntheticBlot, CleanHasNoRotationSmileOrGradient) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const auto blot = generate(smallParams(SynthProfile::Clean, seed));
        EXPECT_EQ(blot.scene.rotationDeg, 0.0);
        EXPECT_EQ(blot.scene.smilePx, 0.0);
        EXPECT_EQ(blot.scene.blotches, 0);
        EXPECT_NEAR(blot.backgroundMean, blot.scene.backgroundOffset, 1e-3);
        EXPECT_FALSE(blot.params.saturate.value_or(true));
    }
}

TEST(SyntheticBlot, RealisticAndHardAreRotatedAndSmiling) {
    for (const auto profile : {SynthProfile::Realistic, SynthProfile::Hard}) {
        double maxRotation = 0.0;
        double maxSmile = 0.0;
        for (std::uint64_t seed = 1; seed <= 10; ++seed) {
            const auto blot = generate(smallParams(profile, seed));
            EXPECT_LE(std::abs(blot.scene.rotationDeg), 1.5);
            maxRotation = std::max(maxRotation, std::abs(blot.scene.rotationDeg));
            maxSmile = std::max(maxSmile, std::abs(blot.scene.smilePx));
        }
        EXPECT_GT(maxRotation, 0.3) << toString(profile);
        EXPECT_GT(maxSmile, 1.0) << toString(profile);
    }
}

// The truth check. In the ideal variant (SynthParams::isIdeal) the image is a flat
// whole-count background plus the bands, each band rendered and rounded to whole counts on
// its own and zero outside its box, without noise or clipping. So for a band whose box
// meets no other band's box, the sum over the box of (raw - background) is exactly its
// volume; over the whole image, it is the sum of all volumes, overlapping or not.
TEST(SyntheticBlot, IdealVolumesEqualTheSignalInTheirBoxes) {
    for (const auto profile : kProfiles) {
        int checked = 0;
        for (std::uint64_t seed = 1; seed <= 6; ++seed) {
            SynthParams params = smallParams(profile, seed);
            params.isIdeal = true;
            const auto blot = generate(params);
            ASSERT_EQ(blot.backgroundMean, std::round(blot.backgroundMean));
            double imageSignal = 0.0;
            for (int y = 0; y < blot.raw.rows; ++y) {
                for (int x = 0; x < blot.raw.cols; ++x) {
                    imageSignal += signalAt(blot, x, y);
                }
            }
            double volumes = 0.0;
            for (std::size_t i = 0; i < blot.bands.size(); ++i) {
                const TrueBand& band = blot.bands[i];
                volumes += band.volume;
                EXPECT_EQ(band.saturatedPixels, 0);
                if (!isIsolated(blot, i)) {
                    continue;
                }
                double boxSignal = 0.0;
                for (int y = band.box.y; y < band.box.br().y; ++y) {
                    for (int x = band.box.x; x < band.box.br().x; ++x) {
                        boxSignal += signalAt(blot, x, y);
                    }
                }
                EXPECT_NEAR(boxSignal, band.volume, 1e-6 * band.volume)
                    << toString(profile) << " seed " << seed << " lane " << band.lane << " row "
                    << band.row;
                ++checked;
            }
            EXPECT_NEAR(imageSignal, volumes, 1e-6 * volumes) << toString(profile);
        }
        EXPECT_GT(checked, 20) << toString(profile);
    }
}

TEST(SyntheticBlot, IdealBandHasNoSignalAroundItsBox) {
    for (const auto profile : kProfiles) {
        SynthParams params = smallParams(profile, 4);
        params.isIdeal = true;
        const auto blot = generate(params);
        const cv::Rect image(0, 0, blot.raw.cols, blot.raw.rows);
        for (std::size_t i = 0; i < blot.bands.size(); ++i) {
            const cv::Rect ring =
                cv::Rect(blot.bands[i].box.x - 1, blot.bands[i].box.y - 1,
                         blot.bands[i].box.width + 2, blot.bands[i].box.height + 2) &
                image;
            for (int y = ring.y; y < ring.br().y; ++y) {
                for (int x = ring.x; x < ring.br().x; ++x) {
                    bool inSomeBox = false;
                    for (const auto& band : blot.bands) {
                        inSomeBox = inSomeBox || band.box.contains({x, y});
                    }
                    if (!inSomeBox) {
                        EXPECT_EQ(signalAt(blot, x, y), 0.0) << x << "," << y;
                    }
                }
            }
        }
    }
}

TEST(SyntheticBlot, DarkBandsAreTheExactInverse) {
    for (const auto profile : kProfiles) {
        SynthParams params = smallParams(profile, 8);
        const auto light = generate(params);
        params.polarity = Polarity::DarkBands;
        const auto dark = generate(params);
        cv::Mat inverted;
        cv::subtract(cv::Scalar::all(65535), light.raw, inverted);
        EXPECT_TRUE(samePixels(dark.raw, inverted)) << toString(profile);
        EXPECT_EQ(dark.polarity, Polarity::DarkBands);
        EXPECT_EQ(dark.saturationLevel, 65535 - light.saturationLevel);
        EXPECT_DOUBLE_EQ(dark.backgroundMean, 65535 - light.backgroundMean);
        auto lightJson = toTruthJson(light);
        auto darkJson = toTruthJson(dark);
        EXPECT_EQ(lightJson["bands"], darkJson["bands"]);
        EXPECT_EQ(lightJson["lanes"], darkJson["lanes"]);
        EXPECT_EQ(darkJson["polarity"], "dark-bands");
    }
}

TEST(SyntheticBlot, SaturationIsFlaggedWhenBandsClip) {
    for (const auto profile : kProfiles) {
        for (std::uint64_t seed = 1; seed <= 5; ++seed) {
            SynthParams params = smallParams(profile, seed);
            params.saturate = true;
            const auto blot = generate(params);
            int flagged = 0;
            bool isOverTheTop = false; // a band clipped by its own signal
            for (const auto& band : blot.bands) {
                if (band.saturatedPixels == 0) {
                    continue;
                }
                ++flagged;
                isOverTheTop =
                    isOverTheTop || band.peak + blot.backgroundMean > blot.saturationLevel;
                double maxRaw = 0.0;
                cv::minMaxLoc(blot.raw(band.box), nullptr, &maxRaw);
                EXPECT_EQ(maxRaw, blot.saturationLevel);
                EXPECT_LE(band.saturatedPixels, band.box.area());
            }
            EXPECT_TRUE(isOverTheTop) << toString(profile) << " seed " << seed;
            EXPECT_GT(flagged, 0) << toString(profile) << " seed " << seed;
        }
    }
}

TEST(SyntheticBlot, NoBandClipsWithoutSaturation) {
    // `realistic` has no hot pixels, so nothing at all reaches the clipping level.
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        SynthParams params = smallParams(SynthProfile::Realistic, seed);
        params.saturate = false;
        const auto blot = generate(params);
        for (const auto& band : blot.bands) {
            EXPECT_EQ(band.saturatedPixels, 0);
        }
        double maxRaw = 0.0;
        cv::minMaxLoc(blot.raw, nullptr, &maxRaw);
        EXPECT_LT(maxRaw, blot.saturationLevel) << "seed " << seed;
    }
}

TEST(SyntheticBlot, OverridesOutOfRangeAreErrors) {
    SynthParams params;
    params.widthPx = 10;
    EXPECT_FALSE(generateSyntheticBlot(params).has_value());
    params = {};
    params.lanes = 65;
    EXPECT_FALSE(generateSyntheticBlot(params).has_value());
    params = {};
    params.widthPx = 100;
    params.lanes = 40; // 2.5 px per lane
    const auto crowded = generateSyntheticBlot(params);
    ASSERT_FALSE(crowded.has_value());
    EXPECT_NE(crowded.error().reason.find("lanes"), std::string::npos);
    params = {};
    params.bandRows = 13;
    EXPECT_FALSE(generateSyntheticBlot(params).has_value());
}

TEST(SyntheticBlot, OverridesAreHonoured) {
    SynthParams params = smallParams(SynthProfile::Hard, 2);
    params.lanes = 6;
    params.bandRows = 2;
    const auto blot = generate(params);
    EXPECT_EQ(blot.raw.cols, 640);
    EXPECT_EQ(blot.raw.rows, 480);
    EXPECT_EQ(blot.lanes.size(), 6U);
    EXPECT_EQ(blot.params.bandRows, 2);
}

TEST(SyntheticBlot, LargestImageGeneratesInReasonableTime) {
    for (const auto profile : kProfiles) {
        SynthParams params;
        params.profile = profile;
        params.seed = 1;
        params.widthPx = 4000;
        params.heightPx = 3000;
        const auto start = std::chrono::steady_clock::now();
        const auto blot = generate(params);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        EXPECT_EQ(blot.raw.cols, 4000);
        EXPECT_EQ(blot.raw.rows, 3000);
        std::printf("[ timing   ] %s 4000x3000: %.3f s, %zu lanes, %zu bands\n", toString(profile),
                    seconds, blot.lanes.size(), blot.bands.size());
    }
}

TEST(SynthTruth, JsonRoundTrips) {
    SynthParams params = smallParams(SynthProfile::Hard, 6);
    params.polarity = Polarity::DarkBands;
    const auto blot = generate(params);
    const nlohmann::json json = toTruthJson(blot);
    EXPECT_EQ(json["format"], "densito-synth-truth");
    EXPECT_EQ(json["version"], 1);
    EXPECT_EQ(json["seed"], 6);
    EXPECT_EQ(json["profile"], "hard");
    EXPECT_EQ(json["polarity"], "dark-bands");
    EXPECT_EQ(json["width"], 640);
    EXPECT_EQ(json["height"], 480);
    EXPECT_EQ(json["saturation_level"], blot.saturationLevel);
    EXPECT_EQ(json["background_mean"], blot.backgroundMean);
    ASSERT_EQ(json["lanes"].size(), blot.lanes.size());
    ASSERT_EQ(json["bands"].size(), blot.bands.size());
    const auto& band = json["bands"][0];
    for (const char* key : {"lane", "row", "x_center", "y_center", "sigma_y", "tau_y", "width",
                            "volume", "peak", "saturated_pixels", "box"}) {
        EXPECT_TRUE(band.contains(key)) << key;
    }
    EXPECT_EQ(band["box"]["width"], blot.bands[0].box.width);
    for (const char* key : {"index", "x_center", "width", "left", "right"}) {
        EXPECT_TRUE(json["lanes"][0].contains(key)) << key;
    }

    const auto parsed = synthTruthFromJson(nlohmann::json::parse(json.dump(2)));
    ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
    EXPECT_EQ(toTruthJson(*parsed), json);
    EXPECT_EQ(parsed->bands[3].box, blot.bands[3].box);
    EXPECT_EQ(parsed->bands[3].volume, blot.bands[3].volume);
    EXPECT_EQ(parsed->lanes[2].leftPx, blot.lanes[2].leftPx);
    EXPECT_EQ(parsed->polarity, Polarity::DarkBands);
}

TEST(SynthTruth, MissingFieldIsNamed) {
    nlohmann::json json = toTruthJson(generate(smallParams(SynthProfile::Clean, 1)));
    json["bands"][1].erase("volume");
    const auto parsed = synthTruthFromJson(json);
    ASSERT_FALSE(parsed.has_value());
    EXPECT_NE(parsed.error().reason.find("bands[1].volume"), std::string::npos)
        << parsed.error().reason;
    json = toTruthJson(generate(smallParams(SynthProfile::Clean, 1)));
    json["format"] = "something-else";
    EXPECT_FALSE(synthTruthFromJson(json).has_value());
    EXPECT_FALSE(synthTruthFromJson(nlohmann::json::array()).has_value());
}

TEST(TiffWriter, SixteenBitImageLoadsBackUnchanged) {
    densito::test::TempDir dir;
    const auto blot = generate(smallParams(SynthProfile::Realistic, 12));
    const auto path = dir / "blot.tif";
    const auto written = writeTiff16(path, blot.raw, "a description", "densito tests");
    ASSERT_TRUE(written.has_value()) << written.error().describe();
    const auto image = loadImage(path);
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_TRUE(samePixels(image->raw, blot.raw));
    EXPECT_EQ(image->metadata.bitsPerSample, 16);
    EXPECT_EQ(image->metadata.compression, "Deflate");
    EXPECT_EQ(image->metadata.photometric, Photometric::MinIsBlack);
    EXPECT_EQ(image->metadata.description, "a description");
    EXPECT_EQ(image->metadata.software, "densito tests");
    // Only the final file is left in the folder.
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        ++files;
    }
    EXPECT_EQ(files, 1);
}

TEST(TiffWriter, RefusesOtherTypesAndMissingFolders) {
    densito::test::TempDir dir;
    EXPECT_FALSE(writeTiff16(dir / "float.tif", cv::Mat::zeros(4, 4, CV_32FC1)).has_value());
    EXPECT_FALSE(writeTiff16(dir / "empty.tif", cv::Mat()).has_value());
    const auto missing = writeTiff16(dir / "no" / "such" / "x.tif", cv::Mat::zeros(4, 4, CV_16UC1));
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().subject, "x.tif");
}

} // namespace
