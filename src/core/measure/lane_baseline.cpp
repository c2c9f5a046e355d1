#include "core/measure/lane_baseline.h"

#include <algorithm>
#include <cstddef>
#include <deque>

namespace densito {

std::vector<double> rubberBandBaseline(std::span<const double> profile) {
    const std::size_t n = profile.size();
    std::vector<double> baseline(n);
    if (n == 0) {
        return baseline;
    }
    // Lower hull from left to right: pop the last vertex while it does not turn left.
    std::vector<std::size_t> hull;
    hull.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        while (hull.size() >= 2) {
            const std::size_t a = hull[hull.size() - 2];
            const std::size_t b = hull.back();
            const double cross = static_cast<double>(b - a) * (profile[i] - profile[a]) -
                                 (profile[b] - profile[a]) * static_cast<double>(i - a);
            if (cross > 0.0) {
                break;
            }
            hull.pop_back();
        }
        hull.push_back(i);
    }
    for (std::size_t h = 0; h + 1 < hull.size(); ++h) {
        const std::size_t a = hull[h];
        const std::size_t b = hull[h + 1];
        const double slope = (profile[b] - profile[a]) / static_cast<double>(b - a);
        for (std::size_t i = a; i < b; ++i) {
            // min: rounding must not lift the line above a collinear sample.
            baseline[i] = std::min(profile[a] + slope * static_cast<double>(i - a), profile[i]);
        }
    }
    baseline[n - 1] = profile[n - 1];
    return baseline;
}

std::vector<double> localMinimaBaseline(std::span<const double> profile, int windowPx) {
    const auto n = static_cast<std::ptrdiff_t>(profile.size());
    const std::ptrdiff_t half = std::max(windowPx, 1) / 2;
    const auto at = [](std::ptrdiff_t i) {
        return static_cast<std::size_t>(i);
    };
    if (n == 0) {
        return {};
    }
    const std::vector<double> band = rubberBandBaseline(profile);
    std::vector<double> residual(profile.size());
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        residual[at(i)] = profile[at(i)] - band[at(i)];
    }

    // Moving minimum for window centres j in [-half, n - 1 + half] (stored at j + half), each
    // over the samples of [j - half, j + half] that exist; a monotone deque of indices.
    const std::ptrdiff_t centres = n + 2 * half;
    std::vector<double> minimum(at(centres));
    std::deque<std::ptrdiff_t> window;
    std::ptrdiff_t next = 0;
    for (std::ptrdiff_t j = -half; j < n + half; ++j) {
        for (; next < n && next <= j + half; ++next) {
            while (!window.empty() && residual[at(window.back())] >= residual[at(next)]) {
                window.pop_back();
            }
            window.push_back(next);
        }
        while (window.front() < j - half) {
            window.pop_front();
        }
        minimum[at(j + half)] = residual[at(window.front())];
    }

    // Moving maximum of those minima over the centres [i - half, i + half]: the opening.
    std::vector<double> baseline(profile.size());
    window.clear();
    next = 0;
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        for (; next < centres && next <= i + 2 * half; ++next) {
            while (!window.empty() && minimum[at(window.back())] <= minimum[at(next)]) {
                window.pop_back();
            }
            window.push_back(next);
        }
        while (window.front() < i) {
            window.pop_front();
        }
        // min: rounding in residual + band must not lift the baseline above the profile.
        baseline[at(i)] = std::min(band[at(i)] + minimum[at(window.front())], profile[at(i)]);
    }
    return baseline;
}

} // namespace densito
