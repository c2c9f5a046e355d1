#include "core/detect/lane_checks.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace densito {

bool holdsOnlyItsNeighboursEdge(const std::vector<double>& profile, double centre, double pitch,
                                int towards) {
    const int size = static_cast<int>(profile.size());
    const int a = std::max(0, static_cast<int>(std::ceil(centre - 0.5 * pitch)));
    const int b = std::min(size - 1, static_cast<int>(std::floor(centre + 0.5 * pitch)));
    if (a >= b) {
        return false;
    }
    const double peak = static_cast<double>(
        std::max_element(profile.begin() + a, profile.begin() + b + 1) - profile.begin());
    const bool peaksNextToNeighbour =
        towards < 0 ? peak < centre - 0.25 * pitch : peak > centre + 0.25 * pitch;
    if (!peaksNextToNeighbour) {
        return false;
    }
    double valley = std::numeric_limits<double>::infinity();
    for (int step = 0; step <= b - a; ++step) {
        const double value = profile[static_cast<std::size_t>(towards > 0 ? b - step : a + step)];
        valley = std::min(valley, value);
        if (value > 0.0 && value - valley >= 0.25 * value) {
            return false;
        }
    }
    return true;
}

bool showsTwoHumps(const std::vector<double>& profile, double centre, double pitch,
                   double highest) {
    const int size = static_cast<int>(profile.size());
    const auto extreme = [&](double from, double to, bool wantMax) {
        const int a = std::max(0, static_cast<int>(std::ceil(from)));
        const int b = std::min(size - 1, static_cast<int>(std::floor(to)));
        if (a > b) {
            return std::nan("");
        }
        const auto [least, most] =
            std::minmax_element(profile.begin() + a, profile.begin() + b + 1);
        return wantMax ? *most : *least;
    };
    const double left = extreme(centre - 0.5 * pitch, centre - 0.125 * pitch, true);
    const double right = extreme(centre + 0.125 * pitch, centre + 0.5 * pitch, true);
    const double middle = extreme(centre - 0.125 * pitch, centre + 0.125 * pitch, false);
    const double lower = std::min(left, right);
    return lower >= 0.1 * highest && middle < 0.5 * lower;
}

bool isClearComb(const LaneGrid& grid) {
    return grid.lanesWithSignal >= 3 && grid.periodicity >= 0.1;
}

bool isCombOfItsOwn(const LaneGrid& grid) {
    return isClearComb(grid) && grid.coverage >= 0.5 && grid.width >= 0.5 * grid.pitch;
}

} // namespace densito
