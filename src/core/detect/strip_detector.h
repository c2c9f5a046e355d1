#pragma once

#include "core/detect/detection_map.h"
#include "core/measure/blot_analysis.h"

#include <string>
#include <vector>

namespace densito {

/// Finds the membrane strips of an image: pieces of membrane imaged together, whose
/// background stands clearly above the surroundings (chemiluminescent membranes glow faintly,
/// the tray does not). The smoothed background is split in two by Otsu's threshold; the
/// split is accepted only when it is strongly bimodal (between-class variance >= 75% of the
/// total), the step is large against the noise, and the membrane pieces are compact (fill
/// >= 60% of their box) and carry bands. A piece is then cut where a horizontal seam runs
/// across it (membranes stacked edge to edge): a narrow line of the background dipping a
/// quarter of the membrane's rise above the tray on both sides, with bands above and below.
/// Membranes that do not glow are cut at a seam only when it also dips in 6 of 8 stretches of
/// the width. Every piece is then cut between band rows where the lanes above and below do not
/// line up (two gels, or two pieces laid by hand: strip_detector.cpp, areTwoCombs). Otherwise
/// the whole image (its content) is one strip. Doubtful splits add a sentence to
/// `reviewReasons` when given. With `expectedStrips` (a layout naming that many strips in the
/// image) and fewer found, strips are cut between band rows at the widest gaps until there are
/// that many (membranes cut from one gel and laid back edge to edge show nothing else), each
/// cut a review reason.
/// Regions are in original-image pixels; strips are numbered top to bottom, then left to right.
std::vector<Strip> detectStrips(const DetectionMap& map,
                                std::vector<std::string>* reviewReasons = nullptr,
                                int expectedStrips = 0);

} // namespace densito
