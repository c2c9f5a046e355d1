#include "core/synth/varied_blot.h"

#include "core/synth/band_shape.h"
#include "core/synth/synth_random.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <numbers>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <ranges>
#include <span>
#include <string_view>

namespace densito {
namespace {

constexpr double kTypeMax = 65535.0;
constexpr int kMinSidePx = 300;
constexpr int kMaxSidePx = 3000;
constexpr double kMinPitchPx = 12.0;
constexpr double kMaxPitchPx = 120.0;
constexpr int kMinWells = 2;
constexpr int kMaxWells = 20;
/// The pieces are laid out within this many pixels per side; the rest is left for the tray
/// margins and the labels printed in them.
constexpr double kContentBudgetPx = 2700.0;
/// Bands not meant to clip peak below this fraction of the clipping level.
constexpr double kHeadroom = 0.85;

/// Independent random streams, so that drawing one part of the scene never shifts another.
enum Stream : std::uint64_t {
    kSceneStream = 1,
    kCombStream = 1 << 8,  // + gel
    kPieceStream = 2 << 8, // + piece
    kPlacementStream = 3 << 8,
    kAmplitudeStream = 4 << 8,
    kBackgroundStream = 5 << 8,
    kArtefactStream = 6 << 8,
    kExportStream = 7 << 8,
    kNoiseStream = 1 << 20 // + image row
};

/// Streams of this generator never coincide with generateSyntheticBlot's for one seed.
std::uint64_t streamId(std::uint64_t stream) {
    return stream | 0x56ULL << 44;
}

int floorToInt(double value) {
    return static_cast<int>(std::floor(value));
}
int ceilToInt(double value) {
    return static_cast<int>(std::ceil(value));
}
int roundToInt(double value) {
    return static_cast<int>(std::lround(value));
}
std::size_t toIndex(int value) {
    return static_cast<std::size_t>(value);
}

using synth::flatTop;
using synth::Lut;
using synth::unitEmg;

/// Band shapes are sampled down to half a percent of their peak.
constexpr double kLutTrim = 0.005;

/// The along-lane band shape in units of sigma, +x toward the wells (up).
Lut alongLut(double tauRatio) {
    return synth::sampleLut([tauRatio](double x) { return unitEmg(x, tauRatio); }, -6.0,
                            6.0 + 8.0 * tauRatio, 0.02, kLutTrim);
}

/// A molecular-weight marker set: sizes in kDa from the top of the gel, and the bands a
/// vendor makes brighter as references.
struct MarkerSet {
    std::string_view name;
    std::array<double, 10> kDa;
    int count;
    std::array<double, 2> referenceKDa;
};

constexpr std::array<MarkerSet, 3> kMarkerSets = {{
    {"precision-plus", {250, 150, 100, 75, 50, 37, 25, 20, 15, 10}, 10, {75, 25}},
    {"pageruler-plus", {250, 130, 100, 70, 55, 35, 25, 15, 10, 0}, 9, {70, 25}},
    {"seeblue-plus2", {198, 98, 62, 49, 38, 28, 17, 14, 6, 3}, 10, {62, 0}},
}};

/// What the scene stream drew for the whole image.
struct SceneDraws {
    PieceArrangement arrangement = PieceArrangement::Single;
    bool isSameGel = false;
    bool isThreeStacked = false;
    bool isMixedThree = false; ///< three stacked: the third piece from another gel
    bool isSeam = false;
    int gapPx = 0;
    bool fillsImage = false;
    bool hasGlow = true;
    Polarity polarity = Polarity::LightBands;
    bool isEightBit = false;
    bool hasPenMarks = false;
    bool hasText = false;
    bool hasBubbles = false;
    bool hasDust = false;
    bool hasSaturation = false;
    bool hasLaneSmear = false;
    int textSide = 0; ///< 0 left (kDa), 1 top (lane labels), 2 right (targets)
};

/// One gel's comb: the wells every piece cut from that gel shares.
struct Comb {
    int wells = 0;
    double pitchDraw = 0; ///< uniform draw mapped into the pitch range once it is known
    double pitchPx = 0;
    double fill = 0;
    double edgeFraction = 0; ///< lane edge sigma / lane width
    double slope = 0;
    double smileFraction = 0; ///< smile / comb width
    std::vector<bool> isLadder;
    std::vector<bool> isEmpty;
    bool hasLadderGap = false;
    bool hasEmptyWell = false;
    std::vector<double> offsetPx; ///< each lane's offset from the ideal comb, in pitches here
    std::vector<double> widthScale;
    std::vector<double> load;
    double marginLeftPitch = 0; ///< membrane beyond the outer lanes' pitch cells
    double marginRightPitch = 0;
    /// A second or third gel run like the first: its pitch is the first's times this (0: its
    /// own draw).
    double pitchFactor = 0;

    double widthPx() const { return wells * pitchPx; }
    double laneHalfPx(int well) const { return 0.5 * fill * pitchPx * widthScale[toIndex(well)]; }
};

/// One membrane piece as drawn, then laid out.
struct Piece {
    int gel = 0; ///< index into the combs
    int rows = 1;
    double sigmaPx = 0;
    double tauRatio = 0;
    bool hasDoublet = false;
    int doubletAt = 0;
    double doubletSepSigmas = 0;
    std::vector<double> rowDraws;
    std::vector<double> rowAmplitude;
    double ladderSigmaPx = 0;
    int markerSet = 0;
    int markerFirst = 0;
    int markerCount = 0;
    double ladderStrength = 0;
    double ladderLength = 1; ///< fraction of the band zone the ladder spans
    double ladderStart = 0;
    double marginTop = 0; ///< fractions of the height
    double marginBottom = 0;
    double shapeDraw = 0; ///< height / comb width, before the rows' needs
    double exposure = 1;
    double glowSigmas = 0;
    double edgeSigmaPx = 1;
    double heightPx = 0;
    cv::Rect rect;
    double combX0 = 0;     ///< image x of the comb's left end
    double yReference = 0; ///< where the comb's x positions hold (the gel's middle)
    std::vector<VariedRow> rowsPlaced;
    std::vector<double> ladderY;
    std::vector<bool> ladderIsReference;
};

struct BandSpec {
    int piece = 0;
    int well = 0;
    int row = -1; ///< -1: a ladder band
    double xCenterPx = 0;
    double yCenterPx = 0;
    double halfWidthPx = 0;
    double edgePx = 1;
    double sigmaPx = 1;
    double tauRatio = 0;
    double slope = 0;
    double yReference = 0;
    double endShrink = 0; ///< along-lane sigma falls by this fraction at the lane ends
    double bowPx = 0;     ///< band ends shift down by this much (up when negative)
    double smilePx = 0;
    double smileCenterX = 0;
    double smileHalfWidthPx = 1;
    double amplitude = 0;
    double relative = 0;
};

SceneDraws drawScene(const VariedBlotParams& params) {
    SynthRandom rng(params.seed, streamId(kSceneStream));
    SceneDraws s;
    const double u = rng.uniform();
    s.arrangement = u < 0.4    ? PieceArrangement::Single
                    : u < 0.7  ? PieceArrangement::Stacked
                    : u < 0.88 ? PieceArrangement::SideBySide
                               : PieceArrangement::Three;
    const bool sameGel = rng.chance(0.55);
    const bool threeStacked = rng.chance(0.7);
    const bool mixedThree = rng.chance(0.4);
    const bool seam = rng.chance(0.2);
    const int seamGap = rng.uniformInt(0, 2);
    const int gap = rng.uniformInt(3, 40);
    const bool fills = rng.chance(0.4);
    const bool glow = rng.chance(0.62);
    const bool dark = rng.chance(0.4);
    const bool eightBit = rng.chance(0.4);
    s.hasPenMarks = rng.chance(0.3);
    s.hasText = rng.chance(0.3);
    s.hasBubbles = rng.chance(0.2);
    s.hasDust = rng.chance(0.45);
    s.hasSaturation = rng.chance(0.3);
    s.hasLaneSmear = rng.chance(0.3);
    s.textSide = rng.uniformInt(0, 2);

    s.arrangement = params.arrangement.value_or(s.arrangement);
    s.isThreeStacked = s.arrangement == PieceArrangement::Three && threeStacked;
    s.isSameGel = (s.arrangement == PieceArrangement::Stacked || s.isThreeStacked) && sameGel;
    s.isMixedThree = s.isThreeStacked && !s.isSameGel && mixedThree;
    s.isSeam = s.arrangement != PieceArrangement::Single && seam;
    s.gapPx = s.isSeam ? seamGap : gap;
    s.fillsImage = s.arrangement == PieceArrangement::Single && fills;
    s.hasGlow = params.hasGlow.value_or(glow);
    s.polarity = params.polarity.value_or(dark ? Polarity::DarkBands : Polarity::LightBands);
    s.isEightBit = params.isEightBit.value_or(eightBit);
    if (!params.hasArtefacts) {
        s.hasPenMarks = s.hasText = s.hasBubbles = s.hasDust = false;
    }
    s.hasText = s.hasText && !s.fillsImage; // printed labels lie outside the membranes
    return s;
}

/// The gel of each piece (0-based comb indices), in piece order.
std::vector<int> gelsOfPieces(const SceneDraws& s) {
    switch (s.arrangement) {
    case PieceArrangement::Single:
        return {0};
    case PieceArrangement::Stacked:
        return s.isSameGel ? std::vector<int>{0, 0} : std::vector<int>{0, 1};
    case PieceArrangement::SideBySide:
        return {0, 1};
    case PieceArrangement::Three:
        if (s.isSameGel) {
            return {0, 0, 0};
        }
        return s.isMixedThree ? std::vector<int>{0, 0, 1} : std::vector<int>{0, 1, 2};
    }
    return {0};
}

/// `firstGel`: the first gel's comb, which a later gel resembles in 70% of scenes (the same kind
/// of gel: wells within 3, pitch within 25%).
Comb drawComb(const VariedBlotParams& params, int gel, const Comb* firstGel) {
    SynthRandom rng(params.seed, streamId(kCombStream + static_cast<std::uint64_t>(gel)));
    Comb c;
    c.wells = rng.uniformInt(kMinWells, kMaxWells);
    c.pitchDraw = rng.uniform();
    const bool isLikeFirst = rng.chance(0.7);
    const int wellsDelta = rng.uniformInt(-3, 3);
    const double pitchFactor = rng.logUniform(0.8, 1.25);
    if (firstGel != nullptr && isLikeFirst) {
        c.wells = std::clamp(firstGel->wells + wellsDelta, kMinWells, kMaxWells);
        c.pitchFactor = pitchFactor;
    }
    c.fill = rng.chance(0.25) ? rng.uniform(0.95, 1.0) : rng.uniform(0.5, 0.95);
    c.edgeFraction = rng.uniform(0.02, 0.10);
    const double tiltDeg = rng.chance(0.5) ? rng.uniform(-1.0, 1.0) : rng.uniform(-0.2, 0.2);
    c.slope = std::tan(tiltDeg * std::numbers::pi / 180.0);
    c.smileFraction = rng.chance(0.5) ? rng.uniform(-0.004, 0.015) : 0.0;
    const int ladderKind = rng.uniformInt(0, 99); // <45 none, <65 left, <80 right, else both
    const bool ladderGap = rng.chance(0.3);
    const bool emptyWells = rng.chance(0.3);
    const int emptyCount = rng.uniformInt(1, 2);
    std::array<double, 2> emptyDraws{rng.uniform(), rng.uniform()};
    const bool emptyAtEnd = rng.chance(0.3);
    c.marginLeftPitch = rng.uniform(0.1, 1.2);
    c.marginRightPitch = rng.uniform(0.1, 1.2);
    const std::size_t maxWells = toIndex(kMaxWells);
    std::vector<double> offsets(maxWells);
    std::vector<double> widths(maxWells);
    std::vector<double> loads(maxWells);
    for (std::size_t i = 0; i < maxWells; ++i) {
        offsets[i] = 0.015 * rng.normal();
        widths[i] = 1.0 + rng.uniform(-0.03, 0.03);
        loads[i] = std::clamp(std::exp(0.3 * rng.normal()), 0.45, 1.8);
    }

    if (params.lanesPerPiece) {
        c.wells = *params.lanesPerPiece;
    }
    const auto wells = toIndex(c.wells);
    c.offsetPx.assign(offsets.begin(), offsets.begin() + static_cast<std::ptrdiff_t>(wells));
    c.widthScale.assign(widths.begin(), widths.begin() + static_cast<std::ptrdiff_t>(wells));
    c.load.assign(loads.begin(), loads.begin() + static_cast<std::ptrdiff_t>(wells));
    c.isLadder.assign(wells, false);
    c.isEmpty.assign(wells, false);
    // Ladders need samples beside them: at least two sample wells stay.
    const bool left = c.wells >= 4 && ((ladderKind >= 45 && ladderKind < 65) || ladderKind >= 80);
    const bool right = c.wells >= 4 && ladderKind >= 65 && (ladderKind < 80 || c.wells >= 5);
    int first = 0;
    int last = c.wells - 1;
    if (left) {
        c.isLadder[0] = true;
        first = 1;
    }
    if (right) {
        c.isLadder[wells - 1] = true;
        last = c.wells - 2;
    }
    if ((left || right) && ladderGap && last - first + 1 >= 4) {
        c.hasLadderGap = true;
        if (left) {
            c.isEmpty[toIndex(first)] = true;
            ++first;
        }
        if (right) {
            c.isEmpty[toIndex(last)] = true;
            --last;
        }
    }
    const int samples = last - first + 1;
    if (emptyWells && samples >= 3) {
        const int count = std::min(emptyCount, samples - 2);
        for (int k = 0; k < count; ++k) {
            int well = first + std::min(samples - 1, floorToInt(emptyDraws[toIndex(k)] * samples));
            if (k == 0 && emptyAtEnd) {
                well = emptyDraws[0] < 0.5 ? first : last;
            }
            c.isEmpty[toIndex(well)] = true;
        }
        c.hasEmptyWell = true;
    }
    return c;
}

/// How far a band's 0.5% support reaches above (toward the wells) and below its peak.
struct Reach {
    double upPx = 0;
    double downPx = 0;
};
Reach bandReach(double sigmaPx, double tauRatio) {
    const Lut lut = alongLut(tauRatio);
    return {lut.endPx() * sigmaPx, -lut.startPx * sigmaPx};
}

/// The smallest gap between the marker set's bands used, in log weight, as a fraction of
/// their span.
double smallestLadderGap(const Piece& p) {
    const MarkerSet& set = kMarkerSets[toIndex(p.markerSet)];
    const auto firstIndex = toIndex(p.markerFirst);
    const auto lastIndex = toIndex(p.markerFirst + p.markerCount - 1);
    const double span = std::log(set.kDa[firstIndex]) - std::log(set.kDa[lastIndex]);
    double smallest = 1.0;
    for (std::size_t i = firstIndex; i < lastIndex; ++i) {
        smallest = std::min(smallest, (std::log(set.kDa[i]) - std::log(set.kDa[i + 1])) / span);
    }
    return smallest;
}

/// The height the rows (and ladder) of a piece need, margins included.
double neededHeight(const Piece& p, const Comb& comb, bool hasLadder) {
    const Reach reach = bandReach(p.sigmaPx, p.tauRatio);
    const double rowSpace = std::max(10.0, 0.9 * (reach.upPx + reach.downPx));
    const int groups = p.rows - (p.hasDoublet ? 1 : 0);
    const double smile = std::abs(comb.smileFraction * comb.widthPx());
    double zone = reach.upPx + reach.downPx + (groups - 1) * rowSpace + smile +
                  (p.hasDoublet ? p.doubletSepSigmas * p.sigmaPx : 0.0);
    if (hasLadder) {
        const double ladderZone =
            (4.5 * p.ladderSigmaPx + 2.0) / smallestLadderGap(p) / p.ladderLength +
            6.0 * p.ladderSigmaPx + smile;
        zone = std::max(zone, ladderZone);
    }
    return std::max(24.0, zone / (1.0 - p.marginTop - p.marginBottom));
}

Piece drawPiece(const VariedBlotParams& params, int index, const SceneDraws& scene,
                const Comb& comb, int gel) {
    SynthRandom rng(params.seed, streamId(kPieceStream + static_cast<std::uint64_t>(index)));
    Piece p;
    p.gel = gel;
    p.rows = rng.uniformInt(1, 6);
    const double laneWidth = comb.fill * comb.pitchPx;
    p.sigmaPx = std::clamp(laneWidth * rng.logUniform(0.05, 0.2), 1.0, 30.0);
    p.tauRatio = rng.chance(0.3) ? 0.0 : rng.uniform(0.2, 1.5);
    p.hasDoublet = rng.chance(0.25) && p.rows >= 2;
    p.doubletAt = rng.uniformInt(0, std::max(0, p.rows - 2));
    p.doubletSepSigmas = rng.uniform(2.5, 4.0);
    for (int r = 0; r < p.rows; ++r) {
        p.rowDraws.push_back(rng.uniform());
        p.rowAmplitude.push_back(rng.logUniform(0.15, 1.0));
    }
    p.ladderSigmaPx = std::max(0.8, p.sigmaPx * rng.uniform(0.35, 0.7));
    p.markerSet = rng.uniformInt(0, static_cast<int>(kMarkerSets.size()) - 1);
    const int setSize = kMarkerSets[toIndex(p.markerSet)].count;
    p.markerCount = rng.uniformInt(6, setSize);
    p.markerFirst = rng.uniformInt(0, setSize - p.markerCount);
    p.ladderStrength = rng.uniform(0.15, 0.7);
    p.ladderLength = rng.uniform(0.7, 1.0);
    p.ladderStart = rng.uniform();
    const bool cut = scene.arrangement == PieceArrangement::Stacked || scene.isThreeStacked;
    p.marginTop = scene.hasGlow ? rng.uniform(0.05, 0.3) : rng.uniform(0.03, 0.12);
    p.marginBottom = scene.hasGlow ? rng.uniform(0.05, 0.3) : rng.uniform(0.03, 0.12);
    p.shapeDraw = cut ? rng.logUniform(0.1, 0.6) : rng.logUniform(0.3, 1.0);
    p.exposure = rng.logUniform(0.35, 1.0);
    p.glowSigmas = rng.logUniform(4.0, 60.0);
    p.edgeSigmaPx = rng.uniform(0.6, 2.0);
    return p;
}

/// Sets each piece's height: what its rows need, at least its drawn shape, within the budget;
/// band sigmas shrink, then rows go, when the budget is too small.
void sizePieces(std::vector<Piece>& pieces, const std::vector<Comb>& combs, double budgetPx) {
    for (Piece& p : pieces) {
        const Comb& comb = combs[toIndex(p.gel)];
        const bool hasLadder = std::ranges::find(comb.isLadder, true) != comb.isLadder.end();
        for (int attempt = 0; attempt < 40 && neededHeight(p, comb, hasLadder) > budgetPx;
             ++attempt) {
            if (p.sigmaPx > 1.0 || p.ladderSigmaPx > 0.8) {
                p.sigmaPx = std::max(1.0, 0.85 * p.sigmaPx);
                p.ladderSigmaPx = std::max(0.8, 0.85 * p.ladderSigmaPx);
            } else if (p.rows > 1) {
                --p.rows;
                p.rowDraws.pop_back();
                p.rowAmplitude.pop_back();
                p.hasDoublet = p.hasDoublet && p.rows >= 2;
                p.doubletAt = std::min(p.doubletAt, std::max(0, p.rows - 2));
            }
        }
        const double needed = neededHeight(p, comb, hasLadder);
        const double shaped = p.shapeDraw * (comb.widthPx() + 2.0 * comb.pitchPx);
        p.heightPx = std::ceil(std::min(budgetPx, std::max(needed, shaped)));
    }
}

/// Band rows and ladder bands in the piece's final rectangle.
void placeRows(Piece& p, const Comb& comb) {
    const Reach reach = bandReach(p.sigmaPx, p.tauRatio);
    const double rowSpace = std::max(10.0, 0.9 * (reach.upPx + reach.downPx));
    const double smile = comb.smileFraction * comb.widthPx();
    const double height = p.rect.height;
    const double top = p.rect.y + p.marginTop * height + reach.upPx + std::max(0.0, -smile);
    const double bottom =
        p.rect.y + height - 1.0 - p.marginBottom * height - reach.downPx - std::max(0.0, smile);
    const int groups = p.rows - (p.hasDoublet ? 1 : 0);
    const double doubletPx = p.hasDoublet ? p.doubletSepSigmas * p.sigmaPx : 0.0;
    const double available = std::max(0.0, bottom - top - (groups - 1) * rowSpace - doubletPx);
    std::vector<double> draws(p.rowDraws.begin(),
                              p.rowDraws.begin() + static_cast<std::ptrdiff_t>(groups));
    std::ranges::sort(draws);
    double offset = top;
    p.rowsPlaced.clear();
    for (int g = 0; g < groups; ++g) {
        VariedRow row;
        row.yCenterPx = offset + available * draws[toIndex(g)];
        row.sigmaPx = p.sigmaPx;
        row.tauPx = p.tauRatio * p.sigmaPx;
        row.isDoublet = p.hasDoublet && g == p.doubletAt;
        p.rowsPlaced.push_back(row);
        if (row.isDoublet) {
            row.yCenterPx += doubletPx;
            p.rowsPlaced.push_back(row);
        }
        offset += rowSpace + (p.hasDoublet && g == p.doubletAt ? doubletPx : 0.0);
    }
    // The ladder: log-linear in weight over part of the band zone.
    const MarkerSet& set = kMarkerSets[toIndex(p.markerSet)];
    const double zoneTop =
        p.rect.y + p.marginTop * height + 3.0 * p.ladderSigmaPx + std::max(0.0, -smile);
    const double zoneBottom = p.rect.y + height - 1.0 - p.marginBottom * height -
                              3.0 * p.ladderSigmaPx - std::max(0.0, smile);
    const double zone = std::max(0.0, zoneBottom - zoneTop);
    const double length = p.ladderLength * zone;
    const double start = zoneTop + p.ladderStart * (zone - length);
    const auto firstIndex = toIndex(p.markerFirst);
    const auto lastIndex = toIndex(p.markerFirst + p.markerCount - 1);
    const double logTop = std::log(set.kDa[firstIndex]);
    const double logSpan = logTop - std::log(set.kDa[lastIndex]);
    p.ladderY.clear();
    p.ladderIsReference.clear();
    for (std::size_t i = firstIndex; i <= lastIndex; ++i) {
        p.ladderY.push_back(start + length * (logTop - std::log(set.kDa[i])) / logSpan);
        p.ladderIsReference.push_back(set.kDa[i] == set.referenceKDa[0] ||
                                      set.kDa[i] == set.referenceKDa[1]);
    }
}

/// The region a band's signal can reach, clipped to `clip`.
cv::Rect bandRegion(const BandSpec& b, const Lut& along, const cv::Rect& clip) {
    const double up = along.endPx() * b.sigmaPx + std::max(0.0, -b.bowPx);
    const double down = -along.startPx * b.sigmaPx + std::max(0.0, b.bowPx) + std::abs(b.smilePx);
    const double y0 = b.yCenterPx - up - 1.0;
    const double y1 = b.yCenterPx + down + 1.0;
    const double shift =
        std::abs(b.slope) * std::max(std::abs(y0 - b.yReference), std::abs(y1 - b.yReference));
    const double reach = b.halfWidthPx + 4.0 * b.edgePx + shift + 1.0;
    const int x0 = floorToInt(b.xCenterPx - reach);
    const int x1 = ceilToInt(b.xCenterPx + reach);
    return cv::Rect(x0, floorToInt(y0), x1 - x0 + 1, ceilToInt(y1) - floorToInt(y0) + 1) & clip;
}

/// Calls visit(x, y, counts) for each pixel of `clip` where one band may add counts: a
/// flat-topped profile across the lane, an exponentially modified Gaussian along it, thinner
/// and displaced toward the lane ends (rounded band ends, the kinks a person uses to tell
/// touching lanes apart), following the lane's tilt and the smile.
template <typename Visit>
void forEachBandPixel(const BandSpec& b, const Lut& along, const cv::Rect& clip, Visit visit) {
    const cv::Rect region = bandRegion(b, along, clip);
    if (region.area() <= 0) {
        return;
    }
    const Lut across = synth::sampleLut(
        [&b](double x) { return flatTop(x, b.halfWidthPx, b.edgePx); },
        -b.halfWidthPx - 5.0 * b.edgePx, b.halfWidthPx + 5.0 * b.edgePx, 0.1, kLutTrim);
    for (int y = region.y; y < region.br().y; ++y) {
        const double centre = b.xCenterPx + b.slope * (y - b.yReference);
        for (int x = region.x; x < region.br().x; ++x) {
            const double dx = x - centre;
            const double acrossValue = across.at(dx);
            if (acrossValue <= 0.0) {
                continue;
            }
            const double end = std::min(1.2, std::abs(dx) / b.halfWidthPx);
            const double end2 = end * end;
            const double sigma = b.sigmaPx * (1.0 - b.endShrink * end2 * end2);
            const double fromCentre = (x - b.smileCenterX) / b.smileHalfWidthPx;
            const double peakY = b.yCenterPx + b.bowPx * end2 + b.smilePx * fromCentre * fromCentre;
            visit(x, y, b.amplitude * acrossValue * along.at((peakY - y) / sigma));
        }
    }
}

/// Adds one band's counts (forEachBandPixel); returns their sum, the band's true volume.
double renderBand(const BandSpec& b, const Lut& along, const cv::Rect& clip, cv::Mat& counts) {
    double volume = 0.0;
    forEachBandPixel(b, along, clip, [&counts, &volume](int x, int y, double value) {
        counts.at<float>(y, x) += static_cast<float>(value);
        volume += value;
    });
    return volume;
}

/// Along-lane band shapes by tail ratio, each sampled once; references stay valid.
class AlongLuts {
public:
    const Lut& of(double tauRatio) {
        auto found = m_luts.find(tauRatio);
        if (found == m_luts.end()) {
            found = m_luts.emplace(tauRatio, alongLut(tauRatio)).first;
        }
        return found->second;
    }

private:
    std::map<double, Lut> m_luts;
};

/// Where an along-lane shape peaks and its full width at half maximum, in sigmas (+ toward
/// the wells, as alongLut samples it).
struct AlongPeak {
    double modeSigmas = 0;
    double fwhmSigmas = 0;
};

AlongPeak alongPeak(const Lut& along) {
    const auto mode = std::ranges::max_element(along.values) - along.values.begin();
    const double half = 0.5 * along.values[static_cast<std::size_t>(mode)];
    const auto first = std::ranges::find_if(along.values, [half](double v) { return v >= half; });
    const auto last = std::ranges::find_if(along.values | std::views::reverse,
                                           [half](double v) { return v >= half; });
    const auto width = (along.values.rend() - last) - (first - along.values.begin()) - 1;
    return {along.startPx + along.stepPx * static_cast<double>(mode),
            along.stepPx * static_cast<double>(width)};
}

/// The counts at or above which a value is stored at the top of the exported range: the
/// detector's clipping level or, in an 8-bit export, the count that rounds to 255.
double topOfRangeCounts(const VariedScene& scene, bool isEightBit) {
    double top = scene.clipLevel - 0.5;
    if (isEightBit) {
        const double step = (scene.exportHighCounts - scene.exportLowCounts) / 255.0;
        top = std::min(top, scene.exportHighCounts - 0.5 * step);
    }
    return top;
}

/// The truth of one drawn band. `drawn`: the counts once every band and the lane smear are
/// drawn; `finished`: once the artefacts are added too (both before noise).
VariedBand describeBand(const BandSpec& b, const Lut& along, const cv::Rect& clip,
                        double volumeCounts, const cv::Mat& drawn, const cv::Mat& finished,
                        double topCounts) {
    VariedBand truth;
    truth.strip = b.piece + 1;
    truth.lane = b.well + 1;
    truth.isLadder = b.row < 0;
    truth.row = truth.isLadder ? 0 : b.row + 1;
    // At the lane centre the bow is 0 and the sigma the band's own; the smile still moves it.
    const AlongPeak shape = alongPeak(along);
    const double unsmiled = b.yCenterPx - shape.modeSigmas * b.sigmaPx;
    const double centre = b.xCenterPx + b.slope * (unsmiled - b.yReference);
    const double fromCentre = (centre - b.smileCenterX) / b.smileHalfWidthPx;
    truth.yPeakPx = unsmiled + b.smilePx * fromCentre * fromCentre;
    truth.xCenterPx = b.xCenterPx + b.slope * (truth.yPeakPx - b.yReference);
    truth.heightPx = shape.fwhmSigmas * b.sigmaPx;
    truth.volumeCounts = volumeCounts;
    forEachBandPixel(b, along, clip, [&](int x, int y, double value) {
        if (value <= 0.0) {
            return;
        }
        const auto before = static_cast<double>(drawn.at<float>(y, x));
        truth.artefactCounts += static_cast<double>(finished.at<float>(y, x)) - before;
        truth.isSaturated =
            truth.isSaturated || (value >= 0.1 * b.amplitude && before >= topCounts);
    });
    return truth;
}

/// The truth of every drawn band, in `bands`' order: `volumesCounts` as renderBand returned
/// them, `drawn` and `finished` as describeBand takes them.
std::vector<VariedBand> describeBands(std::span<const BandSpec> bands,
                                      std::span<const double> volumesCounts,
                                      std::span<const Piece> pieces, AlongLuts& luts,
                                      const cv::Mat& drawn, const cv::Mat& finished,
                                      const VariedScene& scene, bool isEightBit) {
    const double topCounts = topOfRangeCounts(scene, isEightBit);
    std::vector<VariedBand> truths;
    for (std::size_t i = 0; i < volumesCounts.size(); ++i) {
        const BandSpec& band = bands[i];
        VariedBand truth =
            describeBand(band, luts.of(band.tauRatio), pieces[toIndex(band.piece)].rect,
                         volumesCounts[i], drawn, finished, topCounts);
        truth.volume = truth.volumeCounts * scene.signalPerCount;
        truths.push_back(truth);
    }
    return truths;
}

/// Faint signal along a lane between its first and last rows (protein smeared down the lane).
void renderSmear(const BandSpec& lane, double topPx, double bottomPx, const cv::Rect& clip,
                 cv::Mat& counts) {
    const int y0 = std::max(clip.y, floorToInt(topPx));
    const int y1 = std::min(clip.br().y - 1, ceilToInt(bottomPx));
    const double reach = lane.halfWidthPx + 4.0 * lane.edgePx + 2.0;
    for (int y = y0; y <= y1; ++y) {
        const double t = (y - topPx) / std::max(1.0, bottomPx - topPx);
        const double along = std::sin(std::numbers::pi * std::clamp(t, 0.0, 1.0));
        const double centre = lane.xCenterPx + lane.slope * (y - lane.yReference);
        const int x0 = std::max(clip.x, floorToInt(centre - reach));
        const int x1 = std::min(clip.br().x - 1, ceilToInt(centre + reach));
        auto* out = counts.ptr<float>(y);
        for (int x = x0; x <= x1; ++x) {
            out[x] += static_cast<float>(lane.amplitude * along *
                                         flatTop(x - centre, lane.halfWidthPx, lane.edgePx));
        }
    }
}

/// A stroke shape in a unit box (x 0..0.6, y 0..1, y down), like a handwritten digit.
std::vector<cv::Point2d> digitStroke(int digit) {
    switch (digit) {
    case 0:
        return {{0.3, 0},     {0.08, 0.2},  {0.03, 0.55}, {0.15, 0.92}, {0.35, 1.0},
                {0.55, 0.75}, {0.57, 0.35}, {0.45, 0.08}, {0.3, 0}};
    case 1:
        return {{0.12, 0.22}, {0.32, 0}, {0.3, 1.0}};
    case 2:
        return {{0.05, 0.25}, {0.2, 0.02}, {0.45, 0.05}, {0.55, 0.3}, {0.05, 1.0}, {0.6, 1.0}};
    case 3:
        return {{0.05, 0.1},  {0.4, 0},     {0.55, 0.2}, {0.3, 0.45},
                {0.55, 0.65}, {0.45, 0.95}, {0.05, 0.9}};
    case 4:
        return {{0.45, 1.0}, {0.45, 0}, {0.0, 0.65}, {0.6, 0.65}};
    case 5:
        return {{0.55, 0},   {0.1, 0},    {0.05, 0.45}, {0.4, 0.4},
                {0.58, 0.7}, {0.4, 0.97}, {0.05, 0.9}};
    case 6:
        return {{0.5, 0.05}, {0.2, 0.2},   {0.05, 0.6}, {0.2, 0.97},
                {0.5, 0.9},  {0.55, 0.65}, {0.3, 0.5},  {0.07, 0.65}};
    case 7:
        return {{0.0, 0.0}, {0.6, 0.0}, {0.25, 1.0}};
    case 8:
        return {{0.3, 0.5},   {0.55, 0.25}, {0.3, 0},     {0.05, 0.25}, {0.3, 0.5},
                {0.58, 0.75}, {0.3, 1.0},   {0.02, 0.75}, {0.3, 0.5}};
    default:
        return {{0.55, 0.35}, {0.3, 0.5},  {0.05, 0.3}, {0.3, 0.0},
                {0.55, 0.2},  {0.55, 0.6}, {0.4, 1.0}};
    }
}

std::vector<cv::Point> toPixels(const std::vector<cv::Point2d>& points) {
    std::vector<cv::Point> pixels;
    for (const cv::Point2d& p : points) {
        // Sub-pixel coordinates for cv::polylines (shift = 3 fractional bits).
        pixels.emplace_back(roundToInt(p.x * 8.0), roundToInt(p.y * 8.0));
    }
    return pixels;
}

cv::Rect boundsOf(const std::vector<std::vector<cv::Point2d>>& strokes, int padPx) {
    double x0 = 1e300;
    double y0 = 1e300;
    double x1 = -1e300;
    double y1 = -1e300;
    for (const auto& stroke : strokes) {
        for (const cv::Point2d& p : stroke) {
            x0 = std::min(x0, p.x);
            y0 = std::min(y0, p.y);
            x1 = std::max(x1, p.x);
            y1 = std::max(y1, p.y);
        }
    }
    return {floorToInt(x0) - padPx, floorToInt(y0) - padPx, ceilToInt(x1 - x0) + 2 * padPx + 1,
            ceilToInt(y1 - y0) + 2 * padPx + 1};
}

bool overlapsAny(const cv::Rect& box, std::span<const cv::Rect> zones) {
    return std::ranges::any_of(zones,
                               [&box](const cv::Rect& zone) { return (box & zone).area() > 0; });
}

/// A pen mark's strokes around the origin: handwritten digits, a line, an arrow, a cross, or
/// short dashes traced beside a strip at the ladder's or rows' heights.
std::vector<std::vector<cv::Point2d>> penStrokes(SynthRandom& rng, int kind, double sizePx) {
    std::vector<std::vector<cv::Point2d>> strokes;
    const auto jitter = [&rng](cv::Point2d p, double amount) {
        return cv::Point2d(p.x + amount * rng.normal(), p.y + amount * rng.normal());
    };
    if (kind == 0) {
        const int digits = rng.uniformInt(1, 3);
        const double slant = rng.uniform(0.0, 0.3);
        for (int d = 0; d < digits; ++d) {
            std::vector<cv::Point2d> stroke;
            for (const cv::Point2d& p : digitStroke(rng.uniformInt(0, 9))) {
                const cv::Point2d q = jitter(p, 0.04);
                stroke.emplace_back((q.x + 0.8 * d + slant * (1.0 - q.y)) * sizePx, q.y * sizePx);
            }
            strokes.push_back(std::move(stroke));
        }
    } else if (kind == 1 || kind == 2) {
        const double length = rng.uniform(1.5, 8.0) * sizePx;
        const double angle = rng.uniform(0.0, 2.0 * std::numbers::pi);
        const cv::Point2d direction(std::cos(angle), std::sin(angle));
        std::vector<cv::Point2d> line;
        const int points = rng.uniformInt(2, 5);
        for (int i = 0; i < points; ++i) {
            const double t = static_cast<double>(i) / (points - 1);
            line.push_back(jitter(direction * (t * length), 0.03 * length));
        }
        strokes.push_back(line);
        if (kind == 2) {
            const cv::Point2d tip = line.back();
            for (const double side : {-1.0, 1.0}) {
                const double a = angle + std::numbers::pi + side * 0.5;
                strokes.push_back(
                    {tip, tip + cv::Point2d(std::cos(a), std::sin(a)) * (0.25 * sizePx + 4.0)});
            }
        }
    } else if (kind == 3) {
        strokes.push_back({jitter({0, 0}, 1), jitter({sizePx, sizePx}, 1)});
        strokes.push_back({jitter({sizePx, 0}, 1), jitter({0, sizePx}, 1)});
    } else {
        const int dashes = rng.uniformInt(3, 7);
        double y = 0.0;
        for (int i = 0; i < dashes; ++i) {
            const double length = rng.uniform(0.6, 1.2) * sizePx;
            strokes.push_back({jitter({0, y}, 0.5), jitter({length, y}, 0.8)});
            y += rng.uniform(0.6, 2.0) * sizePx;
        }
    }
    return strokes;
}

const std::array<std::string_view, 10> kTargetNames = {
    "GAPDH",    "b-actin", "p-ERK1/2",   "Tubulin",   "HSP90",
    "Vinculin", "LC3B",    "p-AKT S473", "Total ERK", "Lamin B1"};
const std::array<std::string_view, 6> kLaneLabelSets = {"1 2 3 4 5 6 7 8", "+ - + - + -",
                                                        "Ctrl  siA  siB",  "0 5 15 30 60 min",
                                                        "WT KO WT KO",     "M  1  2  3  4"};

/// Image-space lane centre of a well of a comb placed at `combX0`, at row y.
double laneCentre(const Comb& comb, int well, double combX0) {
    return combX0 + (well + 0.5 + comb.offsetPx[toIndex(well)]) * comb.pitchPx;
}

} // namespace

const char* toString(PieceArrangement arrangement) {
    switch (arrangement) {
    case PieceArrangement::Single:
        return "single";
    case PieceArrangement::Stacked:
        return "stacked";
    case PieceArrangement::SideBySide:
        return "side-by-side";
    case PieceArrangement::Three:
        return "three";
    }
    return "single";
}

std::string variedFeaturesText(std::uint32_t features) {
    static constexpr std::array<std::string_view, 22> kNames = {"touching-lanes",
                                                                "ladder",
                                                                "ladder-gap",
                                                                "empty-well",
                                                                "stacked-same-comb",
                                                                "stacked-two-gels",
                                                                "side-by-side",
                                                                "three-pieces",
                                                                "no-glow",
                                                                "seam",
                                                                "fills-image",
                                                                "pen-marks",
                                                                "printed-text",
                                                                "bubbles",
                                                                "dust",
                                                                "8-bit",
                                                                "dark-bands",
                                                                "saturated",
                                                                "doublet",
                                                                "lane-smear",
                                                                "tilt",
                                                                "smile"};
    std::string text;
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if ((features & (1u << i)) != 0) {
            if (!text.empty()) {
                text += ';';
            }
            text += kNames[i];
        }
    }
    return text;
}

int VariedStrip::signalLanes() const {
    return static_cast<int>(
        std::ranges::count_if(lanes, [](const VariedLane& lane) { return !lane.isEmpty; }));
}

std::expected<VariedBlot, Error> generateVariedBlot(std::uint64_t seed) {
    VariedBlotParams params;
    params.seed = seed;
    return generateVariedBlot(params);
}

std::expected<VariedBlot, Error> generateVariedBlot(const VariedBlotParams& params) {
    if (params.lanesPerPiece &&
        (*params.lanesPerPiece < kMinWells || *params.lanesPerPiece > kMaxWells)) {
        return std::unexpected(
            Error{"synth", fmt::format("{} lanes per piece is outside {}..{}",
                                       *params.lanesPerPiece, kMinWells, kMaxWells)});
    }
    const SceneDraws scene = drawScene(params);
    const std::vector<int> gels = gelsOfPieces(scene);
    const int gelCount = *std::ranges::max_element(gels) + 1;
    std::vector<Comb> combs;
    for (int g = 0; g < gelCount; ++g) {
        combs.push_back(drawComb(params, g, g == 0 ? nullptr : &combs.front()));
    }
    const int pieceCount = static_cast<int>(gels.size());
    const bool isSideBySide =
        scene.arrangement == PieceArrangement::SideBySide ||
        (scene.arrangement == PieceArrangement::Three && !scene.isThreeStacked);
    const int stackCount = isSideBySide ? 1 : pieceCount;

    // Pitch: log-uniform in 12..120 px, within what the image can hold side by side.
    {
        double wellsAcross = 0.0;
        double widest = 0.0;
        for (const Comb& comb : combs) {
            wellsAcross += comb.wells + 2.4;
            widest = std::max(widest, comb.wells + 2.4);
        }
        const double gaps = (isSideBySide ? pieceCount - 1 : 0) * scene.gapPx;
        const double across = isSideBySide ? wellsAcross : 1.15 * widest;
        const double pitchMax = std::min(kMaxPitchPx, (kContentBudgetPx - gaps) / across);
        for (Comb& comb : combs) {
            const double pitchMin = scene.fillsImage
                                        ? std::clamp(100.0 / comb.wells, kMinPitchPx, pitchMax)
                                        : kMinPitchPx;
            comb.pitchPx = std::exp(std::log(pitchMin) +
                                    comb.pitchDraw * (std::log(pitchMax) - std::log(pitchMin)));
            if (comb.pitchFactor > 0.0) {
                comb.pitchPx =
                    std::clamp(combs.front().pitchPx * comb.pitchFactor, pitchMin, pitchMax);
            }
        }
    }

    std::vector<Piece> pieces;
    for (int i = 0; i < pieceCount; ++i) {
        pieces.push_back(
            drawPiece(params, i, scene, combs[toIndex(gels[toIndex(i)])], gels[toIndex(i)]));
    }
    const double heightBudget =
        isSideBySide ? kContentBudgetPx / 1.3
                     : (kContentBudgetPx - (stackCount - 1) * scene.gapPx) / stackCount;
    sizePieces(pieces, combs, heightBudget);

    // Lay the pieces out; x positions are those of the comb's left end.
    SynthRandom placement(params.seed, streamId(kPlacementStream));
    std::vector<double> xOffsetDraws;
    std::vector<double> yOffsetDraws;
    std::vector<int> edgeJitter;
    for (int i = 0; i < 3; ++i) {
        xOffsetDraws.push_back(placement.uniform(-0.15, 0.15));
        yOffsetDraws.push_back(placement.uniform(-0.2, 0.2));
        edgeJitter.push_back(placement.uniformInt(-3, 3));
    }
    std::array<double, 4> marginDraws{};
    for (double& draw : marginDraws) {
        draw = placement.uniform(0.01, 0.12);
    }
    std::array<int, 4> marginExtra{};
    for (int& extra : marginExtra) {
        extra = placement.uniformInt(3, 25);
    }
    {
        double x = 0.0;
        double y = 0.0;
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            Piece& p = pieces[i];
            const Comb& comb = combs[toIndex(p.gel)];
            int left = roundToInt(comb.marginLeftPitch * comb.pitchPx);
            int right = roundToInt(comb.marginRightPitch * comb.pitchPx);
            if (scene.isSameGel || (i > 0 && p.gel == pieces[i - 1].gel)) {
                left = std::max(1, left + edgeJitter[i]);
                right = std::max(1, right - edgeJitter[i]);
            }
            const int width = left + ceilToInt(comb.widthPx()) + right;
            const int height = ceilToInt(p.heightPx);
            double pieceX = x;
            double pieceY = y;
            if (isSideBySide) {
                pieceY = i == 0 ? 0.0 : yOffsetDraws[i] * std::min(height, pieces[0].rect.height);
                x += width + scene.gapPx;
            } else {
                if (i > 0 && p.gel != pieces[i - 1].gel) {
                    pieceX = pieces[0].rect.x + xOffsetDraws[i] * pieces[0].rect.width;
                } else if (i > 0) {
                    pieceX = pieces[i - 1].combX0 - left;
                }
                y += height + scene.gapPx;
            }
            p.rect = cv::Rect(roundToInt(pieceX), roundToInt(pieceY), width, height);
            p.combX0 = p.rect.x + left;
        }
    }
    // Shift so that the content starts at (0, 0), then add the tray around it.
    cv::Rect content = pieces[0].rect;
    for (const Piece& p : pieces) {
        content |= p.rect;
    }
    for (Piece& p : pieces) {
        p.rect -= content.tl();
        p.combX0 -= content.x;
    }
    content -= content.tl();

    // Printed labels: chosen now, since the tray must make room for them.
    SynthRandom artefacts(params.seed, streamId(kArtefactStream));
    const int font =
        std::array{cv::FONT_HERSHEY_SIMPLEX, cv::FONT_HERSHEY_DUPLEX, cv::FONT_HERSHEY_PLAIN,
                   cv::FONT_HERSHEY_COMPLEX}[toIndex(artefacts.uniformInt(0, 3))];
    // Labels in proportion to the figure: 9-30 px, at most 4% of the content's longer side.
    const double textHeightPx =
        std::min(artefacts.uniform(9.0, 30.0),
                 std::max(8.0, 0.04 * std::max(content.width, content.height)));
    const int textThickness = artefacts.uniformInt(1, 2);
    const double fontScale =
        cv::getFontScaleFromHeight(font, roundToInt(textHeightPx), textThickness);
    std::vector<std::string> labels;
    {
        const int count = artefacts.uniformInt(2, 6);
        const std::size_t target = toIndex(artefacts.uniformInt(0, kTargetNames.size() - 1));
        const std::size_t laneSet = toIndex(artefacts.uniformInt(0, kLaneLabelSets.size() - 1));
        const MarkerSet& set = kMarkerSets[toIndex(artefacts.uniformInt(0, 2))];
        if (scene.textSide == 0) {
            labels.emplace_back("kDa");
            for (int i = 0; i < count && i < set.count; ++i) {
                labels.push_back(fmt::format("{}", set.kDa[toIndex(i)]));
            }
        } else if (scene.textSide == 1) {
            labels.emplace_back(kLaneLabelSets[laneSet]);
        } else {
            for (std::size_t i = 0; i < pieces.size(); ++i) {
                labels.emplace_back(kTargetNames[(target + i) % kTargetNames.size()]);
            }
        }
    }
    int textWidthPx = 0;
    int textLineHeightPx = 0;
    for (const std::string& label : labels) {
        int baseline = 0;
        const cv::Size size = cv::getTextSize(label, font, fontScale, textThickness, &baseline);
        textWidthPx = std::max(textWidthPx, size.width);
        textLineHeightPx = std::max(textLineHeightPx, size.height + baseline);
    }

    // Tray margins: left, top, right, bottom.
    std::array<int, 4> margins{};
    if (!scene.fillsImage) {
        // A membrane that does not glow is only seen by its bands; keep it most of the
        // image, so that its rectangle stays the answer a person would give.
        const double share = scene.hasGlow ? 1.0 : 0.25;
        for (std::size_t side = 0; side < 4; ++side) {
            const int extent = side % 2 == 0 ? content.width : content.height;
            margins[side] = roundToInt(share * (marginDraws[side] * extent + marginExtra[side]));
        }
        if (scene.hasText) {
            const std::size_t side = toIndex(scene.textSide);
            const int need = (side == 1 ? textLineHeightPx : textWidthPx) + 12;
            margins[side] = std::max(margins[side], need);
        }
    }
    // A single membrane that fills the image or does not glow grows to the smallest image;
    // otherwise the tray does.
    if (scene.fillsImage || (!scene.hasGlow && pieceCount == 1)) {
        Piece& p = pieces[0];
        const int growX = std::max(0, kMinSidePx - p.rect.width - margins[0] - margins[2]);
        const int growY = std::max(0, kMinSidePx - p.rect.height - margins[1] - margins[3]);
        p.combX0 += growX / 2;
        p.rect.width += growX;
        p.rect.height += growY;
        content = p.rect;
    }
    for (const int axis : {0, 1}) {
        const int extent = axis == 0 ? content.width : content.height;
        int& before = margins[toIndex(axis)];
        int& after = margins[toIndex(axis + 2)];
        const int missing = kMinSidePx - (extent + before + after);
        if (missing > 0) {
            before += missing / 2;
            after += missing - missing / 2;
        }
        for (int excess = extent + before + after - kMaxSidePx; excess > 0; --excess) {
            int& larger = before >= after ? before : after;
            larger = std::max(0, larger - 1);
            if (before == 0 && after == 0) {
                break;
            }
        }
    }
    const int width = content.width + margins[0] + margins[2];
    const int height = content.height + margins[1] + margins[3];
    if (width < kMinSidePx || height < kMinSidePx || width > kMaxSidePx || height > kMaxSidePx) {
        return std::unexpected(
            Error{"synth", fmt::format("seed {}: the layout needs {}x{} px, outside {}..{}",
                                       params.seed, width, height, kMinSidePx, kMaxSidePx)});
    }
    for (Piece& p : pieces) {
        p.rect += cv::Point(margins[0], margins[1]);
        p.combX0 += margins[0];
    }
    // Pieces of one gel share the comb's x positions at the gel's middle.
    for (int g = 0; g < gelCount; ++g) {
        int top = height;
        int bottom = 0;
        for (const Piece& p : pieces) {
            if (p.gel == g) {
                top = std::min(top, p.rect.y);
                bottom = std::max(bottom, p.rect.br().y);
            }
        }
        for (Piece& p : pieces) {
            if (p.gel == g) {
                p.yReference = 0.5 * (top + bottom - 1);
            }
        }
    }
    for (Piece& p : pieces) {
        placeRows(p, combs[toIndex(p.gel)]);
    }

    VariedBlot blot;
    blot.params = params;
    blot.polarity = scene.polarity;
    blot.bitsPerSample = scene.isEightBit ? 8 : 16;
    VariedScene& truthScene = blot.scene;
    truthScene.arrangement = scene.arrangement;
    truthScene.isSameGel = scene.isSameGel;
    truthScene.isThreeStacked = scene.isThreeStacked;
    truthScene.gapPx = scene.gapPx;
    truthScene.content = cv::Rect(margins[0], margins[1], content.width, content.height);

    // Noise and levels.
    SynthRandom background(params.seed, streamId(kBackgroundStream));
    truthScene.trayCounts = background.logUniform(80.0, 4000.0);
    truthScene.gradientX = background.uniform(-0.3, 0.3);
    truthScene.gradientY = background.uniform(-0.2, 0.2);
    truthScene.gainCountsPerElectron = background.uniform(0.5, 4.0);
    truthScene.readNoiseCounts = background.uniform(3.0, 40.0);
    truthScene.clipLevel =
        background.chance(0.3) ? std::round(background.uniform(52000.0, 64500.0)) : kTypeMax;
    const double snr = background.logUniform(20.0, 800.0);
    const double longExposure = background.uniform(0.4, 1.0);
    const double noGlowLevel = background.uniform(-0.3, 0.3);
    struct Blotch {
        double x, y, radius, amplitude;
    };
    std::vector<std::vector<Blotch>> blotches(pieces.size());
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const cv::Rect& r = pieces[i].rect;
        const int count = background.uniformInt(0, 3);
        for (int k = 0; k < count; ++k) {
            blotches[i].push_back({r.x + background.uniform(0.0, r.width),
                                   r.y + background.uniform(0.0, r.height),
                                   background.uniform(0.1, 0.4) * std::min(r.width, r.height),
                                   background.uniform(-0.4, 0.4)});
        }
    }
    const double tray = truthScene.trayCounts;
    const double gain = truthScene.gainCountsPerElectron;
    const double readNoise = truthScene.readNoiseCounts;
    truthScene.noiseSigmaAtTray = std::sqrt(gain * tray + readNoise * readNoise);
    const double sigmaTray = truthScene.noiseSigmaAtTray;
    double maxGlow = 0.0;
    for (Piece& p : pieces) {
        p.glowSigmas = scene.hasGlow ? p.glowSigmas : noGlowLevel;
        maxGlow = std::max(maxGlow, p.glowSigmas * sigmaTray);
    }
    const double maxBackground =
        (tray + 1.4 * maxGlow) *
        (1.0 + 0.5 * std::abs(truthScene.gradientX) + 0.5 * std::abs(truthScene.gradientY));
    const double room = kHeadroom * truthScene.clipLevel - maxBackground;
    const double sigmaMembrane = std::sqrt(gain * (tray + maxGlow) + readNoise * readNoise);
    // An exposure long enough to saturate a row brings the other bands near the top too.
    const double peak =
        std::max(10.0 * sigmaMembrane,
                 scene.hasSaturation ? room * longExposure : std::min(room, snr * sigmaMembrane));
    truthScene.bandPeakCounts = peak;
    for (Piece& p : pieces) {
        // A membrane glows well below its strongest bands.
        p.glowSigmas = std::min(p.glowSigmas, 0.6 * peak / sigmaTray);
    }

    // The bands.
    SynthRandom amplitudes(params.seed, streamId(kAmplitudeStream));
    std::vector<BandSpec> bands;
    std::vector<Lut> rowLuts;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const Piece& p = pieces[i];
        const Comb& comb = combs[toIndex(p.gel)];
        const double smile = comb.smileFraction * comb.widthPx();
        for (int w = 0; w < comb.wells; ++w) {
            if (comb.isEmpty[toIndex(w)]) {
                continue;
            }
            const double laneHalf = comb.laneHalfPx(w);
            BandSpec base;
            base.piece = static_cast<int>(i);
            base.well = w;
            base.xCenterPx = laneCentre(comb, w, p.combX0);
            base.halfWidthPx = laneHalf;
            base.edgePx = std::max(0.5, comb.edgeFraction * 2.0 * laneHalf);
            base.slope = comb.slope;
            base.yReference = p.yReference;
            base.smilePx = smile;
            base.smileCenterX = p.combX0 + 0.5 * comb.widthPx();
            base.smileHalfWidthPx = 0.5 * comb.widthPx();
            if (comb.isLadder[toIndex(w)]) {
                for (std::size_t k = 0; k < p.ladderY.size(); ++k) {
                    BandSpec band = base;
                    band.row = -1;
                    band.yCenterPx = p.ladderY[k];
                    band.sigmaPx = p.ladderSigmaPx;
                    band.tauRatio = 0.0;
                    band.endShrink = amplitudes.uniform(0.0, 0.2);
                    band.bowPx = 0.0;
                    band.relative = p.ladderStrength * amplitudes.uniform(0.6, 1.0) *
                                    (p.ladderIsReference[k] ? 1.5 : 1.0);
                    bands.push_back(band);
                }
                continue;
            }
            int bandsInLane = 0;
            for (int r = 0; r < static_cast<int>(p.rowsPlaced.size()); ++r) {
                const VariedRow& row = p.rowsPlaced[toIndex(r)];
                const int drawnRow = std::min(r, static_cast<int>(p.rowAmplitude.size()) - 1);
                BandSpec band = base;
                band.row = r;
                band.xCenterPx += 0.02 * comb.pitchPx * amplitudes.normal();
                band.halfWidthPx *= 1.0 + amplitudes.uniform(-0.04, 0.04);
                band.yCenterPx = row.yCenterPx + 0.15 * row.sigmaPx * amplitudes.normal();
                band.sigmaPx = row.sigmaPx * (1.0 + amplitudes.uniform(-0.08, 0.08));
                band.tauRatio = p.tauRatio;
                band.endShrink = amplitudes.uniform(0.0, 0.35);
                band.bowPx = amplitudes.uniform(-0.3, 0.3) * row.sigmaPx;
                const double effect = std::clamp(std::exp(0.45 * amplitudes.normal()), 0.3, 2.5);
                band.relative =
                    p.rowAmplitude[toIndex(drawnRow)] * comb.load[toIndex(w)] * effect * p.exposure;
                const bool isMissing = amplitudes.chance(0.06);
                const bool isLast = r + 1 == static_cast<int>(p.rowsPlaced.size());
                if (isMissing && !(isLast && bandsInLane == 0)) {
                    continue;
                }
                bands.push_back(band);
                ++bandsInLane;
            }
        }
    }
    // Counts: the strongest sample band peaks at `peak`; every band at least 4 sigma, every
    // lane's strongest band at least 12 sigma and a tenth of the peak.
    double strongest = 0.0;
    for (const BandSpec& band : bands) {
        if (band.row >= 0) {
            strongest = std::max(strongest, band.relative);
        }
    }
    for (BandSpec& band : bands) {
        band.amplitude = std::max(4.0 * sigmaMembrane, band.relative / strongest * peak);
    }
    {
        const double laneFloor = std::min(peak, std::max(12.0 * sigmaMembrane, 0.1 * peak));
        std::size_t begin = 0;
        while (begin < bands.size()) {
            std::size_t end = begin;
            double laneMax = 0.0;
            while (end < bands.size() && bands[end].piece == bands[begin].piece &&
                   bands[end].well == bands[begin].well) {
                laneMax = std::max(laneMax, bands[end].amplitude);
                ++end;
            }
            if (laneMax < laneFloor) {
                for (std::size_t k = begin; k < end; ++k) {
                    bands[k].amplitude *= laneFloor / laneMax;
                }
            }
            begin = end;
        }
    }
    // Saturation: the strongest row of a piece (of the first always, of others maybe) is
    // pushed past the clipping level.
    std::uint32_t features = 0;
    if (scene.hasSaturation) {
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            const double factorDraw = amplitudes.uniform(1.1, 2.2);
            if (i > 0 && !amplitudes.chance(0.4)) {
                continue;
            }
            std::vector<double> rowMax(pieces[i].rowsPlaced.size(), 0.0);
            for (const BandSpec& band : bands) {
                if (band.piece == static_cast<int>(i) && band.row >= 0) {
                    rowMax[toIndex(band.row)] = std::max(rowMax[toIndex(band.row)], band.amplitude);
                }
            }
            const auto row = std::ranges::max_element(rowMax) - rowMax.begin();
            const double top = rowMax[static_cast<std::size_t>(row)];
            const double factor = factorDraw * (truthScene.clipLevel - maxBackground) / top;
            if (!(top > 0.0) || factor <= 1.0) {
                continue;
            }
            for (BandSpec& band : bands) {
                if (band.piece == static_cast<int>(i) && band.row == row) {
                    band.amplitude *= factor;
                }
            }
            pieces[i].rowsPlaced[static_cast<std::size_t>(row)].isSaturated = true;
            features |= kVariedSaturated;
        }
    }
    const double smearFraction = amplitudes.uniform(0.01, 0.05);

    // Background: tray, glowing membranes with soft edges and blotches, a gradient.
    cv::Mat counts(height, width, CV_32FC1, cv::Scalar::all(tray));
    const cv::Rect bounds(0, 0, width, height);
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const Piece& p = pieces[i];
        const double glow = p.glowSigmas * sigmaTray;
        const double edge = p.edgeSigmaPx;
        const int reach = ceilToInt(4.0 * edge) + 1;
        const cv::Rect area = cv::Rect(p.rect.x - reach, p.rect.y - reach, p.rect.width + 2 * reach,
                                       p.rect.height + 2 * reach) &
                              bounds;
        const double scale = 1.0 / (std::numbers::sqrt2 * edge);
        const auto inside = [scale](double v, double lo, double hi) {
            return 0.5 * (std::erf((v - lo + 0.5) * scale) - std::erf((v - hi - 0.5) * scale));
        };
        std::vector<double> acrossMask(toIndex(area.width));
        for (int x = area.x; x < area.br().x; ++x) {
            acrossMask[toIndex(x - area.x)] = inside(x, p.rect.x, p.rect.br().x - 1);
        }
        for (int y = area.y; y < area.br().y; ++y) {
            const double alongMask = inside(y, p.rect.y, p.rect.br().y - 1);
            auto* out = counts.ptr<float>(y);
            for (int x = area.x; x < area.br().x; ++x) {
                double level = glow;
                for (const Blotch& b : blotches[i]) {
                    const double r2 =
                        ((x - b.x) * (x - b.x) + (y - b.y) * (y - b.y)) / (b.radius * b.radius);
                    if (r2 < 9.0) {
                        const double amplitude =
                            scene.hasGlow ? b.amplitude * glow : 5.0 * b.amplitude * sigmaTray;
                        level += amplitude * std::exp(-0.5 * r2);
                    }
                }
                out[x] += static_cast<float>(level * alongMask * acrossMask[toIndex(x - area.x)]);
            }
        }
    }
    for (int y = 0; y < height; ++y) {
        auto* out = counts.ptr<float>(y);
        const double rowFactor = 1.0 + truthScene.gradientY * (y / (height - 1.0) - 0.5);
        for (int x = 0; x < width; ++x) {
            const double factor = rowFactor + truthScene.gradientX * (x / (width - 1.0) - 0.5);
            out[x] = static_cast<float>(std::max(1.0, static_cast<double>(out[x]) * factor));
        }
    }
    double backgroundMin = 0.0;
    cv::minMaxLoc(counts, &backgroundMin);
    // Bands, each within its piece.
    AlongLuts alongLuts;
    std::vector<double> bandVolumesCounts;
    if (params.hasBands) {
        for (const BandSpec& band : bands) {
            bandVolumesCounts.push_back(renderBand(band, alongLuts.of(band.tauRatio),
                                                   pieces[toIndex(band.piece)].rect, counts));
        }
    }
    if (scene.hasLaneSmear) {
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            const Piece& p = pieces[i];
            const Comb& comb = combs[toIndex(p.gel)];
            const double top = p.rowsPlaced.front().yCenterPx - 2.0 * p.sigmaPx;
            const double bottom = p.rowsPlaced.back().yCenterPx + 3.0 * p.sigmaPx;
            for (int w = 0; w < comb.wells; ++w) {
                if (comb.isEmpty[toIndex(w)] || comb.isLadder[toIndex(w)]) {
                    continue;
                }
                BandSpec lane;
                lane.xCenterPx = laneCentre(comb, w, p.combX0);
                lane.halfWidthPx = comb.laneHalfPx(w);
                lane.edgePx = std::max(0.5, comb.edgeFraction * 2.0 * lane.halfWidthPx);
                lane.slope = comb.slope;
                lane.yReference = p.yReference;
                lane.amplitude = smearFraction * peak * comb.load[toIndex(w)];
                renderSmear(lane, top, bottom, p.rect, counts);
            }
        }
        features |= kVariedLaneSmear;
    }
    // What the bands look like before the artefacts, for their truth.
    const cv::Mat drawn = params.hasBands ? counts.clone() : cv::Mat();

    // Artefacts. Pen marks keep off the bands; printed text keeps off the membranes.
    std::vector<cv::Rect> bandZones;
    std::vector<cv::Rect> membranes;
    for (const Piece& p : pieces) {
        const Comb& comb = combs[toIndex(p.gel)];
        double top = p.rowsPlaced.front().yCenterPx - 4.0 * p.sigmaPx * (1.0 + p.tauRatio);
        double bottom = p.rowsPlaced.back().yCenterPx + 4.0 * p.sigmaPx;
        if (!p.ladderY.empty() && std::ranges::find(comb.isLadder, true) != comb.isLadder.end()) {
            top = std::min(top, p.ladderY.front() - 4.0 * p.ladderSigmaPx);
            bottom = std::max(bottom, p.ladderY.back() + 4.0 * p.ladderSigmaPx);
        }
        const double smile = std::abs(comb.smileFraction * comb.widthPx());
        bandZones.emplace_back(floorToInt(p.combX0) - 6, floorToInt(top - smile) - 6,
                               ceilToInt(comb.widthPx()) + 12,
                               ceilToInt(bottom - top + 2 * smile) + 12);
        membranes.emplace_back(p.rect.x - 3, p.rect.y - 3, p.rect.width + 6, p.rect.height + 6);
    }
    cv::Mat ink = cv::Mat::zeros(height, width, CV_8UC1);
    cv::Mat print = cv::Mat::zeros(height, width, CV_8UC1);
    const double inkStrength = artefacts.uniform(0.3, 1.2);
    if (scene.hasPenMarks) {
        const int marks = artefacts.uniformInt(1, 4);
        for (int m = 0; m < marks; ++m) {
            const int kind = artefacts.uniformInt(0, 4);
            const double size = artefacts.uniform(10.0, 40.0);
            const int thickness = artefacts.uniformInt(1, 3);
            auto strokes = penStrokes(artefacts, kind, size);
            const cv::Rect shape = boundsOf(strokes, thickness + 2);
            const Piece& near = pieces[toIndex(artefacts.uniformInt(0, pieceCount - 1))];
            for (int attempt = 0; attempt < 40; ++attempt) {
                const double x = artefacts.uniform(near.rect.x - 0.3 * near.rect.width,
                                                   near.rect.br().x + 0.3 * near.rect.width);
                const double y = artefacts.uniform(near.rect.y - 80.0, near.rect.br().y + 80.0);
                const cv::Rect box = shape + cv::Point(roundToInt(x), roundToInt(y));
                if ((box & bounds) != box || overlapsAny(box, bandZones)) {
                    continue;
                }
                std::vector<std::vector<cv::Point>> polylines;
                for (const auto& stroke : strokes) {
                    std::vector<cv::Point2d> moved;
                    for (const cv::Point2d& point : stroke) {
                        moved.push_back(point + cv::Point2d(x, y));
                    }
                    polylines.push_back(toPixels(moved));
                }
                cv::polylines(ink, polylines, false, cv::Scalar::all(255), thickness, cv::LINE_AA,
                              3);
                ++truthScene.penMarks;
                break;
            }
        }
    }
    if (scene.hasText) {
        const int side = scene.textSide;
        const Piece& first = pieces[0];
        for (std::size_t k = 0; k < labels.size(); ++k) {
            int baseline = 0;
            const cv::Size size =
                cv::getTextSize(labels[k], font, fontScale, textThickness, &baseline);
            cv::Point origin;
            if (side == 0) {
                // A kDa column left of the first piece, top to bottom.
                const double step =
                    std::max(1.0 * textLineHeightPx + 2.0,
                             first.rect.height / static_cast<double>(labels.size()));
                origin = {margins[0] - 6 - size.width,
                          first.rect.y + size.height + roundToInt(step * static_cast<double>(k))};
            } else if (side == 1) {
                origin = {first.rect.x + roundToInt(artefacts.uniform(0.0, 0.3) * first.rect.width),
                          first.rect.y - 6 - baseline};
            } else {
                const Piece& piece = pieces[std::min(k, pieces.size() - 1)];
                origin = {width - margins[2] + 6,
                          piece.rect.y + piece.rect.height / 2 + size.height / 2};
            }
            const cv::Rect box(origin.x, origin.y - size.height - 1, size.width + 1,
                               size.height + baseline + 2);
            if ((box & bounds) != box || overlapsAny(box, membranes)) {
                continue;
            }
            cv::putText(print, labels[k], origin, font, fontScale, cv::Scalar::all(255),
                        textThickness, cv::LINE_AA);
            truthScene.textsDrawn.push_back(labels[k]);
            ++truthScene.texts;
        }
    }
    for (int y = 0; y < height; ++y) {
        auto* out = counts.ptr<float>(y);
        const auto* pen = ink.ptr<std::uint8_t>(y);
        const auto* text = print.ptr<std::uint8_t>(y);
        for (int x = 0; x < width; ++x) {
            double value = static_cast<double>(out[x]) + inkStrength * peak * pen[x] / 255.0;
            const double cover = text[x] / 255.0;
            value = value * (1.0 - cover) + truthScene.clipLevel * cover;
            out[x] = static_cast<float>(value);
        }
    }
    if (scene.hasBubbles) {
        const int count = artefacts.uniformInt(1, 4);
        for (int k = 0; k < count; ++k) {
            const Piece& p = pieces[toIndex(artefacts.uniformInt(0, pieceCount - 1))];
            const double radius =
                std::min(artefacts.uniform(3.0, 25.0), 0.3 * std::min(p.rect.width, p.rect.height));
            const double cx = artefacts.uniform(p.rect.x + radius, p.rect.br().x - radius);
            const double cy = artefacts.uniform(p.rect.y + radius, p.rect.br().y - radius);
            const double hollow = artefacts.uniform(0.2, 0.8); // what transfers inside
            const double rim = artefacts.chance(0.6) ? artefacts.uniform(0.05, 0.4) * peak : 0.0;
            const double rimWidth = artefacts.uniform(0.8, 2.0);
            const int reach = ceilToInt(radius + 4.0 * rimWidth);
            const cv::Rect area = cv::Rect(roundToInt(cx) - reach, roundToInt(cy) - reach,
                                           2 * reach + 1, 2 * reach + 1) &
                                  p.rect;
            const double base = tray + p.glowSigmas * sigmaTray;
            for (int y = area.y; y < area.br().y; ++y) {
                auto* out = counts.ptr<float>(y);
                for (int x = area.x; x < area.br().x; ++x) {
                    const double d = std::hypot(x - cx, y - cy);
                    const double insideShare = 0.5 * std::erfc((d - radius) / rimWidth);
                    double value = static_cast<double>(out[x]);
                    value -= insideShare * (1.0 - hollow) * std::max(0.0, value - tray);
                    const double ring = (d - radius) / rimWidth;
                    value += rim * std::exp(-0.5 * ring * ring);
                    out[x] = static_cast<float>(std::max(0.5 * base, value));
                }
            }
            ++truthScene.bubbles;
        }
    }
    if (scene.hasDust) {
        const double megapixels = width * static_cast<double>(height) / 1e6;
        const int count = 3 + roundToInt(megapixels * artefacts.uniform(5.0, 40.0));
        for (int k = 0; k < count; ++k) {
            const double cx = artefacts.uniform(0.0, width);
            const double cy = artefacts.uniform(0.0, height);
            const double radius = artefacts.uniform(0.5, 2.0);
            const bool bright = artefacts.chance(0.7);
            const double amplitude =
                bright ? artefacts.uniform(0.2, 1.2) * peak : -artefacts.uniform(0.2, 0.8) * tray;
            const int reach = ceilToInt(4.0 * radius);
            const cv::Rect area = cv::Rect(floorToInt(cx) - reach, floorToInt(cy) - reach,
                                           2 * reach + 1, 2 * reach + 1) &
                                  bounds;
            for (int y = area.y; y < area.br().y; ++y) {
                auto* out = counts.ptr<float>(y);
                for (int x = area.x; x < area.br().x; ++x) {
                    const double r2 =
                        ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (radius * radius);
                    out[x] = static_cast<float>(std::max(1.0, static_cast<double>(out[x]) +
                                                                  amplitude * std::exp(-0.5 * r2)));
                }
            }
        }
        truthScene.dustSpecks = count;
    }

    // Shot and read noise, row by row (each row its own stream), clipped at the detector level.
    cv::Mat raw16(height, width, CV_16UC1);
    for (int y = 0; y < height; ++y) {
        SynthRandom rng(params.seed, streamId(kNoiseStream + static_cast<std::uint64_t>(y)));
        const auto* in = counts.ptr<float>(y);
        auto* out = raw16.ptr<std::uint16_t>(y);
        for (int x = 0; x < width; ++x) {
            const double mean = static_cast<double>(in[x]);
            const double value =
                params.hasNoise
                    ? mean + std::sqrt(gain * std::max(0.0, mean) + readNoise * readNoise) *
                                 rng.normal()
                    : mean;
            out[x] = static_cast<std::uint16_t>(
                std::clamp(std::floor(value + 0.5), 0.0, truthScene.clipLevel));
        }
    }

    // Export.
    SynthRandom exporting(params.seed, streamId(kExportStream));
    const double lowDraw = exporting.uniform(0.3, 1.0);
    const double highDraw = exporting.uniform(0.55, 1.05);
    if (scene.isEightBit) {
        const double low = std::max(0.0, backgroundMin * lowDraw - 3.0 * sigmaTray);
        const double high = std::min(truthScene.clipLevel, (maxBackground + peak) * highDraw);
        truthScene.exportLowCounts = low;
        truthScene.exportHighCounts = high;
        truthScene.signalPerCount = 255.0 / (high - low);
        cv::Mat raw8(height, width, CV_8UC1);
        for (int y = 0; y < height; ++y) {
            const auto* in = raw16.ptr<std::uint16_t>(y);
            auto* out = raw8.ptr<std::uint8_t>(y);
            for (int x = 0; x < width; ++x) {
                const double level =
                    std::clamp(std::round(255.0 * (in[x] - low) / (high - low)), 0.0, 255.0);
                const double stored = scene.polarity == Polarity::DarkBands ? 255.0 - level : level;
                out[x] = static_cast<std::uint8_t>(stored);
            }
        }
        blot.raw = raw8;
        features |= kVariedEightBit;
    } else {
        if (scene.polarity == Polarity::DarkBands) {
            cv::subtract(cv::Scalar::all(kTypeMax), raw16, raw16);
        }
        blot.raw = raw16;
    }

    // The truth.
    const std::vector<VariedBand> bandTruths = describeBands(
        bands, bandVolumesCounts, pieces, alongLuts, drawn, counts, truthScene, scene.isEightBit);
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const Piece& p = pieces[i];
        const Comb& comb = combs[toIndex(p.gel)];
        VariedStrip strip;
        strip.index = static_cast<int>(i) + 1;
        strip.region = p.rect;
        strip.gel = p.gel + 1;
        strip.pitchPx = comb.pitchPx;
        strip.fill = comb.fill;
        strip.slope = comb.slope;
        strip.smilePx = comb.smileFraction * comb.widthPx();
        strip.glowCounts = p.glowSigmas * sigmaTray;
        const double middle = p.rect.y + 0.5 * (p.rect.height - 1);
        for (int w = 0; w < comb.wells; ++w) {
            VariedLane lane;
            lane.index = w + 1;
            lane.xCenterPx = laneCentre(comb, w, p.combX0) + comb.slope * (middle - p.yReference);
            lane.leftPx = lane.xCenterPx - comb.laneHalfPx(w);
            lane.rightPx = lane.xCenterPx + comb.laneHalfPx(w);
            lane.isLadder = comb.isLadder[toIndex(w)];
            lane.isEmpty = comb.isEmpty[toIndex(w)];
            strip.lanes.push_back(lane);
        }
        strip.rows = p.rowsPlaced;
        for (const VariedBand& band : bandTruths) {
            if (band.strip == strip.index) {
                strip.bands.push_back(band);
            }
        }
        if (std::ranges::find(comb.isLadder, true) != comb.isLadder.end()) {
            strip.ladderBandsYPx = p.ladderY;
        }
        for (const VariedRow& row : strip.rows) {
            if (row.isDoublet) {
                features |= kVariedDoublet;
            }
        }
        if (comb.fill >= 0.95) {
            features |= kVariedTouchingLanes;
        }
        if (std::ranges::find(comb.isLadder, true) != comb.isLadder.end()) {
            features |= kVariedLadder;
        }
        if (comb.hasLadderGap) {
            features |= kVariedLadderGap;
        }
        if (comb.hasEmptyWell) {
            features |= kVariedEmptyWell;
        }
        if (std::abs(std::atan(comb.slope)) * 180.0 / std::numbers::pi > 0.4) {
            features |= kVariedTilt;
        }
        if (std::abs(strip.smilePx) > p.sigmaPx) {
            features |= kVariedSmile;
        }
        blot.strips.push_back(std::move(strip));
    }
    if (!isSideBySide && pieceCount > 1) {
        for (std::size_t i = 1; i < pieces.size(); ++i) {
            features |=
                pieces[i].gel == pieces[i - 1].gel ? kVariedStackedSameComb : kVariedStackedTwoGels;
        }
    }
    if (isSideBySide) {
        features |= kVariedSideBySide;
    }
    if (pieceCount == 3) {
        features |= kVariedThreePieces;
    }
    if (!scene.hasGlow) {
        features |= kVariedNoGlow;
    }
    if (scene.isSeam) {
        features |= kVariedSeam;
    }
    if (scene.fillsImage) {
        features |= kVariedFillsImage;
    }
    if (truthScene.penMarks > 0) {
        features |= kVariedPenMarks;
    }
    if (truthScene.texts > 0) {
        features |= kVariedPrintedText;
    }
    if (truthScene.bubbles > 0) {
        features |= kVariedBubbles;
    }
    if (truthScene.dustSpecks > 0) {
        features |= kVariedDust;
    }
    if (scene.polarity == Polarity::DarkBands) {
        features |= kVariedDarkBands;
    }
    blot.features = features;
    return blot;
}

std::string describeVariedBlot(const VariedBlot& blot) {
    const VariedScene& s = blot.scene;
    std::string text =
        fmt::format("{}x{} {}{} gap {} {}-bit {} tray {:.0f} noise {:.1f} peak {:.0f}",
                    blot.raw.cols, blot.raw.rows, toString(s.arrangement),
                    s.isSameGel ? " same-gel" : "", s.gapPx, blot.bitsPerSample,
                    toString(blot.polarity), s.trayCounts, s.noiseSigmaAtTray, s.bandPeakCounts);
    for (const VariedStrip& strip : blot.strips) {
        std::string ladders;
        std::string empty;
        for (const VariedLane& lane : strip.lanes) {
            if (lane.isLadder) {
                ladders += fmt::format("{}{}", ladders.empty() ? "" : ",", lane.index);
            }
            if (lane.isEmpty) {
                empty += fmt::format("{}{}", empty.empty() ? "" : ",", lane.index);
            }
        }
        int saturated = 0;
        for (const VariedRow& row : strip.rows) {
            saturated += row.isSaturated ? 1 : 0;
        }
        text += fmt::format(
            " | strip {} gel {} [{},{} {}x{}] {} wells pitch {:.1f} fill {:.2f} "
            "glow {:.0f} rows {} sigma {:.1f}{}{}{}",
            strip.index, strip.gel, strip.region.x, strip.region.y, strip.region.width,
            strip.region.height, strip.lanes.size(), strip.pitchPx, strip.fill, strip.glowCounts,
            strip.rows.size(), strip.rows.empty() ? 0.0 : strip.rows.front().sigmaPx,
            ladders.empty() ? "" : " ladder " + ladders, empty.empty() ? "" : " empty " + empty,
            saturated > 0 ? " saturated" : "");
    }
    return text;
}

} // namespace densito
