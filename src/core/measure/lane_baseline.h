#pragma once

#include <span>
#include <vector>

namespace densito {

/// The "rubber band" baseline of a lane profile: the lower convex hull of the points
/// (i, profile[i]), evaluated at every i by linear interpolation between hull vertices. It is
/// what a band stretched under the profile from its first to its last sample would follow, the
/// line ImageJ's gel analyser users draw by hand under each peak. It never exceeds the profile,
/// touches it at both ends and at every hull vertex, and is exact at the vertices. Monotone
/// chain (Andrew's algorithm), O(n). Values must be finite; an empty profile gives an empty
/// result.
std::vector<double> rubberBandBaseline(std::span<const double> profile);

/// A baseline through the local minima that also follows backgrounds a single rubber band
/// cuts under (a smear or hump wider than the window): the rubber band, plus the grey-scale
/// opening by a flat window of windowPx samples (moving minimum, then moving maximum; windows
/// may reach past the ends) of what the profile rises above the rubber band, capped at the
/// profile. The opening removes peaks narrower than the window; taking the rubber band out
/// first keeps straight and convex backgrounds exact under bands (a flat window alone would
/// leave a step under a band on a slope, and a moving minimum alone sits
/// slope x windowPx / 2 below any slope). It lies between the rubber band and the profile.
/// On what is left sloping after the rubber band (the flanks of a hump) the baseline under a
/// band is lifted by about that slope x half the band width, and hump tops narrower than the
/// window are cut flat. windowPx < 1 counts as 1 (the profile itself); even windows are
/// widened by one to stay centred. O(n).
std::vector<double> localMinimaBaseline(std::span<const double> profile, int windowPx);

} // namespace densito
