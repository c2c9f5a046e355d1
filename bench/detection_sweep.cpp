// Automatic strip and lane detection on widened synthetic blots (src/core/synth/varied_blot.h),
// pictures detection was not tuned on: how often an image is exactly right, per feature, and
// whether the lane confidence and needs_review say so; then band recall, precision and volume
// errors against each drawn band's truth, with the lanes found and with the true lane count
// given. Prints figures; never a pass/fail test.
//   build/release/bench/densito_detection_sweep [--images N] [--first-seed S] [--details]
//       [--scenes] [--band-details] [--clean] [--write-png DIR]
// --details prints one line per wrong image and per exact image marked for review; --scenes
// adds the drawn scene under it; --band-details prints each image's band figures; --clean
// draws one membrane piece without noise or artefacts (to check the volume unit and the
// measurement apart from detection);
// --write-png writes each image as analysed (seed_N_raw.png, contrast-stretched) and Densito's
// overlay with the truth drawn on it (seed_N.png: truth strips yellow, true lane centres
// dotted magenta, ladders cyan, empty wells orange).
#include "core/image/signal.h"
#include "core/io/overlay_renderer.h"
#include "core/pipeline/image_analysis.h"
#include "core/synth/varied_blot.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <functional>
#include <map>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace {

using namespace densito;

/// How band finding and measurement did on one image, in one way of giving the lanes.
struct BandScore {
    int trueBands = 0;                ///< true sample bands not saturated
    int trueFound = 0;                ///< of them, matched by a detected band
    int detected = 0;                 ///< detected bands in lanes Densito takes for sample lanes
    int detectedRight = 0;            ///< of them, matched to a true sample band (saturated or not)
    std::vector<double> volumeErrors; ///< |measured - true| / true, per measured match
    int flaggedSaturated = 0;         ///< matches left out: Densito flags them, the truth does not
    int touchedByArtefact = 0;        ///< matches left out: an artefact changed the band's pixels

    void add(const BandScore& other) {
        trueBands += other.trueBands;
        trueFound += other.trueFound;
        detected += other.detected;
        detectedRight += other.detectedRight;
        volumeErrors.insert(volumeErrors.end(), other.volumeErrors.begin(),
                            other.volumeErrors.end());
        flaggedSaturated += other.flaggedSaturated;
        touchedByArtefact += other.touchedByArtefact;
    }
};

/// How detection did on one image.
struct ImageScore {
    std::uint64_t seed = 0;
    bool isGenerated = false;
    std::uint32_t features = 0;
    std::vector<int> wells; ///< per true strip
    int trueStrips = 0;
    int foundStrips = 0;
    bool areStripsRight = false;
    bool areLanesRight = true; ///< every matched strip's lanes, and no strip unmatched
    bool isExact = false;
    bool isPolarityRight = true;
    double confidence = 0.0;
    bool needsReview = false;
    std::string firstReason;
    std::vector<std::string> problems;
    int trueLaddersFound = 0;
    int laddersMarked = 0;
    int sampleLanesMatched = 0;
    int samplesMarkedLadder = 0;
    double seconds = 0.0;
    BandScore bandsAutomatic; ///< lanes as Densito finds them
    BandScore bandsGiven;     ///< the true lane count given per strip
};

double iou(const cv::Rect& a, const cv::Rect& b) {
    const double overlap = (a & b).area();
    const double together = a.area() + b.area() - overlap;
    return together > 0.0 ? overlap / together : 0.0;
}

/// Found strip matched to each true strip, greedily by the largest IoU >= 0.5, or -1.
std::vector<int> matchStrips(const std::vector<VariedStrip>& truth,
                             const std::vector<Strip>& found) {
    struct Pair {
        double iou;
        std::size_t t;
        std::size_t f;
    };
    std::vector<Pair> pairs;
    for (std::size_t t = 0; t < truth.size(); ++t) {
        for (std::size_t f = 0; f < found.size(); ++f) {
            const double overlap = iou(truth[t].region, found[f].region);
            if (overlap >= 0.5) {
                pairs.push_back({overlap, t, f});
            }
        }
    }
    std::ranges::sort(pairs, [](const Pair& a, const Pair& b) { return a.iou > b.iou; });
    std::vector<int> match(truth.size(), -1);
    std::vector<bool> isUsed(found.size(), false);
    for (const Pair& pair : pairs) {
        if (match[pair.t] < 0 && !isUsed[pair.f]) {
            match[pair.t] = static_cast<int>(pair.f);
            isUsed[pair.f] = true;
        }
    }
    return match;
}

std::string indexList(const std::vector<int>& indices) {
    return fmt::format("{}", fmt::join(indices, ","));
}

/// The true lane (index into truth.lanes) each found lane of `strip` lies on, by found lane
/// index; -1 for a found lane on none, or on one an earlier found lane took. One-to-one by
/// centre within 0.3 of the true pitch, compared at the true strip's vertical middle.
std::map<int, int> matchLanes(const VariedStrip& truth, const Strip& strip,
                              const BlotAnalysis& analysis) {
    const double tolerance = 0.3 * truth.pitchPx;
    const double middle = truth.region.y + 0.5 * (truth.region.height - 1);
    std::vector<bool> isTaken(truth.lanes.size(), false);
    std::map<int, int> match;
    for (const Lane& lane : analysis.lanes) {
        if (lane.strip != strip.index) {
            continue;
        }
        const double x = lane.centreAt(middle);
        int best = -1;
        double bestDistance = tolerance;
        for (std::size_t t = 0; t < truth.lanes.size(); ++t) {
            const double distance = std::abs(x - truth.lanes[t].xCenterPx);
            if (distance <= bestDistance) {
                bestDistance = distance;
                best = static_cast<int>(t);
            }
        }
        if (best >= 0 && isTaken[static_cast<std::size_t>(best)]) {
            best = -1;
        }
        if (best >= 0) {
            isTaken[static_cast<std::size_t>(best)] = true;
        }
        match[lane.index] = best;
    }
    return match;
}

/// Scores the lanes found in one strip against its true lanes (matchLanes). Empty wells may
/// be found or not; every other true lane must be found, and no found lane may be left over.
void scoreLanes(const VariedStrip& truth, const Strip& strip, const BlotAnalysis& analysis,
                ImageScore& score) {
    const std::map<int, int> match = matchLanes(truth, strip, analysis);
    std::vector<int> hits(truth.lanes.size(), 0);
    std::vector<int> extra;
    int foundCount = 0;
    for (const Lane& lane : analysis.lanes) {
        if (lane.strip != strip.index) {
            continue;
        }
        ++foundCount;
        const int best = match.at(lane.index);
        if (best < 0) {
            extra.push_back(lane.index);
            continue;
        }
        const VariedLane& matched = truth.lanes[static_cast<std::size_t>(best)];
        ++hits[static_cast<std::size_t>(best)];
        if (matched.isLadder) {
            ++score.trueLaddersFound;
            score.laddersMarked += lane.kind == LaneKind::Ladder ? 1 : 0;
        } else {
            ++score.sampleLanesMatched;
            score.samplesMarkedLadder += lane.kind == LaneKind::Ladder ? 1 : 0;
        }
    }
    std::vector<int> missed;
    int emptyFound = 0;
    for (std::size_t t = 0; t < truth.lanes.size(); ++t) {
        if (hits[t] == 0 && !truth.lanes[t].isEmpty) {
            missed.push_back(truth.lanes[t].index);
        }
        emptyFound += hits[t] > 0 && truth.lanes[t].isEmpty ? 1 : 0;
    }
    if (missed.empty() && extra.empty()) {
        return;
    }
    score.areLanesRight = false;
    const int empties = static_cast<int>(truth.lanes.size()) - truth.signalLanes();
    score.problems.push_back(fmt::format("s{} lanes {}/{}{}{}{}", truth.index, foundCount,
                                         truth.signalLanes(),
                                         empties > 0 ? fmt::format("+{}e", empties) : "",
                                         missed.empty() ? "" : " missed " + indexList(missed),
                                         extra.empty() ? "" : " extra found " + indexList(extra)));
}

ImageScore scoreImage(const VariedBlot& blot, const BlotAnalysis& analysis) {
    ImageScore score;
    score.isGenerated = true;
    score.features = blot.features;
    score.trueStrips = static_cast<int>(blot.strips.size());
    score.foundStrips = static_cast<int>(analysis.strips.size());
    for (const VariedStrip& strip : blot.strips) {
        score.wells.push_back(static_cast<int>(strip.lanes.size()));
    }
    const std::vector<int> match = matchStrips(blot.strips, analysis.strips);
    score.areStripsRight = score.foundStrips == score.trueStrips &&
                           std::ranges::none_of(match, [](int m) { return m < 0; });
    if (!score.areStripsRight) {
        score.problems.push_back(fmt::format("strips {}/{}", score.foundStrips, score.trueStrips));
    }
    for (std::size_t t = 0; t < blot.strips.size(); ++t) {
        if (match[t] < 0) {
            score.areLanesRight = false;
            score.problems.push_back(fmt::format("s{} unmatched", blot.strips[t].index));
            continue;
        }
        scoreLanes(blot.strips[t], analysis.strips[static_cast<std::size_t>(match[t])], analysis,
                   score);
    }
    score.isExact = score.areStripsRight && score.areLanesRight;
    score.confidence = 1.0;
    for (const Lane& lane : analysis.lanes) {
        score.confidence = std::min(score.confidence, lane.confidence);
    }
    if (analysis.lanes.empty()) {
        score.confidence = 0.0;
    }
    score.needsReview = analysis.needsReview;
    score.firstReason = analysis.reviewReasons.empty() ? "" : analysis.reviewReasons.front();
    return score;
}

// --- bands and volumes ----------------------------------------------------------------------

/// A band whose pixels an artefact changed by more than this share of its volume is left out
/// of the volume errors: its truth no longer says what the pixels hold, by more than half the
/// 1% median goal.
constexpr double kArtefactShare = 0.005;

const Lane* findLane(const BlotAnalysis& analysis, int strip, int index) {
    const auto lane = std::ranges::find_if(analysis.lanes, [strip, index](const Lane& l) {
        return l.strip == strip && l.index == index;
    });
    return lane == analysis.lanes.end() ? nullptr : &*lane;
}

/// Densito takes a band for a sample's unless its lane is a ladder.
bool isInSampleLane(const Band& band, const BlotAnalysis& analysis) {
    const Lane* lane = findLane(analysis, band.strip, band.lane);
    return lane == nullptr || lane->kind == LaneKind::Sample;
}

/// Adds one true-found pair to `score`: found, and its volume error when it can be measured.
void scoreMatch(const VariedBand& truth, const Band& found, BandScore& score) {
    ++score.detectedRight;
    if (truth.isSaturated) {
        return;
    }
    ++score.trueFound;
    if ((found.flags & kBandSaturated) != 0) {
        ++score.flaggedSaturated;
    } else if (std::abs(truth.artefactCounts) > kArtefactShare * truth.volumeCounts) {
        ++score.touchedByArtefact;
    } else {
        score.volumeErrors.push_back(std::abs(found.volume - truth.volume) / truth.volume);
    }
}

/// Scores the bands found in one matched strip. A detected band in a sample lane matches a
/// true sample band of the true lane its lane lies on (matchLanes) when their peaks lie within
/// half the true band's height (full width at half maximum along the lane, at least 1 px);
/// pairs are taken one to one, closest first. Bands found in a true ladder lane, in a lane on
/// no true lane, or off every true band count as wrong.
void scoreStripBands(const VariedStrip& truth, const Strip& strip, const BlotAnalysis& analysis,
                     BandScore& score) {
    const std::map<int, int> laneMatch = matchLanes(truth, strip, analysis);
    struct Pair {
        double distancePx;
        std::size_t found;
        std::size_t truth;
    };
    std::vector<Pair> pairs;
    for (std::size_t f = 0; f < analysis.bands.size(); ++f) {
        const Band& band = analysis.bands[f];
        if (band.strip != strip.index || !isInSampleLane(band, analysis)) {
            continue;
        }
        ++score.detected;
        const auto lane = laneMatch.find(band.lane);
        if (lane == laneMatch.end() || lane->second < 0) {
            continue;
        }
        for (std::size_t t = 0; t < truth.bands.size(); ++t) {
            const VariedBand& candidate = truth.bands[t];
            const double distance = std::abs(band.peakYPx - candidate.yPeakPx);
            if (!candidate.isLadder && candidate.lane == lane->second + 1 &&
                distance <= std::max(1.0, 0.5 * candidate.heightPx)) {
                pairs.push_back({distance, f, t});
            }
        }
    }
    std::ranges::sort(pairs,
                      [](const Pair& a, const Pair& b) { return a.distancePx < b.distancePx; });
    std::vector<bool> isFoundUsed(analysis.bands.size(), false);
    std::vector<bool> isTruthUsed(truth.bands.size(), false);
    for (const Pair& pair : pairs) {
        if (!isFoundUsed[pair.found] && !isTruthUsed[pair.truth]) {
            isFoundUsed[pair.found] = true;
            isTruthUsed[pair.truth] = true;
            scoreMatch(truth.bands[pair.truth], analysis.bands[pair.found], score);
        }
    }
}

/// Band recall, precision and volume errors of one analysis. True strips are matched to found
/// strips as for the lanes (matchStrips): the bands of a true strip no found strip matches are
/// all missed, and the bands found in a strip no true strip matches are all wrong.
BandScore scoreBands(const VariedBlot& blot, const BlotAnalysis& analysis) {
    BandScore score;
    const std::vector<int> match = matchStrips(blot.strips, analysis.strips);
    std::vector<bool> isMatched(analysis.strips.size(), false);
    for (std::size_t t = 0; t < blot.strips.size(); ++t) {
        for (const VariedBand& band : blot.strips[t].bands) {
            score.trueBands += !band.isLadder && !band.isSaturated ? 1 : 0;
        }
        if (match[t] >= 0) {
            const auto found = static_cast<std::size_t>(match[t]);
            isMatched[found] = true;
            scoreStripBands(blot.strips[t], analysis.strips[found], analysis, score);
        }
    }
    for (std::size_t f = 0; f < analysis.strips.size(); ++f) {
        for (const Band& band : analysis.bands) {
            const bool isUnmatched = !isMatched[f] && band.strip == analysis.strips[f].index;
            score.detected += isUnmatched && isInSampleLane(band, analysis) ? 1 : 0;
        }
    }
    return score;
}

/// The settings of the "lanes given" run: the true lane count (every well, ladders and empty
/// wells included, as a layout's highest lane number gives it) for each found strip that
/// matches a true strip; strips are found as before (lane counts do not change them).
AnalysisSettings lanesGiven(const VariedBlot& blot, const BlotAnalysis& automatic) {
    AnalysisSettings settings;
    const std::vector<int> match = matchStrips(blot.strips, automatic.strips);
    for (std::size_t t = 0; t < blot.strips.size(); ++t) {
        if (match[t] >= 0) {
            const Strip& found = automatic.strips[static_cast<std::size_t>(match[t])];
            settings.expectedLanesByStrip[found.index] =
                static_cast<int>(blot.strips[t].lanes.size());
        }
    }
    return settings;
}

// --- pictures -------------------------------------------------------------------------------

void writeBytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

/// The raw image stretched between its 0.1st and 99.9th percentiles to 8 bits, as stored
/// (dark bands stay dark).
cv::Mat stretched(const cv::Mat& raw) {
    cv::Mat values;
    raw.reshape(1, 1).convertTo(values, CV_32F);
    std::vector<float> sorted(values.begin<float>(), values.end<float>());
    std::ranges::sort(sorted);
    const auto at = [&sorted](double q) {
        return static_cast<double>(
            sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))]);
    };
    const double low = at(0.001);
    const double high = std::max(low + 1.0, at(0.999));
    cv::Mat result;
    raw.convertTo(result, CV_8U, 255.0 / (high - low), -255.0 * low / (high - low));
    return result;
}

void paint(cv::Mat& picture, int x, int y, const cv::Vec3b& colour) {
    if (x >= 0 && y >= 0 && x < picture.cols && y < picture.rows) {
        picture.at<cv::Vec3b>(y, x) = colour;
    }
}

/// The truth on Densito's overlay (which is scaled to `scale` of the image).
void drawTruth(cv::Mat& overlay, const VariedBlot& blot, double scale) {
    const cv::Vec3b stripColour(0, 255, 255);
    for (const VariedStrip& strip : blot.strips) {
        const int x0 = static_cast<int>(std::lround(strip.region.x * scale));
        const int y0 = static_cast<int>(std::lround(strip.region.y * scale));
        const int x1 = static_cast<int>(std::lround((strip.region.br().x - 1) * scale));
        const int y1 = static_cast<int>(std::lround((strip.region.br().y - 1) * scale));
        for (int x = x0; x <= x1; ++x) {
            paint(overlay, x, y0, stripColour);
            paint(overlay, x, y1, stripColour);
        }
        for (int y = y0; y <= y1; ++y) {
            paint(overlay, x0, y, stripColour);
            paint(overlay, x1, y, stripColour);
        }
        const double middle = strip.region.y + 0.5 * (strip.region.height - 1);
        for (const VariedLane& lane : strip.lanes) {
            const cv::Vec3b colour = lane.isLadder  ? cv::Vec3b(255, 255, 0)
                                     : lane.isEmpty ? cv::Vec3b(0, 140, 255)
                                                    : cv::Vec3b(255, 0, 255);
            // Dotted centre line along the lane's tilt; short ticks at its true edges.
            for (int y = y0; y <= y1; y += 3) {
                const double x = lane.xCenterPx + strip.slope * (y / scale - middle);
                paint(overlay, static_cast<int>(std::lround(x * scale)), y, colour);
            }
            const int ym = static_cast<int>(std::lround(middle * scale));
            for (const double edge : {lane.leftPx, lane.rightPx}) {
                for (int dy = -4; dy <= 4; ++dy) {
                    paint(overlay, static_cast<int>(std::lround(edge * scale)), ym + dy, colour);
                }
            }
        }
    }
}

void writePictures(const std::filesystem::path& folder, const VariedBlot& blot, const Image& image,
                   const cv::Mat& signal, const SignalModel& model, const BlotAnalysis& analysis,
                   const ImageScore& score) {
    const std::string stem = "seed_" + std::to_string(blot.params.seed);
    writeBytes(folder / (stem + "_raw.png"), encodePng(stretched(image.raw)));
    OverlayLegend legend;
    legend.fileName = stem + (score.isExact ? " (exact)" : " (wrong)");
    legend.parameters = variedFeaturesText(blot.features);
    cv::Mat overlay = renderOverlay(signal, image.raw, image.validMask, model, analysis, legend);
    drawTruth(overlay, blot, std::min(1.0, 2000.0 / signal.cols));
    writeBytes(folder / (stem + ".png"), encodePng(overlay));
}

// --- report ---------------------------------------------------------------------------------

struct Tally {
    int images = 0;
    int exact = 0;
    void add(const ImageScore& score) {
        ++images;
        exact += score.isExact ? 1 : 0;
    }
};

std::string rate(const Tally& tally) {
    char text[64];
    if (tally.images == 0) {
        std::snprintf(text, sizeof text, "%5d %6s %7s", 0, "-", "-");
    } else {
        std::snprintf(text, sizeof text, "%5d %6d %6.1f%%", tally.images, tally.exact,
                      100.0 * tally.exact / tally.images);
    }
    return text;
}

bool hasWellsIn(const ImageScore& score, int lo, int hi) {
    return std::ranges::any_of(score.wells,
                               [lo, hi](int wells) { return wells >= lo && wells <= hi; });
}

void printReport(const std::vector<ImageScore>& scores, int failedToGenerate, double seconds) {
    Tally all;
    int stripsRight = 0;
    int polarityWrong = 0;
    for (const ImageScore& score : scores) {
        all.add(score);
        stripsRight += score.areStripsRight ? 1 : 0;
        polarityWrong += score.isPolarityRight ? 0 : 1;
    }
    std::printf("generated %d, failed to generate %d; analysis %.2f s per image; polarity "
                "wrong in %d\n\n",
                all.images, failedToGenerate, seconds / std::max(1, all.images), polarityWrong);
    std::printf("(1) exact (strips and every strip's lanes right): %d/%d = %.1f%%  (strips "
                "right: %d = %.1f%%)\n\n",
                all.exact, all.images, 100.0 * all.exact / std::max(1, all.images), stripsRight,
                100.0 * stripsRight / std::max(1, all.images));

    using Predicate = std::function<bool(const ImageScore&)>;
    const auto feature = [](std::uint32_t bit) {
        return Predicate([bit](const ImageScore& s) { return (s.features & bit) != 0; });
    };
    const std::vector<std::pair<std::string, Predicate>> rows = {
        {"touching lanes", feature(kVariedTouchingLanes)},
        {"ladders", feature(kVariedLadder)},
        {"  ladder beyond an empty well", feature(kVariedLadderGap)},
        {"empty wells", feature(kVariedEmptyWell)},
        {"stacked same comb", feature(kVariedStackedSameComb)},
        {"  same comb, no glow (no cue)",
         [](const ImageScore& s) {
             return (s.features & kVariedStackedSameComb) != 0 && (s.features & kVariedNoGlow) != 0;
         }},
        {"stacked two gels", feature(kVariedStackedTwoGels)},
        {"side by side", feature(kVariedSideBySide)},
        {"three pieces", feature(kVariedThreePieces)},
        {"pieces touching (seam)", feature(kVariedSeam)},
        {"single piece",
         [](const ImageScore& s) {
             return s.trueStrips == 1;
         }},
        {"  membrane fills image", feature(kVariedFillsImage)},
        {"no glow", feature(kVariedNoGlow)},
        {"pen marks or text", feature(kVariedPenMarks | kVariedPrintedText)},
        {"  pen marks", feature(kVariedPenMarks)},
        {"  printed text", feature(kVariedPrintedText)},
        {"bubbles", feature(kVariedBubbles)},
        {"dust", feature(kVariedDust)},
        {"8-bit", feature(kVariedEightBit)},
        {"dark bands", feature(kVariedDarkBands)},
        {"saturated rows", feature(kVariedSaturated)},
        {"doublets", feature(kVariedDoublet)},
        {"lane smear", feature(kVariedLaneSmear)},
        {"tilt > 0.4 deg", feature(kVariedTilt)},
        {"smile > a band sigma", feature(kVariedSmile)},
        {"lanes 2-5",
         [](const ImageScore& s) {
             return hasWellsIn(s, 2, 5);
         }},
        {"lanes 6-12",
         [](const ImageScore& s) {
             return hasWellsIn(s, 6, 12);
         }},
        {"lanes 13-20",
         [](const ImageScore& s) {
             return hasWellsIn(s, 13, 20);
         }},
    };
    std::printf("(2) exact rate per feature (an image counts under every feature it shows)\n");
    std::printf("    %-30s %5s %6s %7s\n", "feature", "imgs", "exact", "rate");
    for (const auto& [name, predicate] : rows) {
        Tally tally;
        for (const ImageScore& score : scores) {
            if (predicate(score)) {
                tally.add(score);
            }
        }
        std::printf("    %-30s %s\n", name.c_str(), rate(tally).c_str());
    }

    std::printf("\n(3) calibration: confidence = the lowest lane confidence in the image\n");
    std::printf("    %-12s %5s %6s %7s\n", "confidence", "imgs", "exact", "rate");
    std::array<Tally, 10> deciles{};
    for (const ImageScore& score : scores) {
        const auto decile =
            static_cast<std::size_t>(std::clamp(static_cast<int>(score.confidence * 10.0), 0, 9));
        deciles[decile].add(score);
    }
    for (std::size_t d = 0; d < deciles.size(); ++d) {
        char range[32];
        std::snprintf(range, sizeof range, "[%.1f, %.1f%s", 0.1 * static_cast<double>(d),
                      0.1 * static_cast<double>(d + 1), d == 9 ? "]" : ")");
        std::printf("    %-12s %s\n", range, rate(deciles[d]).c_str());
    }

    Tally unmarked;
    int marked = 0;
    int silent = 0;
    std::map<std::string, int> reasons;
    for (const ImageScore& score : scores) {
        if (score.needsReview) {
            ++marked;
            // Grouped by the reason's wording: "strip N: " and the figures left out.
            std::string reason = score.firstReason;
            if (reason.starts_with("strip ") && reason.find(": ") != std::string::npos) {
                reason = reason.substr(reason.find(": ") + 2);
            }
            ++reasons[reason.substr(0,
                                    std::min(reason.size(), reason.find_first_of("0123456789(")))];
        } else {
            unmarked.add(score);
            silent += score.isExact ? 0 : 1;
        }
    }
    std::printf("\n(4) needs review: %d of %d images marked (%.1f%%); exact among the %d not "
                "marked: %.1f%%; wrong and not marked (silent failures): %d\n",
                marked, all.images, 100.0 * marked / std::max(1, all.images), unmarked.images,
                100.0 * unmarked.exact / std::max(1, unmarked.images), silent);
    std::vector<std::pair<int, std::string>> byCount;
    for (const auto& [reason, count] : reasons) {
        byCount.emplace_back(count, reason);
    }
    std::ranges::sort(byCount, std::greater<>());
    for (std::size_t i = 0; i < byCount.size() && i < 6; ++i) {
        std::printf("    %4d  first reason: %s...\n", byCount[i].first, byCount[i].second.c_str());
    }

    // The lowest threshold whose images at or above it are at least 95% exact.
    std::vector<const ImageScore*> ordered;
    for (const ImageScore& score : scores) {
        ordered.push_back(&score);
    }
    std::ranges::sort(ordered, [](const ImageScore* a, const ImageScore* b) {
        return a->confidence > b->confidence;
    });
    double threshold = std::nan("");
    int above = 0;
    int aboveExact = 0;
    int exactSoFar = 0;
    for (std::size_t i = 0; i < ordered.size(); ++i) {
        exactSoFar += ordered[i]->isExact ? 1 : 0;
        const bool isLastOfValue =
            i + 1 == ordered.size() || ordered[i + 1]->confidence < ordered[i]->confidence;
        const auto count = static_cast<int>(i + 1);
        if (isLastOfValue && exactSoFar >= 0.95 * count) {
            threshold = ordered[i]->confidence;
            above = count;
            aboveExact = exactSoFar;
        }
    }
    if (std::isnan(threshold)) {
        // Say what the best threshold (among those with at least 5 images above) gives.
        double bestRate = -1.0;
        double best = 0.0;
        int bestCount = 0;
        exactSoFar = 0;
        for (std::size_t i = 0; i < ordered.size(); ++i) {
            exactSoFar += ordered[i]->isExact ? 1 : 0;
            const auto count = static_cast<int>(i + 1);
            const bool isLastOfValue =
                i + 1 == ordered.size() || ordered[i + 1]->confidence < ordered[i]->confidence;
            if (isLastOfValue && count >= 5 && exactSoFar > bestRate * count) {
                bestRate = static_cast<double>(exactSoFar) / count;
                best = ordered[i]->confidence;
                bestCount = count;
            }
        }
        std::printf("\n(5) no confidence threshold gives >= 95%% exact images above it; the best "
                    "(>= 5 images): confidence >= %.3f, %d images (%.1f%%), %.1f%% exact\n",
                    best, bestCount, 100.0 * bestCount / std::max(1, all.images), 100.0 * bestRate);
    } else {
        std::printf("\n(5) confidence >= %.3f: %d images (%.1f%% of all), %.1f%% of them exact\n",
                    threshold, above, 100.0 * above / std::max(1, all.images),
                    100.0 * aboveExact / std::max(1, above));
    }

    int laddersFound = 0;
    int laddersMarked = 0;
    int samples = 0;
    int samplesAsLadder = 0;
    for (const ImageScore& score : scores) {
        laddersFound += score.trueLaddersFound;
        laddersMarked += score.laddersMarked;
        samples += score.sampleLanesMatched;
        samplesAsLadder += score.samplesMarkedLadder;
    }
    std::printf("\nladders: %d true ladder lanes found, %d of them marked Ladder (%.1f%%); %d of "
                "%d matched sample lanes wrongly marked Ladder\n",
                laddersFound, laddersMarked, 100.0 * laddersMarked / std::max(1, laddersFound),
                samplesAsLadder, samples);
}

/// Value at quantile q (0..1) of `values`, linear between order statistics; NaN when empty.
double quantileOf(std::vector<double> values, double q) {
    if (values.empty()) {
        return std::nan("");
    }
    std::ranges::sort(values);
    const double position = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(position);
    const std::size_t above = std::min(below + 1, values.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return values[below] + fraction * (values[above] - values[below]);
}

std::string bandColumns(const BandScore& score) {
    const auto ratio = [](int part, int whole) {
        return whole > 0 ? static_cast<double>(part) / whole : std::nan("");
    };
    const auto percent = [&score](double q) {
        return 100.0 * quantileOf(score.volumeErrors, q);
    };
    return fmt::format("{:6.3f} {:6.3f} {:6d} {:6.2f}% {:6.2f}% {:6.1f}%",
                       ratio(score.trueFound, score.trueBands),
                       ratio(score.detectedRight, score.detected), score.volumeErrors.size(),
                       percent(0.5), percent(0.9), percent(1.0));
}

/// One image's band figures, lanes found then lanes given.
void printBandLine(const ImageScore& score) {
    std::printf("seed %llu [%s] true %d | automatic %s | given %s\n",
                static_cast<unsigned long long>(score.seed),
                variedFeaturesText(score.features).c_str(), score.bandsAutomatic.trueBands,
                bandColumns(score.bandsAutomatic).c_str(), bandColumns(score.bandsGiven).c_str());
    std::fflush(stdout);
}

/// Band recall, precision and volume errors per group of images, lanes found and lanes given.
void printBandReport(const std::vector<ImageScore>& scores) {
    // What puts foreign signal in or beside a band's box: a close neighbour along the lane or
    // across it, protein smeared under it, a bubble's hole or rim. Tilt, smile, dust, pen marks
    // and text are in most real blots (and artefacts on a band are left out by the truth).
    constexpr std::uint32_t kHard =
        kVariedDoublet | kVariedTouchingLanes | kVariedLaneSmear | kVariedBubbles;
    using Predicate = std::function<bool(const ImageScore&)>;
    const auto with = [](std::uint32_t bits) {
        return Predicate([bits](const ImageScore& s) { return (s.features & bits) != 0; });
    };
    const auto without = [](std::uint32_t bits) {
        return Predicate([bits](const ImageScore& s) { return (s.features & bits) == 0; });
    };
    const std::vector<std::pair<std::string, Predicate>> groups = {
        {"all",
         [](const ImageScore&) {
             return true;
         }},
        {"16-bit", without(kVariedEightBit)},
        {"8-bit", with(kVariedEightBit)},
        {"realistic (no hard feature)", without(kHard)},
        {"  realistic 16-bit", without(kHard | kVariedEightBit)},
        {"hard (any of the four below)", with(kHard)},
        {"  doublets", with(kVariedDoublet)},
        {"  touching lanes", with(kVariedTouchingLanes)},
        {"  lane smear", with(kVariedLaneSmear)},
        {"  bubbles", with(kVariedBubbles)},
        {"strips found right",
         [](const ImageScore& s) {
             return s.areStripsRight;
         }},
        {"  and every lane right (exact)",
         [](const ImageScore& s) {
             return s.isExact;
         }},
    };
    std::printf("\n(6) bands and volumes. true = sample bands not saturated; recall = the share "
                "of them found; precision = the share of bands found in Densito's sample lanes "
                "that are true sample bands; volume error = |measured - true| / true over the "
                "found bands that neither Densito flags saturated nor an artefact touched "
                "(median, p90, max). Lanes given = the true lane count per strip.\n");
    std::printf("    %-30s %4s %6s | %-44s | %-44s\n", "", "", "", "lanes automatic",
                "lanes given");
    std::printf("    %-30s %4s %6s | %6s %6s %6s %7s %7s %7s | %6s %6s %6s %7s %7s %7s\n", "group",
                "imgs", "true", "recall", "prec", "vols", "median", "p90", "max", "recall", "prec",
                "vols", "median", "p90", "max");
    for (const auto& [name, predicate] : groups) {
        BandScore automatic;
        BandScore given;
        int images = 0;
        for (const ImageScore& score : scores) {
            if (predicate(score)) {
                ++images;
                automatic.add(score.bandsAutomatic);
                given.add(score.bandsGiven);
            }
        }
        std::printf("    %-30s %4d %6d | %s | %s\n", name.c_str(), images, automatic.trueBands,
                    bandColumns(automatic).c_str(), bandColumns(given).c_str());
    }
    BandScore automatic;
    BandScore given;
    for (const ImageScore& score : scores) {
        automatic.add(score.bandsAutomatic);
        given.add(score.bandsGiven);
    }
    std::printf("    found bands left out of the volume errors (automatic / given): flagged "
                "saturated by Densito only %d / %d; an artefact changed by > %.1f%% %d / %d\n",
                automatic.flaggedSaturated, given.flaggedSaturated, 100.0 * kArtefactShare,
                automatic.touchedByArtefact, given.touchedByArtefact);
}

} // namespace

int main(int argc, char** argv) {
    int images = 200;
    std::uint64_t firstSeed = 1;
    bool printDetails = false;
    bool printScenes = false;
    bool printBandDetails = false;
    bool isClean = false;
    std::filesystem::path pictures;
    for (int i = 1; i < argc; ++i) {
        const std::string option = argv[i];
        if (option == "--details" || option == "--scenes") {
            printDetails = true;
            printScenes = printScenes || option == "--scenes";
            continue;
        }
        if (option == "--band-details" || option == "--clean") {
            printBandDetails = printBandDetails || option == "--band-details";
            isClean = isClean || option == "--clean";
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "%s needs a value\n", option.c_str());
            return 2;
        }
        if (option == "--images") {
            images = std::atoi(argv[i + 1]);
        } else if (option == "--first-seed") {
            firstSeed = std::strtoull(argv[i + 1], nullptr, 10);
        } else if (option == "--write-png") {
            pictures = argv[i + 1];
            std::filesystem::create_directories(pictures);
        } else {
            std::fprintf(stderr, "unknown option %s\n", option.c_str());
            return 2;
        }
        ++i;
    }
    std::printf("Densito detection sweep: %d varied blots from seed %llu, analysed as the CLI "
                "does with default settings\n",
                images, static_cast<unsigned long long>(firstSeed));
    if (isClean) {
        std::printf("clean: one membrane piece, no noise, no pen marks, text, bubbles or dust\n");
    }
    std::fflush(stdout);
    std::vector<ImageScore> scores;
    int failed = 0;
    double seconds = 0.0;
    for (int i = 0; i < images; ++i) {
        const std::uint64_t seed = firstSeed + static_cast<std::uint64_t>(i);
        VariedBlotParams params;
        params.seed = seed;
        if (isClean) {
            params.arrangement = PieceArrangement::Single;
            params.hasArtefacts = false;
            params.hasNoise = false;
        }
        auto blot = generateVariedBlot(params);
        if (!blot) {
            ++failed;
            std::printf("seed %llu: not generated: %s\n", static_cast<unsigned long long>(seed),
                        blot.error().describe().c_str());
            continue;
        }
        Image image;
        image.raw = blot->raw;
        std::vector<std::string> warnings;
        const auto start = std::chrono::steady_clock::now();
        const SignalModel model = describeSignal(image, PolarityMode::Auto, warnings);
        const cv::Mat signal = bandsPositiveSignal(image.raw, model);
        const BlotAnalysis analysis = analyzeSignal(signal, image, model, AnalysisSettings{});
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        seconds += elapsed;
        ImageScore score = scoreImage(*blot, analysis);
        score.seed = seed;
        score.seconds = elapsed;
        score.bandsAutomatic = scoreBands(*blot, analysis);
        score.bandsGiven =
            scoreBands(*blot, analyzeSignal(signal, image, model, lanesGiven(*blot, analysis)));
        if (printBandDetails) {
            printBandLine(score);
        }
        score.isPolarityRight = model.polarity == blot->polarity;
        if (!score.isPolarityRight) {
            score.isExact = false;
            score.problems.insert(score.problems.begin(), "polarity wrong");
        }
        if (printDetails && !score.isExact) {
            const std::string problems = fmt::format("{}", fmt::join(score.problems, "; "));
            std::printf("seed %llu [%s] %s; conf %.2f; review %s%s%s\n",
                        static_cast<unsigned long long>(seed),
                        variedFeaturesText(score.features).c_str(), problems.c_str(),
                        score.confidence, score.needsReview ? "yes" : "no",
                        score.firstReason.empty() ? "" : ": ", score.firstReason.c_str());
            if (printScenes) {
                std::printf("    %s\n", describeVariedBlot(*blot).c_str());
            }
            std::fflush(stdout);
        } else if (printDetails && score.needsReview) {
            // Exact but marked: the review cues' false alarms.
            std::printf("seed %llu [%s] exact; conf %.2f; review yes: %s\n",
                        static_cast<unsigned long long>(seed),
                        variedFeaturesText(score.features).c_str(), score.confidence,
                        score.firstReason.c_str());
        }
        if (!pictures.empty()) {
            writePictures(pictures, *blot, image, signal, model, analysis, score);
        }
        scores.push_back(std::move(score));
    }
    if (printDetails) {
        std::printf("\n");
    }
    printReport(scores, failed, seconds);
    printBandReport(scores);
    return 0;
}
