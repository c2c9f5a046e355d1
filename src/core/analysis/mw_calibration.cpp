#include "core/analysis/mw_calibration.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <limits>
#include <map>
#include <set>

namespace densito {
namespace {

/// How far beyond its outermost markers a ladder's law is used, as a fraction of its end
/// segment (in y, equally in log10 kDa): within half a marker gap the end segment's slope is
/// still the local slope; further out log(mass) vs migration bends away (compressed near the
/// top of the gel, stretched towards the dye front), so a reading there is a guess.
constexpr double kMarginOfEndSegment = 0.5;

/// A band is assigned to a marker when it lies within this fraction of the predicted spacing
/// to the marker's nearest neighbour: below one half, so no band can fall in two markers'
/// windows and the assignment keeps the markers' order.
constexpr double kAssignWindow = 0.4;

/// Markers needed for a calibration: two fix a line, a third checks it; and at least half the
/// set, since three bands of another lane (a misplaced ladder lane) can pass for any three
/// markers.
constexpr int kMinMatchedMarkers = 3;
constexpr double kMinMatchedShare = 0.5;

/// Markers from which the law is refitted as a quadratic in log10 kDa (three coefficients and
/// one degree of freedom to spare); fewer get a line.
constexpr int kMinForQuadratic = 4;

/// A different assignment whose residual is within this factor of the best one's is as good
/// an explanation of the bands: the match is then unsure.
constexpr double kAmbiguousResidualFactor = 2.0;

struct Law {
    double a = 0.0, b = 0.0, c = 0.0; ///< y = a + b m + c m^2, m = log10 kDa
    double at(double m) const { return a + b * m + c * m * m; }
};

/// Least squares of y on (1, m[, m^2]); nothing when the system is singular.
std::optional<Law> fitLaw(std::span<const double> m, std::span<const double> y, bool quadratic) {
    const int k = quadratic ? 3 : 2;
    double normal[3][4] = {};
    for (std::size_t i = 0; i < m.size(); ++i) {
        const double basis[3] = {1.0, m[i], m[i] * m[i]};
        for (int r = 0; r < k; ++r) {
            for (int col = 0; col < k; ++col) {
                normal[r][col] += basis[r] * basis[col];
            }
            normal[r][3] += basis[r] * y[i];
        }
    }
    // Gauss-Jordan with partial pivoting on the k x k normal equations.
    for (int col = 0; col < k; ++col) {
        int pivot = col;
        for (int r = col + 1; r < k; ++r) {
            if (std::abs(normal[r][col]) > std::abs(normal[pivot][col])) {
                pivot = r;
            }
        }
        if (std::abs(normal[pivot][col]) < 1e-12) {
            return std::nullopt;
        }
        std::swap(normal[col], normal[pivot]);
        for (int r = 0; r < k; ++r) {
            if (r == col) {
                continue;
            }
            const double f = normal[r][col] / normal[col][col];
            for (int c2 = col; c2 < 4; ++c2) {
                normal[r][c2] -= f * normal[col][c2];
            }
        }
    }
    Law law;
    law.a = normal[0][3] / normal[0][0];
    law.b = normal[1][3] / normal[1][1];
    law.c = quadratic ? normal[2][3] / normal[2][2] : 0.0;
    return law;
}

struct Assignment {
    std::vector<int> bandOfMarker; ///< -1: no band
    int matched = 0;
    /// Unmatched markers between matched ones: a marker goes undetected mostly at an end of the
    /// ladder (the faint top, the bottom run off or cut), seldom in its middle, so an
    /// assignment that leaves holes is the less likely one.
    int holes = 0;
    double residual = 0.0; ///< RMS of (band y - law y) / local marker spacing
};

/// Bands (sorted by y) assigned to markers predicted by `law`; nothing when the law does not
/// put the markers in order down the lane.
std::optional<Assignment> assign(const Law& law, std::span<const double> m,
                                 std::span<const double> bandY) {
    std::vector<double> predicted;
    for (const double mass : m) {
        predicted.push_back(law.at(mass));
    }
    for (std::size_t k = 1; k < predicted.size(); ++k) {
        if (!(predicted[k] > predicted[k - 1])) {
            return std::nullopt;
        }
    }
    Assignment result;
    result.bandOfMarker.assign(m.size(), -1);
    double sumSquares = 0.0;
    for (std::size_t k = 0; k < m.size(); ++k) {
        double spacing = std::numeric_limits<double>::infinity();
        if (k > 0) {
            spacing = std::min(spacing, predicted[k] - predicted[k - 1]);
        }
        if (k + 1 < m.size()) {
            spacing = std::min(spacing, predicted[k + 1] - predicted[k]);
        }
        const auto nearest = std::ranges::min_element(
            bandY, {}, [&](double y) { return std::abs(y - predicted[k]); });
        const double offset = *nearest - predicted[k];
        if (std::abs(offset) < kAssignWindow * spacing) {
            result.bandOfMarker[k] = static_cast<int>(nearest - bandY.begin());
            ++result.matched;
            sumSquares += (offset / spacing) * (offset / spacing);
        }
    }
    result.residual = result.matched > 0 ? std::sqrt(sumSquares / result.matched) : 0.0;
    const auto first = std::ranges::find_if(result.bandOfMarker, [](int b) { return b >= 0; });
    const auto last = std::ranges::find_if(result.bandOfMarker.rbegin(), result.bandOfMarker.rend(),
                                           [](int b) { return b >= 0; });
    if (first != result.bandOfMarker.end()) {
        result.holes = static_cast<int>(std::count(first, last.base(), -1));
    }
    return result;
}

/// The law refitted to an assignment: quadratic from kMinForQuadratic markers when it keeps
/// the markers in order, else a line.
std::optional<Law> refit(const Assignment& assignment, std::span<const double> m,
                         std::span<const double> bandY) {
    std::vector<double> ms;
    std::vector<double> ys;
    for (std::size_t k = 0; k < m.size(); ++k) {
        if (assignment.bandOfMarker[k] >= 0) {
            ms.push_back(m[k]);
            ys.push_back(bandY[static_cast<std::size_t>(assignment.bandOfMarker[k])]);
        }
    }
    if (ms.size() < 2) {
        return std::nullopt;
    }
    if (static_cast<int>(ms.size()) >= kMinForQuadratic) {
        if (auto quadratic = fitLaw(ms, ys, true)) {
            // Monotonic over the marker range: the vertex lies outside it.
            const double lo = m.back();
            const double hi = m.front();
            const bool isMonotonic = quadratic->c == 0.0 ||
                                     -quadratic->b / (2.0 * quadratic->c) < lo ||
                                     -quadratic->b / (2.0 * quadratic->c) > hi;
            if (isMonotonic) {
                return quadratic;
            }
        }
    }
    return fitLaw(ms, ys, false);
}

bool isBetter(const Assignment& x, const Assignment& y) {
    if (x.matched != y.matched) {
        return x.matched > y.matched;
    }
    if (x.holes != y.holes) {
        return x.holes < y.holes;
    }
    return x.residual < y.residual;
}

/// Piecewise-linear interpolation of `to` over `from` (increasing) at `at`, extrapolated along
/// the end segments.
double interpolate(std::span<const double> from, std::span<const double> to, double at) {
    std::size_t segment = 0;
    while (segment + 2 < from.size() && at > from[segment + 1]) {
        ++segment;
    }
    const double f = (at - from[segment]) / (from[segment + 1] - from[segment]);
    return to[segment] + f * (to[segment + 1] - to[segment]);
}

/// Band rows with bands in fewer sample lanes than this do not show a curve: three points fix
/// a parabola exactly, the fourth checks it.
constexpr int kMinLanesForRowShape = 4;

double medianOf(std::vector<double> values) {
    std::ranges::sort(values);
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/// The median row shape of a strip's band rows in sample lanes (see RowShape).
std::optional<RowShape> rowShapeOf(const BlotAnalysis& analysis, int strip,
                                   std::span<const int> ladderLanes) {
    const auto stripIt = std::ranges::find(analysis.strips, strip, &Strip::index);
    if (stripIt == analysis.strips.end()) {
        return std::nullopt;
    }
    RowShape shape;
    shape.xCentrePx = stripIt->region.x + 0.5 * stripIt->region.width;
    std::map<int, std::pair<std::vector<double>, std::vector<double>>> rows; // row -> x, y
    for (const Band& band : analysis.bands) {
        if (band.strip != strip || std::ranges::find(ladderLanes, band.lane) != ladderLanes.end()) {
            continue;
        }
        auto& [xs, ys] = rows[band.row];
        xs.push_back(bandXPx(band) - shape.xCentrePx);
        ys.push_back(bandYPx(band));
    }
    std::vector<double> slopes;
    std::vector<double> curvatures;
    for (const auto& [row, points] : rows) {
        if (static_cast<int>(points.first.size()) < kMinLanesForRowShape) {
            continue;
        }
        if (const std::optional<Law> fit = fitLaw(points.first, points.second, true)) {
            slopes.push_back(fit->b);
            curvatures.push_back(fit->c);
        }
    }
    if (slopes.empty()) {
        return std::nullopt;
    }
    shape.slopeAtCentre = medianOf(slopes);
    shape.curvature = medianOf(curvatures);
    return shape;
}

} // namespace

std::optional<double> LadderCalibration::log10KdaAt(double yPx) const {
    if (markers.size() < 2) {
        return std::nullopt;
    }
    const std::size_t n = markers.size();
    const double topMargin = kMarginOfEndSegment * (markers[1].yPx - markers[0].yPx);
    const double bottomMargin = kMarginOfEndSegment * (markers[n - 1].yPx - markers[n - 2].yPx);
    if (yPx < markers[0].yPx - topMargin || yPx > markers[n - 1].yPx + bottomMargin) {
        return std::nullopt;
    }
    std::vector<double> ys;
    std::vector<double> ms;
    for (const MarkerBand& marker : markers) {
        ys.push_back(marker.yPx);
        ms.push_back(std::log10(marker.kda));
    }
    return interpolate(ys, ms, yPx);
}

std::optional<double> LadderCalibration::yAt(double log10Kda) const {
    if (markers.size() < 2) {
        return std::nullopt;
    }
    const std::size_t n = markers.size();
    // By increasing -m, so that `from` increases down the lane as y does.
    std::vector<double> negM;
    std::vector<double> ys;
    for (const MarkerBand& marker : markers) {
        negM.push_back(-std::log10(marker.kda));
        ys.push_back(marker.yPx);
    }
    const double topMargin = kMarginOfEndSegment * (negM[1] - negM[0]);
    const double bottomMargin = kMarginOfEndSegment * (negM[n - 1] - negM[n - 2]);
    if (-log10Kda < negM[0] - topMargin || -log10Kda > negM[n - 1] + bottomMargin) {
        return std::nullopt;
    }
    return interpolate(negM, ys, -log10Kda);
}

LadderCalibration matchLadderBands(const Lane& lane, std::span<const MarkerBand> bands,
                                   std::span<const double> markerKda) {
    LadderCalibration result;
    result.lane = lane;
    std::vector<MarkerBand> sorted(bands.begin(), bands.end());
    std::ranges::sort(sorted, {}, &MarkerBand::yPx);
    // One band counted in two band rows (an overlap split) is one marker candidate.
    const auto [duplicates, end] = std::ranges::unique(
        sorted, [](const MarkerBand& a, const MarkerBand& b) { return b.yPx - a.yPx < 1.0; });
    sorted.erase(duplicates, end);
    std::vector<double> bandY;
    for (const MarkerBand& band : sorted) {
        bandY.push_back(band.yPx);
    }
    std::vector<double> m;
    for (const double kda : markerKda) {
        m.push_back(std::log10(kda));
    }
    const int markerCount = static_cast<int>(m.size());
    std::optional<Assignment> best;
    std::vector<Assignment> candidates;
    for (std::size_t i = 0; i < bandY.size(); ++i) {
        for (std::size_t j = i + 1; j < bandY.size(); ++j) {
            for (std::size_t p = 0; p < m.size(); ++p) {
                for (std::size_t q = p + 1; q < m.size(); ++q) {
                    Law law;
                    law.b = (bandY[j] - bandY[i]) / (m[q] - m[p]);
                    law.a = bandY[i] - law.b * m[p];
                    std::optional<Assignment> current = assign(law, m, bandY);
                    for (int round = 0; round < 3 && current; ++round) {
                        const std::optional<Law> refitted = refit(*current, m, bandY);
                        if (!refitted) {
                            break;
                        }
                        std::optional<Assignment> next = assign(*refitted, m, bandY);
                        if (!next || next->bandOfMarker == current->bandOfMarker) {
                            if (next) {
                                current = next; // same pairs, residual of the refitted law
                            }
                            break;
                        }
                        current = next;
                    }
                    if (!current || current->matched < 2) {
                        continue;
                    }
                    if (!best || isBetter(*current, *best)) {
                        best = current;
                    }
                    candidates.push_back(std::move(*current));
                }
            }
        }
    }
    const int needed =
        std::max(kMinMatchedMarkers, static_cast<int>(std::ceil(kMinMatchedShare * markerCount)));
    if (!best || best->matched < needed) {
        result.isUnsure = true;
        result.unmatchedMarkers = markerCount;
        result.extraBands = static_cast<int>(bandY.size());
        result.note = fmt::format("{} band{} found for {} markers, and no {} of them match the "
                                  "markers' spacing",
                                  bandY.size(), bandY.size() == 1 ? "" : "s", markerCount, needed);
        return result;
    }
    for (const Assignment& other : candidates) {
        if (other.matched == best->matched && other.holes == best->holes &&
            other.bandOfMarker != best->bandOfMarker &&
            other.residual <= kAmbiguousResidualFactor * std::max(best->residual, 0.02)) {
            // 0.02 of a spacing: a floor so that two near-perfect fits count as equally good.
            result.isUnsure = true;
            break;
        }
    }
    for (std::size_t k = 0; k < m.size(); ++k) {
        if (best->bandOfMarker[k] >= 0) {
            MarkerBand marker = sorted[static_cast<std::size_t>(best->bandOfMarker[k])];
            marker.kda = markerKda[k];
            result.markers.push_back(marker);
        }
    }
    double sumX = 0.0;
    for (const MarkerBand& marker : result.markers) {
        sumX += marker.xPx;
    }
    result.xPx = sumX / static_cast<double>(result.markers.size());
    result.unmatchedMarkers = markerCount - best->matched;
    result.extraBands = static_cast<int>(bandY.size()) - best->matched;
    std::vector<std::string> parts;
    if (result.isUnsure) {
        parts.push_back("another assignment of its bands to the markers fits as well");
    }
    if (result.unmatchedMarkers > 0) {
        std::vector<std::string> missing;
        for (std::size_t k = 0; k < m.size(); ++k) {
            if (best->bandOfMarker[k] < 0) {
                missing.push_back(fmt::format("{}", markerKda[k]));
            }
        }
        parts.push_back(fmt::format("no band for {} kDa", fmt::join(missing, ", ")));
    }
    if (result.extraBands > 0) {
        parts.push_back(fmt::format("{} band{} not a marker", result.extraBands,
                                    result.extraBands == 1 ? "" : "s"));
    }
    result.note = fmt::format("{}", fmt::join(parts, "; "));
    return result;
}

std::optional<double> StripCalibration::kdaAt(double xPx, double yPx) const {
    if (ladders.empty()) {
        return std::nullopt;
    }
    const auto single = [&](const LadderCalibration& ladder) -> std::optional<double> {
        // Along the rows' shape to the ladder; without one, straight across.
        const double rise = rowShape ? rowShape->riseBetween(ladder.xPx, xPx) : 0.0;
        const std::optional<double> m = ladder.log10KdaAt(yPx - rise);
        return m ? std::optional(std::pow(10.0, *m)) : std::nullopt;
    };
    if (ladders.size() == 1 || xPx <= ladders.front().xPx) {
        return single(ladders.front());
    }
    if (xPx >= ladders.back().xPx) {
        return single(ladders.back());
    }
    std::size_t right = 1;
    while (xPx > ladders[right].xPx) {
        ++right;
    }
    const LadderCalibration& l = ladders[right - 1];
    const LadderCalibration& r = ladders[right];
    const double xl = l.xPx;
    const double xr = r.xPx;
    const double t = (xPx - xl) / (xr - xl);
    // The rows' bow between the two ladders (zero at both): smile the ladders cannot show.
    const double bow = rowShape ? rowShape->curvature * (xPx - xl) * (xPx - xr) : 0.0;
    // The mass whose line (from its position on the left ladder to its position on the right
    // one) passes through the point; the line's y falls as the mass rises, so bisect.
    const auto range = [](const LadderCalibration& ladder) {
        const std::size_t n = ladder.markers.size();
        const double top = std::log10(ladder.markers[0].kda);
        const double bottom = std::log10(ladder.markers[n - 1].kda);
        return std::pair(bottom -
                             kMarginOfEndSegment * (std::log10(ladder.markers[n - 2].kda) - bottom),
                         top + kMarginOfEndSegment * (top - std::log10(ladder.markers[1].kda)));
    };
    const auto [lLo, lHi] = range(l);
    const auto [rLo, rHi] = range(r);
    // A hair inside the range, so yAt() never refuses an end point by rounding.
    const double span = 1e-9;
    double lo = std::max(lLo, rLo) + span;
    double hi = std::min(lHi, rHi) - span;
    // Beyond the masses both ladders show (one lost its faint top or bottom marker), the
    // nearer ladder that shows it reads the point alone, then the other.
    const auto eitherLadder = [&]() {
        const bool isLeftNearer = t <= 0.5;
        const std::optional<double> nearer = single(isLeftNearer ? l : r);
        return nearer ? nearer : single(isLeftNearer ? r : l);
    };
    if (!(lo < hi)) {
        return eitherLadder();
    }
    const auto lineY = [&](double m) {
        return (1.0 - t) * *l.yAt(m) + t * *r.yAt(m) + bow;
    };
    if (yPx < lineY(hi) || yPx > lineY(lo)) {
        return eitherLadder();
    }
    for (int i = 0; i < 60; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (lineY(mid) > yPx) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return std::pow(10.0, 0.5 * (lo + hi));
}

StripCalibration calibrateStrip(const std::string& image, const BlotAnalysis& analysis, int strip,
                                std::span<const int> ladderLanes,
                                std::span<const std::vector<double>> markerKda) {
    StripCalibration calibration;
    calibration.image = image;
    calibration.strip = strip;
    calibration.ladderLanes.assign(ladderLanes.begin(), ladderLanes.end());
    for (std::size_t i = 0; i < ladderLanes.size(); ++i) {
        const int index = ladderLanes[i];
        const auto lane = std::ranges::find_if(
            analysis.lanes, [&](const Lane& l) { return l.strip == strip && l.index == index; });
        if (lane == analysis.lanes.end()) {
            continue; // checkLayoutAgainstImages reports a lane beyond the lanes found
        }
        std::vector<MarkerBand> bands;
        for (const Band& band : analysis.bands) {
            if (band.strip == strip && band.lane == index) {
                bands.push_back({0.0, bandXPx(band), bandYPx(band)});
            }
        }
        LadderCalibration ladder = matchLadderBands(*lane, bands, markerKda[i]);
        if (ladder.markers.empty()) {
            calibration.warnings.push_back(
                fmt::format("{} strip {} ladder lane {}: not used for molecular weights: {}", image,
                            strip, index, ladder.note));
            continue;
        }
        if (ladder.isUnsure) {
            calibration.warnings.push_back(fmt::format(
                "{} strip {} ladder lane {}: unsure which band is which marker ({}); check its "
                "molecular weights on the overlay",
                image, strip, index, ladder.note));
        }
        calibration.ladders.push_back(std::move(ladder));
    }
    std::ranges::sort(calibration.ladders, {}, &LadderCalibration::xPx);
    calibration.rowShape = rowShapeOf(analysis, strip, ladderLanes);
    return calibration;
}

std::vector<std::string> calibrationDoubts(std::span<const StripCalibration> calibrations,
                                           std::string_view image) {
    std::vector<std::string> doubts;
    for (const StripCalibration& calibration : calibrations) {
        if (calibration.image == image) {
            doubts.insert(doubts.end(), calibration.warnings.begin(), calibration.warnings.end());
        }
    }
    return doubts;
}

const StripCalibration* findCalibration(std::span<const StripCalibration> calibrations,
                                        std::string_view image, int strip) {
    const auto found = std::ranges::find_if(calibrations, [&](const StripCalibration& c) {
        return c.image == image && c.strip == strip;
    });
    return found == calibrations.end() ? nullptr : &*found;
}

std::vector<MassTick> massTicksAlong(const StripCalibration& calibration,
                                     const std::function<double(double yPx)>& xAt, double topPx,
                                     double bottomPx) {
    std::vector<MassTick> ticks;
    if (!calibration.isUsable() || !(bottomPx > topPx)) {
        return ticks;
    }
    std::set<double, std::greater<>> masses;
    for (const LadderCalibration& ladder : calibration.ladders) {
        for (const MarkerBand& marker : ladder.markers) {
            masses.insert(marker.kda);
        }
    }
    const auto log10KdaAt = [&](double y) -> std::optional<double> {
        const std::optional<double> kda = calibration.kdaAt(xAt(y), y);
        return kda && *kda > 0.0 ? std::optional(std::log10(*kda)) : std::nullopt;
    };
    // Steps of at most one pixel: no two markers a ladder resolves lie closer than that.
    const auto steps = static_cast<std::size_t>(std::ceil(bottomPx - topPx));
    std::vector<double> rows(steps + 1);
    std::vector<std::optional<double>> values(steps + 1);
    for (std::size_t i = 0; i <= steps; ++i) {
        rows[i] = topPx + (bottomPx - topPx) * static_cast<double>(i) / static_cast<double>(steps);
        values[i] = log10KdaAt(rows[i]);
    }
    // Bisection to a thousandth of a pixel, far below what any view or test resolves.
    constexpr double kToleranceYPx = 1e-3;
    for (const double kda : masses) {
        const double target = std::log10(kda);
        for (std::size_t i = 0; i < steps; ++i) {
            if (!values[i] || !values[i + 1] ||
                !(*values[i] >= target && *values[i + 1] < target)) {
                continue;
            }
            double above = rows[i];
            double below = rows[i + 1];
            while (below - above > kToleranceYPx) {
                const double middle = 0.5 * (above + below);
                const std::optional<double> value = log10KdaAt(middle);
                if (!value) {
                    break;
                }
                (*value >= target ? above : below) = middle;
            }
            const double y = 0.5 * (above + below);
            ticks.push_back({kda, xAt(y), y});
            break;
        }
    }
    return ticks;
}

} // namespace densito
