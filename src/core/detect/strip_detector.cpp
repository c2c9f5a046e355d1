#include "core/detect/strip_detector.h"

#include "core/detect/lane_checks.h"
#include "core/detect/lane_grid.h"
#include "core/detect/profile_tools.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <limits>
#include <opencv2/imgproc.hpp>
#include <optional>

namespace densito {
namespace {

cv::Rect toOriginal(const DetectionMap& map, const cv::Rect& reduced, const cv::Size& original) {
    const int x0 = static_cast<int>(std::floor(reduced.x * map.scale));
    const int y0 = static_cast<int>(std::floor(reduced.y * map.scale));
    const int x1 = static_cast<int>(std::ceil((reduced.x + reduced.width) * map.scale));
    const int y1 = static_cast<int>(std::ceil((reduced.y + reduced.height) * map.scale));
    return cv::Rect(cv::Point(x0, y0), cv::Point(x1, y1)) & cv::Rect(cv::Point(0, 0), original);
}

/// The reduced pixels that cover an original-image region.
cv::Rect toReduced(const DetectionMap& map, const cv::Rect& region) {
    const int x0 = static_cast<int>(std::floor(region.x / map.scale));
    const int y0 = static_cast<int>(std::floor(region.y / map.scale));
    const int x1 = static_cast<int>(std::ceil((region.x + region.width) / map.scale));
    const int y1 = static_cast<int>(std::ceil((region.y + region.height) / map.scale));
    return cv::Rect(cv::Point(x0, y0), cv::Point(x1, y1)) &
           cv::Rect(0, 0, map.bands.cols, map.bands.rows);
}

cv::Size originalSize(const DetectionMap& map) {
    return map.originalSize;
}

std::vector<Strip> wholeImage(const DetectionMap& map) {
    std::vector<cv::Point> content;
    cv::findNonZero(map.valid, content);
    const cv::Rect reduced = content.empty() ? cv::Rect(0, 0, map.valid.cols, map.valid.rows)
                                             : cv::boundingRect(content);
    return {Strip{1, toOriginal(map, reduced, originalSize(map))}};
}

/// Median of the background over each row of `piece`: the membrane level down the piece.
std::vector<double> rowBackgroundProfile(const DetectionMap& map, const cv::Rect& piece) {
    std::vector<double> profile(static_cast<std::size_t>(piece.height), 0.0);
    std::vector<double> row(static_cast<std::size_t>(piece.width));
    for (int i = 0; i < piece.height; ++i) {
        const float* values = map.background.ptr<float>(piece.y + i);
        for (int j = 0; j < piece.width; ++j) {
            row[static_cast<std::size_t>(j)] = static_cast<double>(values[piece.x + j]);
        }
        profile[static_cast<std::size_t>(i)] = median(row);
    }
    return profile;
}

/// The steepest seam searched for: membranes are laid on the tray by hand, rarely more than
/// a few degrees off; lanes beyond 3 degrees are not followed either (lane_detector.cpp).
constexpr double kMaxSeamSlope = 0.0524; // tan(3 degrees)

/// A line across a piece, `row` rows below its top at its horizontal centre, falling by `slope`
/// rows per column to the right.
struct Seam {
    int row = -1;
    double slope = 0.0;
};

/// The row `seam` passes at column offset `x` from the piece's left edge.
int seamRowAt(const Seam& seam, const cv::Rect& piece, double x) {
    return seam.row + static_cast<int>(std::lround(seam.slope * (x - 0.5 * piece.width)));
}

/// The pieces above and below a seam. Strips are upright boxes, so a tilted seam is cut at its
/// middle row: the corners it leaves on the wrong side are membrane edge, away from the bands.
std::pair<cv::Rect, cv::Rect> cutAtSeam(const cv::Rect& piece, const Seam& seam) {
    return {cv::Rect(piece.x, piece.y, piece.width, seam.row),
            cv::Rect(piece.x, piece.y + seam.row, piece.width, piece.height - seam.row)};
}

/// Where membranes were told apart by a faint line alone (reduced pixels): the row of the cut
/// and the columns it spans.
struct FaintCut {
    int row = 0;
    int left = 0;
    int right = 0;
};

/// Smoothed row-median background profiles of `count` equal stretches of the piece's width.
std::vector<std::vector<double>> stretchProfiles(const DetectionMap& map, const cv::Rect& piece,
                                                 int count) {
    const int stretchWidth = piece.width / count;
    std::vector<std::vector<double>> profiles;
    for (int k = 0; k < count; ++k) {
        const cv::Rect stretch(piece.x + k * stretchWidth, piece.y, stretchWidth, piece.height);
        profiles.push_back(gaussianSmooth(rowBackgroundProfile(map, stretch), 1.0));
    }
    return profiles;
}

/// Whether `seam` runs across the piece: in at least 6 of 8 stretches of its width, the
/// stretch's own row-median background dips where the seam passes by 4 of its noise sigmas
/// below its level 2w..w rows above and below. A seam between membranes crosses the whole
/// width; a darker stretch of one membrane does not.
bool crossesWholeWidth(const DetectionMap& map, const cv::Rect& piece, const Seam& seam, int w,
                       double noise) {
    constexpr int kStretches = 8;
    const int stretchWidth = piece.width / kStretches;
    if (stretchWidth < 2) {
        return false;
    }
    const double stretchNoise = 1.25 * noise / std::sqrt(static_cast<double>(stretchWidth));
    const std::vector<std::vector<double>> profiles = stretchProfiles(map, piece, kStretches);
    int crossed = 0;
    for (int k = 0; k < kStretches; ++k) {
        const int row = seamRowAt(seam, piece, (k + 0.5) * stretchWidth);
        if (row - 2 * w < 0 || row + 2 * w >= piece.height) {
            continue;
        }
        const std::vector<double>& profile = profiles[static_cast<std::size_t>(k)];
        std::vector<double> above(profile.begin() + (row - 2 * w), profile.begin() + (row - w));
        std::vector<double> below(profile.begin() + (row + w), profile.begin() + (row + 2 * w));
        const double side = std::min(median(above), median(below));
        if (side - profile[static_cast<std::size_t>(row)] >= 4.0 * stretchNoise) {
            ++crossed;
        }
    }
    return crossed >= 6;
}

/// A seam across `piece`: a narrow dark line in the membrane background where two membranes
/// laid edge to edge meet, level or tilted up to kMaxSeamSlope. The background is followed
/// along each candidate tilt as the median, over 16 stretches of the width, of each stretch's
/// row median shifted to where the tilted line crosses it (16 stretches: within one, a line at
/// the steepest tilt moves by about a pixel on a 1024-px map). The seam must dip below the
/// membrane on both sides by at least a quarter of the membrane's rise above the darkest
/// background (`floorLevel`) and by 8 noise sigmas of the profile, lie at least 15% of the
/// piece from either end, and leave band signal (5% of the piece's) on both sides; with
/// `mustCross` it must also run across the whole width (crossesWholeWidth).
Seam findSeam(const DetectionMap& map, const cv::Rect& piece, double floorLevel, double noise,
              bool mustCross) {
    constexpr int kStretches = 16;
    const int stretchWidth = piece.width / kStretches;
    if (stretchWidth < 1) {
        return {};
    }
    const std::vector<std::vector<double>> profiles = stretchProfiles(map, piece, kStretches);
    const int length = piece.height;
    const int w = std::max(3, length / 20);
    // A stretch median holds about 1.25 / sqrt(stretch width) of a pixel's noise, the median of
    // 16 of them about 1.25 / 4 of that: 1.56 / sqrt(width) in all.
    const double profileNoise = 1.56 * noise / std::sqrt(static_cast<double>(piece.width));
    // One pixel of shift end to end per tilt step.
    const int maxShift = static_cast<int>(std::floor(kMaxSeamSlope * piece.width));
    const int margin = std::max(2 * w, length * 15 / 100);
    Seam best;
    double bestDepth = 0;
    std::vector<double> profile(static_cast<std::size_t>(length));
    std::vector<double> across;
    for (int shift = -maxShift; shift <= maxShift; ++shift) {
        const Seam line{0, static_cast<double>(shift) / piece.width};
        for (int i = 0; i < length; ++i) {
            across.clear();
            for (int k = 0; k < kStretches; ++k) {
                const int row = i + seamRowAt(line, piece, (k + 0.5) * stretchWidth);
                if (row >= 0 && row < length) {
                    across.push_back(
                        profiles[static_cast<std::size_t>(k)][static_cast<std::size_t>(row)]);
                }
            }
            // Rows the tilted line leaves the piece on for more than half its width are not
            // searched.
            profile[static_cast<std::size_t>(i)] = across.size() >= kStretches / 2
                                                       ? median(across)
                                                       : std::numeric_limits<double>::quiet_NaN();
        }
        for (int i = margin; i < length - margin; ++i) {
            std::vector<double> above(profile.begin() + (i - 2 * w), profile.begin() + (i - w));
            std::vector<double> below(profile.begin() + (i + w), profile.begin() + (i + 2 * w));
            const auto isMissing = [](double v) {
                return std::isnan(v);
            };
            if (std::isnan(profile[static_cast<std::size_t>(i)]) ||
                std::any_of(above.begin(), above.end(), isMissing) ||
                std::any_of(below.begin(), below.end(), isMissing)) {
                continue;
            }
            const double side = std::min(median(above), median(below));
            const double depth = side - profile[static_cast<std::size_t>(i)];
            if (depth >= 0.25 * (side - floorLevel) && depth >= 8.0 * profileNoise &&
                depth > bestDepth) {
                best = Seam{i, line.slope};
                bestDepth = depth;
            }
        }
    }
    const auto hasBandsOnBothSides = [&](const Seam& seam) {
        const auto [first, second] = cutAtSeam(piece, seam);
        const double total = cv::sum(map.bands(piece))[0];
        return cv::sum(map.bands(first))[0] >= 0.05 * total &&
               cv::sum(map.bands(second))[0] >= 0.05 * total;
    };
    if (best.row < 0 || (mustCross && !crossesWholeWidth(map, piece, best, w, noise)) ||
        !hasBandsOnBothSides(best)) {
        return {};
    }
    return best;
}

/// Splits pieces at horizontal seams (membranes stacked edge to edge). Side-by-side membranes
/// are not split this way: lane smears make dark vertical lines of their own in the background
/// between lanes; such membranes are told apart by the tray between them.
std::vector<cv::Rect> splitAtSeams(const DetectionMap& map, std::vector<cv::Rect> pieces,
                                   double floorLevel, double noise, bool mustCross,
                                   std::vector<FaintCut>& faintCuts) {
    std::vector<cv::Rect> split;
    while (!pieces.empty()) {
        const cv::Rect piece = pieces.back();
        pieces.pop_back();
        const Seam seam = findSeam(map, piece, floorLevel, noise, mustCross);
        if (seam.row < 0) {
            split.push_back(piece);
        } else {
            const auto [first, second] = cutAtSeam(piece, seam);
            if (mustCross) {
                faintCuts.push_back({first.y + first.height, piece.x, piece.x + piece.width});
            }
            pieces.push_back(first);
            pieces.push_back(second);
        }
    }
    return split;
}

/// Whether a membrane piece (`region`, non-zero inside) ends at a sharp step down to the
/// tray: the median of the smoothed background over a ring 8 to 16 px inside its outline, minus
/// the median over a ring 8 to 16 px outside it (tray pixels only: `membranes` zero), is at
/// least `stepFraction` of the membrane's rise: most of the rise happens within 24 px, as at a
/// tray edge. A piece cut out of one membrane by a slow gradient has no
/// such step at its outline.
bool endsAtTrayEdges(const cv::Mat& smooth, const cv::Mat& region, const cv::Mat& membranes,
                     double rise, double stepFraction) {
    auto square = [](int side) {
        return cv::getStructuringElement(cv::MORPH_RECT, cv::Size(side, side));
    };
    cv::Mat innerNear, innerFar, outerNear, outerFar;
    cv::erode(region, innerNear, square(17), cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    cv::erode(region, innerFar, square(33), cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    cv::dilate(region, outerNear, square(17), cv::Point(-1, -1), 1, cv::BORDER_CONSTANT,
               cv::Scalar(0));
    cv::dilate(region, outerFar, square(33), cv::Point(-1, -1), 1, cv::BORDER_CONSTANT,
               cv::Scalar(0));
    std::vector<double> inside, outside;
    for (int y = 0; y < region.rows; ++y) {
        for (int x = 0; x < region.cols; ++x) {
            const double v = static_cast<double>(smooth.at<float>(y, x));
            if (innerNear.at<std::uint8_t>(y, x) != 0 && innerFar.at<std::uint8_t>(y, x) == 0) {
                inside.push_back(v);
            } else if (outerFar.at<std::uint8_t>(y, x) != 0 &&
                       outerNear.at<std::uint8_t>(y, x) == 0 &&
                       membranes.at<std::uint8_t>(y, x) == 0) {
                outside.push_back(v);
            }
        }
    }
    return !inside.empty() && !outside.empty() &&
           median(inside) - median(outside) >= stepFraction * rise;
}

/// Membranes glow less towards their edges: each piece grows to the region above `level`
/// (a quarter of the way from the tray to the membrane level) that holds it, unless that region
/// also holds another piece (membranes that touch at the lower level keep their own boxes).
std::vector<cv::Rect> growToDimEdges(const cv::Mat& smooth, const cv::Mat& valid,
                                     const cv::Mat& labels, const std::vector<int>& pieceLabels,
                                     const std::vector<cv::Rect>& pieces, double level) {
    cv::Mat lowMask = (smooth > level) & (valid != 0);
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(7, 7));
    cv::morphologyEx(lowMask, lowMask, cv::MORPH_OPEN, kernel);
    cv::Mat lowLabels, lowStats, lowCentroids;
    cv::connectedComponentsWithStats(lowMask, lowLabels, lowStats, lowCentroids, 8, CV_32S);
    std::vector<int> holder(pieces.size(), 0);
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        for (int y = pieces[i].y; y < pieces[i].y + pieces[i].height && holder[i] == 0; ++y) {
            for (int x = pieces[i].x; x < pieces[i].x + pieces[i].width; ++x) {
                if (labels.at<int>(y, x) == pieceLabels[i] && lowLabels.at<int>(y, x) > 0) {
                    holder[i] = lowLabels.at<int>(y, x);
                    break;
                }
            }
        }
    }
    std::vector<cv::Rect> grown = pieces;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        if (holder[i] > 0 && std::count(holder.begin(), holder.end(), holder[i]) == 1) {
            const int label = holder[i];
            grown[i] = cv::Rect(lowStats.at<int>(label, cv::CC_STAT_LEFT),
                                lowStats.at<int>(label, cv::CC_STAT_TOP),
                                lowStats.at<int>(label, cv::CC_STAT_WIDTH),
                                lowStats.at<int>(label, cv::CC_STAT_HEIGHT));
        }
    }
    return grown;
}

/// Strips from membrane pieces (reduced pixels), numbered top to bottom; pieces that overlap the
/// first of a tier vertically by more than half of the smaller height join that tier, which is
/// ordered left to right.
std::vector<Strip> orderedStrips(const DetectionMap& map, std::vector<cv::Rect> pieces) {
    std::sort(pieces.begin(), pieces.end(),
              [](const cv::Rect& a, const cv::Rect& b) { return a.y < b.y; });
    std::vector<cv::Rect> ordered;
    std::size_t tierStart = 0;
    for (std::size_t i = 0; i <= pieces.size(); ++i) {
        const bool endsTier = i == pieces.size() || [&] {
            const cv::Rect& first = pieces[tierStart];
            const int overlap = std::min(first.y + first.height, pieces[i].y + pieces[i].height) -
                                std::max(first.y, pieces[i].y);
            return overlap <= std::min(first.height, pieces[i].height) / 2;
        }();
        if (endsTier && i > tierStart) {
            std::vector<cv::Rect> tier(pieces.begin() + static_cast<std::ptrdiff_t>(tierStart),
                                       pieces.begin() + static_cast<std::ptrdiff_t>(i));
            std::sort(tier.begin(), tier.end(),
                      [](const cv::Rect& a, const cv::Rect& b) { return a.x < b.x; });
            ordered.insert(ordered.end(), tier.begin(), tier.end());
            tierStart = i;
        }
    }
    std::vector<Strip> strips;
    for (const cv::Rect& piece : ordered) {
        strips.push_back(
            {static_cast<int>(strips.size()) + 1, toOriginal(map, piece, originalSize(map))});
    }
    return strips;
}

/// The image's content as one membrane, cut where a seam runs across its whole width:
/// membranes laid edge to edge that do not glow above the tray (so no two-level split finds
/// them) still meet at a narrow dark line.
std::vector<Strip> contentSplitAtSeams(const DetectionMap& map, double floorLevel, double noise,
                                       std::vector<FaintCut>& faintCuts) {
    std::vector<cv::Point> content;
    cv::findNonZero(map.valid, content);
    const cv::Rect box = content.empty() ? cv::Rect(0, 0, map.valid.cols, map.valid.rows)
                                         : cv::boundingRect(content);
    return orderedStrips(map, splitAtSeams(map, {box}, floorLevel, noise, true, faintCuts));
}

/// Membrane pieces: glowing areas above a darker tray, else the image's content; either cut at
/// seams. `faintCuts` receives the cuts made at faint lines.
std::vector<Strip> findMembranes(const DetectionMap& map, std::vector<FaintCut>& faintCuts) {
    cv::Mat smooth;
    cv::GaussianBlur(map.background, smooth, cv::Size(0, 0), 3.0);
    std::vector<double> values;
    values.reserve(smooth.total());
    for (int y = 0; y < smooth.rows; ++y) {
        for (int x = 0; x < smooth.cols; ++x) {
            if (map.valid.at<std::uint8_t>(y, x) != 0) {
                values.push_back(static_cast<double>(smooth.at<float>(y, x)));
            }
        }
    }
    if (values.size() < 64) {
        return wholeImage(map);
    }
    std::vector<double> scratch = values;
    const auto lowAt = scratch.begin() + static_cast<std::ptrdiff_t>(scratch.size() / 200);
    std::nth_element(scratch.begin(), lowAt, scratch.end());
    const double low = *lowAt;
    const auto highAt = scratch.end() - 1 - static_cast<std::ptrdiff_t>(scratch.size() / 200);
    std::nth_element(scratch.begin(), highAt, scratch.end());
    const double high = *highAt;
    if (!(high > low)) {
        return wholeImage(map);
    }
    cv::Mat levels;
    smooth.convertTo(levels, CV_8U, 255.0 / (high - low), -255.0 * low / (high - low));
    levels.setTo(0, map.valid == 0);
    cv::Mat mask;
    const double thresholdLevel =
        cv::threshold(levels, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    const double threshold = low + thresholdLevel * (high - low) / 255.0;

    // Bimodality: Otsu's between-class variance over the total variance.
    double sumLow = 0, sumHigh = 0, countLow = 0, countHigh = 0, sum = 0, sumSquares = 0;
    for (const double v : values) {
        sum += v;
        sumSquares += v * v;
        if (v > threshold) {
            sumHigh += v;
            ++countHigh;
        } else {
            sumLow += v;
            ++countLow;
        }
    }
    const double n = static_cast<double>(values.size());
    const double totalVariance = sumSquares / n - (sum / n) * (sum / n);
    if (countLow < 0.05 * n || countHigh < 0.05 * n || totalVariance <= 0) {
        return wholeImage(map);
    }
    const double meanLow = sumLow / countLow;
    const double meanHigh = sumHigh / countHigh;
    const double betweenVariance =
        (countLow / n) * (countHigh / n) * (meanHigh - meanLow) * (meanHigh - meanLow);
    const double noise = std::max(map.pixelNoise, 1e-9);
    // Strongly bimodal, or fairly bimodal with the low class down near the darkest level: a
    // dark tray around glowing membranes (whose own background may vary a lot).
    const bool isDarkTray = meanLow - low <= 0.25 * (meanHigh - low);
    const double eta = betweenVariance / totalVariance;
    if ((eta < 0.75 && !(isDarkTray && eta >= 0.6)) || meanHigh - meanLow < 6.0 * noise) {
        return contentSplitAtSeams(map, low, noise, faintCuts);
    }

    mask.setTo(0, map.valid == 0);
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(7, 7));
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN, kernel);
    cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, kernel);
    cv::Mat labels, stats, centroids;
    const int count = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
    const double totalBands = cv::sum(map.bands)[0];
    const double validArea = cv::countNonZero(map.valid);
    std::vector<cv::Rect> pieces;
    std::vector<int> pieceLabels;
    double coveredArea = 0;
    double bandsCovered = 0;
    // A membrane piece covers 4% of the image or more. A smaller one (down to 1%: a strip of a
    // few lanes cut from a second gel) counts only beside such a membrane and clear of it, on
    // the tray: where nothing is that large, glowing areas of 1-4% are bands, smeared lanes or
    // blotches of one membrane that fills the image. Below 1% lie specks and dust.
    struct Candidate {
        cv::Rect box;
        int label = 0;
        int area = 0;
        double bands = 0.0;
    };
    std::vector<Candidate> large;
    std::vector<Candidate> small;
    for (int label = 1; label < count; ++label) {
        const int area = stats.at<int>(label, cv::CC_STAT_AREA);
        const cv::Rect box(
            stats.at<int>(label, cv::CC_STAT_LEFT), stats.at<int>(label, cv::CC_STAT_TOP),
            stats.at<int>(label, cv::CC_STAT_WIDTH), stats.at<int>(label, cv::CC_STAT_HEIGHT));
        const double fill = static_cast<double>(area) / box.area();
        if (area < 0.01 * validArea || fill < 0.6) {
            continue; // checked first: noise can leave thousands of specks
        }
        const double bandsInside = cv::sum(map.bands(box))[0];
        if (bandsInside >= 0.05 * totalBands) {
            (area >= 0.04 * validArea ? large : small).push_back({box, label, area, bandsInside});
        }
    }
    for (const Candidate& piece : small) {
        const bool isOnTray =
            !large.empty() &&
            std::none_of(large.begin(), large.end(), [&](const Candidate& membrane) {
                return (membrane.box & piece.box).area() > 0;
            });
        if (isOnTray) {
            large.push_back(piece);
        }
    }
    for (const Candidate& piece : large) {
        pieces.push_back(piece.box);
        pieceLabels.push_back(piece.label);
        coveredArea += piece.area;
        bandsCovered += piece.bands;
    }
    // A membrane ends at a step down to the tray; a background ramp (uneven substrate, which
    // is about as bimodal as two flat levels) has no step where Otsu's level cuts it. On the
    // weaker evidence, the membranes must also fill much of the image and hold nearly all of
    // its bands, as membranes on a tray do (a bright blotch or part of one membrane does not).
    const bool isStronglyBimodal = eta >= 0.75;
    if (pieces.empty()) {
        return wholeImage(map);
    }
    const double stepFraction = isStronglyBimodal ? 0.5 : 0.75;
    const bool endAtSteps = std::all_of(pieceLabels.begin(), pieceLabels.end(), [&](int label) {
        return endsAtTrayEdges(smooth, labels == label, mask, meanHigh - meanLow, stepFraction);
    });
    const bool areMembranes =
        endAtSteps &&
        (isStronglyBimodal || (coveredArea >= 0.4 * validArea && bandsCovered >= 0.9 * totalBands));
    if (!areMembranes) {
        return wholeImage(map);
    }
    pieces = growToDimEdges(smooth, map.valid, labels, pieceLabels, pieces,
                            meanLow + 0.25 * (meanHigh - meanLow));
    pieces = splitAtSeams(map, pieces, meanLow, noise, false, faintCuts);
    if (pieces.size() == 1 && coveredArea >= 0.9 * validArea) {
        return wholeImage(map);
    }
    return orderedStrips(map, std::move(pieces));
}

/// The rows of a strip's band map where bands lie (peaks of the row profile reaching a tenth
/// of the strongest), top to bottom, and between each two the row of least band signal.
struct BandRows {
    std::vector<int> rows;
    std::vector<int> cutsBetween; ///< cutsBetween[i] lies between rows[i] and rows[i + 1]
};

BandRows findBandRows(const cv::Mat& bands) {
    const BandRowProfile bandRows = bandRowProfile(bands);
    BandRows found;
    for (const ProfilePeak& row : bandRows.rows) {
        found.rows.push_back(row.index);
    }
    for (std::size_t i = 1; i < found.rows.size(); ++i) {
        const auto from = bandRows.profile.begin() + found.rows[i - 1];
        const auto to = bandRows.profile.begin() + found.rows[i];
        found.cutsBetween.push_back(
            static_cast<int>(std::min_element(from, to) - bandRows.profile.begin()));
    }
    return found;
}

/// Whether two lane grids fitted to the band rows above and below a cut are clearly two combs:
/// both grids hold 3 lanes or more with signal and repeat clearly (edge autocorrelation of at
/// least 0.1 at the pitch: below that its peak is not told from the ripple of noise), and the
/// lanes of the grid with fewer lanes lie more than 0.3 of the finer pitch from the other's
/// lanes (median). Lanes of one comb line up to a few percent of a pitch across a membrane, also
/// when one side's grid caught only every second lane; two membranes laid one above the other
/// by hand rarely do.
bool areTwoCombs(const LaneGrid& a, const LaneGrid& b) {
    if (!isClearComb(a) || !isClearComb(b)) {
        return false;
    }
    const LaneGrid& fewer = a.centres.size() <= b.centres.size() ? a : b;
    const LaneGrid& more = &fewer == &a ? b : a;
    std::vector<double> distances;
    for (const double c : fewer.centres) {
        double nearest = std::numeric_limits<double>::infinity();
        for (const double d : more.centres) {
            nearest = std::min(nearest, std::abs(c - d));
        }
        distances.push_back(nearest);
    }
    return median(distances) > 0.3 * std::min(a.pitch, b.pitch);
}

/// Whether a clear grid of part of a strip's band rows (`part`: 3 lanes or more with signal,
/// periodicity 0.1 or more, as in areTwoCombs) disagrees with the grid of the whole strip at
/// about the same pitch (within a third): the part's lanes lie more than 0.3 of its pitch from
/// the whole's (median), or the two pitches drift apart by more than a quarter pitch across the
/// part's lanes. Grids fitted to the same lanes agree far closer; a whole-strip grid that
/// strays from a clear part holds two gels, or lanes found wrongly. At other pitches (one grid
/// caught every second lane) nothing is concluded.
bool disagreesWithPart(const LaneGrid& whole, const LaneGrid& part) {
    if (!isClearComb(part) || whole.centres.empty()) {
        return false;
    }
    const double ratio = part.pitch / whole.pitch;
    if (ratio < 0.75 || ratio > 1.33) {
        return false;
    }
    std::vector<double> distances;
    for (const double c : part.centres) {
        double nearest = std::numeric_limits<double>::infinity();
        for (const double d : whole.centres) {
            nearest = std::min(nearest, std::abs(c - d));
        }
        distances.push_back(nearest);
    }
    const double drift =
        std::abs(part.pitch - whole.pitch) * static_cast<double>(part.centres.size() - 1);
    return median(distances) > 0.3 * part.pitch || drift > 0.25 * part.pitch;
}

/// Splits a strip (reduced pixels) between band rows where the lanes above and below do not
/// line up: membranes that neither glow above the tray nor meet at a visible seam are still
/// told apart by their lanes. Cuts are tried from the widest gap between band rows. A piece
/// left whole whose grid disagrees with a clear grid of the rows above or below a cut
/// (disagreesWithPart) also goes to `misaligned`.
void splitByLaneGrids(const DetectionMap& map, const cv::Rect& piece, double noise,
                      std::vector<cv::Rect>& out, std::vector<cv::Rect>& misaligned) {
    const BandRows bandRows = findBandRows(map.bands(piece));
    std::vector<std::size_t> order(bandRows.cutsBetween.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return bandRows.rows[a + 1] - bandRows.rows[a] > bandRows.rows[b + 1] - bandRows.rows[b];
    });
    LaneGridOptions options;
    options.pixelNoise = noise;
    std::vector<LaneGrid> partGrids;
    for (const std::size_t i : order) {
        const int cut = bandRows.cutsBetween[i];
        // Each side needs room for its bands: at least 8 rows.
        if (cut < 8 || piece.height - cut < 8) {
            continue;
        }
        const cv::Rect above(piece.x, piece.y, piece.width, cut);
        const cv::Rect below(piece.x, piece.y + cut, piece.width, piece.height - cut);
        const std::optional<LaneGrid> top = fitLaneGrid(map.bands(above), options);
        const std::optional<LaneGrid> bottom = fitLaneGrid(map.bands(below), options);
        if (top && bottom && areTwoCombs(*top, *bottom)) {
            splitByLaneGrids(map, above, noise, out, misaligned);
            splitByLaneGrids(map, below, noise, out, misaligned);
            return;
        }
        for (const std::optional<LaneGrid>& part : {top, bottom}) {
            if (part) {
                partGrids.push_back(*part);
            }
        }
    }
    out.push_back(piece);
    if (!partGrids.empty()) {
        const std::optional<LaneGrid> whole = fitLaneGrid(map.bands(piece), options);
        if (whole && std::any_of(partGrids.begin(), partGrids.end(), [&](const LaneGrid& part) {
                return disagreesWithPart(*whole, part);
            })) {
            misaligned.push_back(piece);
        }
    }
}

/// Reports band rows above, below or beside a strip, outside every strip, that show lanes of
/// their own (isCombOfItsOwn): bands that line up in lanes are a membrane, or part of one, that
/// the strips missed; dust, bubbles and pen marks do not repeat at a lane pitch. `outsideBands` is
/// the band map with every strip blanked.
void reportCombsOutside(const DetectionMap& map, const std::vector<Strip>& strips,
                        const cv::Mat& outsideBands, std::vector<std::string>& reasons) {
    LaneGridOptions options;
    options.pixelNoise = map.pixelNoise;
    std::vector<cv::Rect> reduced;
    for (const Strip& strip : strips) {
        reduced.push_back(toReduced(map, strip.region));
    }
    for (std::size_t i = 0; i < strips.size(); ++i) {
        const cv::Rect inside = reduced[i];
        // Each side reaches to the image edge or to the nearest strip across it: the tray
        // between two strips is looked at from each of them.
        int top = 0;
        int bottom = outsideBands.rows;
        int left = 0;
        int right = outsideBands.cols;
        for (const cv::Rect& other : reduced) {
            const bool sharesColumns =
                other.x < inside.x + inside.width && inside.x < other.x + other.width;
            const bool sharesRows =
                other.y < inside.y + inside.height && inside.y < other.y + other.height;
            if (sharesColumns && other.y + other.height <= inside.y) {
                top = std::max(top, other.y + other.height);
            }
            if (sharesColumns && other.y >= inside.y + inside.height) {
                bottom = std::min(bottom, other.y);
            }
            if (sharesRows && other.x + other.width <= inside.x) {
                left = std::max(left, other.x + other.width);
            }
            if (sharesRows && other.x >= inside.x + inside.width) {
                right = std::min(right, other.x);
            }
        }
        const int belowTop = inside.y + inside.height;
        const int rightLeft = inside.x + inside.width;
        const std::array<std::pair<cv::Rect, const char*>, 4> beyond{{
            {cv::Rect(inside.x, top, inside.width, inside.y - top), "above"},
            {cv::Rect(inside.x, belowTop, inside.width, bottom - belowTop), "below"},
            {cv::Rect(left, inside.y, inside.x - left, inside.height), "left of"},
            {cv::Rect(rightLeft, inside.y, right - rightLeft, inside.height), "right of"},
        }};
        for (const auto& [region, side] : beyond) {
            // Room for a band row and the background around it, as for a cut (8 rows), and for
            // three lanes of 3 px.
            if (region.height < 8 || region.width < 9) {
                continue;
            }
            const std::optional<LaneGrid> grid = fitLaneGrid(outsideBands(region), options);
            if (grid && isCombOfItsOwn(*grid)) {
                reasons.push_back(fmt::format(
                    "band rows {} strip {}, outside every strip, line up in {} lanes: a "
                    "membrane or part of one was missed; check the strips",
                    side, strips[i].index, grid->lanesWithSignal));
            }
        }
    }
}

} // namespace

/// Cuts the strip with the widest gap between two band rows there (each side keeps 8 rows or
/// more), in reduced pixels; the reduced row of the cut, or -1 when no strip has such a gap.
int cutAtWidestGap(const DetectionMap& map, std::vector<cv::Rect>& pieces) {
    int bestGap = 0;
    std::size_t bestPiece = 0;
    int bestCut = -1;
    for (std::size_t p = 0; p < pieces.size(); ++p) {
        const BandRows bandRows = findBandRows(map.bands(pieces[p]));
        for (std::size_t i = 0; i < bandRows.cutsBetween.size(); ++i) {
            const int cut = bandRows.cutsBetween[i];
            const int gap = bandRows.rows[i + 1] - bandRows.rows[i];
            if (cut >= 8 && pieces[p].height - cut >= 8 && gap > bestGap) {
                bestGap = gap;
                bestPiece = p;
                bestCut = cut;
            }
        }
    }
    if (bestCut < 0) {
        return -1;
    }
    const cv::Rect piece = pieces[bestPiece];
    pieces[bestPiece] = cv::Rect(piece.x, piece.y, piece.width, bestCut);
    pieces.push_back(cv::Rect(piece.x, piece.y + bestCut, piece.width, piece.height - bestCut));
    return piece.y + bestCut;
}

std::vector<Strip> detectStrips(const DetectionMap& map, std::vector<std::string>* reviewReasons,
                                int expectedStrips) {
    const double noise = map.pixelNoise;
    std::vector<FaintCut> faintCuts;
    const std::vector<Strip> membranes = findMembranes(map, faintCuts);
    std::vector<cv::Rect> pieces;
    std::vector<cv::Rect> misaligned;
    for (const Strip& strip : membranes) {
        const cv::Rect reduced = toReduced(map, strip.region);
        if (reduced.width >= 8 && reduced.height >= 16) {
            splitByLaneGrids(map, reduced, noise, pieces, misaligned);
        } else {
            pieces.push_back(reduced);
        }
    }
    // A layout that names more strips than the image shows: cut between band rows, widest gap
    // first, and say so.
    const int found = static_cast<int>(pieces.size());
    std::vector<int> layoutCuts;
    while (static_cast<int>(pieces.size()) < expectedStrips) {
        const int cut = cutAtWidestGap(map, pieces);
        if (cut < 0) {
            break;
        }
        layoutCuts.push_back(static_cast<int>(std::lround(map.toOriginal(cut - 0.5))));
    }
    if (!layoutCuts.empty() && reviewReasons != nullptr) {
        reviewReasons->push_back(fmt::format(
            "the layout names {} strips but the image shows {}: cut between band rows at y = {} "
            "px; check the strips",
            expectedStrips, found, fmt::join(layoutCuts, ", ")));
    }
    std::vector<Strip> strips = orderedStrips(map, std::move(pieces));
    if (reviewReasons != nullptr) {
        // Band signal well clear of the noise (3 sigmas) that no strip holds: a membrane piece
        // missed, or labels and plots beside the blot. A fifth of the image's is more than
        // pen marks and dust beside a blot bring, and less than a membrane piece with bands.
        cv::Mat clear = map.bands - 3.0 * noise;
        clear = cv::max(clear, 0.0);
        const double total = cv::sum(clear)[0];
        cv::Mat outside = clear.clone();
        for (const Strip& strip : strips) {
            outside(toReduced(map, strip.region)).setTo(cv::Scalar(0.0));
        }
        const double missed = cv::sum(outside)[0];
        if (total > 0.0 && missed > 0.2 * total) {
            reviewReasons->push_back(fmt::format(
                "{:.0f}% of the image's band signal lies outside the strips found (a membrane "
                "missed, or labels and plots beside the blot)",
                100.0 * missed / total));
        } else {
            cv::Mat outsideBands = map.bands.clone();
            for (const Strip& strip : strips) {
                outsideBands(toReduced(map, strip.region)).setTo(cv::Scalar(0.0));
            }
            reportCombsOutside(map, strips, outsideBands, *reviewReasons);
        }
    }
    if (reviewReasons != nullptr) {
        for (const Strip& strip : strips) {
            if (std::find(misaligned.begin(), misaligned.end(), toReduced(map, strip.region)) !=
                misaligned.end()) {
                reviewReasons->push_back(
                    fmt::format("strip {}: the lanes of some of its band rows do not line up with "
                                "the strip's lanes (two gels, or lanes found wrongly); check the "
                                "strips and lanes",
                                strip.index));
            }
        }
    }
    if (reviewReasons != nullptr) {
        // Membranes told apart by a faint line alone are doubtful when their lanes line up: a
        // line across one membrane (a fold, a scratch, a gap between band rows) looks the same.
        LaneGridOptions options;
        options.pixelNoise = noise;
        for (const FaintCut& cut : faintCuts) {
            for (const Strip& upper : strips) {
                const cv::Rect above = toReduced(map, upper.region);
                if (above.y + above.height != cut.row || above.x >= cut.right ||
                    above.x + above.width <= cut.left) {
                    continue;
                }
                for (const Strip& lower : strips) {
                    const cv::Rect below = toReduced(map, lower.region);
                    if (below.y != cut.row || below.x >= cut.right ||
                        below.x + below.width <= cut.left) {
                        continue;
                    }
                    const auto aboveGrid = fitLaneGrid(map.bands(above), options);
                    const auto belowGrid = fitLaneGrid(map.bands(below), options);
                    if (aboveGrid && belowGrid && !areTwoCombs(*aboveGrid, *belowGrid)) {
                        reviewReasons->push_back(fmt::format(
                            "strips {} and {} were told apart by a faint line only and their "
                            "lanes line up: they may be one membrane",
                            upper.index, lower.index));
                    }
                }
            }
        }
    }
    return strips;
}

} // namespace densito
