#pragma once

#include "core/detect/lane_grid.h"

#include <vector>

namespace densito {

// Checks of a fitted lane against the strip's column profile (band signal summed down the
// strip, smoothed; reduced pixels), for the cases where the comb looks sure but is not.

/// Whether the lane centred at `centre` (half a pitch either side), at the end of the comb,
/// holds only the shoulder of its neighbour's bands on the side `towards` (-1 left, +1 right):
/// the profile is highest in the quarter pitch next to the neighbour and, followed away from
/// it, never rises again by a quarter of what it reaches (a lane's own bands, however faint
/// beside a strong neighbour, make such a hump).
bool holdsOnlyItsNeighboursEdge(const std::vector<double>& profile, double centre, double pitch,
                                int towards);

/// Whether the lane centred at `centre` shows two humps: one in each outer part of the lane
/// (from an eighth to half a pitch off the centre) reaching a tenth of `highest` (the strip's
/// highest column), and between them, within an eighth of a pitch of the centre, a valley
/// below half the lower hump. A band spans its lane as one hump (its plateau reaches an eighth
/// of a pitch off the centre); two humps a quarter pitch either side are two lanes' bands.
bool showsTwoHumps(const std::vector<double>& profile, double centre, double pitch, double highest);

/// Whether a grid is a clear comb: 3 lanes or more with signal whose edges repeat clearly (edge
/// autocorrelation of 0.1 or more at the pitch: below that its peak is not told from the ripple
/// of noise).
bool isClearComb(const LaneGrid& grid);

/// Whether a grid fitted to band signal away from a strip's lanes shows lanes of their own: a
/// clear comb (isClearComb) that holds at least half of that signal (on a blot most band signal
/// lies in lanes; letters, dust and pen marks beside it fit a comb that holds less) with boxes at
/// least half a pitch wide (bands span most of their lane; narrower boxes fit thin strokes such
/// as a ladder's edges).
bool isCombOfItsOwn(const LaneGrid& grid);

} // namespace densito
