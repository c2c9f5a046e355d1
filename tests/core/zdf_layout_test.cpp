// The layout sheets of the ZDF beta1-adrenoceptor blots (tests/data/zdf_b1ar, issue 4): they
// parse, and on the real images (skipped when ../shared/real_blots is absent) Densito's
// automatic analysis of each region has every lane samples.csv lists, in the place of the
// authors' box for that lane.
#include "core/analysis/layout_sheets.h"
#include "core/pipeline/experiment_analysis.h"
#include "core/pipeline/image_analysis.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace densito {
namespace {

const std::filesystem::path kLayoutDir =
    std::filesystem::path(DENSITO_SOURCE_DIR) / "tests" / "data" / "zdf_b1ar";
const std::filesystem::path kZdf =
    std::filesystem::path(DENSITO_REAL_BLOTS_DIR) / "zdf_beta_adrenoceptor_alphainnotech";

/// The layout with `region` columns (blots.csv), or with `strip` columns (blots_strips.csv:
/// the same rows, each naming the strip a person sees: top 1, bottom 2).
Layout readZdfLayout(const char* blots = "blots.csv") {
    LayoutSettings settings;
    settings.control = "ZL";
    auto layout = readLayout(kLayoutDir / blots, kLayoutDir / "samples.csv", settings);
    if (!layout) {
        for (const Error& error : layout.error()) {
            ADD_FAILURE() << error.describe();
        }
        return {};
    }
    return *layout;
}

std::string fileName(const std::string& image) {
    return std::filesystem::path(image).filename().string();
}

/// The authors' boxes by image: x1, y1, x2, y2 (inclusive) from roi_boxes_from_stp.csv.
std::map<std::string, std::vector<cv::Rect>> readBoxes() {
    std::map<std::string, std::vector<cv::Rect>> boxes;
    std::ifstream in(kZdf / "quant" / "roi_boxes_from_stp.csv");
    std::string line;
    std::getline(in, line); // stp_file,image_file,roi,shape_code,x1,y1,x2,y2
    while (std::getline(in, line)) {
        std::vector<std::string> fields;
        std::stringstream stream(line);
        for (std::string field; std::getline(stream, field, ',');) {
            fields.push_back(field);
        }
        if (fields.size() == 8) {
            boxes[fields[1]].push_back(
                cv::Rect(cv::Point(std::stoi(fields[4]), std::stoi(fields[5])),
                         cv::Point(std::stoi(fields[6]) + 1, std::stoi(fields[7]) + 1)));
        }
    }
    return boxes;
}

TEST(ZdfLayout, SheetsParse) {
    const Layout layout = readZdfLayout();
    EXPECT_EQ(layout.control, "ZL");
    EXPECT_EQ(layout.conditions, (std::vector<std::string>{"ZL", "ZDF"}));
    // Nine membranes (4 at 10 weeks, 5 at 16), each a receptor and a GAPDH row, with the
    // authors' six quantified lanes each.
    std::set<std::string> membranes;
    for (const BlotRow& row : layout.blots) {
        membranes.insert(row.membrane);
        EXPECT_TRUE(row.region.has_value()) << "blots.csv:" << row.line;
    }
    EXPECT_EQ(membranes.size(), 9u);
    EXPECT_EQ(layout.blots.size(), 18u);
    EXPECT_EQ(layout.samples.size(), 54u);
}

/// Lanes known to miss the authors' box: "image:membrane" and the lane.
using KnownOff = std::set<std::pair<std::string, int>>;

/// Analyses every image of `layout` automatically and checks that its strips and lanes fit the
/// layout and that each sample lane sits in the authors' box for it, except `knownOff`;
/// `regions` holds the region of each blots.csv row (the authors' boxes are picked by it).
void checkLanesInAuthorsBoxes(const Layout& layout, const std::vector<PixelRegion>& regions,
                              const KnownOff& knownOff) {
    ASSERT_FALSE(layout.blots.empty());
    ASSERT_EQ(regions.size(), layout.blots.size());
    std::map<std::string, BlotAnalysis> analyses;
    std::vector<NamedAnalysis> named;
    for (const BlotRow& row : layout.blots) {
        const std::string name = fileName(row.image);
        if (analyses.contains(name)) {
            continue;
        }
        const auto result =
            analyzeImage(kZdf / "images" / name, experimentSettingsFor(layout, name, {}));
        ASSERT_TRUE(result.has_value()) << result.error().describe();
        analyses[name] = result->analysis;
    }
    for (const auto& [name, analysis] : analyses) {
        named.push_back({name, &analysis});
    }
    EXPECT_TRUE(checkStripsOfLayout(layout, named).empty());

    // No samples.csv lane beyond the lanes found in its region.
    std::vector<std::string> imageNames;
    for (const auto& [name, analysis] : analyses) {
        imageNames.push_back(name);
    }
    const auto lanesFound = [&](const BlotRow& row) -> std::optional<int> {
        const BlotAnalysis& analysis = analyses.at(fileName(row.image));
        const int strip = stripOfRow(layout, row, analysis);
        if (strip == 0) {
            return std::nullopt;
        }
        return static_cast<int>(std::count_if(analysis.lanes.begin(), analysis.lanes.end(),
                                              [&](const Lane& l) { return l.strip == strip; }));
    };
    for (const Error& problem : checkLayoutAgainstImages(layout, imageNames, lanesFound)) {
        ADD_FAILURE() << problem.describe();
    }

    // The layout asks for nine lanes per region, so the lane count alone proves little (missing
    // lanes are inserted at the pitch): lane k of a membrane must also sit in the authors' k-th
    // box from the left of that region. The July 23 GAPDH image has no boxes (.stp missing).
    const auto boxes = readBoxes();
    int checked = 0;
    for (std::size_t r = 0; r < layout.blots.size(); ++r) {
        const BlotRow& row = layout.blots[r];
        const std::string name = fileName(row.image);
        const auto imageBoxes = boxes.find(name);
        if (imageBoxes == boxes.end()) {
            continue;
        }
        const PixelRegion& given = regions[r];
        const cv::Rect region(given.x, given.y, given.width, given.height);
        std::vector<cv::Rect> inRegion;
        for (const cv::Rect& box : imageBoxes->second) {
            if (region.contains((box.tl() + box.br()) / 2)) {
                inRegion.push_back(box);
            }
        }
        ASSERT_EQ(inRegion.size(), 9u) << name << " " << row.membrane;
        std::sort(inRegion.begin(), inRegion.end(), [](const cv::Rect& a, const cv::Rect& b) {
            return a.x + a.br().x < b.x + b.br().x;
        });
        const BlotAnalysis& analysis = analyses.at(name);
        const int strip = stripOfRow(layout, row, analysis);
        for (const SampleRow& sample : layout.samples) {
            if (sample.membrane != row.membrane ||
                knownOff.contains({name + ":" + row.membrane, sample.lane})) {
                continue;
            }
            const cv::Rect& box = inRegion[static_cast<std::size_t>(sample.lane - 1)];
            const auto lane =
                std::find_if(analysis.lanes.begin(), analysis.lanes.end(), [&](const Lane& l) {
                    return l.strip == strip && l.index == sample.lane;
                });
            ASSERT_NE(lane, analysis.lanes.end()) << name << " lane " << sample.lane;
            const double x = lane->centreAt(box.y + 0.5 * box.height);
            EXPECT_GE(x, box.x) << name << " " << row.membrane << " lane " << sample.lane;
            EXPECT_LT(x, box.br().x) << name << " " << row.membrane << " lane " << sample.lane;
            ++checked;
        }
    }
    // 108 lane images - 12 without boxes (July 23 GAPDH) - the known misses.
    EXPECT_EQ(checked, 96 - static_cast<int>(knownOff.size()));
}

TEST(ZdfLayout, EverySampleLaneIsFoundWhereTheAuthorsBoxedIt) {
    if (!std::filesystem::exists(kZdf / "images")) {
        GTEST_SKIP() << "real blots not present at " << kZdf;
    }
    const Layout layout = readZdfLayout();
    std::vector<PixelRegion> regions;
    for (const BlotRow& row : layout.blots) {
        regions.push_back(*row.region);
    }
    // Known misdetection: in the bottom strip of the July 4 GAPDH image Densito finds 5 of the
    // 9 touching bands and inserts the rest, so its lane 7 spans two lanes and lanes 8 and 9 sit
    // one lane to the right; these two are reported by bench/zdf_experiment, not asserted here.
    checkLanesInAuthorsBoxes(layout, regions,
                             {{"B1AR_2013-07-04_10wtop_16wbottom_GAPDH.tif:2013-07-04_16w", 8},
                              {"B1AR_2013-07-04_10wtop_16wbottom_GAPDH.tif:2013-07-04_16w", 9}});
}

// Issue 13: the same layout naming strips instead of pixel regions runs fully automatically.
// Three images show fewer strips than it names (the October images are one gel cut in two and
// laid back without a visible seam; the July 23 GAPDH membranes are not told apart): they are
// cut between band rows and marked for review.
TEST(ZdfLayout, TheLayoutWithStripsInsteadOfRegionsFindsTheSameLanes) {
    if (!std::filesystem::exists(kZdf / "images")) {
        GTEST_SKIP() << "real blots not present at " << kZdf;
    }
    const Layout withRegions = readZdfLayout();
    const Layout withStrips = readZdfLayout("blots_strips.csv");
    std::vector<PixelRegion> regions;
    for (const BlotRow& row : withRegions.blots) {
        regions.push_back(*row.region);
    }
    for (const BlotRow& row : withStrips.blots) {
        EXPECT_FALSE(row.region.has_value()) << "blots_strips.csv:" << row.line;
    }
    // Known misdetections: the July 4 GAPDH lanes above; and on the whole top strip of the July
    // 23 receptor image (the region crops it) Densito fits 10 lanes at a pitch 8% short of the
    // 9 true ones (marked for review: the lanes do not follow one comb), so lanes 7 and 9 fall
    // a few pixels left of the authors' boxes.
    checkLanesInAuthorsBoxes(withStrips, regions,
                             {{"B1AR_2013-07-04_10wtop_16wbottom_GAPDH.tif:2013-07-04_16w", 8},
                              {"B1AR_2013-07-04_10wtop_16wbottom_GAPDH.tif:2013-07-04_16w", 9},
                              {"B1AR_2013-07-23_10wtop_10wbottom.tif:2013-07-23_10w_top", 7},
                              {"B1AR_2013-07-23_10wtop_10wbottom.tif:2013-07-23_10w_top", 9}});
}

} // namespace
} // namespace densito
