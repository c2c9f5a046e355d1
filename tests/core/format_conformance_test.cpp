// One blot, many encodings: however a lossless file stores the same pixels, Densito finds and
// measures the same bands, byte for byte in bands.csv.
#include "core/io/results_csv.h"
#include "core/pipeline/image_analysis.h"

#include "support/synthetic_blot.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

namespace densito {
namespace {

/// bands.csv and lanes.csv of one image, under a fixed image name so files compare.
std::string resultsOf(const std::filesystem::path& path, const AnalysisSettings& settings) {
    const auto result = analyzeImage(path, settings);
    if (!result) {
        ADD_FAILURE() << result.error().describe();
        return {};
    }
    const std::vector<NamedAnalysis> named = {{"blot", &result->analysis}};
    return lanesCsv(named) + bandsCsv(named);
}

struct Encoding {
    const char* name;
    test::TiffEncoding tiff;
};

TEST(FormatConformance, EveryLosslessEncodingGivesTheSameBands) {
    test::TempDir dir;
    test::SyntheticBlotSpec spec;
    spec.width = 320;
    spec.height = 200;
    spec.lanes = 7;
    const cv::Mat blot = test::makeSyntheticBlot(spec);
    const AnalysisSettings settings;

    const auto reference = dir / "reference.tif";
    test::writeTiff(reference, {blot});
    const std::string expected = resultsOf(reference, settings);
    ASSERT_NE(expected.find("\nblot,7,"), std::string::npos) << expected; // seven lanes found

    std::vector<Encoding> encodings;
    encodings.push_back({"lzw", {.compression = 5}});
    encodings.push_back({"lzw_predictor", {.compression = 5, .predictor = 2}});
    encodings.push_back({"deflate", {.compression = 8}});
    encodings.push_back({"packbits", {.compression = 32773}});
    encodings.push_back({"tiled", {.isTiled = true, .tileSize = 32}});
    encodings.push_back({"big_endian", {.isBigEndian = true}});
    encodings.push_back({"one_row_per_strip", {.rowsPerStrip = 1}});
    // The photometric tag is a display hint: the stored counts are measured as they are.
    encodings.push_back({"min_is_white", {.photometric = 0}});
    for (const Encoding& encoding : encodings) {
        const auto path = dir / (std::string(encoding.name) + ".tif");
        test::writeTiff(path, {blot}, encoding.tiff);
        EXPECT_EQ(resultsOf(path, settings), expected) << encoding.name;
    }

    cv::Mat asFloat;
    blot.convertTo(asFloat, CV_32F); // every 16-bit count is exact in float32
    const auto floatPath = dir / "float32.tif";
    test::writeTiff(floatPath, {asFloat});
    EXPECT_EQ(resultsOf(floatPath, settings), expected) << "float32";

    const auto pngPath = dir / "sixteen_bit.png";
    ASSERT_TRUE(cv::imwrite(pngPath.string(), blot));
    EXPECT_EQ(resultsOf(pngPath, settings), expected) << "16-bit PNG";

    // Page 1 of a two-page file (a second channel behind it).
    const auto pagesPath = dir / "two_pages.tif";
    test::writeTiff(pagesPath, {blot, test::invert16(blot)});
    EXPECT_EQ(resultsOf(pagesPath, settings), expected) << "page 1 of 2";
}

} // namespace
} // namespace densito
