#include "core/synth/synthetic_blot.h"

#include "core/synth/band_shape.h"
#include "core/synth/synth_random.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <numbers>
#include <opencv2/core.hpp>

namespace densito {
namespace {

constexpr double kTypeMax = 65535.0;
/// Bands not meant to clip peak below this fraction of the clipping level (plus background),
/// far enough that noise never reaches it.
constexpr double kHeadroom = 0.85;
/// A band's signal is zero where its shape is at or below this fraction of its peak ...
constexpr double kSupportFraction = 0.01;
/// ... and equals the shape from this fraction up; between, a smoothstep taper.
constexpr double kTaperEndFraction = 0.02;
/// Above this many photo-electrons the Poisson deviate is drawn as a Gaussian.
constexpr double kPoissonGaussianMean = 30.0;
constexpr double kMinPitchPx = 10.0;
constexpr double kMinRowSpacePx = 12.0;
constexpr int kMinSidePx = 64;
constexpr int kMaxSidePx = 16384;

/// Independent random streams, so drawing one part of the scene never shifts another.
enum Stream : std::uint64_t {
    kSizeStream = 1,
    kLaneStream,
    kRowStream,
    kAmplitudeStream,
    kBackgroundStream,
    kSmearStream,
    kDustStream,
    kSaturationStream,
    kHotPixelStream,
    kNoiseStream = 1 << 20 // + image row
};

/// The ranges a profile draws from. Fractions are of the image side unless said otherwise.
struct ProfileSpec {
    double widthMinPx = 400, widthMaxPx = 800; // log-uniform
    double aspectMin = 0.6, aspectMax = 0.8;   // height / width
    int lanesMin = 4, lanesMax = 12;
    int rowsMin = 1, rowsMax = 3;
    double marginMin = 0.06, marginMax = 0.12; // left and right, of width
    double pitchJitter = 0, widthJitter = 0;   // relative, uniform +-
    double fillMin = 0.6, fillMax = 0.75;      // lane width / pitch
    double edgeMin = 0.02, edgeMax = 0.04;     // edge sigma / lane width
    double laneReachMax = 0.46; // 1%-support half-width / distance to the next lane centre
    double sigmaPerHeightMin = 0.006, sigmaPerHeightMax = 0.010;
    double tauRatioMin = 0, tauRatioMax = 0.4; // tail length / sigma
    double bandSigmaJitter = 0;                // per band, relative
    double rowGapFactor = 1;                   // 1: 1%-supports of neighbouring rows never meet
    double doubletChance = 0, doubletSepMin = 0, doubletSepMax = 0; // separation in sigmas
    double rotationMaxDeg = 0;
    double smileMaxFraction = 0;              // of height
    double offsetMin = 400, offsetMax = 1200; // counts
    double gradientMax = 0, vignetteMax = 0;  // of offset
    int blotchesMin = 0, blotchesMax = 0;
    double blotchAmplitudeMax = 0;       // of offset
    double smearMax = 0;                 // of the lane's mean band amplitude
    double gainMin = 0.3, gainMax = 0.6; // counts per photo-electron
    double readNoiseMin = 2, readNoiseMax = 5;
    double saturateChance = 0, detectorLevelChance = 0;
    double weakLaneChance = 0, missingBandChance = 0, emptyLaneChance = 0;
    double rowAmplitudeMin = 0.2, rowAmplitudeMax = 0.6; // of the room below the headroom
    double laneLoadSigma = 0.1, bandEffectSigma = 0.25;  // log-normal
    double minPeakOverNoise = 25;
    double dustPerMpxMin = 0, dustPerMpxMax = 0;
    double hotFractionMin = 0, hotFractionMax = 0;
};

ProfileSpec specFor(SynthProfile profile) {
    switch (profile) {
    case SynthProfile::Clean:
        return {.pitchJitter = 0.005};
    case SynthProfile::Realistic:
        return {.widthMinPx = 480,
                .widthMaxPx = 4000,
                .aspectMin = 0.55,
                .aspectMax = 0.85,
                .lanesMin = 4,
                .lanesMax = 16,
                .rowsMin = 1,
                .rowsMax = 5,
                .marginMin = 0.03,
                .marginMax = 0.10,
                .pitchJitter = 0.04,
                .widthJitter = 0.05,
                .fillMin = 0.5,
                .fillMax = 0.8,
                .edgeMin = 0.03,
                .edgeMax = 0.08,
                .laneReachMax = 0.48,
                .sigmaPerHeightMin = 0.004,
                .sigmaPerHeightMax = 0.012,
                .tauRatioMin = 0.3,
                .tauRatioMax = 1.5,
                .bandSigmaJitter = 0.05,
                .rowGapFactor = 0.75,
                .doubletChance = 0.15,
                .doubletSepMin = 4.5,
                .doubletSepMax = 6.5,
                .rotationMaxDeg = 1.0,
                .smileMaxFraction = 0.012,
                .offsetMin = 300,
                .offsetMax = 3000,
                .gradientMax = 0.25,
                .vignetteMax = 0.15,
                .blotchesMin = 1,
                .blotchesMax = 5,
                .blotchAmplitudeMax = 0.3,
                .smearMax = 0.02,
                .gainMin = 1.0,
                .gainMax = 3.0,
                .readNoiseMin = 8,
                .readNoiseMax = 25,
                .saturateChance = 0.25,
                .detectorLevelChance = 0.3,
                .weakLaneChance = 0.08,
                .missingBandChance = 0.04,
                .emptyLaneChance = 0,
                .rowAmplitudeMin = 0.06,
                .rowAmplitudeMax = 0.6,
                .laneLoadSigma = 0.2,
                .bandEffectSigma = 0.45,
                .minPeakOverNoise = 10};
    case SynthProfile::Hard:
        return {.widthMinPx = 400,
                .widthMaxPx = 4000,
                .aspectMin = 0.55,
                .aspectMax = 0.85,
                .lanesMin = 4,
                .lanesMax = 16,
                .rowsMin = 1,
                .rowsMax = 5,
                .marginMin = 0.03,
                .marginMax = 0.10,
                .pitchJitter = 0.08,
                .widthJitter = 0.10,
                .fillMin = 0.45,
                .fillMax = 0.88,
                .edgeMin = 0.04,
                .edgeMax = 0.12,
                .laneReachMax = 0.6,
                .sigmaPerHeightMin = 0.004,
                .sigmaPerHeightMax = 0.012,
                .tauRatioMin = 0.5,
                .tauRatioMax = 2.5,
                .bandSigmaJitter = 0.08,
                .rowGapFactor = 0.6,
                .doubletChance = 0.6,
                .doubletSepMin = 2.5,
                .doubletSepMax = 4.0,
                .rotationMaxDeg = 1.5,
                .smileMaxFraction = 0.025,
                .offsetMin = 200,
                .offsetMax = 5000,
                .gradientMax = 0.5,
                .vignetteMax = 0.25,
                .blotchesMin = 3,
                .blotchesMax = 10,
                .blotchAmplitudeMax = 0.6,
                .smearMax = 0.06,
                .gainMin = 2.0,
                .gainMax = 6.0,
                .readNoiseMin = 20,
                .readNoiseMax = 60,
                .saturateChance = 0.4,
                .detectorLevelChance = 0.3,
                .weakLaneChance = 0.15,
                .missingBandChance = 0.08,
                .emptyLaneChance = 0.1,
                .rowAmplitudeMin = 0.03,
                .rowAmplitudeMax = 0.6,
                .laneLoadSigma = 0.3,
                .bandEffectSigma = 0.6,
                .minPeakOverNoise = 5,
                .dustPerMpxMin = 10,
                .dustPerMpxMax = 40,
                .hotFractionMin = 1e-5,
                .hotFractionMax = 6e-5};
    }
    return specFor(SynthProfile::Realistic);
}

/// The stream id for `stream` under the profile, so one seed gives unrelated scenes in
/// different profiles. Polarity and isIdeal are left out: they must not change the scene.
std::uint64_t streamId(const SynthParams& params, std::uint64_t stream) {
    return stream | (static_cast<std::uint64_t>(params.profile) + 1) << 40;
}

/// The seed of the streams that image the membrane rather than lay it out.
std::uint64_t imagingSeed(const SynthParams& params) {
    return params.imagingSeed != 0 ? params.imagingSeed : params.seed;
}

int floorToInt(double value) {
    return static_cast<int>(std::floor(value));
}
int ceilToInt(double value) {
    return static_cast<int>(std::ceil(value));
}
double smoothStep(double s) {
    return s * s * (3.0 - 2.0 * s);
}

using synth::flatTop;
using synth::Lut;
using synth::unitEmg;

/// The offset from the centre where flatTop falls to half its central value (bisection).
double halfMaximumOffset(double halfPx, double edgePx) {
    const double top = flatTop(0.0, halfPx, edgePx);
    double lo = 0.0;
    double hi = halfPx + 10.0 * edgePx;
    for (int i = 0; i < 80; ++i) {
        const double mid = 0.5 * (lo + hi);
        (flatTop(mid, halfPx, edgePx) > 0.5 * top ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

/// A band's signal as a fraction of its peak amplitude, from its unclipped shape value.
double taper(double shape) {
    if (shape <= kSupportFraction) {
        return 0.0;
    }
    if (shape >= kTaperEndFraction) {
        return shape;
    }
    return shape * smoothStep((shape - kSupportFraction) / (kTaperEndFraction - kSupportFraction));
}

/// Gel coordinates (u across, v along the migration) are the image rotated about its centre
/// and shifted by the placement (the gel point (cx, cy) lies at image (cx + shiftX, cy + shiftY)).
struct GelFrame {
    double cx = 0;
    double cy = 0;
    double cosA = 1;
    double sinA = 0;
    double shiftX = 0;
    double shiftY = 0;
    double smilePx = 0;
    double smileCenterU = 0;
    double smileHalfWidth = 1;

    cv::Point2d toGel(double x, double y) const {
        const double dx = x - (cx + shiftX);
        const double dy = y - (cy + shiftY);
        return {cx + cosA * dx + sinA * dy, cy - sinA * dx + cosA * dy};
    }
    cv::Point2d toImage(double u, double v) const {
        const double du = u - cx;
        const double dv = v - cy;
        return {cx + shiftX + cosA * du - sinA * dv, cy + shiftY + sinA * du + cosA * dv};
    }
    /// How far band rows are displaced down at gel position u.
    double smileAt(double u) const {
        const double r = (u - smileCenterU) / smileHalfWidth;
        return smilePx * r * r;
    }
    /// Horizontal image position at the vertical middle (y = cy) of the gel line u.
    double xAtMiddle(double u) const {
        return cx + shiftX + (u - cx) / cosA + sinA * shiftY / cosA;
    }
};

/// The image-space rectangle covering gel rectangle [u0, u1] x [v0, v1], clipped.
cv::Rect imageBounds(const GelFrame& frame, double u0, double u1, double v0, double v1,
                     const cv::Size& size) {
    double xMin = 1e300;
    double xMax = -1e300;
    double yMin = 1e300;
    double yMax = -1e300;
    for (const double u : {u0, u1}) {
        for (const double v : {v0, v1}) {
            const cv::Point2d p = frame.toImage(u, v);
            xMin = std::min(xMin, p.x);
            xMax = std::max(xMax, p.x);
            yMin = std::min(yMin, p.y);
            yMax = std::max(yMax, p.y);
        }
    }
    const int x0 = std::max(0, floorToInt(xMin) - 1);
    const int y0 = std::max(0, floorToInt(yMin) - 1);
    const int x1 = std::min(size.width - 1, ceilToInt(xMax) + 1);
    const int y1 = std::min(size.height - 1, ceilToInt(yMax) + 1);
    if (x1 < x0 || y1 < y0) {
        return {};
    }
    return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

struct LaneLayout {
    double centerU = 0;
    double halfWidthPx = 0;
    double edgePx = 0;
    double halfMaxPx = 0; ///< FWHM / 2 across the lane
    double load = 1;
    bool isEmpty = false;
    Lut across;
};

struct RowLayout {
    double v = 0;
    double sigmaPx = 0;
    double tauRatio = 0;
    double amplitude = 0; ///< relative
    Lut unitAlong;        ///< in units of sigma; +x toward the wells (up)
};

struct BandPlan {
    int lane = 0; ///< 0-based
    int row = 0;  ///< 0-based
    double sigmaPx = 0;
    double relativeAmplitude = 0;
    double requestedVolume = 0; ///< SynthParams::bandVolumes; 0: from relativeAmplitude
    double amplitude = 0;       ///< counts
    cv::Rect region;
    std::vector<float> shape;         ///< taper(shape) per pixel of region, row-major
    std::vector<std::int32_t> counts; ///< the band's own signal in whole counts
};

struct Layout {
    int width = 0;
    int height = 0;
    double gelTop = 0;
    double gelBottom = 0;
    GelFrame frame;
    std::vector<LaneLayout> lanes;
    std::vector<RowLayout> rows;
    std::vector<BandPlan> bands;
    double rotationDeg = 0;
    bool saturate = false;
    double clipLevel = kTypeMax;
};

/// The explicit rows and volumes agree with each other and with the lane and row counts.
std::optional<Error> checkExplicitLayout(const SynthParams& p) {
    if (p.rows.size() > 12) {
        return Error{"synth", fmt::format("{} explicit band rows, at most 12", p.rows.size())};
    }
    if (!p.rows.empty() && p.bandRows != 0 && p.bandRows != static_cast<int>(p.rows.size())) {
        return Error{"synth",
                     fmt::format("bandRows {} but {} explicit rows", p.bandRows, p.rows.size())};
    }
    for (const SynthRow& row : p.rows) {
        if (!(row.positionFraction >= 0.0 && row.positionFraction <= 1.0) ||
            !(row.sigmaScale >= 0.05 && row.sigmaScale <= 4.0)) {
            return Error{"synth", fmt::format("explicit row at {} with sigma scale {} is outside "
                                              "0..1 and 0.05..4",
                                              row.positionFraction, row.sigmaScale)};
        }
    }
    if (p.bandVolumes.empty()) {
        return std::nullopt;
    }
    const std::size_t rows = p.bandVolumes.front().size();
    if (p.bandVolumes.size() > 64 ||
        (p.lanes != 0 && p.lanes != static_cast<int>(p.bandVolumes.size()))) {
        return Error{"synth", fmt::format("band volumes for {} lanes (lanes {}, at most 64)",
                                          p.bandVolumes.size(), p.lanes)};
    }
    if (rows == 0 || rows > 12 || (p.bandRows != 0 && p.bandRows != static_cast<int>(rows)) ||
        (!p.rows.empty() && p.rows.size() != rows)) {
        return Error{"synth", fmt::format("band volumes for {} rows do not match bandRows {} "
                                          "and {} explicit rows (1..12)",
                                          rows, p.bandRows, p.rows.size())};
    }
    for (const auto& lane : p.bandVolumes) {
        if (lane.size() != rows) {
            return Error{"synth", "every lane of the band volumes needs the same number of rows"};
        }
        for (const double volume : lane) {
            if (!(volume >= 0.0 && volume < 1e15)) {
                return Error{"synth", fmt::format("band volume {} is not in 0..1e15", volume)};
            }
        }
    }
    return std::nullopt;
}

/// The placement shift is checked once the image size is known (checkPlacementShift).
std::optional<Error> checkImaging(const SynthParams& p) {
    if (!(std::abs(p.placementRotationDeg) <= 5.0)) {
        return Error{"synth", fmt::format("placement rotation {} deg is outside -5..5",
                                          p.placementRotationDeg)};
    }
    if (p.backgroundOffset && !(*p.backgroundOffset >= 0.0 && *p.backgroundOffset <= 30000.0)) {
        return Error{"synth",
                     fmt::format("background offset {} is outside 0..30000", *p.backgroundOffset)};
    }
    if (p.backgroundGradient && !(std::abs(*p.backgroundGradient) <= 2.0)) {
        return Error{"synth",
                     fmt::format("background gradient {} is outside -2..2", *p.backgroundGradient)};
    }
    return std::nullopt;
}

std::optional<Error> checkPlacementShift(const SynthParams& resolved) {
    if (!(std::abs(resolved.placementShiftXPx) <= 0.25 * resolved.widthPx) ||
        !(std::abs(resolved.placementShiftYPx) <= 0.25 * resolved.heightPx)) {
        return Error{"synth", fmt::format("placement shift {};{} px is more than a quarter of "
                                          "the {}x{} image",
                                          resolved.placementShiftXPx, resolved.placementShiftYPx,
                                          resolved.widthPx, resolved.heightPx)};
    }
    return std::nullopt;
}

std::optional<Error> checkOverrides(const SynthParams& p) {
    const auto sideOk = [](int side) {
        return side == 0 || (side >= kMinSidePx && side <= kMaxSidePx);
    };
    if (!sideOk(p.widthPx) || !sideOk(p.heightPx)) {
        return Error{"synth",
                     fmt::format("image size {}x{} is outside {}..{} px per side (0 draws it)",
                                 p.widthPx, p.heightPx, kMinSidePx, kMaxSidePx)};
    }
    if (p.lanes < 0 || p.lanes > 64) {
        return Error{"synth", fmt::format("{} lanes is outside 1..64 (0 draws it)", p.lanes)};
    }
    if (p.bandRows < 0 || p.bandRows > 12) {
        return Error{"synth",
                     fmt::format("{} band rows is outside 1..12 (0 draws it)", p.bandRows)};
    }
    if (auto problem = checkExplicitLayout(p)) {
        return problem;
    }
    if (auto problem = checkImaging(p)) {
        return problem;
    }
    return std::nullopt;
}

/// Picks the image size, lanes and rows; overrides replace the drawn values afterwards.
void drawSize(const SynthParams& params, const ProfileSpec& spec, SynthParams& resolved) {
    SynthRandom rng(params.seed, streamId(params, kSizeStream));
    const int lanes = rng.uniformInt(spec.lanesMin, spec.lanesMax);
    const int rows = rng.uniformInt(spec.rowsMin, spec.rowsMax);
    double width = rng.logUniform(spec.widthMinPx, spec.widthMaxPx);
    const double aspect = rng.uniform(spec.aspectMin, spec.aspectMax);
    int explicitLanes = params.lanes;
    int explicitRows = params.bandRows;
    if (!params.bandVolumes.empty()) {
        explicitLanes = static_cast<int>(params.bandVolumes.size());
        explicitRows = static_cast<int>(params.bandVolumes.front().size());
    } else if (!params.rows.empty()) {
        explicitRows = static_cast<int>(params.rows.size());
    }
    resolved.lanes = explicitLanes > 0 ? explicitLanes : lanes;
    resolved.bandRows = explicitRows > 0 ? explicitRows : rows;
    // A drawn side grows to hold the lanes and rows asked for.
    width = std::max(width, 1.35 * kMinPitchPx * resolved.lanes);
    const double height = std::clamp(std::round(width * aspect), 300.0, 3000.0);
    resolved.widthPx = params.widthPx > 0 ? params.widthPx : static_cast<int>(std::round(width));
    resolved.heightPx = params.heightPx > 0
                            ? params.heightPx
                            : static_cast<int>(std::max(
                                  height, std::ceil(1.6 * kMinRowSpacePx * resolved.bandRows)));
}

/// Places the drawn rows down the gel, one of them maybe as a doublet with the next, shrinking
/// the band sigmas until the rows and their gaps fit.
void placeDrawnRows(const ProfileSpec& spec, SynthRandom& rowRng, Layout& layout) {
    const GelFrame& frame = layout.frame;
    const int rowCount = static_cast<int>(layout.rows.size());
    const bool hasDoublet = rowCount >= 2 && rowRng.chance(spec.doubletChance);
    const int doubletAt = rowRng.uniformInt(0, std::max(0, rowCount - 2));
    const double doubletSep = rowRng.uniform(spec.doubletSepMin, spec.doubletSepMax);
    std::vector<double> groupDraws(static_cast<std::size_t>(rowCount));
    for (auto& draw : groupDraws) {
        draw = rowRng.uniform();
    }
    // Fit the rows: shrink the band sigmas until the rows and their gaps fit the gel.
    const double jitterMax = 1.0 + spec.bandSigmaJitter;
    const int groups = hasDoublet ? rowCount - 1 : rowCount;
    double sigmaScale = 1.0;
    std::vector<double> groupStarts;
    for (int attempt = 0; attempt < 60; ++attempt) {
        double up = 0.0;   // extent above a row centre (tail side)
        double down = 0.0; // extent below
        double sigmaMax = 0.0;
        for (const auto& row : layout.rows) {
            const double sigma = row.sigmaPx * sigmaScale * jitterMax;
            up = std::max(up, row.unitAlong.endPx() * sigma);
            down = std::max(down, -row.unitAlong.startPx * sigma);
            sigmaMax = std::max(sigmaMax, sigma);
        }
        const double top = layout.gelTop + up + std::max(0.0, -frame.smilePx) + 2.0;
        const double bottom = layout.gelBottom - down - std::max(0.0, frame.smilePx) - 2.0;
        const double gap = std::max(kMinRowSpacePx, spec.rowGapFactor * (up + down + 2.0));
        const double doubletExtent = hasDoublet ? doubletSep * sigmaMax : 0.0;
        const double available = bottom - top - gap * (groups - 1) - doubletExtent;
        if (available >= 0.0 || attempt == 59) {
            std::vector<double> draws(groupDraws.begin(), groupDraws.begin() + groups);
            std::sort(draws.begin(), draws.end());
            groupStarts.clear();
            double offset = top;
            for (int g = 0; g < groups; ++g) {
                groupStarts.push_back(offset + std::max(0.0, available) *
                                                   draws[static_cast<std::size_t>(g)]);
                offset += gap + (hasDoublet && g == doubletAt ? doubletExtent : 0.0);
            }
            std::size_t rowIndex = 0;
            for (int g = 0; g < groups; ++g) {
                layout.rows[rowIndex++].v = groupStarts[static_cast<std::size_t>(g)];
                if (hasDoublet && g == doubletAt) {
                    layout.rows[rowIndex++].v =
                        groupStarts[static_cast<std::size_t>(g)] + doubletExtent;
                }
            }
            break;
        }
        sigmaScale *= 0.92;
    }
    for (auto& row : layout.rows) {
        row.sigmaPx *= sigmaScale;
    }
}

/// Places SynthParams::rows between the highest and lowest centres a band of the gel can take.
void placeExplicitRows(const SynthParams& params, const ProfileSpec& spec, Layout& layout) {
    const GelFrame& frame = layout.frame;
    const double jitterMax = 1.0 + spec.bandSigmaJitter;
    double up = 0.0;
    double down = 0.0;
    for (std::size_t r = 0; r < layout.rows.size(); ++r) {
        RowLayout& row = layout.rows[r];
        row.sigmaPx *= params.rows[r].sigmaScale;
        up = std::max(up, row.unitAlong.endPx() * row.sigmaPx * jitterMax);
        down = std::max(down, -row.unitAlong.startPx * row.sigmaPx * jitterMax);
    }
    const double top = layout.gelTop + up + std::max(0.0, -frame.smilePx) + 2.0;
    const double bottom =
        std::max(top, layout.gelBottom - down - std::max(0.0, frame.smilePx) - 2.0);
    for (std::size_t r = 0; r < layout.rows.size(); ++r) {
        layout.rows[r].v = top + params.rows[r].positionFraction * (bottom - top);
    }
}

/// Which bands exist and their relative amplitudes (or their explicit volumes).
void drawBands(const SynthParams& params, const ProfileSpec& spec, Layout& layout) {
    const int laneCount = static_cast<int>(layout.lanes.size());
    SynthRandom ampRng(params.seed, streamId(params, kAmplitudeStream));
    const bool drawnSaturate = ampRng.chance(spec.saturateChance);
    const bool isExplicit = !params.bandVolumes.empty();
    layout.saturate = !params.isIdeal && !isExplicit && params.saturate.value_or(drawnSaturate);
    layout.clipLevel = ampRng.chance(spec.detectorLevelChance)
                           ? std::round(ampRng.uniform(52000.0, 64500.0))
                           : kTypeMax;
    const bool hasEmptyLane = laneCount >= 4 && ampRng.chance(spec.emptyLaneChance);
    const int emptyLane = ampRng.uniformInt(1, std::max(1, laneCount - 2));
    for (std::size_t i = 0; i < layout.lanes.size(); ++i) {
        LaneLayout& lane = layout.lanes[i];
        lane.load = std::clamp(std::exp(spec.laneLoadSigma * ampRng.normal()), 0.3, 2.0);
        if (ampRng.chance(spec.weakLaneChance)) {
            lane.load *= ampRng.uniform(0.12, 0.3);
        }
        lane.isEmpty = hasEmptyLane && static_cast<int>(i) == emptyLane;
    }
    std::vector<int> bandsInRow(layout.rows.size(), 0);
    std::vector<int> bandsInLane(layout.lanes.size(), 0);
    for (std::size_t i = 0; i < layout.lanes.size(); ++i) {
        for (std::size_t r = 0; r < layout.rows.size(); ++r) {
            const double effect =
                std::clamp(std::exp(spec.bandEffectSigma * ampRng.normal()), 0.2, 3.0);
            const double sigmaJitter =
                1.0 + ampRng.uniform(-spec.bandSigmaJitter, spec.bandSigmaJitter);
            const bool isMissing = ampRng.chance(spec.missingBandChance);
            if (isExplicit) {
                const double volume = params.bandVolumes[i][r];
                if (volume > 0.0) {
                    BandPlan band;
                    band.lane = static_cast<int>(i);
                    band.row = static_cast<int>(r);
                    band.sigmaPx = layout.rows[r].sigmaPx * sigmaJitter;
                    band.requestedVolume = volume;
                    layout.bands.push_back(std::move(band));
                }
                continue;
            }
            if (layout.lanes[i].isEmpty) {
                continue;
            }
            // A missing band never empties its lane or leaves its row with under half the lanes.
            const int lanesLeft = static_cast<int>(layout.lanes.size() - i);
            const int rowsLeft = static_cast<int>(layout.rows.size() - r);
            const int rowNeeds = (laneCount + 1) / 2;
            if (isMissing && (bandsInLane[i] > 0 || rowsLeft > 1) &&
                bandsInRow[r] + lanesLeft - 1 >= rowNeeds) {
                continue;
            }
            BandPlan band;
            band.lane = static_cast<int>(i);
            band.row = static_cast<int>(r);
            band.sigmaPx = layout.rows[r].sigmaPx * sigmaJitter;
            band.relativeAmplitude =
                std::min(1.0, layout.rows[r].amplitude * layout.lanes[i].load * effect);
            layout.bands.push_back(std::move(band));
            ++bandsInRow[r];
            ++bandsInLane[i];
        }
    }
}

std::expected<Layout, Error> drawLayout(const SynthParams& params, const ProfileSpec& spec) {
    Layout layout;
    layout.width = params.widthPx;
    layout.height = params.heightPx;
    const auto width = static_cast<double>(params.widthPx);
    const auto height = static_cast<double>(params.heightPx);

    // Lanes across the gel.
    SynthRandom laneRng(params.seed, streamId(params, kLaneStream));
    const double angleDeg = laneRng.uniform(-spec.rotationMaxDeg, spec.rotationMaxDeg);
    const double angle = angleDeg * std::numbers::pi / 180.0;
    // The margins follow the drawn rotation only, so that a re-placed membrane keeps its lanes.
    const double tilt = std::abs(std::sin(angle));
    const double placedDeg = angleDeg + params.placementRotationDeg;
    const double placed = placedDeg * std::numbers::pi / 180.0;
    layout.rotationDeg = placedDeg;
    GelFrame& frame = layout.frame;
    frame.cx = 0.5 * (width - 1.0);
    frame.cy = 0.5 * (height - 1.0);
    frame.cosA = std::cos(placed);
    frame.sinA = std::sin(placed);
    frame.shiftX = params.placementShiftXPx;
    frame.shiftY = params.placementShiftYPx;
    const double gelLeft =
        width * laneRng.uniform(spec.marginMin, spec.marginMax) + tilt * 0.5 * height;
    const double gelRight =
        width - width * laneRng.uniform(spec.marginMin, spec.marginMax) - tilt * 0.5 * height;
    const int laneCount = params.lanes;
    if ((gelRight - gelLeft) / laneCount < kMinPitchPx) {
        return std::unexpected(
            Error{"synth", fmt::format("{} lanes do not fit in {} px (at least {} px per lane)",
                                       laneCount, params.widthPx, kMinPitchPx)});
    }
    std::vector<double> pitches(static_cast<std::size_t>(laneCount));
    for (auto& pitch : pitches) {
        pitch = 1.0 + laneRng.uniform(-spec.pitchJitter, spec.pitchJitter);
    }
    double pitchSum = 0.0;
    for (const double pitch : pitches) {
        pitchSum += pitch;
    }
    const double fill = laneRng.uniform(spec.fillMin, spec.fillMax);
    double cursor = gelLeft;
    layout.lanes.resize(pitches.size());
    for (std::size_t i = 0; i < pitches.size(); ++i) {
        const double cell = pitches[i] * (gelRight - gelLeft) / pitchSum;
        LaneLayout& lane = layout.lanes[i];
        lane.centerU = cursor + 0.5 * cell;
        cursor += cell;
        lane.halfWidthPx =
            0.5 * fill * cell * (1.0 + laneRng.uniform(-spec.widthJitter, spec.widthJitter));
        lane.edgePx = laneRng.uniform(spec.edgeMin, spec.edgeMax) * 2.0 * lane.halfWidthPx;
    }
    for (std::size_t i = 0; i < layout.lanes.size(); ++i) {
        LaneLayout& lane = layout.lanes[i];
        // Neighbouring lanes keep a gap of at least a tenth of their distance.
        double nearest = 1e300;
        if (i > 0) {
            nearest = std::min(nearest, lane.centerU - layout.lanes[i - 1].centerU);
        }
        if (i + 1 < layout.lanes.size()) {
            nearest = std::min(nearest, layout.lanes[i + 1].centerU - lane.centerU);
        }
        lane.halfWidthPx = std::min(lane.halfWidthPx, 0.45 * nearest);
        lane.edgePx = std::max(0.5, std::min(lane.edgePx, 0.5 * lane.halfWidthPx));
        // The 1% support reaches about 2.33 edge sigmas past the half width.
        lane.halfWidthPx =
            std::max(lane.edgePx,
                     std::min(lane.halfWidthPx, spec.laneReachMax * nearest - 2.4 * lane.edgePx));
        const double reach = lane.halfWidthPx + 6.0 * lane.edgePx;
        lane.across =
            synth::sampleLut([&](double x) { return flatTop(x, lane.halfWidthPx, lane.edgePx); },
                             -reach, reach, 1.0 / 32.0, kSupportFraction);
        lane.halfMaxPx = halfMaximumOffset(lane.halfWidthPx, lane.edgePx);
    }

    // Band rows down the gel, with their shapes.
    SynthRandom rowRng(params.seed, streamId(params, kRowStream));
    const double smileFraction = rowRng.uniform(-spec.smileMaxFraction, spec.smileMaxFraction);
    frame.smilePx = smileFraction * height;
    frame.smileCenterU = 0.5 * (gelLeft + gelRight);
    frame.smileHalfWidth = 0.5 * (gelRight - gelLeft);
    const double verticalTilt = tilt * 0.5 * width;
    layout.gelTop = height * rowRng.uniform(0.06, 0.14) + verticalTilt;
    layout.gelBottom = height - height * rowRng.uniform(0.05, 0.10) - verticalTilt;
    const int rowCount = params.bandRows;
    const double sigmaBase = std::clamp(
        height * rowRng.uniform(spec.sigmaPerHeightMin, spec.sigmaPerHeightMax), 2.0, 10.0);
    layout.rows.resize(static_cast<std::size_t>(rowCount));
    for (auto& row : layout.rows) {
        row.sigmaPx = std::clamp(sigmaBase * rowRng.uniform(0.8, 1.25), 2.0, 10.0);
        row.tauRatio = rowRng.uniform(spec.tauRatioMin, spec.tauRatioMax);
        row.amplitude = rowRng.logUniform(spec.rowAmplitudeMin, spec.rowAmplitudeMax);
        row.unitAlong = synth::sampleLut([&](double x) { return unitEmg(x, row.tauRatio); }, -8.0,
                                         8.0 + 12.0 * row.tauRatio, 1.0 / 64.0, kSupportFraction);
    }
    if (!params.rows.empty()) {
        placeExplicitRows(params, spec, layout);
    } else {
        placeDrawnRows(spec, rowRng, layout);
    }
    drawBands(params, spec, layout);
    return layout;
}
/// Renders each band's shape (taper applied, peak 1) into its own patch.
void renderBandShapes(Layout& layout) {
    const cv::Size size(layout.width, layout.height);
    const GelFrame& frame = layout.frame;
    for (BandPlan& band : layout.bands) {
        const LaneLayout& lane = layout.lanes[static_cast<std::size_t>(band.lane)];
        const RowLayout& row = layout.rows[static_cast<std::size_t>(band.row)];
        const double u0 = lane.centerU + lane.across.startPx;
        const double u1 = lane.centerU + lane.across.endPx();
        double smileLo = std::min(frame.smileAt(u0), frame.smileAt(u1));
        double smileHi = std::max(frame.smileAt(u0), frame.smileAt(u1));
        if (frame.smileCenterU > u0 && frame.smileCenterU < u1) {
            smileLo = std::min(smileLo, 0.0);
            smileHi = std::max(smileHi, 0.0);
        }
        // d = (row centre - v) / sigma runs from startPx (below) to endPx (tail, above).
        const double v0 = row.v + smileLo - row.unitAlong.endPx() * band.sigmaPx;
        const double v1 = row.v + smileHi - row.unitAlong.startPx * band.sigmaPx;
        band.region = imageBounds(frame, u0, u1, v0, v1, size);
        band.shape.assign(static_cast<std::size_t>(band.region.area()), 0.0F);
        const double inverseSigma = 1.0 / band.sigmaPx;
        std::size_t index = 0;
        for (int y = band.region.y; y < band.region.br().y; ++y) {
            for (int x = band.region.x; x < band.region.br().x; ++x, ++index) {
                const cv::Point2d gel = frame.toGel(x, y);
                const double across = lane.across.at(gel.x - lane.centerU);
                if (across <= kSupportFraction) {
                    continue;
                }
                const double along =
                    row.unitAlong.at((row.v + frame.smileAt(gel.x) - gel.y) * inverseSigma);
                band.shape[index] = static_cast<float>(taper(across * along));
            }
        }
    }
}

struct Background {
    cv::Mat counts; ///< CV_32FC1, light-band counts of everything that is not band signal
    double offset = 0;
    double maxValue = 0;
};

struct NoiseModel {
    double gain = 1;
    double readNoise = 0;
};

Background renderBackground(const SynthParams& params, const ProfileSpec& spec,
                            const Layout& layout, NoiseModel& noise, SynthScene& scene) {
    SynthRandom rng(imagingSeed(params), streamId(params, kBackgroundStream));
    Background background;
    const double offset =
        params.backgroundOffset.value_or(rng.uniform(spec.offsetMin, spec.offsetMax));
    noise.gain = rng.uniform(spec.gainMin, spec.gainMax);
    noise.readNoise = rng.uniform(spec.readNoiseMin, spec.readNoiseMax);
    const double gradientX =
        params.backgroundGradient.value_or(rng.uniform(-spec.gradientMax, spec.gradientMax));
    const double gradientY = rng.uniform(-spec.gradientMax, spec.gradientMax);
    const double vignette = rng.uniform(0.0, spec.vignetteMax);
    const int blotchCount = rng.uniformInt(spec.blotchesMin, spec.blotchesMax);
    const int width = layout.width;
    const int height = layout.height;
    background.offset = params.isIdeal ? std::round(offset) : offset;
    background.counts.create(height, width, CV_32FC1);
    if (params.isIdeal) {
        background.counts.setTo(background.offset);
        background.maxValue = background.offset;
        return background;
    }
    scene.blotches = blotchCount;

    // Separable terms: offset * (1 + gradient + vignette) and axis-aligned Gaussian blotches.
    std::vector<double> columnTerm(static_cast<std::size_t>(width));
    std::vector<double> rowTerm(static_cast<std::size_t>(height));
    for (int x = 0; x < width; ++x) {
        const double dx = (x + 0.5) / width - 0.5;
        columnTerm[static_cast<std::size_t>(x)] =
            offset * (gradientX * dx + vignette * (0.25 - dx * dx));
    }
    for (int y = 0; y < height; ++y) {
        const double dy = (y + 0.5) / height - 0.5;
        rowTerm[static_cast<std::size_t>(y)] =
            offset * (gradientY * dy + vignette * (0.25 - dy * dy));
    }
    struct Blotch {
        std::vector<double> alongX;
        std::vector<double> alongY;
    };
    std::vector<Blotch> blotches(static_cast<std::size_t>(blotchCount));
    for (auto& blotch : blotches) {
        const double centerX = rng.uniform(0.0, width);
        const double centerY = rng.uniform(0.0, height);
        const double sigmaX = rng.uniform(0.04, 0.2) * width;
        const double sigmaY = rng.uniform(0.04, 0.2) * height;
        const double amplitude =
            offset * rng.uniform(0.05, std::max(0.05, spec.blotchAmplitudeMax));
        blotch.alongX.resize(static_cast<std::size_t>(width));
        blotch.alongY.resize(static_cast<std::size_t>(height));
        for (int x = 0; x < width; ++x) {
            const double d = (x - centerX) / sigmaX;
            blotch.alongX[static_cast<std::size_t>(x)] = amplitude * std::exp(-0.5 * d * d);
        }
        for (int y = 0; y < height; ++y) {
            const double d = (y - centerY) / sigmaY;
            blotch.alongY[static_cast<std::size_t>(y)] = std::exp(-0.5 * d * d);
        }
    }
    for (int y = 0; y < height; ++y) {
        auto* out = background.counts.ptr<float>(y);
        const double base = offset + rowTerm[static_cast<std::size_t>(y)];
        for (int x = 0; x < width; ++x) {
            double value = base + columnTerm[static_cast<std::size_t>(x)];
            for (const auto& blotch : blotches) {
                value += blotch.alongX[static_cast<std::size_t>(x)] *
                         blotch.alongY[static_cast<std::size_t>(y)];
            }
            out[x] = static_cast<float>(value);
        }
    }
    double minValue = 0.0;
    cv::minMaxLoc(background.counts, &minValue, &background.maxValue);
    return background;
}

/// Faint vertical smears along each lane (sample that did not leave the well cleanly).
void addLaneSmears(const SynthParams& params, const ProfileSpec& spec, const Layout& layout,
                   Background& background) {
    if (params.isIdeal || spec.smearMax <= 0.0) {
        return;
    }
    SynthRandom rng(imagingSeed(params), streamId(params, kSmearStream));
    double meanAmplitude = 0.0;
    for (const auto& band : layout.bands) {
        meanAmplitude += band.amplitude;
    }
    meanAmplitude /= static_cast<double>(std::max<std::size_t>(1, layout.bands.size()));
    const GelFrame& frame = layout.frame;
    const cv::Size size(layout.width, layout.height);
    const double gelHeight = layout.gelBottom - layout.gelTop;
    const double rampPx = std::max(2.0, 0.02 * layout.height);
    for (std::size_t i = 0; i < layout.lanes.size(); ++i) {
        const LaneLayout& lane = layout.lanes[i];
        const double fraction = rng.uniform(0.0, spec.smearMax);
        const double decayPx = rng.uniform(0.2, 0.6) * gelHeight;
        const double floorShare = rng.uniform(0.2, 0.5);
        double laneAmplitude = 0.0;
        int laneBands = 0;
        for (const auto& band : layout.bands) {
            if (band.lane == static_cast<int>(i)) {
                laneAmplitude += band.amplitude;
                ++laneBands;
            }
        }
        laneAmplitude = laneBands > 0 ? laneAmplitude / laneBands : 0.5 * meanAmplitude;
        const double amplitude = fraction * laneAmplitude;
        const double u0 = lane.centerU + lane.across.startPx;
        const double u1 = lane.centerU + lane.across.endPx();
        const cv::Rect region = imageBounds(frame, u0, u1, layout.gelTop, layout.gelBottom, size);
        for (int y = region.y; y < region.br().y; ++y) {
            auto* out = background.counts.ptr<float>(y);
            for (int x = region.x; x < region.br().x; ++x) {
                const cv::Point2d gel = frame.toGel(x, y);
                if (gel.y <= layout.gelTop || gel.y >= layout.gelBottom) {
                    continue;
                }
                const double across = lane.across.at(gel.x - lane.centerU);
                if (across <= 0.0) {
                    continue;
                }
                const double fromTop = gel.y - layout.gelTop;
                const double ends =
                    smoothStep(std::min(1.0, std::min(fromTop, layout.gelBottom - gel.y) / rampPx));
                const double along =
                    (floorShare + (1.0 - floorShare) * std::exp(-fromTop / decayPx)) * ends;
                out[x] += static_cast<float>(amplitude * across * along);
            }
        }
    }
}

/// Dust specks on the membrane or the camera window: small bright or dark spots.
int addDust(const SynthParams& params, const ProfileSpec& spec, const Layout& layout,
            Background& background) {
    if (params.isIdeal || spec.dustPerMpxMax <= 0.0) {
        return 0;
    }
    SynthRandom rng(imagingSeed(params), streamId(params, kDustStream));
    const double megapixels = layout.width * static_cast<double>(layout.height) / 1e6;
    const int count = static_cast<int>(
        std::round(megapixels * rng.uniform(spec.dustPerMpxMin, spec.dustPerMpxMax)));
    for (int k = 0; k < count; ++k) {
        const double centerX = rng.uniform(0.0, layout.width);
        const double centerY = rng.uniform(0.0, layout.height);
        const double radius = rng.uniform(0.6, 2.5);
        const double amplitude = rng.chance(0.7)
                                     ? std::min(6000.0, background.offset * rng.uniform(0.5, 2.0))
                                     : -background.offset * rng.uniform(0.2, 0.6);
        const int reach = ceilToInt(4.0 * radius);
        const int x0 = std::max(0, floorToInt(centerX) - reach);
        const int x1 = std::min(layout.width - 1, floorToInt(centerX) + reach);
        const int y0 = std::max(0, floorToInt(centerY) - reach);
        const int y1 = std::min(layout.height - 1, floorToInt(centerY) + reach);
        for (int y = y0; y <= y1; ++y) {
            auto* out = background.counts.ptr<float>(y);
            for (int x = x0; x <= x1; ++x) {
                const double r2 = ((x - centerX) * (x - centerX) + (y - centerY) * (y - centerY)) /
                                  (radius * radius);
                out[x] =
                    std::max(1.0F, out[x] + static_cast<float>(amplitude * std::exp(-0.5 * r2)));
            }
        }
    }
    return count;
}

/// Scales all bands down so that none clips, then pushes the chosen rows over the clip level.
void setAmplitudes(const SynthParams& params, Layout& layout, const Background& background) {
    const double ceiling = kHeadroom * layout.clipLevel;
    cv::Mat bandSum = cv::Mat::zeros(layout.height, layout.width, CV_32FC1);
    for (const auto& band : layout.bands) {
        std::size_t index = 0;
        for (int y = band.region.y; y < band.region.br().y; ++y) {
            auto* out = bandSum.ptr<float>(y);
            for (int x = band.region.x; x < band.region.br().x; ++x, ++index) {
                out[x] += static_cast<float>(band.amplitude) * band.shape[index];
            }
        }
    }
    double scale = 1.0;
    for (int y = 0; y < layout.height; ++y) {
        const auto* sum = bandSum.ptr<float>(y);
        const auto* base = background.counts.ptr<float>(y);
        for (int x = 0; x < layout.width; ++x) {
            if (sum[x] > 0.0F) {
                scale = std::min(scale, (ceiling - static_cast<double>(base[x])) /
                                            static_cast<double>(sum[x]));
            }
        }
    }
    scale = std::max(scale, 0.01);
    for (auto& band : layout.bands) {
        band.amplitude *= scale;
    }
    if (!layout.saturate || layout.bands.empty()) {
        return;
    }
    SynthRandom rng(imagingSeed(params), streamId(params, kSaturationStream));
    // The strongest row clips; the strongest band in it by a margin, weaker lanes maybe not.
    std::vector<double> rowPeak(layout.rows.size(), 0.0);
    for (const auto& band : layout.bands) {
        auto& peak = rowPeak[static_cast<std::size_t>(band.row)];
        peak = std::max(peak, band.amplitude);
    }
    const auto strongest =
        static_cast<int>(std::max_element(rowPeak.begin(), rowPeak.end()) - rowPeak.begin());
    std::vector<int> clippedRows{strongest};
    if (layout.rows.size() >= 3 && rng.chance(0.3)) {
        clippedRows.push_back((strongest + 1) % static_cast<int>(layout.rows.size()));
    }
    for (const int row : clippedRows) {
        const BandPlan* top = nullptr;
        for (const auto& band : layout.bands) {
            if (band.row == row && (top == nullptr || band.amplitude > top->amplitude)) {
                top = &band;
            }
        }
        if (top == nullptr) {
            continue;
        }
        const cv::Point center = (top->region.tl() + top->region.br()) / 2;
        const double base = static_cast<double>(background.counts.at<float>(center));
        const double factor = rng.uniform(1.25, 2.5) * (layout.clipLevel - base) / top->amplitude;
        for (auto& band : layout.bands) {
            if (band.row == row) {
                band.amplitude *= std::max(1.0, factor);
            }
        }
    }
}

/// The amplitude that gives each band its requested volume (before rounding to whole counts).
void setExplicitAmplitudes(Layout& layout) {
    for (auto& band : layout.bands) {
        double shapeSum = 0.0;
        for (const float value : band.shape) {
            shapeSum += static_cast<double>(value);
        }
        band.amplitude = shapeSum > 0.0 ? band.requestedVolume / shapeSum : 0.0;
    }
}

std::int32_t roundCounts(double value) {
    return static_cast<std::int32_t>(std::floor(value + 0.5));
}

/// Adds shot and read noise to `expected` and clips at the clip level, row by row, each
/// row with its own random stream (so the result does not depend on how rows are split).
void renderNoisyImage(const SynthParams& params, const Layout& layout, const NoiseModel& noise,
                      const cv::Mat& expected, cv::Mat& raw, int rowBegin, int rowEnd) {
    for (int y = rowBegin; y < rowEnd; ++y) {
        SynthRandom rng(imagingSeed(params),
                        streamId(params, kNoiseStream + static_cast<std::uint64_t>(y)));
        const auto* in = expected.ptr<float>(y);
        auto* out = raw.ptr<std::uint16_t>(y);
        for (int x = 0; x < layout.width; ++x) {
            const double mean = static_cast<double>(in[x]);
            double value = mean;
            if (!params.isIdeal) {
                const double electrons = mean / noise.gain;
                if (electrons < kPoissonGaussianMean) {
                    value = noise.gain * rng.poisson(electrons) + noise.readNoise * rng.normal();
                } else {
                    value =
                        mean + std::sqrt(noise.gain * mean + noise.readNoise * noise.readNoise) *
                                   rng.normal();
                }
            }
            out[x] = static_cast<std::uint16_t>(
                std::clamp(std::floor(value + 0.5), 0.0, layout.clipLevel));
        }
    }
}

std::vector<cv::Point> addHotPixels(const SynthParams& params, const ProfileSpec& spec,
                                    const Layout& layout, double offset, cv::Mat& raw) {
    std::vector<cv::Point> hot;
    if (params.isIdeal || spec.hotFractionMax <= 0.0) {
        return hot;
    }
    SynthRandom rng(imagingSeed(params), streamId(params, kHotPixelStream));
    const double pixels = layout.width * static_cast<double>(layout.height);
    const int count = static_cast<int>(
        std::round(pixels * rng.uniform(spec.hotFractionMin, spec.hotFractionMax)));
    for (int k = 0; k < count; ++k) {
        const cv::Point at(rng.uniformInt(0, layout.width - 1),
                           rng.uniformInt(0, layout.height - 1));
        const double value =
            rng.chance(0.4)
                ? layout.clipLevel
                : std::round(rng.uniform(offset + 0.1 * layout.clipLevel, layout.clipLevel));
        auto& pixel = raw.at<std::uint16_t>(at);
        pixel = std::max(pixel, static_cast<std::uint16_t>(std::min(value, layout.clipLevel)));
        hot.push_back(at);
    }
    return hot;
}

} // namespace

const char* toString(SynthProfile profile) {
    switch (profile) {
    case SynthProfile::Clean:
        return "clean";
    case SynthProfile::Realistic:
        return "realistic";
    case SynthProfile::Hard:
        return "hard";
    }
    return "realistic";
}

std::optional<SynthProfile> parseSynthProfile(std::string_view text) {
    for (const auto profile : {SynthProfile::Clean, SynthProfile::Realistic, SynthProfile::Hard}) {
        if (text == toString(profile)) {
            return profile;
        }
    }
    return std::nullopt;
}

std::expected<SyntheticBlot, Error> generateSyntheticBlot(const SynthParams& params) {
    if (auto problem = checkOverrides(params)) {
        return std::unexpected(*problem);
    }
    const ProfileSpec spec = specFor(params.profile);
    SyntheticBlot blot;
    blot.params = params;
    drawSize(params, spec, blot.params);
    if (auto problem = checkPlacementShift(blot.params)) {
        return std::unexpected(*problem);
    }
    if (blot.params.heightPx < 1.6 * kMinRowSpacePx * blot.params.bandRows) {
        return std::unexpected(
            Error{"synth", fmt::format("{} band rows do not fit in {} px", blot.params.bandRows,
                                       blot.params.heightPx)});
    }
    auto drawn = drawLayout(blot.params, spec);
    if (!drawn) {
        return std::unexpected(drawn.error());
    }
    Layout& layout = *drawn;
    blot.params.saturate = layout.saturate;

    NoiseModel noise;
    Background background = renderBackground(blot.params, spec, layout, noise, blot.scene);
    const double noiseSigma =
        std::sqrt(noise.gain * background.offset + noise.readNoise * noise.readNoise);
    const double room = kHeadroom * layout.clipLevel - background.maxValue;
    for (auto& band : layout.bands) {
        band.amplitude =
            std::max(band.relativeAmplitude * room, spec.minPeakOverNoise * noiseSigma);
    }
    renderBandShapes(layout);
    if (!params.bandVolumes.empty()) {
        setExplicitAmplitudes(layout);
    }
    addLaneSmears(blot.params, spec, layout, background);
    blot.scene.dustSpecks = addDust(blot.params, spec, layout, background);
    if (params.bandVolumes.empty()) {
        setAmplitudes(blot.params, layout, background);
    }

    // Each band in whole counts, then the expected image = background + bands.
    cv::Mat expected = background.counts.clone();
    for (auto& band : layout.bands) {
        band.counts.resize(band.shape.size());
        std::size_t index = 0;
        for (int y = band.region.y; y < band.region.br().y; ++y) {
            auto* out = expected.ptr<float>(y);
            for (int x = band.region.x; x < band.region.br().x; ++x, ++index) {
                band.counts[index] =
                    roundCounts(band.amplitude * static_cast<double>(band.shape[index]));
                out[x] += static_cast<float>(band.counts[index]);
            }
        }
    }
    cv::Mat raw(layout.height, layout.width, CV_16UC1);
    renderNoisyImage(blot.params, layout, noise, expected, raw, 0, layout.height);
    const std::vector<cv::Point> hot =
        addHotPixels(blot.params, spec, layout, background.offset, raw);
    cv::Mat isHot = cv::Mat::zeros(raw.size(), CV_8UC1);
    for (const auto& at : hot) {
        isHot.at<std::uint8_t>(at) = 1;
    }

    // The truth.
    const GelFrame& frame = layout.frame;
    for (const auto& lane : layout.lanes) {
        TrueLane truth;
        truth.index = static_cast<int>(blot.lanes.size()) + 1;
        truth.xCenterPx = frame.xAtMiddle(lane.centerU);
        truth.leftPx = frame.xAtMiddle(lane.centerU - lane.halfMaxPx);
        truth.rightPx = frame.xAtMiddle(lane.centerU + lane.halfMaxPx);
        truth.widthPx = truth.rightPx - truth.leftPx;
        blot.lanes.push_back(truth);
    }
    for (const auto& band : layout.bands) {
        const LaneLayout& lane = layout.lanes[static_cast<std::size_t>(band.lane)];
        const RowLayout& row = layout.rows[static_cast<std::size_t>(band.row)];
        double volume = 0.0;
        double sumX = 0.0;
        double sumY = 0.0;
        std::int32_t peak = 0;
        int x0 = std::numeric_limits<int>::max();
        int y0 = std::numeric_limits<int>::max();
        int x1 = -1;
        int y1 = -1;
        std::size_t index = 0;
        for (int y = band.region.y; y < band.region.br().y; ++y) {
            for (int x = band.region.x; x < band.region.br().x; ++x, ++index) {
                const std::int32_t value = band.counts[index];
                if (value <= 0) {
                    continue;
                }
                volume += value;
                sumX += static_cast<double>(value) * x;
                sumY += static_cast<double>(value) * y;
                peak = std::max(peak, value);
                x0 = std::min(x0, x);
                x1 = std::max(x1, x);
                y0 = std::min(y0, y);
                y1 = std::max(y1, y);
            }
        }
        if (volume <= 0.0) {
            continue; // nothing of it reached the image
        }
        TrueBand truth;
        truth.lane = band.lane + 1;
        truth.row = band.row + 1;
        truth.xCenterPx = sumX / volume;
        truth.yCenterPx = sumY / volume;
        truth.sigmaYPx = band.sigmaPx;
        truth.tauYPx = row.tauRatio < 0.05 ? 0.0 : row.tauRatio * band.sigmaPx;
        truth.widthPx = 2.0 * lane.halfMaxPx / frame.cosA;
        truth.volume = volume;
        truth.peak = peak;
        truth.box = cv::Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
        // Clipped pixels that hold signal of this band (hot pixels are not band signal).
        index = 0;
        for (int y = band.region.y; y < band.region.br().y; ++y) {
            const auto* pixel = raw.ptr<std::uint16_t>(y);
            const auto* hotRow = isHot.ptr<std::uint8_t>(y);
            for (int x = band.region.x; x < band.region.br().x; ++x, ++index) {
                if (band.counts[index] > 0 && pixel[x] >= layout.clipLevel && hotRow[x] == 0) {
                    ++truth.saturatedPixels;
                }
            }
        }
        blot.bands.push_back(truth);
    }

    blot.polarity = params.polarity;
    const double backgroundMean =
        params.isIdeal ? background.offset : cv::mean(background.counts)[0];
    if (params.polarity == Polarity::DarkBands) {
        cv::subtract(cv::Scalar::all(kTypeMax), raw, raw);
        blot.saturationLevel = kTypeMax - layout.clipLevel;
        blot.backgroundMean = kTypeMax - backgroundMean;
    } else {
        blot.saturationLevel = layout.clipLevel;
        blot.backgroundMean = backgroundMean;
    }
    blot.raw = raw;
    blot.scene.rotationDeg = layout.rotationDeg;
    blot.scene.smilePx = frame.smilePx;
    blot.scene.backgroundOffset = background.offset;
    blot.scene.gainCountsPerElectron = params.isIdeal ? 0.0 : noise.gain;
    blot.scene.readNoiseCounts = params.isIdeal ? 0.0 : noise.readNoise;
    blot.scene.noiseSigmaAtBackground = params.isIdeal ? 0.0 : noiseSigma;
    blot.scene.hotPixels = static_cast<int>(hot.size());
    return blot;
}

} // namespace densito
