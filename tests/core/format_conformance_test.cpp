// One blot, many encodings: however a lossless file stores the same pixels, Densito finds and
// measures the same bands, byte for byte in bands.csv. Exports to 8 bits or RGB find the same
// lanes and band rows, with proportional volumes and a warning saying what the file is.
#include "core/image/image_loader.h"
#include "core/io/results_csv.h"
#include "core/pipeline/image_analysis.h"

#include "support/synthetic_blot.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <string>
#include <utility>
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

using CsvRows = std::vector<std::vector<std::string>>;

/// The data rows of a CSV text without quoted fields, split at commas.
CsvRows csvRows(const std::string& text) {
    CsvRows rows;
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line); // header
    while (std::getline(lines, line)) {
        std::vector<std::string> cells;
        std::istringstream fields(line);
        std::string cell;
        while (std::getline(fields, cell, ',')) {
            cells.push_back(cell);
        }
        if (line.ends_with(',')) {
            cells.emplace_back(); // an empty last field (no flags)
        }
        rows.push_back(std::move(cells));
    }
    return rows;
}

// lanes.csv columns: image,lane,x_center,left,right,strip,kind,confidence.
// bands.csv columns: image,lane,band,x,y,width,height,volume,strip,background,peak,...
constexpr std::size_t kCentreColumn = 2;
constexpr std::size_t kLeftColumn = 3;
constexpr std::size_t kRightColumn = 4;
constexpr std::size_t kStripLaneColumn = 5;
constexpr std::size_t kBoxFirstColumn = 3;
constexpr std::size_t kVolumeColumn = 7;
constexpr std::size_t kStripColumn = 8;

/// The warnings loading `path` gives (empty, with a failure, when it does not load).
std::vector<std::string> loadWarnings(const std::filesystem::path& path) {
    const auto image = loadImage(path);
    if (!image) {
        ADD_FAILURE() << image.error().describe();
        return {};
    }
    return image->warnings;
}

/// 16-bit counts reduced to 8 bits by dropping the low byte, as a plain 16-to-8-bit save does.
cv::Mat highByteOf(const cv::Mat& counts) {
    cv::Mat highByte(counts.size(), CV_8UC1);
    counts.forEach<std::uint16_t>([&](std::uint16_t value, const int* at) {
        highByte.at<std::uint8_t>(at[0], at[1]) = static_cast<std::uint8_t>(value >> 8);
    });
    return highByte;
}

cv::Mat greyAsRgb(const cv::Mat& grey) {
    cv::Mat colour;
    cv::merge(std::vector<cv::Mat>{grey, grey, grey}, colour);
    return colour;
}

constexpr const char* kRgbTiffWarning =
    "colour (RGB) image read as luminance: this is an exported picture, not raw detector data";
constexpr const char* kRgbPngWarning =
    "grey values stored as RGB: this is an exported picture, not raw detector data";

test::SyntheticBlotSpec conformanceSpec() {
    test::SyntheticBlotSpec spec;
    spec.width = 320;
    spec.height = 200;
    spec.lanes = 7;
    return spec;
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

// Grey values stored as RGB (8- or 16-bit, TIFF or PNG), or as 8-bit PNG instead of 8-bit TIFF,
// are the same values: byte-identical results, and each load says what the file is.
TEST(FormatConformance, RgbAndEightBitCopiesOfTheSameValuesGiveTheSameBands) {
    test::TempDir dir;
    const cv::Mat blot = test::makeSyntheticBlot(conformanceSpec());
    const cv::Mat highByte = highByteOf(blot);
    const AnalysisSettings settings;
    const std::string eightBit(kEightBitWarning);
    test::TiffEncoding rgb;
    rgb.photometric = 2;

    const auto grey16 = dir / "grey16.tif";
    test::writeTiff(grey16, {blot});
    EXPECT_EQ(loadWarnings(grey16), std::vector<std::string>{});
    const auto rgb16 = dir / "rgb16.tif";
    test::writeTiff(rgb16, {greyAsRgb(blot)}, rgb);
    EXPECT_EQ(loadWarnings(rgb16), std::vector<std::string>{kRgbTiffWarning});
    const std::string expected16 = resultsOf(grey16, settings);
    ASSERT_NE(expected16.find("\nblot,7,"), std::string::npos) << expected16;
    EXPECT_EQ(resultsOf(rgb16, settings), expected16) << "RGB 16-bit TIFF";

    const auto grey8 = dir / "grey8.tif";
    test::writeTiff(grey8, {highByte});
    EXPECT_EQ(loadWarnings(grey8), std::vector<std::string>{eightBit});
    const std::string expected8 = resultsOf(grey8, settings);
    ASSERT_NE(expected8.find("\nblot,7,"), std::string::npos) << expected8;

    const auto grey8Png = dir / "grey8.png";
    ASSERT_TRUE(cv::imwrite(grey8Png.string(), highByte));
    EXPECT_EQ(loadWarnings(grey8Png), std::vector<std::string>{eightBit});
    EXPECT_EQ(resultsOf(grey8Png, settings), expected8) << "8-bit grey PNG";

    const auto rgb8 = dir / "rgb8.tif";
    test::writeTiff(rgb8, {greyAsRgb(highByte)}, rgb);
    EXPECT_EQ(loadWarnings(rgb8), std::vector<std::string>{kRgbTiffWarning});
    EXPECT_EQ(resultsOf(rgb8, settings), expected8) << "RGB 8-bit TIFF";

    const auto rgb8Png = dir / "rgb8.png";
    ASSERT_TRUE(cv::imwrite(rgb8Png.string(), greyAsRgb(highByte)));
    EXPECT_EQ(loadWarnings(rgb8Png), std::vector<std::string>{kRgbPngWarning});
    EXPECT_EQ(resultsOf(rgb8Png, settings), expected8) << "RGB 8-bit PNG";
}

/// lanes.csv and bands.csv rows of one image, under a fixed image name so rows compare.
std::pair<CsvRows, CsvRows> rowsOf(const std::filesystem::path& path) {
    const auto result = analyzeImage(path, AnalysisSettings{});
    if (!result) {
        ADD_FAILURE() << result.error().describe();
        return {};
    }
    const std::vector<NamedAnalysis> named = {{"blot", &result->analysis}};
    return {csvRows(lanesCsv(named)), csvRows(bandsCsv(named))};
}

// An 8-bit export of the 16-bit blot finds the same lanes and the same band rows in each lane,
// with volumes proportional to the 16-bit ones. Lane edges and band boxes are NOT the same to
// the pixel: quantising to 256 levels moves lane edges by up to 0.5 px and band boxes by 2 px
// (printed below), so boxes are reported here, not compared.
TEST(FormatConformance, EightBitExportsFindTheSameLanesAndBandRowsWithProportionalVolumes) {
    test::TempDir dir;
    const cv::Mat blot = test::makeSyntheticBlot(conformanceSpec());
    const auto grey16 = dir / "grey16.tif";
    test::writeTiff(grey16, {blot});
    const auto [lanes16, bands16] = rowsOf(grey16);
    ASSERT_EQ(lanes16.size(), 7u);
    ASSERT_EQ(bands16.size(), 14u); // two band rows in seven lanes

    // An imager's export for figures stretches the range present to 0-255.
    double low = 0;
    double high = 0;
    cv::minMaxLoc(blot, &low, &high);
    const double stretch = 255.0 / (high - low);
    cv::Mat stretched;
    blot.convertTo(stretched, CV_8U, stretch, -low * stretch);

    struct Export {
        const char* name;
        std::filesystem::path path;
        double valueScale; ///< export value per 16-bit count
    };
    const std::vector<Export> exports = {
        {"8-bit TIFF, high byte", dir / "high_byte.tif", 1.0 / 256.0},
        {"8-bit PNG, stretched", dir / "stretched.png", stretch},
    };
    test::writeTiff(exports[0].path, {highByteOf(blot)});
    ASSERT_TRUE(cv::imwrite(exports[1].path.string(), stretched));

    // Measured: at most 2.1% (high byte) and 1.5% (stretched), from band boxes a pixel apart.
    constexpr double kVolumeTolerance = 0.03;
    for (const Export& format : exports) {
        SCOPED_TRACE(format.name);
        EXPECT_EQ(loadWarnings(format.path),
                  std::vector<std::string>{std::string(kEightBitWarning)});
        const auto [lanes, bands] = rowsOf(format.path);
        ASSERT_EQ(lanes.size(), lanes16.size());
        double laneShiftPx = 0;
        for (std::size_t i = 0; i < lanes.size(); ++i) {
            EXPECT_EQ(lanes[i][1], lanes16[i][1]);
            EXPECT_EQ(lanes[i][kStripLaneColumn], lanes16[i][kStripLaneColumn]);
            for (const std::size_t column : {kCentreColumn, kLeftColumn, kRightColumn}) {
                laneShiftPx = std::max(laneShiftPx, std::abs(std::stod(lanes[i][column]) -
                                                             std::stod(lanes16[i][column])));
            }
        }
        ASSERT_EQ(bands.size(), bands16.size());
        double boxShiftPx = 0;
        double worstVolume = 0;
        for (std::size_t i = 0; i < bands.size(); ++i) {
            // lane, band row and strip: the same band in the same lane.
            EXPECT_EQ(bands[i][1], bands16[i][1]) << "band " << i;
            EXPECT_EQ(bands[i][2], bands16[i][2]) << "band " << i;
            EXPECT_EQ(bands[i][kStripColumn], bands16[i][kStripColumn]) << "band " << i;
            for (std::size_t column = kBoxFirstColumn; column < kVolumeColumn; ++column) {
                boxShiftPx = std::max(boxShiftPx, std::abs(std::stod(bands[i][column]) -
                                                           std::stod(bands16[i][column])));
            }
            const double ratio = std::stod(bands[i][kVolumeColumn]) /
                                 (std::stod(bands16[i][kVolumeColumn]) * format.valueScale);
            worstVolume = std::max(worstVolume, std::abs(ratio - 1.0));
        }
        std::printf("%-22s lane edges moved <= %.2f px, band boxes <= %.0f px, volumes within "
                    "%.2f%% of proportional\n",
                    format.name, laneShiftPx, boxShiftPx, 100.0 * worstVolume);
        EXPECT_LE(worstVolume, kVolumeTolerance);
    }
}

} // namespace
} // namespace densito
