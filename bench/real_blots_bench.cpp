// Automatic detection on the real public blots (../shared/real_blots) against what a person
// sees in them (LANES.md): (1) strips and lanes per strip, image by image, and whether a wrong
// image was at least marked for review; (2) on the ZDF blots, how many of the authors' own ROI
// boxes fall one-to-one into a Densito lane. Prints figures; not a test.
//   build/release/bench/densito_real_blots_bench [REAL_BLOTS_DIR] [--csv FILE]
// --csv writes the per-image rows of (1) to FILE as well.
#include "core/io/results_csv.h"
#include "core/pipeline/image_analysis.h"

#include "zdf_common.h"

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace densito;

/// Stands for a strip's last lane in a ladder list, whatever the number of lanes found
/// (g006: a ladder at each side, and an empty well that may or may not count as a lane).
constexpr int kLastLane = -1;

/// What a person sees in one strip (LANES.md).
struct StripTruth {
    /// Lanes with signal, ladders included; more than one count where an empty well may be
    /// reported as a lane or left out.
    std::vector<int> laneCounts;
    std::vector<int> ladderLanes; ///< 1-based, left to right; printed only
};

/// How an image's lane counts are scored.
enum class Scoring {
    EveryStrip, ///< found strip i against truth strip i, in Densito's strip order
    BoxedStrip, ///< only the found strip holding the authors' boxes (one quantified strip)
};

/// What a person sees in one image (LANES.md).
struct ImageTruth {
    std::string path;             ///< relative to the real_blots folder
    std::vector<int> stripCounts; ///< acceptable numbers of strips
    /// EveryStrip: every strip, in Densito's order; BoxedStrip: only the quantified strip.
    std::vector<StripTruth> strips;
    Scoring scoring = Scoring::EveryStrip;
};

const std::string kZdfFolder = "zdf_beta_adrenoceptor_alphainnotech";
const std::string kZdfImages = kZdfFolder + "/images/";

StripTruth lanes(std::vector<int> laneCounts, std::vector<int> ladderLanes = {}) {
    return {std::move(laneCounts), std::move(ladderLanes)};
}

/// An image whose every strip is scored: the strip count is the number of strips given.
ImageTruth everyStrip(std::string path, std::vector<StripTruth> strips) {
    std::vector<int> stripCounts = {static_cast<int>(strips.size())};
    return {std::move(path), std::move(stripCounts), std::move(strips), Scoring::EveryStrip};
}

/// A ZDF raw image: top and bottom membrane of 9 samples each (SOURCE.md "Layout").
ImageTruth zdfBothStrips(const std::string& file) {
    return everyStrip(kZdfImages + file, {lanes({9}), lanes({9})});
}

/// A ZDF raw image with one quantified strip (the 07-24 images: 9 boxes in
/// roi_boxes_from_stp.csv, all on the bottom membrane). The other membrane may or may not be
/// found as a strip of its own, so 1 or 2 strips are right, and only the boxed one is counted.
ImageTruth zdfBoxedStrip(const std::string& file) {
    return {kZdfImages + file, {1, 2}, {lanes({9})}, Scoring::BoxedStrip};
}

// Transcribed from LANES.md, checked against each folder's SOURCE.md.
const std::vector<ImageTruth> kTruthTable = {
    everyStrip("amersham_iq800_actin_csitron/antiActin_20240710_131425_Ch_Chemi.tif", {lanes({8})}),
    everyStrip("a1at_standard_dilution_gelblotanalyzer/TEST_GEL_AK_original.png",
               {lanes({8}, {1, 8})}),
    everyStrip("chemidoc_xrs_biorad1sc/test4_imglab_analysis.tif", {lanes({16})}),
    // SOURCE.md: the marker lane of the bottom membrane is at its left.
    everyStrip("amersham_iq800_rhoa_pysternblot/rhoa_20260220_131003_Ch_Chemi.tif",
               {lanes({6}), lanes({7}, {1})}),
    everyStrip("coomassie_protease_gelquant_elife/gel-example.png", {lanes({15}), lanes({15})}),
    // The page (SOURCE.md, and as seen on it): Fig 1B at the left, the KR strip above the
    // beta-actin strip; Fig 1C at the right, replicates 1-3 top to bottom, each a gammaH2AX
    // strip over an H4 strip. The KR strip lies beside replicate 1's gammaH2AX strip at the
    // same height, and the beta-actin strip within the height of replicate 1's H4 strip, so
    // Densito's tiers give: KR, R1 gammaH2AX, beta-actin, R1 H4, R2 gammaH2AX, R2 H4,
    // R3 gammaH2AX, R3 H4. The KR strip's first lane (dCas9-KR minus) has no band: 3 or 4.
    // R1 gammaH2AX has faint marks at its left edge; LANES.md does not count them as a lane.
    everyStrip("plos_one_raw_blots_ccby/pone.0237759.s005.tif",
               {lanes({3, 4}), lanes({7}), lanes({4}), lanes({7}), lanes({7}), lanes({7}),
                lanes({8}, {1}), lanes({7})}),
    // Panel a: BiP above beta-actin; 6 samples between two ladders, and an empty well may lie
    // between each ladder and the samples: 8, 9 or 10 lanes.
    everyStrip("plos_one_raw_blots_ccby/pone.0265461.g006.tif",
               {lanes({8, 9, 10}, {1, kLastLane}), lanes({8, 9, 10}, {1, kLastLane})}),
    // The 15 raw ZDF images (not the ANNOTATED_8bit export).
    zdfBothStrips("B1AR_2013-03-19_16wbottom_GAPDH.tif"),
    zdfBothStrips("B1AR_2013-05-30_10wtop_16wbottom.tif"),
    zdfBothStrips("B1AR_2013-05-30_10wtop_16wbottom_GAPDH.tif"),
    zdfBothStrips("B1AR_2013-07-04_10wtop_16wbottom.tif"),
    zdfBothStrips("B1AR_2013-07-04_10wtop_16wbottom_GAPDH.tif"),
    zdfBothStrips("B1AR_2013-07-23_10wtop_10wbottom.tif"),
    zdfBothStrips("B1AR_2013-07-23_10wtop_10wbottom_GAPDH.tif"),
    zdfBoxedStrip("B1AR_2013-07-24_16wbottom.tif"),
    zdfBoxedStrip("B1AR_2013-07-24_16wbottom_GAPDH.tif"),
    zdfBothStrips("B1AR_2013-10-02_sheetOct1_B1ARtop_GAPDHbottom.tif"),
    zdfBothStrips("B1AR_2013-10-08_B1ARtop_GAPDHbottom.tif"),
    zdfBothStrips("B2AR_2013-04-22_10wtop_16wbottom.tif"),
    zdfBothStrips("B2AR_2013-04-22_10wtop_16wbottom_GAPDH.tif"),
    zdfBothStrips("B3AR_2013-06-25_10wtop_16wbottom.tif"),
    zdfBothStrips("B3AR_2013-06-25_10wtop_16wbottom_GAPDH.tif"),
};

/// The authors' boxes of every image, by image file name.
using BoxesByImage = std::map<std::string, std::vector<cv::Rect>>;

BoxesByImage boxesByImage(const std::filesystem::path& csv) {
    BoxesByImage boxes;
    for (const auto& [key, box] : zdf::readRoiBoxes(csv)) {
        boxes[key.first].push_back(box);
    }
    return boxes;
}

/// The centre of a box in pixel indices: the middle of its first and last pixel.
cv::Point2d centreOf(const cv::Rect& box) {
    return {static_cast<double>(box.x) + static_cast<double>(box.width - 1) / 2.0,
            static_cast<double>(box.y) + static_cast<double>(box.height - 1) / 2.0};
}

bool holds(const cv::Rect& region, const cv::Point2d& point) {
    return point.x >= static_cast<double>(region.x) &&
           point.x < static_cast<double>(region.x + region.width) &&
           point.y >= static_cast<double>(region.y) &&
           point.y < static_cast<double>(region.y + region.height);
}

/// Lanes found in each found strip, in strip order.
std::vector<int> lanesPerStrip(const BlotAnalysis& analysis) {
    std::vector<int> counts;
    for (const Strip& strip : analysis.strips) {
        counts.push_back(static_cast<int>(
            std::count_if(analysis.lanes.begin(), analysis.lanes.end(),
                          [&](const Lane& lane) { return lane.strip == strip.index; })));
    }
    return counts;
}

/// Position (in `analysis.strips`) of the strip whose region holds the most box centres;
/// nullopt when none holds any.
std::optional<std::size_t> stripHoldingBoxes(const BlotAnalysis& analysis,
                                             const std::vector<cv::Rect>& boxes) {
    std::optional<std::size_t> best;
    std::ptrdiff_t bestCount = 0;
    for (std::size_t i = 0; i < analysis.strips.size(); ++i) {
        const cv::Rect& region = analysis.strips[i].region;
        const std::ptrdiff_t count =
            std::count_if(boxes.begin(), boxes.end(),
                          [&](const cv::Rect& box) { return holds(region, centreOf(box)); });
        if (count > bestCount) {
            bestCount = count;
            best = i;
        }
    }
    return best;
}

bool contains(const std::vector<int>& values, int value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

/// Right when the number of strips is acceptable and every scored strip has an acceptable
/// number of lanes; found strips meet truth strips in order.
bool isAcceptable(const ImageTruth& truth, const BlotAnalysis& analysis,
                  const std::vector<cv::Rect>& boxes) {
    if (!contains(truth.stripCounts, static_cast<int>(analysis.strips.size()))) {
        return false;
    }
    const std::vector<int> found = lanesPerStrip(analysis);
    if (truth.scoring == Scoring::BoxedStrip) {
        const std::optional<std::size_t> boxed = stripHoldingBoxes(analysis, boxes);
        return boxed.has_value() && contains(truth.strips.front().laneCounts, found[*boxed]);
    }
    for (std::size_t i = 0; i < truth.strips.size(); ++i) {
        if (i >= found.size() || !contains(truth.strips[i].laneCounts, found[i])) {
            return false;
        }
    }
    return true;
}

/// (strip index, lane index) of one Densito lane.
using LaneKey = std::pair<int, int>;

/// The lanes whose extent at the point's row holds the point, in the strips whose region
/// holds it.
std::vector<LaneKey> lanesAt(const BlotAnalysis& analysis, const cv::Point2d& point) {
    std::vector<LaneKey> found;
    for (const Strip& strip : analysis.strips) {
        if (!holds(strip.region, point)) {
            continue;
        }
        for (const Lane& lane : analysis.lanes) {
            if (lane.strip != strip.index) {
                continue;
            }
            // At the box's row, not at the strip's middle: ZDF lanes tilt and bend.
            const double centre = lane.centreAt(point.y);
            const double halfWidth = lane.widthPx() / 2.0;
            if (point.x >= centre - halfWidth && point.x <= centre + halfWidth) {
                found.emplace_back(strip.index, lane.index);
            }
        }
    }
    return found;
}

/// Authors' boxes whose centre lies in exactly one Densito lane that no other box of the
/// image claims: a box sharing its lane with another, or falling between or across lanes,
/// would be measured wrong.
int boxesMatchedOneToOne(const BlotAnalysis& analysis, const std::vector<cv::Rect>& boxes) {
    std::vector<std::optional<LaneKey>> laneOfBox;
    std::map<LaneKey, int> claims;
    for (const cv::Rect& box : boxes) {
        const std::vector<LaneKey> found = lanesAt(analysis, centreOf(box));
        if (found.size() == 1) {
            laneOfBox.emplace_back(found.front());
            ++claims[found.front()];
        } else {
            laneOfBox.emplace_back(std::nullopt);
        }
    }
    return static_cast<int>(
        std::count_if(laneOfBox.begin(), laneOfBox.end(), [&](const std::optional<LaneKey>& lane) {
            return lane.has_value() && claims.at(*lane) == 1;
        }));
}

std::string joined(const std::vector<int>& values, const char* separator) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
        text += (i > 0 ? separator : "") + std::to_string(values[i]);
    }
    return text;
}

/// "3|4,7,..." : the acceptable lane counts of each strip.
std::string expectedLanesText(const ImageTruth& truth) {
    if (truth.scoring == Scoring::BoxedStrip) {
        return "boxed:" + joined(truth.strips.front().laneCounts, "|");
    }
    std::string text;
    for (std::size_t i = 0; i < truth.strips.size(); ++i) {
        if (i > 0) {
            text += ',';
        }
        text += joined(truth.strips[i].laneCounts, "|");
    }
    return text;
}

/// "-,1+last": the ladder lanes of each strip, "-" for none.
std::string laddersText(const ImageTruth& truth) {
    std::string text;
    for (std::size_t i = 0; i < truth.strips.size(); ++i) {
        const std::vector<int>& ladders = truth.strips[i].ladderLanes;
        std::string strip = ladders.empty() ? "-" : "";
        for (std::size_t j = 0; j < ladders.size(); ++j) {
            // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on
            // "literal" + std::string&&.
            if (j > 0) {
                strip += '+';
            }
            strip += ladders[j] == kLastLane ? std::string("last") : std::to_string(ladders[j]);
        }
        if (i > 0) {
            text += ',';
        }
        text += strip;
    }
    return text;
}

/// One image's analysis, or why there is none.
struct Outcome {
    std::optional<BlotAnalysis> analysis; ///< without the full-resolution images
    std::string error;                    ///< when the image could not be analysed
    bool isRight = false;
};

/// analyzeImage() with the settings the command line uses by default; an exception (e.g. out
/// of memory) is caught as the command line does, so one image cannot end the run.
Outcome analyse(const std::filesystem::path& path, const ImageTruth& truth,
                const std::vector<cv::Rect>& boxes) {
    Outcome outcome;
    try {
        auto result = analyzeImage(path, AnalysisSettings{});
        if (!result) {
            outcome.error = result.error().describe();
            return outcome;
        }
        outcome.analysis = std::move(result->analysis);
    } catch (const std::exception& e) {
        outcome.error = path.filename().string() + ": analysis failed: " + e.what();
        return outcome;
    }
    outcome.isRight = isAcceptable(truth, *outcome.analysis, boxes);
    return outcome;
}

const std::vector<cv::Rect>& boxesOf(const BoxesByImage& boxes, const ImageTruth& truth) {
    static const std::vector<cv::Rect> none;
    const auto found = boxes.find(std::filesystem::path(truth.path).filename().string());
    return found == boxes.end() ? none : found->second;
}

std::string percentText(int part, int whole) {
    if (whole == 0) {
        return "n/a";
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%",
                  100.0 * static_cast<double>(part) / static_cast<double>(whole));
    return text;
}

} // namespace

int main(int argc, char** argv) {
    std::filesystem::path root = DENSITO_REAL_BLOTS_DIR;
    std::optional<std::filesystem::path> csvPath;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument == "--csv") {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "--csv needs a file name\n");
                return 2;
            }
            csvPath = std::filesystem::path(argv[++i]);
        } else {
            root = argument;
        }
    }
    if (!std::filesystem::is_directory(root)) {
        std::printf("real blots not found at %s: skipped\n", root.c_str());
        return 0;
    }
    const std::filesystem::path boxesCsv = root / kZdfFolder / "quant" / "roi_boxes_from_stp.csv";
    const BoxesByImage boxes = boxesByImage(boxesCsv);
    if (boxes.empty()) {
        std::printf("note: no authors' boxes read from %s\n", boxesCsv.c_str());
    }

    std::vector<Outcome> outcomes;
    for (const ImageTruth& truth : kTruthTable) {
        outcomes.push_back(analyse(root / truth.path, truth, boxesOf(boxes, truth)));
    }

    // (1) Strips and lanes against LANES.md.
    std::printf("Strips and lanes found vs LANES.md (default settings, as the command line):\n");
    std::printf("  %-46s %-7s %-19s %-19s %-16s %-5s %4s %-6s %s\n", "image", "strips",
                "lanes found", "lanes expected", "ladder lanes", "right", "warn", "review",
                "first reason");
    std::vector<std::string> csvRows;
    int right = 0;
    int silentlyWrong = 0;
    int notAnalysed = 0;
    for (std::size_t i = 0; i < kTruthTable.size(); ++i) {
        const ImageTruth& truth = kTruthTable[i];
        const Outcome& outcome = outcomes[i];
        const std::string name = std::filesystem::path(truth.path).stem().string();
        const std::string stripsExpected = joined(truth.stripCounts, "|");
        const std::string lanesExpected = expectedLanesText(truth);
        if (!outcome.analysis) {
            // Loud, not silent: the command line reports the error for this image.
            ++notAnalysed;
            std::printf("  %-46s not analysed: %s\n", name.c_str(), outcome.error.c_str());
            csvRows.push_back(csvField(name) + ",," + csvField(stripsExpected) + ",," +
                              csvField(lanesExpected) + ",no,,," +
                              csvField("not analysed: " + outcome.error));
            continue;
        }
        const BlotAnalysis& analysis = *outcome.analysis;
        const std::string stripsText =
            std::to_string(analysis.strips.size()) + "/" + stripsExpected;
        const std::vector<int> found = lanesPerStrip(analysis);
        const std::string lanesFound = found.empty() ? "-" : joined(found, ",");
        const std::string reason =
            analysis.reviewReasons.empty() ? "" : analysis.reviewReasons.front();
        right += outcome.isRight ? 1 : 0;
        silentlyWrong += (!outcome.isRight && !analysis.needsReview) ? 1 : 0;
        std::printf("  %-46s %-7s %-19s %-19s %-16s %-5s %4zu %-6s %s\n", name.c_str(),
                    stripsText.c_str(), lanesFound.c_str(), lanesExpected.c_str(),
                    laddersText(truth).c_str(), outcome.isRight ? "right" : "WRONG",
                    analysis.warnings.size(), analysis.needsReview ? "yes" : "no", reason.c_str());
        csvRows.push_back(csvField(name) + "," + std::to_string(analysis.strips.size()) + "," +
                          csvField(stripsExpected) + "," + csvField(lanesFound) + "," +
                          csvField(lanesExpected) + "," + (outcome.isRight ? "yes" : "no") + "," +
                          std::to_string(analysis.warnings.size()) + "," +
                          (analysis.needsReview ? "yes" : "no") + "," + csvField(reason));
    }
    std::printf("Images right: %d / %zu\n", right, kTruthTable.size());
    std::printf("Wrong but not marked for review (silent failures; must reach 0): %d\n",
                silentlyWrong);
    if (notAnalysed > 0) {
        std::printf("Not analysed (counted wrong; reported as errors, so not silent): %d\n",
                    notAnalysed);
    }

    // (2) The ZDF authors' boxes against Densito's lanes.
    std::printf("\nZDF authors' boxes in exactly one Densito lane, one box per lane "
                "(goal >= 98%%):\n");
    int matchedTotal = 0;
    int boxTotal = 0;
    for (std::size_t i = 0; i < kTruthTable.size(); ++i) {
        const ImageTruth& truth = kTruthTable[i];
        if (!truth.path.starts_with(kZdfImages)) {
            continue;
        }
        const std::string name = std::filesystem::path(truth.path).stem().string();
        const std::vector<cv::Rect>& imageBoxes = boxesOf(boxes, truth);
        if (imageBoxes.empty()) {
            std::printf("  %-46s no boxes (no .stp sidecar)\n", name.c_str());
            continue;
        }
        // An image that could not be analysed matches none of its boxes.
        const int total = static_cast<int>(imageBoxes.size());
        const int matched =
            outcomes[i].analysis ? boxesMatchedOneToOne(*outcomes[i].analysis, imageBoxes) : 0;
        matchedTotal += matched;
        boxTotal += total;
        std::printf("  %-46s %3d / %3d  %7s\n", name.c_str(), matched, total,
                    percentText(matched, total).c_str());
    }
    std::printf("  %-46s %3d / %3d  %7s\n", "all", matchedTotal, boxTotal,
                percentText(matchedTotal, boxTotal).c_str());

    if (csvPath) {
        std::ofstream csv(*csvPath);
        csv << "image,strips_found,strips_expected,lanes_found,lanes_expected,right,warnings,"
               "needs_review,reason\n";
        for (const std::string& row : csvRows) {
            csv << row << '\n';
        }
        csv.close();
        if (!csv) {
            std::fprintf(stderr, "could not write %s\n", csvPath->c_str());
            return 1;
        }
    }
    return 0;
}
