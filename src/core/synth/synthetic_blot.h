#pragma once

#include "core/error.h"
#include "core/image/signal.h"

#include <cstdint>
#include <expected>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string_view>
#include <vector>

namespace densito {

/// How demanding a synthetic blot is.
enum class SynthProfile {
    Clean,     ///< small (400-800 px wide), straight, flat background, low noise, separated bands
    Realistic, ///< 480-4000 px, smile, rotation <= 1 deg, gradients, blotches, smears, saturation
    Hard       ///< 400-4000 px, rotation <= 1.5 deg, doublets, dust, hot pixels, strong noise
};

const char* toString(SynthProfile profile); ///< "clean", "realistic", "hard"
std::optional<SynthProfile> parseSynthProfile(std::string_view text);

/// An explicit band row (SynthParams::rows): where it runs down the gel and how sharp it is.
struct SynthRow {
    /// Row centre between the highest and the lowest place a band of the gel can take
    /// (0: nearest the wells, 1: nearest the gel bottom); smile is added as usual.
    double positionFraction = 0.5;
    double sigmaScale = 1; ///< times the drawn band sigma; 0.05..4 (markers are sharper)
};

/// What to generate. Every override left at 0 (or nullopt) is drawn from the profile by the
/// seed; a given override replaces the drawn value without changing any other random draw
/// that does not depend on it, so the resolved parameters reproduce the same image.
/// The explicit layout (rows, bandVolumes) and the placement and imaging fields exist for
/// images of one membrane that must share their lanes and band positions (the sample
/// experiment: a phospho, a total and a loading image of the same lanes).
struct SynthParams {
    std::uint64_t seed = 1;
    SynthProfile profile = SynthProfile::Realistic;
    Polarity polarity = Polarity::LightBands;
    int widthPx = 0;  ///< 64..16384; 0: drawn
    int heightPx = 0; ///< 64..16384; 0: drawn
    int lanes = 0;    ///< 1..64 with a lane pitch of at least 10 px; 0: drawn
    int bandRows = 0; ///< 1..12; 0: drawn
    /// Push at least one band row over the clipping level; nullopt: drawn (never in `clean`).
    std::optional<bool> saturate;
    /// Noise-free variant for checking the truth: a flat whole-count background and nothing
    /// else besides the bands (no gradients, blotches, smears, dust, hot pixels, shot or read
    /// noise, no clipping). Then raw = background + the sum of the bands' counts, exactly.
    bool isIdeal = false;

    /// Band rows given top to bottom instead of drawn (no doublet is drawn, no row is moved
    /// to fit); empty: drawn. bandRows must then be 0 or their count.
    std::vector<SynthRow> rows;
    /// The band volumes asked for, [lane][row], in signal counts; 0 leaves the band out.
    /// Empty: drawn. Every lane needs the same number of rows; lanes and bandRows must be 0
    /// or match. Each band keeps its volume (TrueBand::volume differs only by the rounding
    /// of its pixels to whole counts, and by what falls outside the image); nothing is
    /// scaled to avoid clipping and `saturate` is ignored: a band clips when its volume,
    /// shape and background reach the clipping level.
    std::vector<std::vector<double>> bandVolumes;
    /// Seed of the imaging (background, blotches, smears, dust, hot pixels, noise, which rows
    /// are pushed into saturation); 0: `seed`. Another imaging seed with the same `seed` and
    /// layout is the same membrane imaged again.
    std::uint64_t imagingSeed = 0;
    /// The membrane laid on the imager once more (strip and re-probe): the whole scene is
    /// rotated by this much more about the image centre, in the sense of
    /// SynthScene::rotationDeg, then shifted; lanes and rows keep their place on the
    /// membrane. |rotation| <= 5 deg, |shift| <= a quarter of the side.
    double placementRotationDeg = 0;
    double placementShiftXPx = 0;
    double placementShiftYPx = 0;
    /// Flat part of the background in light-band counts, 0..30000; nullopt: drawn.
    std::optional<double> backgroundOffset;
    /// Background rise from the left to the right edge as a fraction of the flat part,
    /// -2..2 (an unevenly lit or unevenly wetted membrane); nullopt: drawn. Ignored in ideal
    /// images, whose background stays flat.
    std::optional<double> backgroundGradient;
};

/// One lane as generated. Image coordinates: pixel (c, r) has its centre at (c, r); x right,
/// y down. Horizontal positions are taken along the image row at the vertical middle,
/// y = (height - 1) / 2.
struct TrueLane {
    int index = 0;        ///< 1-based, left to right
    double xCenterPx = 0; ///< lane centre line at the vertical middle
    double widthPx = 0;   ///< rightPx - leftPx
    double leftPx = 0;    ///< where the lane's across-lane profile falls to half its top
    double rightPx = 0;
};

/// One band as generated; the truth a measurement is compared with.
struct TrueBand {
    int lane = 0;         ///< TrueLane::index
    int row = 0;          ///< band row, 1-based top to bottom, shared across lanes
    double xCenterPx = 0; ///< centroid of this band's own signal
    double yCenterPx = 0; ///< centroid of this band's own signal (the tail pulls it upward)
    double sigmaYPx = 0;  ///< Gaussian sigma of the band along the migration direction
    double tauYPx = 0;    ///< exponential tail length toward the wells (0: plain Gaussian)
    double widthPx = 0;   ///< full width at half maximum across the lane, along the image row
    /// Sum over all pixels of this band's own signal, in signal counts (raw counts for light
    /// bands, 65535 - raw for dark), before noise and clipping; overlapping neighbours,
    /// background, smears and dust are not part of it. Always a whole number (see box).
    double volume = 0;
    double peak = 0; ///< largest value of this band's own signal in any pixel, counts
    /// Pixels where this band has signal and the raw value is clipped at the saturation
    /// level (hot pixels, which are not band signal, are left out); > 0 marks a saturated
    /// band. A weak band overlapping a clipped neighbour counts the shared clipped pixels.
    int saturatedPixels = 0;
    /// Bounding box of every pixel this band adds signal to. The band's shape is tapered
    /// smoothly to exactly zero between 2% and 1% of its peak amplitude, so its signal is
    /// non-zero only where the shape exceeds 1% of the peak, and the box holds all of it:
    /// the sum of the band's signal over the box is its volume.
    cv::Rect box;
};

/// The scene parameters the seed drew, recorded with the truth for diagnosis.
struct SynthScene {
    /// Gel rotation about the image centre, counter-clockwise, placement rotation included.
    double rotationDeg = 0;
    double smilePx = 0;          ///< band y shift at the gel edges relative to the centre
    double backgroundOffset = 0; ///< flat part of the background, light-band counts
    double gainCountsPerElectron = 0;
    double readNoiseCounts = 0;
    double noiseSigmaAtBackground = 0; ///< sqrt(gain * offset + read noise^2), counts
    int blotches = 0;
    int dustSpecks = 0;
    int hotPixels = 0;
};

/// A generated blot and its exact truth.
struct SyntheticBlot {
    cv::Mat raw; ///< CV_16UC1, as an imager (or an inverting export) writes it
    Polarity polarity = Polarity::LightBands;
    /// Raw value at which pixels clip: light bands clip at >= it (65535 or a detector level
    /// below it), dark bands at <= it (65535 minus that level). Reported even when no pixel
    /// reaches it, so an analyser cannot always see it in the image.
    double saturationLevel = 65535;
    /// Mean over the image of everything that is not band signal (offset, gradients,
    /// blotches, smears, dust) before noise, in this image's raw values.
    double backgroundMean = 0;
    std::vector<TrueLane> lanes; ///< by index
    std::vector<TrueBand> bands; ///< by lane, then row
    SynthParams params;          ///< with every drawn value filled in
    SynthScene scene;
};

/// Renders a chemiluminescence Western blot with exact ground truth: lanes with varying
/// pitch and width and a flat-topped, soft-edged profile across the lane; bands shaped as
/// exponentially modified Gaussians along the migration (tail toward the wells); smile and
/// rotation; background offset, gradients, blotches and lane smears; Poisson shot noise
/// (Gaussian approximation above 30 electrons) and Gaussian read noise; dust and hot pixels;
/// optional clipping. Deterministic for the parameters, with any standard library.
/// Each band is rendered on its own and rounded to whole counts before the bands are added
/// up, so the truth volume is exactly what the band put into the image.
/// Errors: overrides outside their ranges. A 4000x3000 image takes well under a second.
std::expected<SyntheticBlot, Error> generateSyntheticBlot(const SynthParams& params);

} // namespace densito
