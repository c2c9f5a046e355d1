#pragma once

#include "core/error.h"
#include "core/synth/synthetic_blot.h"

#include <cstdint>
#include <expected>
#include <vector>

namespace densito {

/// A synthetic blot with molecular-weight ladders (generateLadderBlot): what to draw.
struct LadderBlotParams {
    std::uint64_t seed = 1;
    int lanes = 8;
    bool hasTwoLadders = false; ///< ladders in the first and the last lane, else the first only
    /// PageRuler Plus Prestained on Tris-glycine (resources/marker_sets.json).
    std::vector<double> markerKda = {250, 130, 100, 70, 55, 35, 25, 15, 10};
    int sampleRows = 3; ///< sample bands at random kDa in 12-200 (markers + samples <= 12 rows)
    /// Band sharpness (SynthRow::sigmaScale): markers run sharper than sample bands; the
    /// sample experiment's targets use 0.75 and its markers 0.55.
    double markerSigmaScale = 0.55;
    double sampleSigmaScale = 0.75;
    int widthPx = 640;
    int heightPx = 560;
};

/// A generated ladder blot and the kDa its rows stand for.
struct LadderBlot {
    SyntheticBlot blot;
    std::vector<double> rowKda;   ///< per band row (TrueBand::row - 1): markers, then samples
    std::vector<int> ladderLanes; ///< 1-based
    /// The migration law: row position = u + bend u (1 - u), u = log(320 / kDa) / log(320 / 8)
    /// (log-linear when 0; bend in [-0.35, 0.35], 0 for every third seed).
    double bend = 0.0;
};

/// A realistic-profile blot (smile and rotation as the seed draws them) whose ladder lanes
/// hold the markers and whose sample lanes hold `sampleRows` bands, every band placed by the
/// migration law at its kDa, so an estimated mass can be compared with the truth. Errors: as
/// generateSyntheticBlot.
std::expected<LadderBlot, Error> generateLadderBlot(const LadderBlotParams& params);

} // namespace densito
