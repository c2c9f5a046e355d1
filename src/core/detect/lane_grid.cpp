#include "core/detect/lane_grid.h"

#include "core/detect/profile_tools.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <opencv2/core.hpp>

namespace densito {
namespace {

/// Band rows in a form where the gain of any lane box costs one pass over the rows: prefix
/// sums along x, stored column by column (prefix[x * rows + r] = sum of row r over [0, x)).
struct RowEvidence {
    int width = 0;
    int rows = 0;
    std::vector<double> prefix;
    double blockNoiseVariance = 0.0; ///< variance of one column of one block row, pure noise
    double excessEnergy = 0.0;       ///< squared signal above the noise's expectation
    double totalEnergy = 0.0;        ///< sum of squares of the block rows (less the pedestal)
    std::vector<std::vector<double>> lines; ///< the block rows kept, less the pedestal
    /// Prefix sums along x of the block rows projected on the strip's row pattern (the unit
    /// vector of each block row's positive signal), one per vertical shift of the pattern from
    /// -kPatternShift to +kPatternShift block rows: where a lane's bands line up with the
    /// strip's rows, allowing for smile and tilt.
    std::vector<std::vector<double>> patternPrefixes;
    /// Prefix sums along x of the squared block rows (kept rows only), for boxEnergy().
    std::vector<double> squaresPrefix;

    /// Sum of squares of the kept block rows over the box [a, b).
    double boxEnergy(int a, int b) const {
        return squaresPrefix[static_cast<std::size_t>(b)] -
               squaresPrefix[static_cast<std::size_t>(a)];
    }

    /// The mean signal of the box [a, b) on the strip's band rows, at the best shift.
    double amplitude(int a, int b) const {
        double best = -std::numeric_limits<double>::infinity();
        for (const std::vector<double>& shifted : patternPrefixes) {
            best = std::max(best, shifted[static_cast<std::size_t>(b)] -
                                      shifted[static_cast<std::size_t>(a)]);
        }
        return best / (b - a);
    }

    /// sum_r max(S_r, 0)^2 / (b - a) for the box [a, b): the squared signal a flat lane box
    /// explains. Rows where the box is darker than the pedestal explain nothing (a lane is
    /// never darker than the membrane).
    double gain(int a, int b) const {
        const double* left =
            prefix.data() + static_cast<std::size_t>(a) * static_cast<std::size_t>(rows);
        const double* right =
            prefix.data() + static_cast<std::size_t>(b) * static_cast<std::size_t>(rows);
        double total = 0.0;
        for (int r = 0; r < rows; ++r) {
            const double s = right[r] - left[r];
            if (s > 0.0) {
                total += s * s;
            }
        }
        return total / (b - a);
    }
};

/// Bands of one row may sit up to 4 block rows (about 4% of the strip's height) higher or
/// lower from lane to lane: smile, and tilt of about a degree across a strip three times as
/// wide as high.
constexpr int kPatternShift = 4;

/// Rows averaged in blocks (at most 96 block rows: a band is at least about 1% of a strip's
/// height, so it still fills a block), less the pedestal (the median of the crop: rectified
/// noise under the bands, which cover a minority of a strip). Block rows without any band
/// (nowhere 5 noise sigmas above the pedestal over 5 columns) are left out: they would only
/// add noise to every lane's gain.
RowEvidence makeRowEvidence(const cv::Mat& bands, double pixelNoise) {
    RowEvidence evidence;
    const int height = bands.rows;
    const int width = bands.cols;
    evidence.width = width;
    std::vector<float> values;
    values.reserve(bands.total());
    for (int y = 0; y < height; ++y) {
        const float* row = bands.ptr<float>(y);
        values.insert(values.end(), row, row + width);
    }
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    const double pedestal = static_cast<double>(*middle);
    const auto high = values.begin() + static_cast<std::ptrdiff_t>(values.size() * 99 / 100);
    std::nth_element(values.begin(), high, values.end());
    // A noiseless picture still has quantisation: a floor of a thousandth of the strong
    // signal keeps the penalty above rounding.
    const double noise = std::max(pixelNoise, 1e-3 * (static_cast<double>(*high) - pedestal));
    const int block = std::max(1, (height + 95) / 96);
    evidence.blockNoiseVariance = noise * noise / block;
    const double blockNoise = std::sqrt(evidence.blockNoiseVariance);

    std::vector<std::vector<double>> kept;
    std::vector<std::vector<double>> all;
    std::vector<double> line(static_cast<std::size_t>(width));
    for (int y0 = 0; y0 < height; y0 += block) {
        const int y1 = std::min(height, y0 + block);
        std::fill(line.begin(), line.end(), 0.0);
        for (int y = y0; y < y1; ++y) {
            const float* row = bands.ptr<float>(y);
            for (int x = 0; x < width; ++x) {
                line[static_cast<std::size_t>(x)] += static_cast<double>(row[x]);
            }
        }
        double running = 0.0;
        double highest = -std::numeric_limits<double>::infinity();
        for (int x = 0; x < width; ++x) {
            double& v = line[static_cast<std::size_t>(x)];
            v = v / (y1 - y0) - pedestal;
            running += v;
            if (x >= 5) {
                running -= line[static_cast<std::size_t>(x - 5)];
            }
            if (x >= 4) {
                highest = std::max(highest, running / 5.0);
            }
        }
        if (highest > 5.0 * blockNoise / std::sqrt(5.0)) {
            kept.push_back(line);
        }
        all.push_back(line);
    }
    evidence.rows = static_cast<int>(kept.size());
    evidence.prefix.assign(static_cast<std::size_t>(width + 1) * kept.size(), 0.0);
    evidence.squaresPrefix.assign(static_cast<std::size_t>(width + 1), 0.0);
    for (int x = 0; x < width; ++x) {
        double column = 0.0;
        for (const std::vector<double>& row : kept) {
            column += row[static_cast<std::size_t>(x)] * row[static_cast<std::size_t>(x)];
        }
        evidence.squaresPrefix[static_cast<std::size_t>(x + 1)] =
            evidence.squaresPrefix[static_cast<std::size_t>(x)] + column;
    }
    double energy = 0.0;
    for (std::size_t r = 0; r < kept.size(); ++r) {
        double sum = 0.0;
        for (int x = 0; x < width; ++x) {
            const double v = kept[r][static_cast<std::size_t>(x)];
            sum += v;
            evidence.prefix[static_cast<std::size_t>(x + 1) * kept.size() + r] = sum;
            if (v > 0.0) {
                energy += v * v;
            }
            evidence.totalEnergy += v * v;
        }
    }
    // max(noise, 0)^2 has expectation sigma^2 / 2 per pixel.
    evidence.excessEnergy =
        energy - 0.5 * evidence.blockNoiseVariance * width * static_cast<double>(kept.size());
    std::vector<double> pattern(all.size(), 0.0);
    double norm = 0.0;
    for (std::size_t r = 0; r < all.size(); ++r) {
        for (const double v : all[r]) {
            pattern[r] += std::max(v, 0.0);
        }
        norm += pattern[r] * pattern[r];
    }
    const double unit = norm > 0.0 ? 1.0 / std::sqrt(norm) : 0.0;
    const int blocks = static_cast<int>(all.size());
    for (int shift = -kPatternShift; shift <= kPatternShift; ++shift) {
        std::vector<double> prefix(static_cast<std::size_t>(width + 1), 0.0);
        for (int x = 0; x < width; ++x) {
            double projected = 0.0;
            for (int r = std::max(0, -shift); r < blocks && r + shift < blocks; ++r) {
                projected += pattern[static_cast<std::size_t>(r + shift)] *
                             all[static_cast<std::size_t>(r)][static_cast<std::size_t>(x)];
            }
            prefix[static_cast<std::size_t>(x + 1)] =
                prefix[static_cast<std::size_t>(x)] + projected * unit;
        }
        evidence.patternPrefixes.push_back(std::move(prefix));
    }
    evidence.lines = std::move(kept);
    return evidence;
}

/// One comb hypothesis: lane k is the box of `width` centred on centre + k * pitch (rounded).
struct Comb {
    double pitch = 0.0;
    double centre = 0.0;
    int width = 0;
};

int boxStart(const Comb& comb, int k) {
    return static_cast<int>(std::lround(comb.centre + k * comb.pitch - 0.5 * comb.width));
}

/// Every lane position of a comb that fits inside the crop: its gain, its amplitude, and its
/// amplitude where its bands line up with the strip's band rows (0 elsewhere).
struct LaneTerms {
    std::vector<double> gains;
    std::vector<double> amplitudes;
    std::vector<double> alignedAmplitudes;
};

/// A lane's bands line up with the strip's band rows when the cosine between its per-row
/// signal and the strip's row pattern is at least 0.6: a lane holding every band row of the
/// strip scores above 0.9, one that lacks one of three equal rows 0.82, one with a single row
/// of three 0.58 only if that row dominates the pattern. Pen marks, a membrane's rim, bubbles
/// and text fall on rows of their own and score below 0.5.
constexpr double kMinRowAlignment = 0.6;

/// A band spans most of its lane: the share of the box's squared signal that a per-row mean
/// explains (1 for a flat band across the box) is at least 0.5. A lane whose profile is a
/// raised cosine filling the box scores 2/3; a stroke, an edge or a dust speck covering a
/// fifth of the box scores at most 0.2.
constexpr double kMinBandFill = 0.5;

void laneTerms(const RowEvidence& evidence, const Comb& comb, LaneTerms& terms) {
    terms.gains.clear();
    terms.amplitudes.clear();
    terms.alignedAmplitudes.clear();
    for (int k = 0;; ++k) {
        const int a = boxStart(comb, k);
        if (a + comb.width > evidence.width) {
            break;
        }
        const double gain = evidence.gain(a, a + comb.width);
        const double amplitude = evidence.amplitude(a, a + comb.width);
        // cosine = (s . u) / |s| with s the box's per-row sums (positive part) and u the unit
        // row pattern: amplitude * width / sqrt(gain * width).
        const double alignment = gain > 0.0 ? amplitude * std::sqrt(comb.width / gain) : 0.0;
        terms.gains.push_back(gain);
        terms.amplitudes.push_back(amplitude);
        const double energy = evidence.boxEnergy(a, a + comb.width);
        const double fill = energy > 0.0 ? gain / energy : 0.0;
        terms.alignedAmplitudes.push_back(
            alignment >= kMinRowAlignment && fill >= kMinBandFill ? amplitude : 0.0);
    }
}

struct CombScore {
    double score = -std::numeric_limits<double>::infinity();
    int first = 0; ///< first lane of the chosen range (index into the comb's positions)
    int count = 0;
};

/// The lanes of a comb: the contiguous range maximising sum(aligned amplitude - threshold),
/// `threshold` being the mean signal on the band rows a lane at the end needs (Kadane: lanes
/// whose bands line up with the strip's rows; an empty well between them is bridged), or with
/// `expected` > 0 the window of exactly that many lanes with the most aligned signal. The
/// range scores minus half the BIC: -(N/2) log(RSS / N) - (parameters / 2) log N, the residual
/// being what the lanes' per-row means leave unexplained. The residual variance is estimated
/// from the fit, not taken from the pixel noise: lanes are not flat boxes, and a penalty
/// measured against that misfit, not against the noise, keeps a finer comb from winning by
/// tiling the lanes' rounded profiles.
CombScore scoreComb(const RowEvidence& evidence, const LaneTerms& terms, double threshold,
                    int expected) {
    CombScore chosen;
    const int n = static_cast<int>(terms.amplitudes.size());
    if (expected > 0) {
        if (n < expected) {
            return chosen;
        }
        double window = 0.0;
        double best = -std::numeric_limits<double>::infinity();
        for (int k = 0; k < n; ++k) {
            window += terms.alignedAmplitudes[static_cast<std::size_t>(k)];
            if (k >= expected) {
                window -= terms.alignedAmplitudes[static_cast<std::size_t>(k - expected)];
            }
            if (k >= expected - 1 && window > best) {
                best = window;
                chosen.first = k - expected + 1;
                chosen.count = expected;
            }
        }
    } else {
        double running = 0.0;
        double best = 0.0;
        int runStart = 0;
        for (int k = 0; k < n; ++k) {
            if (running <= 0.0) {
                running = 0.0;
                runStart = k;
            }
            running += terms.alignedAmplitudes[static_cast<std::size_t>(k)] - threshold;
            if (running > best) {
                best = running;
                chosen.first = runStart;
                chosen.count = k - runStart + 1;
            }
        }
        if (chosen.count == 0) {
            return chosen;
        }
    }
    double explained = 0.0;
    for (int k = chosen.first; k < chosen.first + chosen.count; ++k) {
        explained += terms.gains[static_cast<std::size_t>(k)];
    }
    // The block rows as `samples` values with `total` squared signal about the pedestal, each
    // lane adding one mean per block row.
    const double rows = evidence.rows;
    const double samples = rows * evidence.width;
    const double total = std::max(evidence.totalEnergy, 1e-300);
    const double residual = std::max(total - explained, 1e-12 * total);
    chosen.score = -0.5 * samples * std::log(residual / samples) -
                   0.5 * (chosen.count * rows + 3.0) * std::log(samples);
    return chosen;
}

struct Hypothesis {
    Comb comb;
    CombScore range;
};

/// The best comb of one pitch over first centres (steps of a twentieth of the pitch, 1 to 3
/// pixels: refine() takes it to the pixel) and widths (a third of the pitch to all of it: lanes
/// from narrow wells with wide gaps to lanes that touch).
Hypothesis bestAtPitch(const RowEvidence& evidence, double pitch, double threshold, int expected,
                       LaneTerms& terms) {
    static constexpr double kWidthShares[] = {0.35, 0.5, 0.65, 0.8, 0.9, 1.0};
    Hypothesis best;
    const double step = std::clamp(pitch / 20.0, 1.0, 3.0);
    for (const double share : kWidthShares) {
        const int width = std::max(2, static_cast<int>(std::lround(share * pitch)));
        for (double centre = 0.5 * width; centre < 0.5 * width + pitch; centre += step) {
            const Comb comb{pitch, centre, width};
            laneTerms(evidence, comb, terms);
            const CombScore range = scoreComb(evidence, terms, threshold, expected);
            if (range.score > best.range.score) {
                best = {comb, range};
            }
        }
    }
    return best;
}

/// Around the coarse best, coordinate by coordinate, twice: pitch within 3% (steps of 0.2%)
/// with the first centre within 3 pixels, then the width pixel by pixel within a tenth of the
/// pitch.
Hypothesis refine(const RowEvidence& evidence, const Hypothesis& coarse, double threshold,
                  int expected, LaneTerms& terms) {
    Hypothesis best = coarse;
    auto consider = [&](const Comb& comb) {
        if (comb.width < 2 || comb.width > static_cast<int>(std::ceil(comb.pitch)) ||
            boxStart(comb, 0) < 0) {
            return;
        }
        laneTerms(evidence, comb, terms);
        const CombScore range = scoreComb(evidence, terms, threshold, expected);
        if (range.score > best.range.score) {
            best = {comb, range};
        }
    };
    for (int pass = 0; pass < 2; ++pass) {
        const Comb around = best.comb;
        for (int i = -15; i <= 15; ++i) {
            for (int ds = -3; ds <= 3; ++ds) {
                consider({around.pitch * (1.0 + 0.002 * i), around.centre + ds, around.width});
            }
        }
        const Comb placed = best.comb;
        const int reach = std::max(1, static_cast<int>(std::lround(0.1 * placed.pitch)));
        for (int dw = -reach; dw <= reach; ++dw) {
            consider({placed.pitch, placed.centre, placed.width + dw});
        }
    }
    return best;
}

/// How much the band rows' horizontal changes repeat at each lag, summed over the rows and
/// normalised to 1 at lag 0. Changes, not levels: the ends of bands (a lane's edges, the kink
/// where touching bands meet) repeat at the pitch, while the plateau of a band row and slow
/// trends across the gel do not. Rows agree, so a row whose bands touch adds its kinks to the
/// clear gaps of the others.
std::vector<double> edgeAutocorrelation(const RowEvidence& evidence) {
    const int width = evidence.width;
    const int maxLag = width / 2 + 1;
    std::vector<double> correlation(static_cast<std::size_t>(maxLag + 1), 0.0);
    if (evidence.lines.empty()) {
        return correlation;
    }
    // Summed over rows through the power spectrum (Wiener-Khinchin): each row's changes,
    // zero-padded to twice the width so that the circular correlation is the linear one.
    const int padded = cv::getOptimalDFTSize(2 * width);
    cv::Mat changes(static_cast<int>(evidence.lines.size()), padded, CV_64F, cv::Scalar(0.0));
    for (std::size_t r = 0; r < evidence.lines.size(); ++r) {
        // Smoothed by a pixel first: the difference of raw neighbours is mostly noise.
        const std::vector<double> smooth = gaussianSmooth(evidence.lines[r], 1.0);
        double* row = changes.ptr<double>(static_cast<int>(r));
        for (int x = 1; x + 1 < width; ++x) {
            row[x] =
                smooth[static_cast<std::size_t>(x + 1)] - smooth[static_cast<std::size_t>(x - 1)];
        }
    }
    cv::Mat spectra;
    cv::dft(changes, spectra, cv::DFT_ROWS);
    cv::Mat power;
    cv::mulSpectrums(spectra, spectra, power, cv::DFT_ROWS, true);
    cv::Mat summed;
    cv::reduce(power, summed, 0, cv::REDUCE_SUM, CV_64F);
    cv::Mat lagged;
    cv::dft(summed, lagged, cv::DFT_INVERSE | cv::DFT_REAL_OUTPUT | cv::DFT_SCALE);
    for (int lag = 0; lag <= maxLag && lag < width; ++lag) {
        correlation[static_cast<std::size_t>(lag)] = lagged.at<double>(0, lag) / (width - lag);
    }
    if (correlation.front() > 0.0) {
        const double zero = correlation.front();
        for (double& c : correlation) {
            c /= zero;
        }
    }
    return correlation;
}

/// The lane pitch from the row autocorrelation, as in pitch detection (the fundamental, not a
/// multiple): the first local maximum that reaches 35% of the highest (a
/// multiple of the pitch correlates about as well as the pitch itself, and better when lanes
/// alternate in strength), from `minLag` on. 0 when nothing repeats (one or two lanes).
double fundamentalPitch(const std::vector<double>& correlation, int minLag, double& strength) {
    std::vector<int> maxima;
    const int last = static_cast<int>(correlation.size()) - 2;
    for (int lag = std::max(minLag, 1); lag <= last; ++lag) {
        const double c = correlation[static_cast<std::size_t>(lag)];
        if (c > 0.0 && c >= correlation[static_cast<std::size_t>(lag - 1)] &&
            c >= correlation[static_cast<std::size_t>(lag + 1)]) {
            maxima.push_back(lag);
        }
    }
    double highest = 0.0;
    for (const int lag : maxima) {
        highest = std::max(highest, correlation[static_cast<std::size_t>(lag)]);
    }
    strength = 0.0;
    for (const int lag : maxima) {
        const double c = correlation[static_cast<std::size_t>(lag)];
        if (c >= 0.35 * highest) {
            strength = c;
            // Sub-pixel: the vertex of the parabola through the peak and its neighbours.
            const double before = correlation[static_cast<std::size_t>(lag - 1)];
            const double after = correlation[static_cast<std::size_t>(lag + 1)];
            const double curvature = before - 2.0 * c + after;
            return curvature < 0.0 ? lag + std::clamp(0.5 * (before - after) / curvature, -0.5, 0.5)
                                   : lag;
        }
    }
    return 0.0;
}

/// A marker set shows 8 to 12 bands over about one and a half decades of mass; at detection
/// scale at least 5 of them are resolved. A sample lane of a western blot shows one to a few.
constexpr int kMinLadderBands = 5;

/// The centre of a ladder lane near `centre` (within half a pitch), or nothing. Its extent is
/// the run of columns around the strongest one holding 30% of that column's signal; it must be
/// at least 0.3 of a pitch wide (not a stroke, an edge or a speck), and its mean column must
/// show kMinLadderBands separate bands: peaks with a prominence of 5 noise sigmas and a tenth
/// of its highest, no taller than three typical band heights (not a smear or a blob). Its
/// strongest band reaches a fifth of `lanePeak`, the highest band of the sample lanes: a marker
/// visible on the image is loaded to be seen; traces, pen marks and texture beside a strip are
/// fainter.
std::optional<double> ladderNear(const cv::Mat& bands, double centre, double pitch,
                                 double bandHeight, double pixelNoise, double lanePeak) {
    const int from = std::max(0, static_cast<int>(std::lround(centre - 0.5 * pitch)));
    const int to = std::min(bands.cols - 1, static_cast<int>(std::lround(centre + 0.5 * pitch)));
    if (to - from < 2) {
        return std::nullopt;
    }
    std::vector<double> columns;
    for (int x = from; x <= to; ++x) {
        columns.push_back(cv::sum(bands.col(x))[0]);
    }
    const auto strongest = std::max_element(columns.begin(), columns.end());
    if (!(*strongest > 0.0)) {
        return std::nullopt;
    }
    std::size_t left = static_cast<std::size_t>(strongest - columns.begin());
    std::size_t right = left;
    while (left > 0 && columns[left - 1] >= 0.3 * *strongest) {
        --left;
    }
    while (right + 1 < columns.size() && columns[right + 1] >= 0.3 * *strongest) {
        ++right;
    }
    const int width = static_cast<int>(right - left) + 1;
    if (width < 0.3 * pitch) {
        return std::nullopt;
    }
    std::vector<double> profile(static_cast<std::size_t>(bands.rows), 0.0);
    const int x0 = from + static_cast<int>(left);
    for (int y = 0; y < bands.rows; ++y) {
        const float* row = bands.ptr<float>(y);
        double sum = 0.0;
        for (int x = x0; x < x0 + width; ++x) {
            sum += static_cast<double>(row[x]);
        }
        profile[static_cast<std::size_t>(y)] = sum / width;
    }
    profile = gaussianSmooth(profile, 1.0);
    const double highest = *std::max_element(profile.begin(), profile.end());
    if (highest < 0.2 * lanePeak) {
        return std::nullopt;
    }
    const double floor =
        std::max(5.0 * pixelNoise / std::sqrt(static_cast<double>(width)), 0.1 * highest);
    int count = 0;
    for (const ProfilePeak& peak : findPeaks(profile)) {
        if (peak.prominence < floor) {
            continue;
        }
        if (halfProminenceWidth(profile, peak) <= 3.0 * std::max(bandHeight, 1.0)) {
            ++count;
        }
    }
    if (count < kMinLadderBands) {
        return std::nullopt;
    }
    return x0 + 0.5 * (width - 1);
}

} // namespace

BandRowProfile bandRowProfile(const cv::Mat& bands) {
    std::vector<double> sums(static_cast<std::size_t>(bands.rows), 0.0);
    for (int y = 0; y < bands.rows; ++y) {
        sums[static_cast<std::size_t>(y)] = cv::sum(bands.row(y))[0];
    }
    BandRowProfile found;
    found.profile = gaussianSmooth(sums, 1.0);
    const std::vector<ProfilePeak> peaks = findPeaks(found.profile);
    double mostProminent = 0.0;
    for (const ProfilePeak& p : peaks) {
        mostProminent = std::max(mostProminent, p.prominence);
    }
    for (const ProfilePeak& p : peaks) {
        if (p.prominence >= 0.1 * mostProminent) {
            found.rows.push_back(p);
        }
    }
    return found;
}

double typicalBandHeight(const cv::Mat& bands) {
    const BandRowProfile bandRows = bandRowProfile(bands);
    std::vector<double> heights;
    for (const ProfilePeak& row : bandRows.rows) {
        heights.push_back(halfProminenceWidth(bandRows.profile, row));
    }
    return heights.empty() ? 0.0 : median(heights);
}

std::optional<LaneGrid> fitLaneGrid(const cv::Mat& bands, const LaneGridOptions& options) {
    if (bands.cols < 8 || bands.rows < 2) {
        return std::nullopt;
    }
    const RowEvidence evidence = makeRowEvidence(bands, options.pixelNoise);
    if (evidence.rows == 0) {
        return std::nullopt;
    }
    // The pitch is the fundamental repeat of the band rows' edges (never chosen by the comb's
    // score alone, which always gains from more, narrower lanes that tile rounded profiles),
    // refined below within 3% with the count held. Without a repeat: one or two lanes, pitches
    // from 45% of the crop to all of it.
    // Bands are wider than tall and a lane is at least as wide as its bands, so no lane pitch
    // is shorter than the typical band height (nor than 6 reduced pixels, below which lanes
    // cannot be told apart at detection scale); ripples of noise at shorter lags are no pitch.
    const double bandHeight = typicalBandHeight(bands);
    const int minPitch = std::max(6, static_cast<int>(std::ceil(bandHeight)));
    double periodicity = 0.0;
    const double fundamental =
        fundamentalPitch(edgeAutocorrelation(evidence), minPitch, periodicity);
    const double smallest = fundamental > 0.0 ? fundamental : 0.45 * evidence.width;
    const double largest = fundamental > 0.0 ? fundamental : evidence.width;

    const double rows = evidence.rows;
    // A lane moves off the comb only when that explains more than its noise: under pure noise
    // each block row adds max(Z, 0)^2 * variance to a lane's gain (Z standard normal: mean
    // 1/2, variance 5/4); the move must gain the sum's mean plus 4 standard deviations.
    const double moveGain =
        evidence.blockNoiseVariance * (0.5 * rows + 4.0 * std::sqrt(1.25 * rows));
    // A lane at the end of the comb needs bands on the strip's rows 4 noise sigmas above the
    // membrane (for a box half the pitch wide), and at least 3% of the strongest lane's: the
    // dynamic range of a blot (film, or a CCD exposure short enough not to saturate) is about
    // one and a half orders of magnitude, and fainter things at the end of a strip are pen
    // marks, the membrane's rim or stray signal more often than lanes.
    const int halfLane = std::max(2, static_cast<int>(0.5 * (smallest + largest) / 2.0));
    double strongest = 0.0;
    for (int a = 0; a + halfLane <= evidence.width; ++a) {
        strongest = std::max(strongest, evidence.amplitude(a, a + halfLane));
    }
    const double threshold =
        std::max(4.0 * std::sqrt(evidence.blockNoiseVariance / halfLane), 0.03 * strongest);

    LaneTerms terms;
    Hypothesis coarse;
    for (double pitch = smallest; pitch <= largest; pitch *= 1.01) {
        const Hypothesis h = bestAtPitch(evidence, pitch, threshold, options.expectedLanes, terms);
        if (h.range.score > coarse.range.score) {
            coarse = h;
        }
    }
    if (coarse.range.count == 0) {
        return std::nullopt;
    }
    // The count is chosen with the pitch near the fundamental; the pitch, centre and width are
    // then refined with the count held, so that refining aligns the lanes instead of adding a
    // lane.
    Hypothesis best = refine(evidence, coarse, threshold, coarse.range.count, terms);
    if (options.expectedLanes <= 0) {
        // The lanes of the refined comb, chosen afresh: refining moves the lanes at the ends.
        laneTerms(evidence, best.comb, terms);
        best.range = scoreComb(evidence, terms, threshold, 0);
        if (best.range.count == 0) {
            return std::nullopt;
        }
    }

    LaneGrid grid;
    grid.pitch = best.comb.pitch;
    grid.width = best.comb.width;
    grid.periodicity = periodicity;
    laneTerms(evidence, best.comb, terms);

    // Each lane may sit off the comb (gels stretch, wells are cut by hand): moved within an
    // eighth of the pitch where that explains more than noise would and 5% more of the lane's
    // signal (texture moves the optimum of a flat-topped lane by a pixel or two without
    // changing what it holds), else it stays on the comb. Further than an eighth would let
    // touching lanes slide over their neighbours.
    const int eighth = static_cast<int>(0.125 * grid.pitch);
    std::vector<double> shifts;
    double inside = 0.0;
    for (int k = best.range.first; k < best.range.first + best.range.count; ++k) {
        const int a = boxStart(best.comb, k);
        const double onComb = terms.gains[static_cast<std::size_t>(k)];
        int bestShift = 0;
        double bestGain = onComb;
        for (int d = -eighth; d <= eighth; ++d) {
            const int from = a + d;
            if (from < 0 || from + best.comb.width > evidence.width) {
                continue;
            }
            const double g = evidence.gain(from, from + best.comb.width);
            if (g > bestGain) {
                bestGain = g;
                bestShift = d;
            }
        }
        // A lane without signal of its own has nothing to be placed by but the comb.
        const bool hasSignal = terms.alignedAmplitudes[static_cast<std::size_t>(k)] > threshold;
        if (!hasSignal || bestGain - onComb < std::max(moveGain, 0.05 * onComb)) {
            bestShift = 0;
            bestGain = onComb;
        }
        const int from = a + bestShift;
        const double amplitude = evidence.amplitude(from, from + best.comb.width);
        grid.centres.push_back(from + 0.5 * (best.comb.width - 1));
        grid.isLadder.push_back(false);

        grid.evidence.push_back(amplitude / threshold);
        if (amplitude > threshold) {
            ++grid.lanesWithSignal;
        }
        shifts.push_back(std::abs(bestShift) / grid.pitch);
        inside += std::max(0.0, bestGain - 0.5 * rows * evidence.blockNoiseVariance);
    }
    std::nth_element(shifts.begin(),
                     shifts.begin() + static_cast<std::ptrdiff_t>(shifts.size() / 2), shifts.end());
    grid.irregularity = shifts[shifts.size() / 2];
    grid.coverage =
        evidence.excessEnergy > 0.0 ? std::clamp(inside / evidence.excessEnergy, 0.0, 1.0) : 0.0;

    // Ladders: a marker lane's bands lie on rows of their own, so the lanes stop short of a
    // ladder at either end of the gel. One or two comb positions beyond each end (an empty
    // well often separates the marker from the samples) a ladder joins the lanes, with the
    // position between as an empty lane. Only without an expected count: with one, the layout
    // says what the lanes are.
    if (options.expectedLanes <= 0) {
        double lanePeak = 0.0;
        for (const double centre : grid.centres) {
            const int a = std::max(0, static_cast<int>(std::lround(centre - 0.5 * grid.width)));
            const int b = std::min(bands.cols, a + best.comb.width);
            for (int y = 0; y < bands.rows && b > a; ++y) {
                const float* row = bands.ptr<float>(y);
                double sum = 0.0;
                for (int x = a; x < b; ++x) {
                    sum += static_cast<double>(row[x]);
                }
                lanePeak = std::max(lanePeak, sum / (b - a));
            }
        }
        for (const int side : {-1, 1}) {
            for (int step = 1; step <= 2; ++step) {
                const double end = side < 0 ? grid.centres.front() : grid.centres.back();
                const std::optional<double> ladder =
                    ladderNear(bands, end + side * step * grid.pitch, grid.pitch, bandHeight,
                               options.pixelNoise, lanePeak);
                if (!ladder) {
                    continue;
                }
                for (int k = 1; k <= step; ++k) {
                    const double at = k == step ? *ladder : end + side * k * grid.pitch;
                    const auto where = side < 0 ? grid.centres.begin() : grid.centres.end();
                    const auto offset = where - grid.centres.begin();
                    grid.centres.insert(grid.centres.begin() + offset, at);
                    grid.isLadder.insert(grid.isLadder.begin() + offset, k == step);
                    grid.evidence.insert(grid.evidence.begin() + offset, 0.0);
                }
                break;
            }
        }
    }

    // Signal left out next to the lanes: the comb position just beyond either end holds, on
    // the strip's band rows, at least a third of the median lane's signal, yet was not taken
    // (its bands lie off the rows, or do not span the box). A person should look: it may be a
    // lane whose bands differ from the others', or a ladder, or a mark beside the gel.
    std::vector<double> amplitudes;
    for (std::size_t i = 0; i < grid.centres.size(); ++i) {
        if (!grid.isLadder[i] && grid.evidence[i] > 1.0) {
            amplitudes.push_back(grid.evidence[i]);
        }
    }
    const double typical = amplitudes.empty() ? 0.0 : median(amplitudes) * threshold;
    for (const int side : {-1, 1}) {
        const double end = side < 0 ? grid.centres.front() : grid.centres.back();
        const int box = static_cast<int>(std::lround(end + side * grid.pitch - 0.5 * grid.width));
        // A lane cut by the edge of the strip still shows its bands on the part inside: half
        // the box is enough to look at.
        const int from = std::max(box, 0);
        const int to = std::min(box + best.comb.width, evidence.width);
        if (2 * (to - from) >= best.comb.width && typical > 0.0 &&
            evidence.amplitude(from, to) >= typical / 3.0) {
            (side < 0 ? grid.hasSignalLeftOfLanes : grid.hasSignalRightOfLanes) = true;
        }
    }
    return grid;
}

} // namespace densito
