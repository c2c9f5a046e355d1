// Checks of fitted lanes against a strip's column profile, on profiles built by hand.
#include "core/detect/lane_checks.h"

#include <cmath>
#include <gtest/gtest.h>
#include <vector>

namespace densito {
namespace {

/// A column profile with a flat-topped hump of `height` for each (start, end) column range,
/// softened by a 2-column ramp at each side.
std::vector<double> humps(int length, const std::vector<std::pair<int, int>>& ranges,
                          const std::vector<double>& heights) {
    std::vector<double> profile(static_cast<std::size_t>(length), 0.0);
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        const auto [start, end] = ranges[i];
        for (int x = 0; x < length; ++x) {
            const double inside = std::min(
                {1.0, std::max(0.0, (x - start + 2) / 3.0), std::max(0.0, (end - x + 2) / 3.0)});
            profile[static_cast<std::size_t>(x)] += heights[i] * inside;
        }
    }
    return profile;
}

// Lanes at 20, 60, 100 (pitch 40), bands 24 wide. A fourth comb position at 140 without bands
// of its own, but with the shoulder of lane 3's band running into it (a smear fading over
// 12 columns), holds only its neighbour's edge; the same position with a faint band of its own
// (a twentieth of its neighbour) does not.
TEST(LaneChecks, AnEndLaneOnItsNeighboursShoulderHoldsOnlyItsEdge) {
    std::vector<double> profile = humps(170, {{8, 32}, {48, 72}, {88, 112}}, {10, 12, 11});
    for (int x = 113; x < 125; ++x) {
        profile[static_cast<std::size_t>(x)] += 6.0 * (125 - x) / 12.0;
    }
    EXPECT_TRUE(holdsOnlyItsNeighboursEdge(profile, 140.0, 40.0, -1));
    std::vector<double> faint = profile;
    const std::vector<double> own = humps(170, {{128, 152}}, {0.6});
    for (std::size_t x = 0; x < faint.size(); ++x) {
        faint[x] += own[x];
    }
    EXPECT_FALSE(holdsOnlyItsNeighboursEdge(faint, 140.0, 40.0, -1));
    // Lanes with their own bands, at either end.
    EXPECT_FALSE(holdsOnlyItsNeighboursEdge(profile, 20.0, 40.0, 1));
    EXPECT_FALSE(holdsOnlyItsNeighboursEdge(profile, 100.0, 40.0, -1));
}

// A comb at pitch 40 over lanes at pitch 20 (bands 14 wide, 6 apart): each comb lane holds two
// humps with a valley between them; a comb lane over one wide band does not.
TEST(LaneChecks, ALaneOverTwoLanesShowsTwoHumps) {
    const std::vector<double> pairs =
        humps(120, {{3, 17}, {23, 37}, {43, 57}, {63, 77}}, {5, 9, 7, 7});
    EXPECT_TRUE(showsTwoHumps(pairs, 20.0, 40.0, 9.0));
    EXPECT_TRUE(showsTwoHumps(pairs, 60.0, 40.0, 9.0));
    const std::vector<double> wide = humps(120, {{6, 34}, {46, 74}}, {8, 8});
    EXPECT_FALSE(showsTwoHumps(wide, 20.0, 40.0, 8.0));
    EXPECT_FALSE(showsTwoHumps(wide, 60.0, 40.0, 8.0));
    // Humps under a tenth of the strip's highest column are noise, not lanes.
    EXPECT_FALSE(showsTwoHumps(pairs, 20.0, 40.0, 100.0));
}

} // namespace
} // namespace densito
