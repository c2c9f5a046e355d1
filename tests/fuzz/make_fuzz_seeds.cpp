// Writes the fuzzers' seed corpora (tests/fuzz/corpus/<target>/), small valid inputs of
// every kind each reader handles, so that fuzzing starts from deep inside the formats:
//   densito_fuzz_seeds tests/fuzz/corpus
// The seeds are committed; this program documents where they came from and remakes them.
#include "core/io/project_file.h"
#include "core/pipeline/image_analysis.h"

#include "support/synthetic_blot.h"
#include "support/tiff_writer.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;
using densito::test::TiffEncoding;

namespace {

void writeBytes(const fs::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

void writeEncoded(const fs::path& path, const cv::Mat& image, const std::vector<int>& params) {
    std::vector<std::uint8_t> bytes;
    if (!cv::imencode(path.extension().string(), image, bytes, params)) {
        throw std::runtime_error("cannot encode " + path.string());
    }
    writeBytes(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string readText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

cv::Mat smallBlot() {
    densito::test::SyntheticBlotSpec spec;
    spec.width = 64;
    spec.height = 40;
    spec.lanes = 4;
    spec.bandRows = 2;
    return densito::test::makeSyntheticBlot(spec);
}

cv::Mat toEightBit(const cv::Mat& blot) {
    cv::Mat eight;
    blot.convertTo(eight, CV_8U, 1.0 / 257.0);
    return eight;
}

cv::Mat toColour(const cv::Mat& grey) {
    cv::Mat colour;
    cv::cvtColor(grey, colour, cv::COLOR_GRAY2BGR);
    return colour;
}

void writeTiffSeeds(const fs::path& folder) {
    const cv::Mat blot = smallBlot();
    cv::Mat asFloat;
    blot.convertTo(asFloat, CV_32F);
    const auto tiff = [&](const std::string& name, const std::vector<cv::Mat>& pages,
                          TiffEncoding encoding) {
        densito::test::writeTiff(folder / (name + ".tif"), pages, encoding);
    };
    tiff("uncompressed", {blot}, {});
    tiff("lzw", {blot}, {.compression = 5});
    tiff("lzw_predictor", {blot}, {.compression = 5, .predictor = 2});
    tiff("deflate", {blot}, {.compression = 8});
    tiff("packbits", {blot}, {.compression = 32773});
    tiff("tiled", {blot}, {.isTiled = true, .tileSize = 16});
    tiff("big_endian", {blot}, {.isBigEndian = true});
    tiff("row_per_strip", {blot}, {.rowsPerStrip = 1});
    tiff("min_is_white", {densito::test::invert16(blot)}, {.photometric = 0});
    tiff("float32", {asFloat}, {});
    tiff("eight_bit", {toEightBit(blot)}, {});
    cv::Mat rgb16;
    cv::merge(std::vector<cv::Mat>{blot, blot, blot}, rgb16);
    tiff("rgb16_separate_planes", {rgb16}, {.photometric = 2, .isSeparatePlanes = true});
    tiff("rgb8", {toColour(toEightBit(blot))}, {.photometric = 2});
    tiff("two_pages", {blot, densito::test::invert16(blot)}, {.compression = 5});
    tiff("resolution", {blot}, {.xResolution = 300.0F});
}

void writePngAndJpegSeeds(const fs::path& pngFolder, const fs::path& jpegFolder) {
    const cv::Mat blot = smallBlot();
    const cv::Mat eight = toEightBit(blot);
    cv::Mat withAlpha;
    cv::cvtColor(eight, withAlpha, cv::COLOR_GRAY2BGRA);
    writeEncoded(pngFolder / "grey16.png", blot, {});
    writeEncoded(pngFolder / "grey8.png", eight, {});
    writeEncoded(pngFolder / "colour8.png", toColour(eight), {});
    writeEncoded(pngFolder / "colour16.png", toColour(blot), {});
    writeEncoded(pngFolder / "colour_alpha.png", withAlpha, {});
    writeEncoded(jpegFolder / "grey.jpg", eight, {cv::IMWRITE_JPEG_QUALITY, 90});
    writeEncoded(jpegFolder / "colour.jpg", toColour(eight), {cv::IMWRITE_JPEG_QUALITY, 75});
    writeEncoded(jpegFolder / "progressive.jpg", eight, {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
}

// Layout inputs are blots.csv, a NUL byte, then samples.csv (fuzz_layout.cpp).
void writeLayoutSeeds(const fs::path& folder, const fs::path& sourceDir) {
    const auto pair = [&](const std::string& name, std::string_view blots,
                          std::string_view samples) {
        writeBytes(folder / (name + ".csvpair"),
                   std::string(blots) + std::string(1, '\0') + std::string(samples));
    };
    pair("sample_experiment", readText(sourceDir / "sample_blots/experiment/blots.csv"),
         readText(sourceDir / "sample_blots/experiment/samples.csv"));
    pair("zdf_regions", readText(sourceDir / "tests/data/zdf_b1ar/blots.csv"),
         readText(sourceDir / "tests/data/zdf_b1ar/samples.csv"));
    pair("excel_semicolons_bom_crlf",
         "\xEF\xBB\xBFimage;membrane;target;measure;site;band;strip\r\n"
         "a.tif;M1;p-Akt;phospho;Ser473;1;1\r\nb.tif;M1;Akt;total;;auto;1\r\n"
         "c.tif;M1;GAPDH;loading;;;2\r\n",
         "membrane;lane;sample;condition;replicate;load\r\n"
         "M1;1;c1;control;1;10,5\r\nM1;2;t1;treated;1;21\r\n"
         "M1;3;c2;Control;2;\r\nM1;4;t2;treated;2;\r\n");
    pair("quoted_fields",
         "image,membrane,target,measure,region\n"
         "\"pair.tif\",M2,\"p-mTOR Ser2448\",phospho,\"0;0;300;40\"\n"
         "pair.tif,M2,mTOR,total,\"0;40;300;35.6\"\n",
         "membrane,lane,sample,condition,replicate\n"
         "M2,1,\"a, b\",control,r1\nM2,2,\"say \"\"x\"\"\",drug,r1\n");
}

void writeProjectSeeds(const fs::path& folder, const fs::path& tiffFolder) {
    densito::Project project;
    for (const char* name : {"lzw.tif", "two_pages.tif"}) {
        const auto result = densito::analyzeImage(tiffFolder / name, project.settings);
        if (!result) {
            throw std::runtime_error(result.error().describe());
        }
        project.images.push_back(densito::projectImageOf(*result, project.settings));
    }
    project.images[1].settings.inspection.load.pageIndex = 1;
    const auto write = [&](const std::string& name) {
        writeBytes(folder / name, densito::toJson(project, tiffFolder).dump(2));
    };
    write("two_images.densito");
    densito::ProjectLayout layout;
    layout.blotsCsv = "image,membrane,target,measure\nlzw.tif,M1,Akt,total\n"
                      "two_pages.tif,M1,GAPDH,loading\n";
    layout.samplesCsv = "membrane,lane,sample,condition,replicate\nM1,1,a,control,1\n"
                        "M1,2,b,drug,1\n";
    layout.control = "control";
    project.layout = layout;
    write("with_layout.densito");
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: densito_fuzz_seeds CORPUS_FOLDER\n";
        return 2;
    }
    try {
        const fs::path corpus = argv[1];
        for (const char* target : {"tiff", "png", "jpeg", "layout", "project"}) {
            fs::create_directories(corpus / target);
        }
        writeTiffSeeds(corpus / "tiff");
        writePngAndJpegSeeds(corpus / "png", corpus / "jpeg");
        writeLayoutSeeds(corpus / "layout", DENSITO_SOURCE_DIR);
        writeProjectSeeds(corpus / "project", corpus / "tiff");
    } catch (const std::exception& e) {
        std::cerr << e.what() << '\n';
        return 1;
    }
    return 0;
}
