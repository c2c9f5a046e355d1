#include "core/analysis/linearity.h"

#include "core/analysis/statistics.h"
#include "core/io/results_csv.h"
#include "core/measure/blot_analysis.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <map>

namespace densito {
namespace {

// What "proportional" means here (Butler et al. 2019, Biomed Res Int 2019:5214821: ratios and
// fold changes are right only where the signal is proportional to the amount loaded; a
// straight line with an intercept is not enough).
/// log(volume) against log(load) must rise with slope 1 within this: a slope of 1.1 turns a
/// two-fold load difference into 2^1.1 = 2.14-fold (7% off).
constexpr double kLogSlopeTolerance = 0.1;
/// The linear fit's intercept is tested against 0 at this level (two-sided t-test).
constexpr double kInterceptAlpha = 0.05;
/// Straightness on the log scale: the points must lie on the log-log line.
constexpr double kMinLogRSquared = 0.98;
/// A fit with (almost) no residual has no noise to test its intercept against: it is then
/// compared with the volumes themselves (rounding of exact data is ~1e-13 of them).
constexpr double kExactFitTolerance = 1e-9;

struct Point {
    double load = 0;
    double volume = 0;
};

struct Line {
    double slope = 0;
    double intercept = 0;
    double rSquared = 0;
    double interceptP = 1; ///< two-sided p of intercept = 0
};

/// Least squares through `points` (x = load, y = volume, or their logarithms); R^2 = 1 -
/// residual / total sum of squares; the intercept's t-test on n - 2 degrees of freedom.
Line fitLine(std::span<const Point> points) {
    const double n = static_cast<double>(points.size());
    double sx = 0, sy = 0;
    for (const Point& p : points) {
        sx += p.load;
        sy += p.volume;
    }
    const double mx = sx / n;
    const double my = sy / n;
    double sxx = 0, sxy = 0, syy = 0;
    double largest = 0;
    for (const Point& p : points) {
        sxx += (p.load - mx) * (p.load - mx);
        sxy += (p.load - mx) * (p.volume - my);
        syy += (p.volume - my) * (p.volume - my);
        largest = std::max(largest, std::abs(p.volume));
    }
    Line line;
    line.slope = sxx > 0 ? sxy / sxx : 0.0;
    line.intercept = my - line.slope * mx;
    double residual = 0;
    for (const Point& p : points) {
        const double e = p.volume - (line.slope * p.load + line.intercept);
        residual += e * e;
    }
    line.rSquared = syy > 0 ? 1.0 - residual / syy : 1.0;
    const double tolerance = kExactFitTolerance * largest;
    if (points.size() < 3 || sxx <= 0 || residual <= tolerance * tolerance * n) {
        line.interceptP = std::abs(line.intercept) <= tolerance ? 1.0 : 0.0;
        return line;
    }
    const double df = n - 2.0;
    const double standardError = std::sqrt(residual / df * (1.0 / n + mx * mx / sxx));
    line.interceptP = studentTwoSidedP(line.intercept / standardError, df);
    return line;
}

std::vector<Point> logarithms(std::span<const Point> points) {
    std::vector<Point> logs;
    for (const Point& p : points) {
        logs.push_back({std::log(p.load), std::log(p.volume)});
    }
    return logs;
}

/// One contiguous window of loads tested for proportionality.
struct Window {
    std::size_t first = 0; ///< index into the points, sorted by load
    std::size_t end = 0;
    Line line;
    Line logLine;

    bool isProportional() const {
        return std::abs(logLine.slope - 1.0) <= kLogSlopeTolerance &&
               line.interceptP >= kInterceptAlpha && logLine.rSquared >= kMinLogRSquared;
    }
};

Window testWindow(std::span<const Point> points, std::size_t first, std::size_t end) {
    Window window{first, end, {}, {}};
    const auto part = points.subspan(first, end - first);
    window.line = fitLine(part);
    window.logLine = fitLine(logarithms(part));
    return window;
}

/// Why a window is not proportional, for the note.
std::string failureOf(const Window& window, std::span<const Point> points) {
    std::vector<std::string> reasons;
    if (std::abs(window.logLine.slope - 1.0) > kLogSlopeTolerance) {
        reasons.push_back(fmt::format("log-log slope {:.3g}, not 1 +- {}", window.logLine.slope,
                                      kLogSlopeTolerance));
    }
    if (window.line.interceptP < kInterceptAlpha) {
        reasons.push_back(fmt::format("intercept {:.4g} differs from 0 (p {:.2g})",
                                      window.line.intercept, window.line.interceptP));
    }
    if (window.logLine.rSquared < kMinLogRSquared) {
        reasons.push_back(
            fmt::format("log-log R^2 {:.3g} below {}", window.logLine.rSquared, kMinLogRSquared));
    }
    return fmt::format("loads {} to {}: {}", points[window.first].load, points[window.end - 1].load,
                       fmt::join(reasons, ", "));
}

bool isSameRow(const MeasuredBand& band, const BlotRow& row) {
    return band.membrane == row.membrane && band.target == row.target &&
           band.measure == row.measure && band.site == row.site &&
           band.image == std::filesystem::path(row.image).filename().string();
}

} // namespace

std::vector<LinearityFit> fitDilutionSeries(const Layout& layout,
                                            std::span<const MeasuredBand> bands) {
    std::vector<LinearityFit> fits;
    for (const BlotRow& row : layout.blots) {
        std::map<int, double> loadByLane;
        for (const SampleRow& sample : layout.samples) {
            if (sample.membrane == row.membrane && sample.load) {
                loadByLane[sample.lane] = *sample.load;
            }
        }
        std::vector<double> loads;
        for (const auto& [lane, load] : loadByLane) {
            loads.push_back(load);
        }
        std::sort(loads.begin(), loads.end());
        if (std::unique(loads.begin(), loads.end()) - loads.begin() < 3) {
            continue; // no dilution series on this membrane
        }
        LinearityFit fit;
        fit.membrane = row.membrane;
        fit.image = std::filesystem::path(row.image).filename().string();
        fit.target = row.target;
        fit.site = row.site;
        fit.measure = row.measure;
        std::vector<Point> points;
        bool hasSaturated = false;
        bool hasZeroLoad = false;
        double saturatedFrom = 0;
        for (const MeasuredBand& band : bands) {
            const auto load = loadByLane.find(band.lane);
            if (!isSameRow(band, row) || load == loadByLane.end() || band.volume <= 0) {
                continue;
            }
            if ((band.flags & kBandSaturated) != 0) {
                saturatedFrom = hasSaturated ? std::min(saturatedFrom, load->second) : load->second;
                hasSaturated = true;
                continue;
            }
            if (load->second <= 0) {
                hasZeroLoad = true; // no logarithm: proportionality is tested on loads above 0
                continue;
            }
            points.push_back({load->second, band.volume});
        }
        std::stable_sort(points.begin(), points.end(),
                         [](const Point& a, const Point& b) { return a.load < b.load; });
        if (hasSaturated) {
            std::erase_if(points, [&](const Point& p) { return p.load >= saturatedFrom; });
        }
        // Window boundaries fall between distinct loads (replicate lanes stay together).
        std::vector<std::size_t> starts;
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (i == 0 || points[i].load != points[i - 1].load) {
                starts.push_back(i);
            }
        }
        fit.points = static_cast<int>(points.size());
        if (starts.size() < 3) {
            fit.note = fmt::format("{} usable series load{}: a line needs 3", starts.size(),
                                   starts.size() == 1 ? "" : "s");
            fits.push_back(fit);
            continue;
        }
        starts.push_back(points.size());
        // The best contiguous window: the most distinct loads, then the most points, then
        // the lowest loads.
        std::optional<Window> best;
        std::size_t bestLoads = 0;
        for (std::size_t a = 0; a + 3 < starts.size(); ++a) {
            for (std::size_t b = a + 3; b < starts.size(); ++b) {
                const Window window = testWindow(points, starts[a], starts[b]);
                const std::size_t windowLoads = b - a;
                if (window.isProportional() &&
                    (!best || windowLoads > bestLoads ||
                     (windowLoads == bestLoads &&
                      window.end - window.first > best->end - best->first))) {
                    best = window;
                    bestLoads = windowLoads;
                }
            }
        }
        std::vector<std::string> notes;
        const Window lowest = testWindow(points, starts[0], starts[3]);
        const Window& shown = best ? *best : lowest;
        fit.slope = shown.line.slope;
        fit.intercept = shown.line.intercept;
        fit.rSquared = shown.line.rSquared;
        fit.logSlope = shown.logLine.slope;
        fit.interceptP = shown.line.interceptP;
        if (best) {
            fit.loadLow = points[best->first].load;
            fit.loadHigh = points[best->end - 1].load;
            const auto [low, high] = std::minmax_element(
                points.begin() + static_cast<std::ptrdiff_t>(best->first),
                points.begin() + static_cast<std::ptrdiff_t>(best->end),
                [](const Point& p, const Point& q) { return p.volume < q.volume; });
            fit.volumeLow = low->volume;
            fit.volumeHigh = high->volume;
            if (best->first > 0) {
                notes.push_back(fmt::format("loads below {} are not proportional", *fit.loadLow));
            }
            if (best->end < points.size()) {
                notes.push_back(
                    fmt::format("loads from {} leave the line", points[best->end].load));
            }
        } else {
            notes.push_back(fmt::format("no linear range: no window of 3 or more loads is "
                                        "proportional ({})",
                                        failureOf(lowest, points)));
        }
        if (hasSaturated) {
            notes.push_back(fmt::format("saturated from load {}", saturatedFrom));
        }
        if (hasZeroLoad) {
            notes.push_back("load 0 left out (proportionality is tested on logarithms)");
        }
        fit.note = fmt::format("{}", fmt::join(notes, "; "));
        fits.push_back(fit);
    }
    return fits;
}

void flagOutsideLinearRange(const Layout& layout, std::span<const LinearityFit> fits,
                            std::vector<MeasuredBand>& bands) {
    for (MeasuredBand& band : bands) {
        const auto sample =
            std::find_if(layout.samples.begin(), layout.samples.end(), [&](const SampleRow& s) {
                return s.membrane == band.membrane && s.lane == band.lane;
            });
        if (sample == layout.samples.end()) {
            continue;
        }
        for (const LinearityFit& fit : fits) {
            if (fit.membrane != band.membrane || fit.image != band.image ||
                fit.target != band.target || fit.site != band.site || fit.measure != band.measure ||
                !fit.logSlope) {
                continue; // not this band's row, or too few loads to tell
            }
            const bool isInside = fit.volumeLow && fit.volumeHigh &&
                                  band.volume >= *fit.volumeLow && band.volume <= *fit.volumeHigh;
            band.linearity = isInside ? Linearity::Verified : Linearity::Outside;
            if (!isInside && !sample->load) {
                band.flags |= kLaneOutsideLinearRange;
            }
        }
    }
}

std::string linearityCsv(std::span<const LinearityFit> fits) {
    std::string text = "membrane,image,target,measure,site,points,slope,intercept,r_squared,"
                       "linear_load_low,linear_load_high,linear_volume_low,linear_volume_high,"
                       "note,log_slope,intercept_p\n";
    for (const LinearityFit& fit : fits) {
        text += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                            csvField(fit.membrane), csvField(fit.image), csvField(fit.target),
                            measureName(fit.measure), csvField(fit.site), fit.points,
                            csvOptionalNumber(fit.slope), csvOptionalNumber(fit.intercept),
                            csvOptionalNumber(fit.rSquared), csvOptionalNumber(fit.loadLow),
                            csvOptionalNumber(fit.loadHigh), csvOptionalNumber(fit.volumeLow),
                            csvOptionalNumber(fit.volumeHigh), csvField(fit.note),
                            csvOptionalNumber(fit.logSlope), csvOptionalNumber(fit.interceptP));
    }
    return text;
}

} // namespace densito
