// The real check on the ZDF rat-heart blots (../shared/real_blots/zdf_beta_adrenoceptor_
// alphainnotech): (1) integrate the authors' own ROI boxes and compare with their spreadsheet
// IDV values; (2) compare Densito's fully automatic bands with those boxes: how many boxes a
// detected band covers, and the relative quantification within each image and sheet block.
// Prints figures; not a test.  Run: build/release/bench/densito_zdf_reference [REAL_BLOTS_DIR]
#include "core/image/image_loader.h"
#include "core/measure/background_method.h"
#include "core/pipeline/image_analysis.h"

#include "zdf_common.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace {

using namespace densito;
using zdf::percentile;
using zdf::readCsv;

double rawSum(const cv::Mat& raw, const cv::Rect& box) {
    cv::Mat values;
    raw(box).convertTo(values, CV_64F);
    return cv::sum(values)[0];
}

} // namespace

int main(int argc, char** argv) {
    const std::filesystem::path root =
        std::filesystem::path(argc > 1 ? argv[1] : DENSITO_REAL_BLOTS_DIR) /
        "zdf_beta_adrenoceptor_alphainnotech";
    const auto sheet = readCsv(root / "quant" / "verification_roi_vs_sheet.csv");
    if (sheet.empty()) {
        std::fprintf(stderr, "no ZDF quantification found under %s\n", root.c_str());
        return 1;
    }
    const auto boxOf = zdf::readRoiBoxes(root / "quant" / "roi_boxes_from_stp.csv");

    std::map<std::string, Image> images;
    std::map<std::string, std::map<std::string, BlotAnalysis>>
        analyses; // image -> method -> analysis
    const std::vector<std::string> methods = {"border-median", "rolling-ball", "lane-baseline",
                                              "none"};
    std::vector<double> idvErrors;
    // (image, sheet block) -> [(authors' IDV, densito volume per method)]
    struct Pair {
        double authors = 0;
        std::map<std::string, double> densito;
    };
    std::map<std::string, std::vector<Pair>> groups;
    int checked = 0, covered = 0;
    for (const auto& row : sheet) {
        if (row.at("status") != "match") {
            continue;
        }
        const std::string& file = row.at("image_file");
        const auto box = boxOf.find({file, std::stoi(row.at("roi"))});
        if (box == boxOf.end()) {
            continue;
        }
        if (!images.contains(file)) {
            auto image = loadImage(root / "images" / file);
            if (!image) {
                std::fprintf(stderr, "%s\n", image.error().describe().c_str());
                continue;
            }
            images[file] = *image;
            for (const auto& method : methods) {
                AnalysisSettings settings;
                settings.background = *parseBackgroundMethod(method);
                auto result = analyzeImage(root / "images" / file, settings);
                analyses[file][method] = result->analysis;
            }
        }
        const Image& image = images[file];
        const cv::Rect roi = box->second & cv::Rect(0, 0, image.raw.cols, image.raw.rows);
        const double idv = rawSum(image.raw, roi) - std::stod(row.at("sheet_BACK")) * roi.area();
        const double sheetIdv = std::stod(row.at("sheet_IDV"));
        idvErrors.push_back(std::abs(idv / sheetIdv - 1.0));

        ++checked;
        Pair pair;
        pair.authors = sheetIdv;
        bool isCovered = false;
        for (const auto& method : methods) {
            // The detected band whose box overlaps the authors' box most.
            double bestOverlap = 0;
            double volume = std::nan("");
            for (const Band& band : analyses[file][method].bands) {
                const double overlap = static_cast<double>((band.box & roi).area()) /
                                       std::min(band.box.area(), roi.area());
                if (overlap > bestOverlap) {
                    bestOverlap = overlap;
                    volume = band.volume;
                }
            }
            if (bestOverlap >= 0.5) {
                pair.densito[method] = volume;
                isCovered = true;
            }
        }
        covered += isCovered ? 1 : 0;
        groups[file + " / " + row.at("sheet") + " / " + row.at("block")].push_back(pair);
    }

    std::printf("Authors' boxes integrated by Densito vs the spreadsheet IDV (%zu ROIs):\n",
                idvErrors.size());
    std::printf("  relative difference: median %.2e, max %.2e\n", percentile(idvErrors, 0.5),
                percentile(idvErrors, 1.0));
    std::printf("Automatic detection: %d of %d author ROIs overlap a detected band by >= 50%%\n",
                covered, checked);
    std::printf("Relative quantification vs the authors (within each image and sheet block, both "
                "normalised to "
                "their mean over the ROIs Densito found):\n");
    for (const auto& method : methods) {
        std::vector<double> errors;
        for (const auto& [group, pairs] : groups) {
            double authorsMean = 0, densitoMean = 0;
            int n = 0;
            for (const auto& pair : pairs) {
                if (pair.densito.contains(method)) {
                    authorsMean += pair.authors;
                    densitoMean += pair.densito.at(method);
                    ++n;
                }
            }
            if (n < 2) {
                continue;
            }
            authorsMean /= n;
            densitoMean /= n;
            for (const auto& pair : pairs) {
                if (pair.densito.contains(method)) {
                    errors.push_back(std::abs((pair.densito.at(method) / densitoMean) /
                                                  (pair.authors / authorsMean) -
                                              1.0));
                }
            }
        }
        std::printf("  %-14s n=%3zu  median %5.1f%%  p90 %5.1f%%  max %6.1f%%\n", method.c_str(),
                    errors.size(), 100 * percentile(errors, 0.5), 100 * percentile(errors, 0.9),
                    100 * percentile(errors, 1.0));
    }
    return 0;
}
