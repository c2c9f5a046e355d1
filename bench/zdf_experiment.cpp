// Issue 4, "A real check": the ZDF rat-heart beta1-adrenoceptor experiment
// (../shared/real_blots/zdf_beta_adrenoceptor_alphainnotech) analysed fully automatically
// through the core API with the layout sheets in tests/data/zdf_b1ar, and compared with the
// authors' per-lane receptor/GAPDH ratios and their published group means (PLoS One 2015,
// PMID 25996498: beta1 at 10 weeks 98 +- 9 % of lean controls, at 16 weeks 69 +- 16 %).
// Prints figures; not a test.
// Run: build/release/bench/densito_zdf_experiment [REAL_BLOTS_DIR [LAYOUT_DIR]]
#include "core/analysis/layout_sheets.h"
#include "core/analysis/quantification.h"
#include "core/analysis/statistics.h"
#include "core/image/image_loader.h"
#include "core/measure/background_method.h"
#include "core/pipeline/experiment_analysis.h"
#include "core/pipeline/image_analysis.h"

#include "zdf_common.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace densito;

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

/// One blot sheet of the authors' workbooks and the membrane it is in the layout sheets.
struct BlotSheet {
    const char* workbook;
    const char* sheet;
    int ageWeeks;
    const char* membrane;      ///< empty: not analysable here (see `why`)
    const char* receptorImage; ///< holds the receptor ROIs, whose x order gives the lanes
    const char* why;
};

/// The B1AR sheets (SOURCE.md's table). March 19 counts in the authors' 16-week mean, but its
/// raw receptor image is missing (only the 8-bit annotated export exists), so Densito cannot
/// measure it; the authors' means are therefore also shown without it.
constexpr BlotSheet kBlots[] = {
    {"B1AR_10week.xls", "May 30", 10, "2013-05-30_10w", "B1AR_2013-05-30_10wtop_16wbottom.tif", ""},
    {"B1AR_10week.xls", "July 4", 10, "2013-07-04_10w", "B1AR_2013-07-04_10wtop_16wbottom.tif", ""},
    {"B1AR_10week.xls", "July 23 top", 10, "2013-07-23_10w_top",
     "B1AR_2013-07-23_10wtop_10wbottom.tif", ""},
    {"B1AR_10week.xls", "July 23 bottom", 10, "2013-07-23_10w_bottom",
     "B1AR_2013-07-23_10wtop_10wbottom.tif", ""},
    {"B1AR_16week.xls", "March 19", 16, "", "", "no raw B1AR image"},
    {"B1AR_16week.xls", "May 30", 16, "2013-05-30_16w", "B1AR_2013-05-30_10wtop_16wbottom.tif", ""},
    {"B1AR_16week.xls", "July 4", 16, "2013-07-04_16w", "B1AR_2013-07-04_10wtop_16wbottom.tif", ""},
    {"B1AR_16week.xls", "July 24", 16, "2013-07-24_16w", "B1AR_2013-07-24_16wbottom.tif", ""},
    {"B1AR_16week.xls", "Oct 1", 16, "2013-10-02_16w",
     "B1AR_2013-10-02_sheetOct1_B1ARtop_GAPDHbottom.tif", ""},
    {"B1AR_16week.xls", "Oct 8", 16, "2013-10-08_16w", "B1AR_2013-10-08_B1ARtop_GAPDHbottom.tif",
     ""},
};

constexpr const char* kMethods[] = {"border-median", "rolling-ball", "lane-baseline"};

/// One quantified lane of the authors' sheets.
struct AuthorLane {
    std::string group; ///< ZL or ZDF
    int receptorRoi = 0;
    int gapdhRoi = 0;
    double ratio = 0.0; ///< their B1AR/GAPDH
    double receptorIdv = 0.0;
    double gapdhIdv = 0.0;
    /// The same boxes with a local background subtracted (boxNetIdv); absent where a box is
    /// missing (the July 23 GAPDH image has no .stp).
    std::optional<double> netRatio;
    int lane = 0; ///< 1-based left to right in its strip, from the box x order
};

struct AuthorBlot {
    const BlotSheet* sheet = nullptr;
    std::vector<AuthorLane> lanes;
};

/// The lane of `roi` in its strip: the rank of its box centre along x among the ROIs of the
/// same strip (1-9 or 10-18). SOURCE.md: ROI order along x differs between images.
int laneOfRoi(const std::map<zdf::RoiKey, cv::Rect>& boxes, const std::string& image, int roi) {
    const auto own = boxes.find({image, roi});
    if (own == boxes.end()) {
        return 0;
    }
    const auto centre = [](const cv::Rect& r) {
        return 2 * r.x + r.width;
    };
    int lane = 1;
    for (const auto& [key, box] : boxes) {
        if (key.first == image && (key.second <= 9) == (roi <= 9) &&
            centre(box) < centre(own->second)) {
            ++lane;
        }
    }
    return lane;
}

/// The authors' lanes per blot. In each sheet the receptor table's n-th row pairs with the GAPDH
/// table's n-th row (their ratio column is exactly IDV / IDV of those rows). The 16-week sheets
/// before October leave the group column empty; there the first three rows are ZL, the next
/// three ZDF (the third row carries the "% ZL" = 100 of the lean mean).
std::vector<AuthorBlot> readAuthorBlots(const std::filesystem::path& quant,
                                        const std::map<zdf::RoiKey, cv::Rect>& boxes) {
    const auto tidy = zdf::readCsv(quant / "zdf_quant_tidy.csv");
    std::vector<AuthorBlot> blots;
    for (const BlotSheet& sheet : kBlots) {
        std::vector<const zdf::CsvRow*> target;
        std::vector<const zdf::CsvRow*> gapdh;
        for (const zdf::CsvRow& row : tidy) {
            if (row.at("workbook") == sheet.workbook && row.at("sheet") == sheet.sheet) {
                (row.at("block") == "target" ? target : gapdh).push_back(&row);
            }
        }
        AuthorBlot blot{&sheet, {}};
        for (std::size_t i = 0; i < target.size() && i < gapdh.size(); ++i) {
            AuthorLane lane;
            lane.group = target[i]->at("group");
            if (lane.group.empty()) {
                lane.group = i < 3 ? "ZL" : "ZDF";
            }
            lane.receptorRoi = std::stoi(target[i]->at("roi"));
            lane.gapdhRoi = std::stoi(gapdh[i]->at("roi"));
            lane.ratio = std::stod(target[i]->at("target_over_GAPDH"));
            lane.receptorIdv = std::stod(target[i]->at("IDV"));
            lane.gapdhIdv = std::stod(gapdh[i]->at("IDV"));
            lane.lane = laneOfRoi(boxes, sheet.receptorImage, lane.receptorRoi);
            blot.lanes.push_back(lane);
        }
        blots.push_back(blot);
    }
    return blots;
}

/// The integrated density of an authors' box minus a local background: the median of two
/// 8-pixel-high strips 12 pixels above and below the box, over its columns. The authors used
/// BACK = 0 on all but the October blots, so their IDV carries a background pedestal of
/// 30-70 % of the value; the gap keeps the tails of the band (their boxes are tight) out of
/// the estimate, and left/right neighbours are avoided because the lanes touch.
std::optional<double> boxNetIdv(const cv::Mat& raw, const cv::Rect& box) {
    const cv::Rect bounds(0, 0, raw.cols, raw.rows);
    const cv::Rect inside = box & bounds;
    if (inside.area() == 0) {
        return std::nullopt;
    }
    cv::Mat values;
    raw(inside).convertTo(values, CV_64F);
    const double sum = cv::sum(values)[0];
    std::vector<double> ring;
    for (const cv::Rect& strip : {cv::Rect(box.x, box.y - 20, box.width, 8),
                                  cv::Rect(box.x, box.y + box.height + 12, box.width, 8)}) {
        cv::Mat part;
        raw(strip & bounds).convertTo(part, CV_64F);
        ring.insert(ring.end(), part.begin<double>(), part.end<double>());
    }
    if (ring.empty()) {
        return std::nullopt;
    }
    const auto middle = ring.begin() + static_cast<std::ptrdiff_t>(ring.size() / 2);
    std::nth_element(ring.begin(), middle, ring.end());
    return sum - *middle * inside.area();
}

/// netRatio of every lane whose receptor and GAPDH boxes both exist; the GAPDH image is the
/// membrane's loading row in blots.csv.
void addNetRatios(std::vector<AuthorBlot>& blots, const Layout& layout,
                  const std::filesystem::path& images,
                  const std::map<zdf::RoiKey, cv::Rect>& boxes) {
    std::map<std::string, cv::Mat> raws;
    const auto rawOf = [&](const std::string& name) -> const cv::Mat& {
        if (!raws.contains(name)) {
            auto image = loadImage(images / name);
            raws[name] = image ? image->raw : cv::Mat();
        }
        return raws[name];
    };
    for (AuthorBlot& blot : blots) {
        std::string gapdhImage;
        for (const BlotRow& row : layout.blots) {
            if (row.membrane == blot.sheet->membrane && row.measure == Measure::Loading) {
                gapdhImage = std::filesystem::path(row.image).filename().string();
            }
        }
        for (AuthorLane& lane : blot.lanes) {
            const auto receptorBox = boxes.find({blot.sheet->receptorImage, lane.receptorRoi});
            const auto gapdhBox = boxes.find({gapdhImage, lane.gapdhRoi});
            if (receptorBox == boxes.end() || gapdhBox == boxes.end()) {
                continue;
            }
            const auto receptor = boxNetIdv(rawOf(blot.sheet->receptorImage), receptorBox->second);
            const auto gapdh = boxNetIdv(rawOf(gapdhImage), gapdhBox->second);
            if (receptor && gapdh && *gapdh > 0) {
                lane.netRatio = *receptor / *gapdh;
            }
        }
    }
}

/// The "Average" row of the authors' Compiled sheet: ZDF % of ZL and the averaged %SD.
std::optional<std::pair<double, double>> compiledAverage(const std::filesystem::path& quant,
                                                         const std::string& workbook) {
    for (const zdf::CsvRow& row : zdf::readCsv(quant / "zdf_quant_raw_cells.csv")) {
        if (row.at("workbook") != workbook || row.at("sheet") != "Compiled") {
            continue;
        }
        for (int c = 0; c + 4 <= 13; ++c) {
            const auto cell = row.find("c" + std::to_string(c));
            if (cell != row.end() && cell->second == "Average") {
                return std::pair(std::stod(row.at("c" + std::to_string(c + 3))),
                                 std::stod(row.at("c" + std::to_string(c + 4))));
            }
        }
    }
    return std::nullopt;
}

/// One blot's ZDF group as the authors' sheets give it: the ZDF mean as % of the ZL mean, and
/// "%SD" = the ZDF group's SD as % of the ZDF mean (their sheets' formula, checked against
/// every blot's cells).
struct BlotPercent {
    double percent = 0.0;
    double cv = 0.0;
};

std::optional<BlotPercent> blotPercent(const std::vector<double>& zl,
                                       const std::vector<double>& zdf) {
    if (zl.empty() || zdf.size() < 2) {
        return std::nullopt;
    }
    const double zdfMean = mean(zdf);
    return BlotPercent{100.0 * zdfMean / mean(zl), 100.0 * standardDeviation(zdf) / zdfMean};
}

/// The authors' Compiled sheet: the mean over blots of the per-blot ZDF %, "+-" the mean over
/// blots of the per-blot %SD. The SD of the per-blot % over blots is added for reference.
struct AgeSummary {
    int blots = 0;
    double percent = kNan;
    double cv = kNan;
    double sdOverBlots = kNan;
};

AgeSummary combineBlots(const std::vector<BlotPercent>& perBlot) {
    AgeSummary summary;
    std::vector<double> percents;
    std::vector<double> cvs;
    for (const BlotPercent& blot : perBlot) {
        percents.push_back(blot.percent);
        cvs.push_back(blot.cv);
    }
    summary.blots = static_cast<int>(perBlot.size());
    if (!perBlot.empty()) {
        summary.percent = mean(percents);
        summary.cv = mean(cvs);
        summary.sdOverBlots = standardDeviation(percents);
    }
    return summary;
}

/// One background method's automatic analysis of the whole experiment.
struct Run {
    std::string method;
    std::map<std::string, BlotAnalysis> analyses; ///< by image file name
    std::vector<MeasuredBand> bands;
    std::vector<QuantifiedLane> lanes;
    std::vector<ConditionSummary> summary10;
    std::vector<ConditionSummary> summary16;
    std::vector<std::string> problems;
};

const QuantifiedLane* findLane(const Run& run, const std::string& membrane, int lane) {
    for (const QuantifiedLane& q : run.lanes) {
        if (q.membrane == membrane && q.lane == lane) {
            return &q;
        }
    }
    return nullptr;
}

int ageOfMembrane(const std::string& membrane) {
    for (const BlotSheet& sheet : kBlots) {
        if (membrane == sheet.membrane) {
            return sheet.ageWeeks;
        }
    }
    return 0;
}

Run analyse(const Layout& layout, const std::filesystem::path& images, const char* method) {
    Run run;
    run.method = method;
    AnalysisSettings base;
    base.background = *parseBackgroundMethod(method);
    std::vector<NamedAnalysis> named;
    std::set<std::string> done;
    for (const BlotRow& row : layout.blots) {
        const std::string name = std::filesystem::path(row.image).filename().string();
        if (!done.insert(name).second) {
            continue;
        }
        auto result = analyzeImage(images / name, experimentSettingsFor(layout, name, base));
        if (!result) {
            run.problems.push_back(result.error().describe());
            continue;
        }
        run.analyses[name] = std::move(result->analysis);
    }
    for (const auto& [name, analysis] : run.analyses) {
        named.push_back({name, &analysis});
    }
    for (const Error& problem : checkStripsOfLayout(layout, named)) {
        run.problems.push_back(problem.describe());
    }
    std::vector<std::string> bandWarnings;
    auto measured = measuredBandsOf(layout, named, bandWarnings);
    if (!measured) {
        run.problems.push_back(measured.error().describe());
        return run;
    }
    run.bands = std::move(*measured);
    auto quantified = quantify(layout, run.bands, {});
    if (!quantified) {
        run.problems.push_back(quantified.error().describe());
        return run;
    }
    run.lanes = std::move(quantified->lanes);
    for (const int age : {10, 16}) {
        std::vector<QuantifiedLane> ofAge;
        for (const QuantifiedLane& lane : run.lanes) {
            if (ageOfMembrane(lane.membrane) == age) {
                ofAge.push_back(lane);
            }
        }
        (age == 10 ? run.summary10 : run.summary16) = summarizeConditions(layout, ofAge);
    }
    return run;
}

/// One quantity of one lane, authors' and Densito's, each divided by the mean of the blot's ZL
/// lanes where both exist (absolute scales differ: exposure, background, box size).
struct Normalised {
    double author = kNan;
    std::optional<double> densito;
};

/// The receptor/GAPDH ratio and, to tell which side differs, the two band volumes.
struct LanePair {
    Normalised ratio;
    Normalised receptor;
    Normalised gapdh;
};

std::vector<LanePair> pairLanes(const AuthorBlot& blot, const Run& run) {
    std::vector<const QuantifiedLane*> found;
    for (const AuthorLane& lane : blot.lanes) {
        found.push_back(findLane(run, blot.sheet->membrane, lane.lane));
    }
    const auto normalise = [&](auto authorOf, auto densitoOf, Normalised LanePair::*member,
                               std::vector<LanePair>& pairs) {
        double authorZl = 0.0;
        double densitoZl = 0.0;
        int zl = 0;
        for (std::size_t i = 0; i < blot.lanes.size(); ++i) {
            const std::optional<double> d = found[i] ? densitoOf(*found[i]) : std::nullopt;
            if (blot.lanes[i].group == "ZL" && d) {
                authorZl += authorOf(blot.lanes[i]);
                densitoZl += *d;
                ++zl;
            }
        }
        for (std::size_t i = 0; i < blot.lanes.size() && zl > 0; ++i) {
            const std::optional<double> d = found[i] ? densitoOf(*found[i]) : std::nullopt;
            (pairs[i].*member).author = authorOf(blot.lanes[i]) / (authorZl / zl);
            if (d) {
                (pairs[i].*member).densito = *d / (densitoZl / zl);
            }
        }
    };
    std::vector<LanePair> pairs(blot.lanes.size());
    normalise([](const AuthorLane& a) { return a.ratio; },
              [](const QuantifiedLane& q) { return q.ratio; }, &LanePair::ratio, pairs);
    normalise([](const AuthorLane& a) { return a.receptorIdv; },
              [](const QuantifiedLane& q) { return q.total; }, &LanePair::receptor, pairs);
    normalise([](const AuthorLane& a) { return a.gapdhIdv; },
              [](const QuantifiedLane& q) { return q.loading; }, &LanePair::gapdh, pairs);
    return pairs;
}

/// Densito / authors - 1 of a normalised quantity, in %; absent when Densito has none.
std::optional<double> relativePercent(const Normalised& n) {
    return n.densito ? std::optional<double>(100.0 * (*n.densito / n.author - 1.0)) : std::nullopt;
}

std::string percentText(const AgeSummary& s) {
    char text[64];
    std::snprintf(text, sizeof text, "%5.1f +- %4.1f [%4.1f] n=%d", s.percent, s.cv, s.sdOverBlots,
                  s.blots);
    return text;
}

std::string summaryText(const std::vector<ConditionSummary>& summary) {
    for (const ConditionSummary& row : summary) {
        if (row.condition == "ZDF" && row.foldChange && row.ci95) {
            char text[96];
            std::snprintf(text, sizeof text, "%5.1f (%.1f-%.1f) n=%d p=%.2g", 100 * *row.foldChange,
                          100 * row.ci95->low, 100 * row.ci95->high, row.n, row.p.value_or(kNan));
            return text;
        }
    }
    return "-";
}

/// The Densito lane index `lane` of the strip a blots.csv row measures, if the strip has it.
const Lane* densitoLane(const Layout& layout, const BlotRow& row, const BlotAnalysis& analysis,
                        int lane) {
    const int strip = stripOfRow(layout, row, analysis);
    for (const Lane& l : analysis.lanes) {
        if (l.strip == strip && l.index == lane) {
            return &l;
        }
    }
    return nullptr;
}

} // namespace

int main(int argc, char** argv) {
    const std::filesystem::path root =
        std::filesystem::path(argc > 1 ? argv[1] : DENSITO_REAL_BLOTS_DIR) /
        "zdf_beta_adrenoceptor_alphainnotech";
    const std::filesystem::path layoutDir = argc > 2 ? argv[2] : DENSITO_ZDF_LAYOUT_DIR;
    const auto boxes = zdf::readRoiBoxes(root / "quant" / "roi_boxes_from_stp.csv");
    if (boxes.empty()) {
        std::fprintf(stderr, "no ZDF quantification found under %s\n", root.c_str());
        return 1;
    }
    LayoutSettings layoutSettings;
    layoutSettings.control = "ZL";
    const auto layout =
        readLayout(layoutDir / "blots.csv", layoutDir / "samples.csv", layoutSettings);
    if (!layout) {
        for (const Error& error : layout.error()) {
            std::fprintf(stderr, "%s\n", error.describe().c_str());
        }
        return 1;
    }
    std::vector<AuthorBlot> authors = readAuthorBlots(root / "quant", boxes);
    addNetRatios(authors, *layout, root / "images", boxes);

    // The layout must say what the authors' sheets say: the same condition in the same lane.
    int layoutMismatches = 0;
    for (const AuthorBlot& blot : authors) {
        for (const AuthorLane& lane : blot.lanes) {
            if (*blot.sheet->membrane == '\0') {
                continue;
            }
            const auto sample = std::find_if(
                layout->samples.begin(), layout->samples.end(), [&](const SampleRow& s) {
                    return s.membrane == blot.sheet->membrane && s.lane == lane.lane;
                });
            if (sample == layout->samples.end() || sample->condition != lane.group) {
                std::printf("LAYOUT MISMATCH: %s lane %d (ROI %d) is %s in the authors' sheet\n",
                            blot.sheet->membrane, lane.lane, lane.receptorRoi, lane.group.c_str());
                ++layoutMismatches;
            }
        }
    }

    std::vector<Run> runs;
    for (const char* method : kMethods) {
        runs.push_back(analyse(*layout, root / "images", method));
        for (const std::string& problem : runs.back().problems) {
            std::printf("%s: %s\n", method, problem.c_str());
        }
    }

    // Per lane: both ratios normalised to their blot's ZL mean.
    std::printf("Per lane: receptor/GAPDH normalised to the blot's ZL mean, authors vs Densito "
                "per background method (rel = Densito/authors - 1); B1AR and GAPDH: the rel of "
                "each band volume alone (%s)\n",
                kMethods[0]);
    std::printf("%-22s %4s %-4s %5s %7s", "membrane", "lane", "grp", "ROI", "authors");
    for (const char* method : kMethods) {
        std::printf(" %14s %7s", method, "rel");
    }
    std::printf(" %7s %7s\n", "B1AR", "GAPDH");
    const auto printRel = [](const std::optional<double>& rel) {
        if (rel) {
            std::printf(" %+6.1f%%", *rel);
        } else {
            std::printf(" %7s", "-");
        }
    };
    std::map<std::string, std::vector<double>> relErrors;
    for (const AuthorBlot& blot : authors) {
        if (*blot.sheet->membrane == '\0') {
            continue;
        }
        std::vector<std::vector<LanePair>> byMethod;
        for (const Run& run : runs) {
            byMethod.push_back(pairLanes(blot, run));
        }
        for (std::size_t i = 0; i < blot.lanes.size(); ++i) {
            const AuthorLane& lane = blot.lanes[i];
            std::printf("%-22s %4d %-4s %5d %7.3f", blot.sheet->membrane, lane.lane,
                        lane.group.c_str(), lane.receptorRoi, byMethod[0][i].ratio.author);
            for (std::size_t m = 0; m < runs.size(); ++m) {
                const Normalised& ratio = byMethod[m][i].ratio;
                const std::optional<double> rel = relativePercent(ratio);
                if (rel) {
                    relErrors[runs[m].method].push_back(std::abs(*rel) / 100.0);
                    std::printf(" %14.3f", *ratio.densito);
                } else {
                    std::printf(" %14s", "missing");
                }
                printRel(rel);
            }
            printRel(relativePercent(byMethod[0][i].receptor));
            printRel(relativePercent(byMethod[0][i].gapdh));
            std::printf("\n");
        }
    }

    // Per blot and per age, the authors' way.
    std::printf("\nPer blot: ZDF mean as %% of ZL mean (+- ZDF %%SD), all lanes with a ratio\n");
    std::printf("%-30s %-22s %-20s %-20s", "sheet", "membrane", "authors", "authors' boxes - bg");
    for (const char* method : kMethods) {
        std::printf(" %-20s", method);
    }
    std::printf("\n");
    std::map<int, std::vector<BlotPercent>> authorAll;
    std::map<int, std::vector<BlotPercent>> authorInScope;
    std::map<int, std::vector<BlotPercent>> authorNet;
    std::map<std::pair<std::string, int>, std::vector<BlotPercent>> densitoByAge;
    /// Densito on the blots authorNet has, so the two compare like with like.
    std::map<std::pair<std::string, int>, std::vector<BlotPercent>> densitoNetBlots;
    for (const AuthorBlot& blot : authors) {
        const int age = blot.sheet->ageWeeks;
        std::vector<double> zl;
        std::vector<double> zdf;
        std::vector<double> netZl;
        std::vector<double> netZdf;
        for (const AuthorLane& lane : blot.lanes) {
            (lane.group == "ZL" ? zl : zdf).push_back(lane.ratio);
            if (lane.netRatio) {
                (lane.group == "ZL" ? netZl : netZdf).push_back(*lane.netRatio);
            }
        }
        const auto author = blotPercent(zl, zdf);
        const auto net = netZl.size() + netZdf.size() == blot.lanes.size()
                             ? blotPercent(netZl, netZdf)
                             : std::nullopt;
        const bool inScope = *blot.sheet->membrane != '\0';
        if (author) {
            authorAll[age].push_back(*author);
            if (inScope) {
                authorInScope[age].push_back(*author);
            }
        }
        std::printf("%-30s %-22s %5.1f +- %4.1f       ",
                    (std::string(blot.sheet->workbook) + " " + blot.sheet->sheet).c_str(),
                    inScope ? blot.sheet->membrane : blot.sheet->why,
                    author ? author->percent : kNan, author ? author->cv : kNan);
        if (net && inScope) {
            authorNet[age].push_back(*net);
            std::printf(" %5.1f +- %4.1f       ", net->percent, net->cv);
        } else {
            std::printf(" %-20s", "-");
        }
        for (const Run& run : runs) {
            std::vector<double> dzl;
            std::vector<double> dzdf;
            for (const AuthorLane& lane : blot.lanes) {
                const QuantifiedLane* q =
                    inScope ? findLane(run, blot.sheet->membrane, lane.lane) : nullptr;
                if (q != nullptr && q->ratio) {
                    (lane.group == "ZL" ? dzl : dzdf).push_back(*q->ratio);
                }
            }
            const auto densito = blotPercent(dzl, dzdf);
            if (densito) {
                densitoByAge[{run.method, age}].push_back(*densito);
                if (net && inScope) {
                    densitoNetBlots[{run.method, age}].push_back(*densito);
                }
                std::printf(" %5.1f +- %4.1f       ", densito->percent, densito->cv);
            } else {
                std::printf(" %-20s", "-");
            }
        }
        std::printf("\n");
    }

    std::printf("\nZDF as %% of ZL per age: mean of per-blot %% +- mean of per-blot ZDF %%SD "
                "(the Compiled sheet's way) [SD of the per-blot %% over blots]\n");
    std::printf("%-36s %-30s %-30s\n", "", "10 weeks", "16 weeks");
    std::printf("%-36s %-30s %-30s\n", "published (PLoS One 2015)", "   98 +-    9",
                "   69 +-   16");
    const auto c10 = compiledAverage(root / "quant", "B1AR_10week.xls");
    const auto c16 = compiledAverage(root / "quant", "B1AR_16week.xls");
    std::printf("%-36s %5.1f +- %4.1f %17s %5.1f +- %4.1f\n", "authors' Compiled sheet, Average",
                c10 ? c10->first : kNan, c10 ? c10->second : kNan, "", c16 ? c16->first : kNan,
                c16 ? c16->second : kNan);
    std::printf("%-36s %-30s %-30s\n", "authors' lanes recombined, all blots",
                percentText(combineBlots(authorAll[10])).c_str(),
                percentText(combineBlots(authorAll[16])).c_str());
    std::printf("%-36s %-30s %-30s\n", "authors' lanes, blots Densito has",
                percentText(combineBlots(authorInScope[10])).c_str(),
                percentText(combineBlots(authorInScope[16])).c_str());
    for (const Run& run : runs) {
        std::printf("%-36s %-30s %-30s\n", ("Densito " + run.method).c_str(),
                    percentText(combineBlots(densitoByAge[{run.method, 10}])).c_str(),
                    percentText(combineBlots(densitoByAge[{run.method, 16}])).c_str());
    }
    std::printf("%-36s %-30s %-30s\n", "authors' boxes - local background",
                percentText(combineBlots(authorNet[10])).c_str(),
                percentText(combineBlots(authorNet[16])).c_str());
    std::printf("%-36s %-30s %-30s\n", "Densito border-median, same blots",
                percentText(combineBlots(densitoNetBlots[{kMethods[0], 10}])).c_str(),
                percentText(combineBlots(densitoNetBlots[{kMethods[0], 16}])).c_str());
    std::printf("Densito's own summary (geometric-mean fold change %%, 95%% CI, linear-model p; "
                "flagged lanes excluded):\n");
    for (const Run& run : runs) {
        std::printf("  %-34s %-30s %-30s\n", run.method.c_str(), summaryText(run.summary10).c_str(),
                    summaryText(run.summary16).c_str());
    }

    std::printf("\nPer-lane agreement, |Densito/authors - 1| after normalising to the blot's "
                "ZL mean:\n");
    for (const Run& run : runs) {
        const auto& errors = relErrors[run.method];
        std::printf("  %-14s n=%2zu  median %5.1f%%  p90 %5.1f%%  max %5.1f%%\n",
                    run.method.c_str(), errors.size(), 100 * zdf::percentile(errors, 0.5),
                    100 * zdf::percentile(errors, 0.9), 100 * zdf::percentile(errors, 1.0));
    }

    // What Densito flagged, could not measure, or placed off the authors' lane.
    std::printf("\nFlags and lanes:\n");
    for (const Run& run : runs) {
        std::vector<std::string> flagged;
        std::vector<std::string> missing;
        for (const SampleRow& sample : layout->samples) {
            for (const BlotRow& row : layout->blots) {
                if (row.membrane != sample.membrane) {
                    continue;
                }
                const auto band =
                    std::find_if(run.bands.begin(), run.bands.end(), [&](const MeasuredBand& b) {
                        return b.membrane == sample.membrane && b.lane == sample.lane &&
                               b.measure == row.measure;
                    });
                const std::string where = sample.membrane + ":" + std::to_string(sample.lane) +
                                          (row.measure == Measure::Loading ? " GAPDH" : " B1AR");
                if (band == run.bands.end()) {
                    missing.push_back(where);
                } else if ((band->flags & (kBandSaturated | kBandWeak)) != 0) {
                    flagged.push_back(where + " (" + bandFlagsText(band->flags) + ")");
                }
            }
        }
        std::printf("  %s: flagged %zu:", run.method.c_str(), flagged.size());
        for (const std::string& text : flagged) {
            std::printf(" %s;", text.c_str());
        }
        std::printf("  no band %zu:", missing.size());
        for (const std::string& text : missing) {
            std::printf(" %s;", text.c_str());
        }
        std::printf("\n");
    }
    const Run& reference = runs.front();
    for (const auto& [name, analysis] : reference.analyses) {
        for (const std::string& warning : analysis.warnings) {
            std::printf("  %s: %s\n", name.c_str(), warning.c_str());
        }
    }
    // A lane is off when its centre (at the box's middle row) lies outside the authors' box of
    // that lane; the July 23 GAPDH image has no boxes (.stp missing), so it is not checked.
    int checked = 0;
    std::vector<std::string> off;
    for (const AuthorBlot& blot : authors) {
        if (*blot.sheet->membrane == '\0') {
            continue;
        }
        for (const AuthorLane& lane : blot.lanes) {
            for (const BlotRow& row : layout->blots) {
                if (row.membrane != blot.sheet->membrane) {
                    continue;
                }
                const std::string image = std::filesystem::path(row.image).filename().string();
                const int roi = row.measure == Measure::Loading ? lane.gapdhRoi : lane.receptorRoi;
                const auto box = boxes.find({image, roi});
                const auto analysis = reference.analyses.find(image);
                if (box == boxes.end() || analysis == reference.analyses.end()) {
                    continue;
                }
                ++checked;
                const Lane* found = densitoLane(*layout, row, analysis->second, lane.lane);
                const cv::Rect& r = box->second;
                const double x = found != nullptr ? found->centreAt(r.y + 0.5 * r.height) : kNan;
                if (!(x >= r.x && x < r.x + r.width)) {
                    char text[160];
                    std::snprintf(text, sizeof text, "%s:%d %s (ROI %d, box x %d-%d, Densito %.0f)",
                                  blot.sheet->membrane, lane.lane,
                                  row.measure == Measure::Loading ? "GAPDH" : "B1AR", roi, r.x,
                                  r.x + r.width - 1, x);
                    off.emplace_back(text);
                }
            }
        }
    }
    std::printf("Lane centres outside the authors' box of that lane: %zu of %d checked\n",
                off.size(), checked);
    for (const std::string& text : off) {
        std::printf("  %s\n", text.c_str());
    }
    return layoutMismatches == 0 ? 0 : 1;
}
