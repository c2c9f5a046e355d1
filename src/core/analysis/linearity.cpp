#include "core/analysis/linearity.h"

#include "core/io/results_csv.h"
#include "core/measure/blot_analysis.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <map>

namespace densito {
namespace {

struct Point {
    double load = 0;
    double volume = 0;
};

struct Line {
    double slope = 0;
    double intercept = 0;
    double rSquared = 0;
};

/// Least squares through `points`; R^2 = 1 - residual / total sum of squares.
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
    for (const Point& p : points) {
        sxx += (p.load - mx) * (p.load - mx);
        sxy += (p.load - mx) * (p.volume - my);
        syy += (p.volume - my) * (p.volume - my);
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
    return line;
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
            points.push_back({load->second, band.volume});
        }
        std::sort(points.begin(), points.end(),
                  [](const Point& a, const Point& b) { return a.load < b.load; });
        if (hasSaturated) {
            std::erase_if(points, [&](const Point& p) { return p.load >= saturatedFrom; });
        }
        fit.points = static_cast<int>(points.size());
        if (points.size() < 3) {
            fit.note = fmt::format("{} usable series band{}: a line needs 3", points.size(),
                                   points.size() == 1 ? "" : "s");
            fits.push_back(fit);
            continue;
        }
        std::size_t end = 3;
        Line line = fitLine(std::span(points).first(end));
        while (end < points.size()) {
            const Point& next = points[end];
            const double predicted = line.slope * next.load + line.intercept;
            const Line extended = fitLine(std::span(points).first(end + 1));
            if (predicted <= 0 || std::abs(next.volume - predicted) > 0.1 * predicted ||
                extended.rSquared < 0.98) {
                break;
            }
            line = extended;
            ++end;
        }
        fit.slope = line.slope;
        fit.intercept = line.intercept;
        fit.rSquared = line.rSquared;
        fit.loadLow = points.front().load;
        fit.loadHigh = points[end - 1].load;
        fit.volumeLow = points.front().volume;
        fit.volumeHigh = points[end - 1].volume;
        std::vector<std::string> notes;
        if (line.rSquared < 0.98) {
            notes.push_back("the three lowest loads are not on a line (R^2 below 0.98)");
        }
        if (end < points.size()) {
            notes.push_back(fmt::format("loads from {} leave the line", points[end].load));
        }
        if (hasSaturated) {
            notes.push_back(fmt::format("saturated from load {}", saturatedFrom));
        }
        fit.note = fmt::format("{}", fmt::join(notes, "; "));
        fits.push_back(fit);
    }
    return fits;
}

void flagOutsideLinearRange(const Layout& layout, std::span<const LinearityFit> fits,
                            std::vector<MeasuredBand>& bands) {
    for (MeasuredBand& band : bands) {
        const auto sample = std::find_if(
            layout.samples.begin(), layout.samples.end(), [&](const SampleRow& s) {
                return s.membrane == band.membrane && s.lane == band.lane;
            });
        if (sample == layout.samples.end() || sample->load) {
            continue;
        }
        for (const LinearityFit& fit : fits) {
            if (fit.membrane == band.membrane && fit.image == band.image &&
                fit.target == band.target && fit.site == band.site &&
                fit.measure == band.measure && fit.volumeLow && fit.volumeHigh &&
                (band.volume < *fit.volumeLow || band.volume > *fit.volumeHigh)) {
                band.flags |= kLaneOutsideLinearRange;
            }
        }
    }
}

std::string linearityCsv(std::span<const LinearityFit> fits) {
    std::string text = "membrane,image,target,measure,site,points,slope,intercept,r_squared,"
                       "linear_load_low,linear_load_high,linear_volume_low,linear_volume_high,"
                       "note\n";
    for (const LinearityFit& fit : fits) {
        text += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csvField(fit.membrane),
                            csvField(fit.image), csvField(fit.target),
                            measureName(fit.measure), csvField(fit.site), fit.points,
                            csvOptionalNumber(fit.slope), csvOptionalNumber(fit.intercept),
                            csvOptionalNumber(fit.rSquared), csvOptionalNumber(fit.loadLow),
                            csvOptionalNumber(fit.loadHigh), csvOptionalNumber(fit.volumeLow),
                            csvOptionalNumber(fit.volumeHigh), csvField(fit.note));
    }
    return text;
}

} // namespace densito
