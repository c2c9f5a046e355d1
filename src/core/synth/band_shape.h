#pragma once

// Band shapes shared by the synthetic generators (synthetic_blot.cpp, varied_blot.cpp): the
// physics of a band is the same whichever scene draws it.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

namespace densito::synth {

/// A sampled 1-D shape normalised to a maximum of 1, trimmed to where it exceeds the trim
/// fraction (plus one sample each side); linear interpolation between samples, 0 outside.
struct Lut {
    double startPx = 0;
    double stepPx = 1;
    std::vector<double> values;

    double at(double x) const {
        const double position = (x - startPx) / stepPx;
        if (!(position >= 0.0)) {
            return 0.0;
        }
        const auto index = static_cast<std::size_t>(position);
        if (index + 1 >= values.size()) {
            return 0.0;
        }
        const double fraction = position - static_cast<double>(index);
        return values[index] + fraction * (values[index + 1] - values[index]);
    }
    double endPx() const { return startPx + stepPx * static_cast<double>(values.size() - 1); }
};

/// Samples `shape` on [loPx, hiPx] every stepPx, normalises it to a peak of 1 and trims the
/// ends where it stays at or below `trimFraction` of the peak.
template <typename Shape>
Lut sampleLut(Shape shape, double loPx, double hiPx, double stepPx, double trimFraction) {
    const auto count = static_cast<std::size_t>(std::ceil((hiPx - loPx) / stepPx)) + 1;
    std::vector<double> values(count);
    double peak = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        values[i] = shape(loPx + stepPx * static_cast<double>(i));
        peak = std::max(peak, values[i]);
    }
    std::size_t first = 0;
    while (first + 1 < count && values[first + 1] / peak <= trimFraction) {
        ++first;
    }
    std::size_t last = count - 1;
    while (last > first + 1 && values[last - 1] / peak <= trimFraction) {
        --last;
    }
    Lut lut;
    lut.stepPx = stepPx;
    lut.startPx = loPx + stepPx * static_cast<double>(first);
    for (std::size_t i = first; i <= last; ++i) {
        lut.values.push_back(values[i] / peak);
    }
    return lut;
}

/// Exponentially modified Gaussian with unit sigma and tail length `tauRatio` toward +x,
/// up to a constant factor. Written so that no intermediate overflows: for z >= 25 erfc
/// underflows, and exp(z^2) erfc(z) takes its asymptotic series instead.
inline double unitEmg(double x, double tauRatio) {
    if (tauRatio < 0.05) {
        return std::exp(-0.5 * x * x);
    }
    const double z = (1.0 / tauRatio - x) / std::numbers::sqrt2;
    if (z < 25.0) {
        return std::exp(0.5 / (tauRatio * tauRatio) - x / tauRatio) * std::erfc(z);
    }
    const double z2 = z * z;
    const double erfcx = (1.0 - 0.5 / z2 + 0.75 / (z2 * z2)) * std::numbers::inv_sqrtpi / z;
    return std::exp(-0.5 * x * x) * erfcx;
}

/// Flat top of half-width `halfPx` with Gaussian-blurred edges of sigma `edgePx`; falls to
/// half its top at +-halfPx when the edge is narrow against the width.
inline double flatTop(double x, double halfPx, double edgePx) {
    const double scale = 1.0 / (std::numbers::sqrt2 * edgePx);
    return 0.5 * (std::erf((x + halfPx) * scale) - std::erf((x - halfPx) * scale));
}

} // namespace densito::synth
