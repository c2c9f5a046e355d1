// Loads every image of the real public blots (../shared/real_blots) and checks what the
// loader and the signal model say against each folder's SOURCE.md and INDEX.md. Skipped
// cleanly when the folder is absent (a clean clone elsewhere).

#include "core/image/image_loader.h"
#include "core/image/signal.h"
#include "core/io/sha256.h"
#include "core/pipeline/image_inspection.h"

#include "file_bytes.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace densito {
namespace {

const std::filesystem::path kRealBlots = DENSITO_REAL_BLOTS_DIR;

/// What SOURCE.md (and INDEX.md) say about one image.
struct RealBlot {
    const char* path; ///< relative to the real_blots folder
    FileFormat format;
    int width;
    int height;
    int bitsPerSample;
    Photometric photometric;
    Polarity polarity;
    std::optional<double> minRaw = {}; ///< "Values a–b" in SOURCE.md
    std::optional<double> maxRaw = {};
    std::optional<double> medianRaw = {}; ///< "median about m" (checked within 10%)
};

/// Names the image in test output and ctest test names (instead of the struct's bytes).
void PrintTo(const RealBlot& blot, std::ostream* out) {
    *out << blot.path;
}

constexpr auto kTiff = FileFormat::Tiff;
constexpr auto kPng = FileFormat::Png;
constexpr auto kLight = Polarity::LightBands;
constexpr auto kDark = Polarity::DarkBands;
constexpr auto kMinIsBlack = Photometric::MinIsBlack;
constexpr auto kMinIsWhite = Photometric::MinIsWhite;
constexpr auto kRgb = Photometric::Rgb;
constexpr auto kPalette = Photometric::Palette;

#define ZDF "zdf_beta_adrenoceptor_alphainnotech/images/"

// Every image in the folder. The Amersham (and Bio-Rad) raw files carry the min-is-white tag
// over raw counts, so they are light bands all the same; the ZDF ANNOTATED_8bit file is an
// inverted palette export with dark bands; the journal figures are RGB.
const std::vector<RealBlot> kRealBlotTable = {
    {"a1at_standard_dilution_gelblotanalyzer/TEST_GEL_AK_original.png", kPng, 1364, 811, 16, kRgb,
     kDark, std::nullopt, 61622.0},
    {"amersham_iq800_actin_csitron/antiActin_20240710_131425_Ch_Chemi.tif", kTiff, 1200, 1648, 16,
     kMinIsWhite, kLight, 5.0, 30080.0, 57.0},
    {"amersham_iq800_rhoa_pysternblot/rhoa_20260220_131003_Ch_Chemi.tif", kTiff, 1200, 1648, 16,
     kMinIsWhite, kLight, 25.0, 29736.0, 3008.0},
    {"chemidoc_xrs_biorad1sc/test4_imglab_analysis.tif", kTiff, 696, 520, 16, kMinIsWhite, kLight,
     0.0, 64024.0, 236.0},
    {"coomassie_protease_gelquant_elife/gel-example.png", kPng, 601, 974, 8, kRgb, kDark},
    {"plos_one_raw_blots_ccby/pone.0237759.s005.tif", kTiff, 4800, 4800, 8, kRgb, kDark},
    {"plos_one_raw_blots_ccby/pone.0265461.g006.tif", kTiff, 3000, 1625, 8, kRgb, kDark},
    {ZDF "B1AR_2013-03-19_16wbottom_ANNOTATED_8bit.tif", kTiff, 1092, 736, 8, kPalette, kDark},
    {ZDF "B1AR_2013-03-19_16wbottom_GAPDH.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B1AR_2013-05-30_10wtop_16wbottom.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B1AR_2013-05-30_10wtop_16wbottom_GAPDH.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B1AR_2013-07-04_10wtop_16wbottom.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B1AR_2013-07-04_10wtop_16wbottom_GAPDH.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B1AR_2013-07-23_10wtop_10wbottom.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B1AR_2013-07-23_10wtop_10wbottom_GAPDH.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B1AR_2013-07-24_16wbottom.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B1AR_2013-07-24_16wbottom_GAPDH.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B1AR_2013-10-02_sheetOct1_B1ARtop_GAPDHbottom.tif", kTiff, 1092, 736, 16, kMinIsBlack,
     kLight},
    {ZDF "B1AR_2013-10-08_B1ARtop_GAPDHbottom.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B2AR_2013-04-22_10wtop_16wbottom.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B2AR_2013-04-22_10wtop_16wbottom_GAPDH.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B3AR_2013-06-25_10wtop_16wbottom.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
    {ZDF "B3AR_2013-06-25_10wtop_16wbottom_GAPDH.tif", kTiff, 1092, 736, 16, kMinIsBlack, kLight},
};

#undef ZDF

bool hasRealBlots() {
    return std::filesystem::is_directory(kRealBlots);
}

double medianOf(const cv::Mat& raw) {
    std::vector<float> values;
    raw.reshape(1, 1).convertTo(values, CV_32F);
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return static_cast<double>(*middle);
}

bool hasWarningContaining(const std::vector<std::string>& warnings, const std::string& text) {
    return std::any_of(warnings.begin(), warnings.end(), [&](const std::string& warning) {
        return warning.find(text) != std::string::npos;
    });
}

class RealBlots : public testing::TestWithParam<RealBlot> {};

TEST_P(RealBlots, MetadataAndPolarityMatchTheSource) {
    if (!hasRealBlots()) {
        GTEST_SKIP() << kRealBlots << " is absent";
    }
    const RealBlot& expected = GetParam();
    const auto path = kRealBlots / expected.path;
    ASSERT_TRUE(std::filesystem::exists(path)) << path << " is listed but missing";

    const auto image = loadImage(path);
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    const ImageMetadata& meta = image->metadata;
    EXPECT_EQ(meta.format, expected.format);
    EXPECT_EQ(meta.width, expected.width);
    EXPECT_EQ(meta.height, expected.height);
    EXPECT_EQ(image->raw.cols, expected.width);
    EXPECT_EQ(image->raw.rows, expected.height);
    EXPECT_EQ(meta.bitsPerSample, expected.bitsPerSample);
    EXPECT_EQ(image->raw.depth(), expected.bitsPerSample == 8 ? CV_8U : CV_16U);
    EXPECT_EQ(meta.photometric, expected.photometric);
    EXPECT_EQ(meta.pageCount, 1);
    EXPECT_FALSE(meta.lossy);
    EXPECT_EQ(meta.sha256, sha256Hex(test::readFileBytes(path)));
    EXPECT_EQ(meta.fileSizeBytes, std::filesystem::file_size(path));

    // Raw values as SOURCE.md gives them (so the min-is-white tag did not invert anything).
    double low = 0;
    double high = 0;
    cv::minMaxLoc(image->raw, &low, &high, nullptr, nullptr, image->validMask);
    if (expected.minRaw) {
        EXPECT_EQ(low, *expected.minRaw);
    }
    if (expected.maxRaw) {
        EXPECT_EQ(high, *expected.maxRaw);
    }
    if (expected.medianRaw) {
        EXPECT_NEAR(medianOf(image->raw), *expected.medianRaw, 0.1 * *expected.medianRaw);
    }

    // Colour and palette files are pictures, and the loader says so.
    const bool isPicture = expected.photometric == kRgb || expected.photometric == kPalette;
    EXPECT_EQ(hasWarningContaining(image->warnings, "not raw detector data"), isPicture);

    std::vector<std::string> warnings;
    const SignalModel signal = describeSignal(*image, PolarityMode::Auto, warnings);
    EXPECT_EQ(signal.polarity, expected.polarity)
        << "polarity score " << signal.polarityScore
        << " (INDEX.md: " << (expected.polarity == kLight ? "light on dark" : "dark on light")
        << ")";
    EXPECT_TRUE(signal.isPolarityConfident) << "score " << signal.polarityScore;
    EXPECT_TRUE(warnings.empty());
}

std::string testName(const testing::TestParamInfo<RealBlot>& blot) {
    std::string name = std::filesystem::path(blot.param.path).stem().string();
    std::replace_if(
        name.begin(), name.end(),
        [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; }, '_');
    return name;
}

INSTANTIATE_TEST_SUITE_P(SourceMd, RealBlots, testing::ValuesIn(kRealBlotTable), testName);

TEST(RealBlotsFolder, EveryImageIsInTheTable) {
    if (!hasRealBlots()) {
        GTEST_SKIP() << kRealBlots << " is absent";
    }
    std::set<std::string> listed;
    for (const RealBlot& blot : kRealBlotTable) {
        listed.insert(blot.path);
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(kRealBlots)) {
        if (entry.is_regular_file() && hasImageExtension(entry.path())) {
            const std::string relative =
                entry.path().lexically_relative(kRealBlots).generic_string();
            EXPECT_TRUE(listed.contains(relative)) << relative << " has no expectations";
        }
    }
}

TEST(RealBlotsFolder, AmershamMinIsWhiteHoldsRawCounts) {
    if (!hasRealBlots()) {
        GTEST_SKIP() << kRealBlots << " is absent";
    }
    // The ImageQuant 800 tags min-is-white, yet its bands are the brightest pixels: kept as
    // stored, the strongest band is far above the background median, and the pipeline sees
    // light bands from the pixels.
    for (const char* file : {"amersham_iq800_actin_csitron/antiActin_20240710_131425_Ch_Chemi.tif",
                             "amersham_iq800_rhoa_pysternblot/rhoa_20260220_131003_Ch_Chemi.tif"}) {
        SCOPED_TRACE(file);
        const auto image = loadImage(kRealBlots / file);
        ASSERT_TRUE(image.has_value()) << image.error().describe();
        EXPECT_EQ(image->metadata.photometric, Photometric::MinIsWhite);
        EXPECT_EQ(image->metadata.model, "Amersham ImageQuant 800");
        EXPECT_EQ(image->metadata.software, "Amersham ImageQuant 800 Control Software V2.0.0");
        double high = 0;
        cv::minMaxLoc(image->raw, nullptr, &high);
        EXPECT_GT(high, 5.0 * medianOf(image->raw));

        InspectionSettings settings;
        const auto inspection = inspectImage(kRealBlots / file, settings);
        ASSERT_TRUE(inspection.has_value()) << inspection.error().describe();
        EXPECT_EQ(inspection->signal.polarity, Polarity::LightBands);
        EXPECT_TRUE(inspection->signal.isPolarityFromPixels);
        EXPECT_EQ(inspection->signal.saturationRaw, 65535.0);
        EXPECT_EQ(inspection->signal.saturatedPixels, 0u);
    }
}

TEST(RealBlotsFolder, ChemiDocTagsAreKept) {
    if (!hasRealBlots()) {
        GTEST_SKIP() << kRealBlots << " is absent";
    }
    const auto image = loadImage(kRealBlots / "chemidoc_xrs_biorad1sc/test4_imglab_analysis.tif");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    EXPECT_EQ(image->metadata.make, "Bio-Rad Laboratories");
    EXPECT_EQ(image->metadata.model, "ChemiDoc XRS");
    EXPECT_EQ(image->metadata.software, "ImageLab");
}

TEST(RealBlotsFolder, GelPngPaddingIsMaskedOut) {
    if (!hasRealBlots()) {
        GTEST_SKIP() << kRealBlots << " is absent";
    }
    // SOURCE.md: the tool added transparent padding of 99 px left, 98 px right, 113 px top.
    const auto image =
        loadImage(kRealBlots / "a1at_standard_dilution_gelblotanalyzer/TEST_GEL_AK_original.png");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    ASSERT_FALSE(image->validMask.empty());
    const cv::Rect content(99, 113, 1364 - 99 - 98, 811 - 113);
    EXPECT_EQ(cv::countNonZero(image->validMask), content.area());
    EXPECT_EQ(cv::countNonZero(image->validMask(content)), content.area());
}

TEST(RealBlotsFolder, JournalFigureResolutionIsKept) {
    if (!hasRealBlots()) {
        GTEST_SKIP() << kRealBlots << " is absent";
    }
    // SOURCE.md: pone.0265461.g006 is 600 dpi.
    const auto image = loadImage(kRealBlots / "plos_one_raw_blots_ccby/pone.0265461.g006.tif");
    ASSERT_TRUE(image.has_value()) << image.error().describe();
    ASSERT_TRUE(image->metadata.xResolution.has_value());
    EXPECT_DOUBLE_EQ(*image->metadata.xResolution, 600.0);
    EXPECT_EQ(image->metadata.resolutionUnit, "inch");
    EXPECT_EQ(image->metadata.compression, "LZW");
}

} // namespace
} // namespace densito
