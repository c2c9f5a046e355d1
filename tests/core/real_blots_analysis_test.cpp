// Lane and strip counts on the real public blots, where SOURCE.md states them and the automatic
// analysis already gets them (the others are listed in README "Status"). Skipped when
// ../shared/real_blots is absent.
#include "core/pipeline/image_analysis.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace densito {
namespace {

const std::filesystem::path kRealBlots = DENSITO_REAL_BLOTS_DIR;

TEST(RealBlotAnalysis, AmershamActinHasEightLanesWithOneStrongBandEach) {
    const auto file =
        kRealBlots / "amersham_iq800_actin_csitron" / "antiActin_20240710_131425_Ch_Chemi.tif";
    if (!std::filesystem::exists(file)) {
        GTEST_SKIP() << "real blots not present at " << kRealBlots;
    }
    const auto result = analyzeImage(file, {});
    ASSERT_TRUE(result.has_value()) << result.error().describe();
    // SOURCE.md: "An actin western with 8 lanes: one clean strong band per lane".
    EXPECT_EQ(result->analysis.lanes.size(), 8u);
    int strongRow = 0;
    for (const Band& band : result->analysis.bands) {
        if (band.row == 1) {
            ++strongRow;
            EXPECT_EQ(band.flags & (kBandSaturated | kBandWeak), 0u) << "lane " << band.lane;
        }
    }
    EXPECT_EQ(strongRow, 8);
}

TEST(RealBlotAnalysis, A1atStandardSeriesHasEightLanes) {
    const auto file =
        kRealBlots / "a1at_standard_dilution_gelblotanalyzer" / "TEST_GEL_AK_original.png";
    if (!std::filesystem::exists(file)) {
        GTEST_SKIP() << "real blots not present at " << kRealBlots;
    }
    const auto result = analyzeImage(file, {});
    ASSERT_TRUE(result.has_value()) << result.error().describe();
    // SOURCE.md: "M | 250 | 500 | 1000 | 2000 | 4000 | 8000 | M".
    EXPECT_EQ(result->analysis.lanes.size(), 8u);
}

TEST(RealBlotAnalysis, RhoaImageHoldsTwoMembranes) {
    const auto file =
        kRealBlots / "amersham_iq800_rhoa_pysternblot" / "rhoa_20260220_131003_Ch_Chemi.tif";
    if (!std::filesystem::exists(file)) {
        GTEST_SKIP() << "real blots not present at " << kRealBlots;
    }
    const auto result = analyzeImage(file, {});
    ASSERT_TRUE(result.has_value()) << result.error().describe();
    // SOURCE.md: a top membrane and a bottom membrane, 6 lanes each.
    ASSERT_EQ(result->analysis.strips.size(), 2u);
    EXPECT_LT(result->analysis.strips[0].region.y, result->analysis.strips[1].region.y);
}

// One membrane lit more on its right than its left: its dim side is membrane, not tray, so
// the strip is the whole image (the step at a tray edge is missing at the split's outline).
TEST(RealBlotAnalysis, ChemiDocMembraneLitFromOneSideIsOneWholeStrip) {
    const auto file = kRealBlots / "chemidoc_xrs_biorad1sc" / "test4_imglab_analysis.tif";
    if (!std::filesystem::exists(file)) {
        GTEST_SKIP() << "real blots not present at " << kRealBlots;
    }
    const auto result = analyzeImage(file, {});
    ASSERT_TRUE(result.has_value()) << result.error().describe();
    ASSERT_EQ(result->analysis.strips.size(), 1u);
    EXPECT_EQ(result->analysis.strips[0].region, cv::Rect(0, 0, 696, 520));
}

// SOURCE.md: "each image holds two membrane strips, top and bottom, with 9 lanes each"; these
// four receptor images show the membranes glowing above the tray (the GAPDH images do not).
TEST(RealBlotAnalysis, ZdfReceptorImagesHoldTwoStrips) {
    const auto folder = kRealBlots / "zdf_beta_adrenoceptor_alphainnotech" / "images";
    if (!std::filesystem::exists(folder)) {
        GTEST_SKIP() << "real blots not present at " << kRealBlots;
    }
    for (const char* name :
         {"B1AR_2013-05-30_10wtop_16wbottom.tif", "B1AR_2013-07-04_10wtop_16wbottom.tif",
          "B1AR_2013-07-23_10wtop_10wbottom.tif", "B3AR_2013-06-25_10wtop_16wbottom.tif"}) {
        const auto result = analyzeImage(folder / name, {});
        ASSERT_TRUE(result.has_value()) << result.error().describe();
        ASSERT_EQ(result->analysis.strips.size(), 2u) << name;
        const cv::Rect& top = result->analysis.strips[0].region;
        EXPECT_LE(top.y + top.height, result->analysis.strips[1].region.y + 2) << name;
    }
}

} // namespace
} // namespace densito
