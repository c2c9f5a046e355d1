#pragma once

#include "core/error.h"
#include "core/image/signal.h"

#include <cstdint>
#include <expected>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>
#include <vector>

namespace densito {

/// How the membrane pieces of a varied blot lie in the image.
enum class PieceArrangement {
    Single,     ///< one piece
    Stacked,    ///< two pieces, one above the other
    SideBySide, ///< two pieces next to each other
    Three       ///< three pieces, stacked or side by side
};

const char* toString(PieceArrangement arrangement); ///< "single", "stacked", ...

/// What a varied blot shows, as bits of VariedBlot::features (for reporting per feature).
enum VariedFeature : std::uint32_t {
    kVariedTouchingLanes = 1u << 0,   ///< some strip's lanes fill >= 95% of the pitch
    kVariedLadder = 1u << 1,          ///< a marker lane at an edge of some strip
    kVariedLadderGap = 1u << 2,       ///< an empty well between a ladder and the samples
    kVariedEmptyWell = 1u << 3,       ///< a sample well without bands
    kVariedStackedSameComb = 1u << 4, ///< pieces above each other cut from one gel
    kVariedStackedTwoGels = 1u << 5,  ///< pieces above each other from different gels
    kVariedSideBySide = 1u << 6,      ///< pieces next to each other
    kVariedThreePieces = 1u << 7,
    kVariedNoGlow = 1u << 8,       ///< membranes at the tray's level: seen only by their bands
    kVariedSeam = 1u << 9,         ///< two pieces touch (a gap of 0-2 px)
    kVariedFillsImage = 1u << 10,  ///< one membrane covering the whole image (no tray)
    kVariedPenMarks = 1u << 11,    ///< pen strokes and handwritten digits
    kVariedPrintedText = 1u << 12, ///< cv::putText labels outside the membranes
    kVariedBubbles = 1u << 13,
    kVariedDust = 1u << 14,
    kVariedEightBit = 1u << 15, ///< exported as 8 bits, scaled and quantised
    kVariedDarkBands = 1u << 16,
    kVariedSaturated = 1u << 17, ///< some band row drawn beyond the clipping level
    kVariedDoublet = 1u << 18,   ///< two band rows 2.5-4 band sigmas apart
    kVariedLaneSmear = 1u << 19, ///< faint signal along the lanes between the rows
    kVariedTilt = 1u << 20,      ///< lanes tilted by more than 0.4 deg
    kVariedSmile = 1u << 21,     ///< band rows bowed by more than a band sigma
};

/// "touching-lanes;ladder;..." for the set bits, in the enum's order.
std::string variedFeaturesText(std::uint32_t features);

/// One well of a strip's comb. Image coordinates: pixel (c, r) has its centre at (c, r).
struct VariedLane {
    int index = 1;        ///< 1-based, left to right within its strip
    double xCenterPx = 0; ///< lane centre at the strip's vertical middle
    double leftPx = 0;    ///< lane edges (half maximum across the lane) at the vertical middle
    double rightPx = 0;
    bool isLadder = false; ///< a molecular-weight marker lane
    bool isEmpty = false;  ///< a well without bands (no signal in it)
};

/// One band row of a strip's sample lanes (ladder bands have their own positions).
struct VariedRow {
    /// Peak of the row's bands at the comb's middle (where the smile is 0); each band is then
    /// moved by up to about 0.3 sigma on its own.
    double yCenterPx = 0;
    double sigmaPx = 0;       ///< Gaussian sigma along the migration
    double tauPx = 0;         ///< exponential tail toward the wells (up)
    bool isDoublet = false;   ///< one of a close pair
    bool isSaturated = false; ///< drawn beyond the clipping level
};

/// One drawn band and the volume Densito should measure for it. Ladder bands are listed too
/// (isLadder); they are no sample's bands.
struct VariedBand {
    int strip = 1; ///< VariedStrip::index
    int lane = 1;  ///< VariedLane::index of its well
    int row = 0;   ///< 1-based index into VariedStrip::rows; 0 for a ladder band
    bool isLadder = false;
    double xCenterPx = 0; ///< centre across the lane, at yPeakPx
    /// Where the band peaks along its lane's centre line: the row's y moved by the band's own
    /// jitter, the smile at its lane, and the tail (which pulls the maximum toward the wells).
    double yPeakPx = 0;
    double heightPx = 0; ///< full width at half maximum along the lane, at the lane centre
    /// Sum of the counts the band adds to the image, before artefacts, noise, clipping and
    /// export: light-band counts, down to half a percent of its peak (where drawing stops).
    double volumeCounts = 0;
    /// The same in the analysed signal's units (what Densito's Band::volume should read):
    /// volumeCounts * VariedScene::signalPerCount.
    double volume = 0;
    /// The image clips where the band carries at least a tenth of its peak: the drawn counts
    /// (background and neighbours included) reach the detector's clipping level or, in an
    /// 8-bit export, the count mapped to 255. Its volume cannot be measured.
    bool isSaturated = false;
    /// What pen marks, bubbles and dust changed, in counts, summed where the band has signal
    /// (negative: a bubble took signal away). 0 for a band no artefact touched.
    double artefactCounts = 0;
};

/// One membrane piece with its comb, rows and what was drawn for it.
struct VariedStrip {
    int index = 1;   ///< 1-based, top to bottom, then left to right
    cv::Rect region; ///< the membrane piece, in image pixels
    int gel = 1;     ///< pieces with the same gel share the comb (their lanes line up)
    double pitchPx = 0;
    double fill = 0;       ///< lane width (half maximum) / pitch
    double slope = 0;      ///< dx/dy of the lane centre lines
    double smilePx = 0;    ///< rows move down by this much at the comb ends (up when negative)
    double glowCounts = 0; ///< membrane level above the tray, light-band counts
    std::vector<VariedLane> lanes;      ///< every well, ladders and empty wells included
    std::vector<VariedRow> rows;        ///< top to bottom
    std::vector<double> ladderBandsYPx; ///< peaks of the ladder bands, top to bottom
    std::vector<VariedBand> bands;      ///< every drawn band, by lane, then top to bottom

    int signalLanes() const; ///< lanes that are not empty (ladders included)
};

/// Every scene-wide choice the seed drew, for diagnosis.
struct VariedScene {
    PieceArrangement arrangement = PieceArrangement::Single;
    bool isSameGel = false; ///< stacked or three stacked pieces cut from one gel
    bool isThreeStacked = false;
    int gapPx = 0;         ///< between neighbouring pieces
    cv::Rect content;      ///< box of all pieces
    double trayCounts = 0; ///< tray level, light-band counts
    double gradientX = 0;  ///< background rise across the image, fraction of the level
    double gradientY = 0;
    double gainCountsPerElectron = 0;
    double readNoiseCounts = 0;
    double noiseSigmaAtTray = 0;
    double clipLevel = 65535;    ///< light-band counts at which the detector clips
    double bandPeakCounts = 0;   ///< strongest unsaturated band's peak above the membrane
    double exportLowCounts = 0;  ///< 8-bit export: counts mapped to 0 (light bands) ...
    double exportHighCounts = 0; ///< ... and to 255
    /// Analysed signal units per light-band count: 1 for 16 bits (dark bands are inverted
    /// from the type maximum), 255 / (exportHighCounts - exportLowCounts) for 8 bits.
    double signalPerCount = 1;
    int penMarks = 0;
    int texts = 0;
    int bubbles = 0;
    int dustSpecks = 0;
    std::vector<std::string> textsDrawn;
};

/// Overrides of the drawn choices; nullopt draws. A given override replaces the drawn value
/// without changing any other random draw, except the ones that depend on it.
struct VariedBlotParams {
    std::uint64_t seed = 1;
    std::optional<PieceArrangement> arrangement;
    std::optional<int> lanesPerPiece; ///< 2..20 wells in every comb
    std::optional<bool> hasGlow;
    std::optional<Polarity> polarity;
    std::optional<bool> isEightBit;
    bool hasArtefacts = true; ///< false: no pen marks, text, bubbles or dust
    /// The two below are for checking the truth against the pixels; neither changes a draw.
    bool hasNoise = true; ///< false: no shot or read noise (the counts rounded)
    bool hasBands = true; ///< false: the same scene without its bands (and no VariedBand)
};

/// A generated varied blot and its truth.
struct VariedBlot {
    cv::Mat raw; ///< CV_16UC1 or CV_8UC1, as an imager or an export writes it
    Polarity polarity = Polarity::LightBands;
    int bitsPerSample = 16;
    std::vector<VariedStrip> strips; ///< by index
    std::uint32_t features = 0;      ///< VariedFeature bits
    VariedScene scene;
    VariedBlotParams params; ///< as given
};

/// Renders a Western blot scene drawn far more widely than generateSyntheticBlot's profiles,
/// for judging strip and lane detection on pictures it was not tuned on: one to three
/// membrane pieces (stacked from one gel or two, side by side), glowing or not above the
/// tray, 2-20 wells per comb at a 12-120 px pitch with lanes filling 50-100% of it, empty
/// wells, marker ladders at either edge (6-10 sharp bands spaced log-linearly in molecular
/// weight), 1-6 band rows with doublets and saturation, pen marks, printed labels, bubbles and
/// dust, 16-bit or 8-bit export, light or dark bands; 300-3000 px per side. Every drawn choice
/// is in the result. Deterministic for the parameters with any standard library (SynthRandom).
/// Errors: overrides outside their ranges.
std::expected<VariedBlot, Error> generateVariedBlot(const VariedBlotParams& params);

/// generateVariedBlot with every choice drawn from `seed`.
std::expected<VariedBlot, Error> generateVariedBlot(std::uint64_t seed);

/// One line naming the drawn choices (arrangement, per strip lanes, pitch, fill, ladders,
/// empty wells, rows; glow, export), for reports.
std::string describeVariedBlot(const VariedBlot& blot);

} // namespace densito
