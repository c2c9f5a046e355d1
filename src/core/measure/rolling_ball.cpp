#include "core/measure/rolling_ball.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

namespace densito {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

/// ImageJ's RollingBall: a square patch of the top of a sphere, heights relative to the
/// centre of the sphere, row-major.
struct BallPatch {
    int halfWidth = 0;
    std::vector<float> z;

    int width() const { return 2 * halfWidth + 1; }
    /// The patch row |dy| = k, indexed by dx + halfWidth.
    const float* row(int k) const {
        return z.data() + static_cast<std::ptrdiff_t>(k + halfWidth) * width();
    }
};

int arcTrimPercent(double radiusPx) {
    if (radiusPx <= 30.0) {
        return 24;
    }
    return radiusPx <= 100.0 ? 32 : 40;
}

BallPatch makeBallPatch(double radiusPx, int shrinkFactor) {
    const double smallRadius = std::max(radiusPx / shrinkFactor, 1.0);
    const double rSquare = smallRadius * smallRadius;
    // Java: xtrim = (int)(arcTrimPer*smallballradius)/100; halfWidth = Math.round(r - xtrim).
    const int xTrim = static_cast<int>(arcTrimPercent(radiusPx) * smallRadius) / 100;
    BallPatch ball;
    ball.halfWidth = static_cast<int>(std::floor(smallRadius - xTrim + 0.5));
    const int width = ball.width();
    ball.z.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(width));
    for (int y = 0; y < width; ++y) {
        for (int x = 0; x < width; ++x) {
            const int dx = x - ball.halfWidth;
            const int dy = y - ball.halfWidth;
            const double temp = rSquare - dx * dx - dy * dy;
            ball.z[static_cast<std::size_t>(y * width + x)] =
                temp > 0.0 ? static_cast<float>(std::sqrt(temp)) : 0.0f;
        }
    }
    return ball;
}

/// A continuous CV_32FC1 copy (or the input itself when it already is one), or empty.
cv::Mat floatImage(const cv::Mat& signal) {
    if (signal.empty() || signal.channels() != 1) {
        return {};
    }
    cv::Mat image;
    if (signal.type() == CV_32FC1 && signal.isContinuous()) {
        image = signal;
    } else {
        signal.convertTo(image, CV_32F);
    }
    return image;
}

bool validRadius(double radiusPx) {
    return std::isfinite(radiusPx) && radiusPx > 0.0;
}

/// Splits [0, count) into one band of rows per thread (fewer when a band would be shorter than
/// minRowsPerBand) for cv::parallel_for_. Each output value is a minimum or maximum over a
/// fixed set of float values, so the split never changes the result.
template <typename Body> void forRowBands(int count, int minRowsPerBand, const Body& body) {
    const int bands =
        std::clamp(count / std::max(minRowsPerBand, 1), 1, std::max(cv::getNumThreads(), 1));
    cv::parallel_for_(
        cv::Range(0, bands),
        [&](const cv::Range& range) {
            for (int band = range.start; band < range.end; ++band) {
                const int begin = static_cast<int>(static_cast<long long>(count) * band / bands);
                const int end =
                    static_cast<int>(static_cast<long long>(count) * (band + 1) / bands);
                body(begin, end);
            }
        },
        bands);
}

// The inner loops run over contiguous rows; the clones let the loader pick AVX2 when the
// processor has it without raising the baseline instruction set of the whole build.

[[gnu::target_clones("avx2", "default")]] void minInto(float* acc, const float* row, int length) {
    for (int x = 0; x < length; ++x) {
        acc[x] = std::min(acc[x], row[x]);
    }
}

// Eight floats in a GNU vector: +, - and ?: work element-wise and compile to SIMD (two SSE
// registers in the default clone, one AVX register in the AVX2 clone). The helpers are
// internal and inlined, so the ABI note about passing such vectors without AVX does not apply
// (GCC reports it at the end of the file, so it stays off to the end).
#pragma GCC diagnostic ignored "-Wpsabi"
using Float8 = float __attribute__((vector_size(32)));

inline Float8 load8(const float* p) {
    Float8 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store8(float* p, Float8 v) {
    std::memcpy(p, &v, sizeof v);
}
inline Float8 min8(Float8 a, Float8 b) {
    return b < a ? b : a;
}
inline Float8 max8(Float8 a, Float8 b) {
    return b > a ? b : a;
}

/// Where one row's 1-D erosions (or dilations) by the patch rows go: for |dy| = k, the grown
/// row of centres above (k = 0 included) and below, or null when outside the band of rows.
struct RowTargets {
    std::vector<float*> above;
    std::vector<float*> below;
};

/// Patch rows handled together: their accumulators stay in registers (with AVX2, 8 of the 16).
constexpr int kGroup = 8;

/// For the patch rows k0 .. k0 + G - 1 that have a target: target[x] = min(target[x], min over
/// dx of (src[x + r + dx] - ball(k, dx))), x in [0, length); `src` holds length + 2r values.
/// Ball rows are symmetric, so the taps dx and -dx share one ball value: their pairwise
/// minimum is formed once and serves every k of the group. `Dilate` swaps min for max and -
/// for +. `broadcast` holds ball(k, j) repeated 8 times, at [(k * (r + 1) + j) * 8].
template <bool Dilate, int G>
[[gnu::always_inline]] inline void morphGroup(const float* src, const float* broadcast, int r,
                                              int k0, const RowTargets& targets, int length) {
    const auto pick = [](Float8 a, Float8 b) {
        return Dilate ? max8(a, b) : min8(a, b);
    };
    const auto ballAt = [&](int k, int j) {
        return load8(broadcast + static_cast<std::ptrdiff_t>((k * (r + 1) + j) * 8));
    };
    int x = 0;
    for (; x + 8 <= length; x += 8) {
        Float8 acc[static_cast<std::size_t>(G)];
        const Float8 centre = load8(src + x + r);
        for (int g = 0; g < G; ++g) {
            acc[g] = Dilate ? centre + ballAt(k0 + g, r) : centre - ballAt(k0 + g, r);
        }
        for (int j = 0; j < r; ++j) {
            const Float8 pair = pick(load8(src + x + j), load8(src + x + 2 * r - j));
            for (int g = 0; g < G; ++g) {
                acc[g] = pick(acc[g], Dilate ? pair + ballAt(k0 + g, j) : pair - ballAt(k0 + g, j));
            }
        }
        for (int g = 0; g < G; ++g) {
            for (float* target : {targets.above[static_cast<std::size_t>(k0 + g)],
                                  targets.below[static_cast<std::size_t>(k0 + g)]}) {
                if (target != nullptr) {
                    store8(target + x, pick(load8(target + x), acc[g]));
                }
            }
        }
    }
    for (; x < length; ++x) { // the last, partial vector
        for (int g = 0; g < G; ++g) {
            const float* z = broadcast + static_cast<std::ptrdiff_t>((k0 + g) * (r + 1) * 8);
            float acc = Dilate ? src[x + r] + z[r * 8] : src[x + r] - z[r * 8];
            for (int j = 0; j < r; ++j) {
                const float pair = Dilate ? std::max(src[x + j], src[x + 2 * r - j])
                                          : std::min(src[x + j], src[x + 2 * r - j]);
                acc = Dilate ? std::max(acc, pair + z[j * 8]) : std::min(acc, pair - z[j * 8]);
            }
            for (float* target : {targets.above[static_cast<std::size_t>(k0 + g)],
                                  targets.below[static_cast<std::size_t>(k0 + g)]}) {
                if (target != nullptr) {
                    target[x] = Dilate ? std::max(target[x], acc) : std::min(target[x], acc);
                }
            }
        }
    }
}

template <bool Dilate, int G>
[[gnu::always_inline]] inline void morphGroupsOf(const float* src, const float* broadcast, int r,
                                                 int k0, int count, const RowTargets& targets,
                                                 int length) {
    if constexpr (G > 1) {
        if (count < G) {
            morphGroupsOf<Dilate, G - 1>(src, broadcast, r, k0, count, targets, length);
            return;
        }
    }
    morphGroup<Dilate, G>(src, broadcast, r, k0, targets, length);
}

/// All patch rows k in [0, r] with a target, in groups of kGroup.
template <bool Dilate>
[[gnu::always_inline]] inline void morphRowInto(const float* src, const float* broadcast, int r,
                                                const RowTargets& targets, int length) {
    for (int k0 = 0; k0 <= r; k0 += kGroup) {
        const int count = std::min(kGroup, r + 1 - k0);
        bool used = false;
        for (int k = k0; k < k0 + count; ++k) {
            used = used || targets.above[static_cast<std::size_t>(k)] != nullptr ||
                   targets.below[static_cast<std::size_t>(k)] != nullptr;
        }
        if (used) {
            morphGroupsOf<Dilate, kGroup>(src, broadcast, r, k0, count, targets, length);
        }
    }
}

[[gnu::target_clones("avx2", "default")]] void erodeRowInto(const float* src,
                                                            const float* broadcast, int r,
                                                            const RowTargets& targets, int length) {
    morphRowInto<false>(src, broadcast, r, targets, length);
}

[[gnu::target_clones("avx2", "default")]] void dilateRowInto(const float* src,
                                                             const float* broadcast, int r,
                                                             const RowTargets& targets,
                                                             int length) {
    morphRowInto<true>(src, broadcast, r, targets, length);
}

/// ImageJ's makeInterpolationArrays: for full-resolution pixel i, the shrunk pixel left of (or
/// above) it and the weight of that pixel, from the distance between pixel centres.
/// Beyond the outermost shrunk centres the weight leaves [0, 1]: linear extrapolation.
struct Interpolation {
    std::vector<int> index0; ///< first shrunk pixel
    std::vector<int> index1; ///< second shrunk pixel (index0 + 1, or index0 if only one)
    std::vector<float> weight0;
};

Interpolation makeInterpolation(int length, int smallLength, int shrinkFactor) {
    Interpolation interpolation;
    const auto size = static_cast<std::size_t>(length);
    interpolation.index0.resize(size);
    interpolation.index1.resize(size);
    interpolation.weight0.resize(size);
    for (int i = 0; i < length; ++i) {
        int smallIndex = (i - shrinkFactor / 2) / shrinkFactor; // truncates towards 0, as Java
        if (smallIndex >= smallLength - 1) {
            smallIndex = std::max(smallLength - 2, 0);
        }
        const float distance = (static_cast<float>(i) + 0.5f) / static_cast<float>(shrinkFactor) -
                               (static_cast<float>(smallIndex) + 0.5f);
        const auto at = static_cast<std::size_t>(i);
        interpolation.index0[at] = smallIndex;
        interpolation.index1[at] = std::min(smallIndex + 1, smallLength - 1);
        interpolation.weight0[at] = smallLength > 1 ? 1.0f - distance : 1.0f;
    }
    return interpolation;
}

/// Everything ImageJ derives from the radius and the image size.
struct RollingGeometry {
    int shrinkFactor = 1;
    int smallRows = 0;
    int smallCols = 0;
    BallPatch ball;
    std::vector<float> broadcast; ///< ball(k, j), k, j in [0, r], each repeated 8 times
    Interpolation xs;             ///< enlargement along x (shrinkFactor > 1 only)
    Interpolation ys;             ///< and along y
};

RollingGeometry makeGeometry(cv::Size size, double radiusPx) {
    RollingGeometry g;
    g.shrinkFactor = rollingBallShrinkFactor(radiusPx);
    g.smallRows = (size.height + g.shrinkFactor - 1) / g.shrinkFactor;
    g.smallCols = (size.width + g.shrinkFactor - 1) / g.shrinkFactor;
    g.ball = makeBallPatch(radiusPx, g.shrinkFactor);
    const int r = g.ball.halfWidth;
    for (int k = 0; k <= r; ++k) {
        for (int j = 0; j <= r; ++j) {
            g.broadcast.insert(g.broadcast.end(), 8, g.ball.row(k)[j]);
        }
    }
    if (g.shrinkFactor > 1) {
        g.xs = makeInterpolation(size.width, g.smallCols, g.shrinkFactor);
        g.ys = makeInterpolation(size.height, g.smallRows, g.shrinkFactor);
    }
    return g;
}

/// Rows of ImageJ's filter3x3(MEAN) of an image, made on demand: a 3-point mean along the row,
/// then across three such rows, the edge pixel standing in for its missing neighbour, with
/// ImageJ's float operations ((a + b + c) * 0.33333333f). Rows are asked for in increasing
/// order, so the last few row means are kept.
class SmoothedRows {
public:
    explicit SmoothedRows(const cv::Mat& image)
        : m_image(image), m_width(static_cast<std::size_t>(image.cols)), m_out(m_width) {
        for (auto& row : m_rowMeans) {
            row.resize(m_width);
        }
    }

    const float* row(int y) {
        const float* above = rowMean(std::max(y - 1, 0));
        const float* centre = rowMean(y);
        const float* below = rowMean(std::min(y + 1, m_image.rows - 1));
        for (std::size_t x = 0; x < m_width; ++x) {
            m_out[x] = (above[x] + centre[x] + below[x]) * kThird;
        }
        return m_out.data();
    }

private:
    static constexpr float kThird = 0.33333333f;
    static constexpr int kSlots = 4; // rows y - 1 .. y + 1 never share a slot

    const float* rowMean(int y) {
        const auto slot = static_cast<std::size_t>(y % kSlots);
        std::vector<float>& mean = m_rowMeans[slot];
        if (m_rowOf[slot] != y) {
            const float* in = m_image.ptr<float>(y);
            const std::size_t last = m_width - 1;
            for (std::size_t x = 0; x < m_width; ++x) {
                mean[x] = (in[x == 0 ? 0 : x - 1] + in[x] + in[x == last ? last : x + 1]) * kThird;
            }
            m_rowOf[slot] = y;
        }
        return mean.data();
    }

    const cv::Mat& m_image;
    std::size_t m_width;
    std::vector<float> m_rowMeans[kSlots];
    int m_rowOf[kSlots] = {-1, -1, -1, -1};
    std::vector<float> m_out;
};

/// ImageJ's shrinkImage, rollBall and enlargeImage for output rows [y0, y1), streamed through
/// ring buffers of a few rows (no intermediate image is allocated):
/// - with `presmooth`, ImageJ's 3x3 mean first, row by row;
/// - shrink: each shrunk pixel is the minimum of its s x s block (partial blocks at the edges);
/// - rollBall: the opening by the ball patch, ball positions centred up to r = halfWidth pixels
///   outside the image and points outside ignored (+infinity for the erosion). Erosion:
///   height(c) = min over d of image(c + d) - ball(d), for centres c on the shrunk image grown
///   by r on every side; dilation: background(p) = max over d of height(p - d) + ball(d). Both
///   are separated by patch rows: what image row y gives the centre rows y - k and y + k is its
///   1-D erosion by patch row k (the patch is symmetric), computed once. A centre row is
///   complete once the last image row within r of it has been pushed, and is then dilated
///   into the background rows within r of it; min and max of the same float values in another
///   order give the definition's result bit for bit;
/// - enlargeImage: each output row interpolates two completed background rows, each first
///   interpolated along x.
/// Shrunk rows near the band's ends are also computed by the neighbouring band, identically.
void rollBand(const cv::Mat& image, bool presmooth, const RollingGeometry& g, int y0, int y1,
              cv::Mat& out) {
    const bool shrink = g.shrinkFactor > 1;
    const int s = g.shrinkFactor;
    const int rows = g.smallRows;
    const int cols = g.smallCols;
    const int r = g.ball.halfWidth;
    const int span = 2 * r + 1;
    const int grownCols = cols + 2 * r;
    const auto patchRows = static_cast<std::size_t>(r + 1);
    const auto colsSize = static_cast<std::size_t>(cols);
    const auto at = [](int i) {
        return static_cast<std::size_t>(i);
    };

    // Background rows [pFirst, pLast] feed the output rows; they need the grown centre rows
    // [pFirst, pLast + 2r] (stored by index cy + r), which need image rows [pFirst - 2r,
    // pLast + 2r].
    const int pFirst = shrink ? g.ys.index0[at(y0)] : y0;
    const int pLast = shrink ? g.ys.index1[at(y1 - 1)] : y1 - 1;
    const int eLast = pLast + 2 * r;
    const int yFirst = std::max(pFirst - 2 * r, 0);
    const int yLast = std::min(eLast, rows - 1);

    std::vector<float> source(at(cols + 4 * r), kInf); // one image row, +infinity either side
    std::vector<float> blockMinimum(shrink ? at(image.cols) : 0);
    std::vector<float> heights(at(span) * at(grownCols));
    const int backgroundSlots = span + 2; // live rows and the two last completed ones
    std::vector<float> small(shrink ? at(backgroundSlots) * colsSize : 0);
    RowTargets targets{std::vector<float*>(patchRows), std::vector<float*>(patchRows)};

    const auto heightRow = [&](int e) {
        return heights.data() + at(e % span) * at(grownCols);
    };
    const auto backgroundRow = [&](int p) {
        return shrink ? small.data() + at(p % backgroundSlots) * colsSize : out.ptr<float>(p);
    };

    std::optional<SmoothedRows> smoothed;
    if (presmooth) {
        smoothed.emplace(image);
    }
    const auto imageRow = [&](int y) {
        return smoothed ? smoothed->row(y) : image.ptr<float>(y);
    };
    const auto loadSource = [&](int y) {
        float* row = source.data() + 2 * r;
        if (!shrink) {
            std::copy_n(imageRow(y), cols, row);
            return;
        }
        const int top = y * s;
        const int bottom = std::min(top + s, image.rows);
        std::copy_n(imageRow(top), image.cols, blockMinimum.begin());
        for (int fy = top + 1; fy < bottom; ++fy) {
            minInto(blockMinimum.data(), imageRow(fy), image.cols);
        }
        for (int x = 0; x < cols; ++x) {
            const int left = x * s;
            const int right = std::min(left + s, image.cols);
            float minimum = blockMinimum[at(left)];
            for (int fx = left + 1; fx < right; ++fx) {
                minimum = std::min(minimum, blockMinimum[at(fx)]);
            }
            row[x] = minimum;
        }
    };

    // The enlargement: x-interpolated background rows, two cached (rows arrive in order).
    const auto width = static_cast<std::size_t>(image.cols);
    std::vector<float> lines[2];
    int lineRow[2] = {-1, -1};
    const auto interpolatedRow = [&](int p, int keep) -> const float* {
        for (int i = 0; i < 2; ++i) {
            if (lineRow[i] == p) {
                return lines[i].data();
            }
        }
        const int slot = lineRow[0] == keep ? 1 : 0;
        std::vector<float>& line = lines[slot];
        line.resize(width);
        const float* sRow = backgroundRow(p);
        for (std::size_t x = 0; x < width; ++x) {
            const float w = g.xs.weight0[x];
            line[x] = sRow[g.xs.index0[x]] * w + sRow[g.xs.index1[x]] * (1.0f - w);
        }
        lineRow[slot] = p;
        return line.data();
    };
    int nextOut = y0;
    const auto emitThrough = [&](int p) { // background rows up to p are complete
        for (; nextOut < y1 && g.ys.index1[at(nextOut)] <= p; ++nextOut) {
            const int row0 = g.ys.index0[at(nextOut)];
            const int row1 = g.ys.index1[at(nextOut)];
            const float* line0 = interpolatedRow(row0, -1);
            const float* line1 = interpolatedRow(row1, row0);
            const float w = g.ys.weight0[at(nextOut)];
            float* o = out.ptr<float>(nextOut);
            for (std::size_t x = 0; x < width; ++x) {
                o[x] = line0[x] * w + line1[x] * (1.0f - w);
            }
        }
    };

    const auto inBackground = [&](int p) {
        return p >= pFirst && p <= pLast;
    };
    const auto dilateCentreRow = [&](int e) {
        if (inBackground(e)) { // its first contribution comes now
            std::fill_n(backgroundRow(e), cols, -kInf);
        }
        for (int k = 0; k <= r; ++k) {
            const int above = e - r - k;
            const int below = e - r + k;
            targets.above[at(k)] = inBackground(above) ? backgroundRow(above) : nullptr;
            targets.below[at(k)] = k > 0 && inBackground(below) ? backgroundRow(below) : nullptr;
        }
        dilateRowInto(heightRow(e), g.broadcast.data(), r, targets, cols);
        if (shrink && inBackground(e - 2 * r)) {
            emitThrough(e - 2 * r);
        }
    };

    const auto inCentres = [&](int e) {
        return e >= pFirst && e <= eLast;
    };
    int nextInit = pFirst;
    int nextComplete = pFirst;
    for (int y = yFirst; y <= yLast; ++y) {
        for (; nextInit <= std::min(y + 2 * r, eLast); ++nextInit) {
            std::fill_n(heightRow(nextInit), grownCols, kInf);
        }
        loadSource(y);
        for (int k = 0; k <= r; ++k) {
            const int above = y + r - k;
            const int below = y + r + k;
            targets.above[at(k)] = inCentres(above) ? heightRow(above) : nullptr;
            targets.below[at(k)] = k > 0 && inCentres(below) ? heightRow(below) : nullptr;
        }
        erodeRowInto(source.data(), g.broadcast.data(), r, targets, grownCols);
        // Centre row e has all its image rows once y = min(e, last image row).
        for (const int complete = y == rows - 1 ? eLast : y; nextComplete <= complete;
             ++nextComplete) {
            dilateCentreRow(nextComplete);
        }
    }
}

} // namespace

int rollingBallShrinkFactor(double radiusPx) {
    if (radiusPx <= 10.0) {
        return 1;
    }
    if (radiusPx <= 30.0) {
        return 2;
    }
    return radiusPx <= 100.0 ? 4 : 8;
}

void rollingBallBackground(const cv::Mat& signal, double radiusPx, cv::Mat& background,
                           bool presmooth) {
    const cv::Mat image = floatImage(signal);
    if (image.empty() || !validRadius(radiusPx)) {
        background.release();
        return;
    }
    const RollingGeometry geometry = makeGeometry(image.size(), radiusPx);
    if (background.data == image.data) {
        background = cv::Mat(); // never write over the input
    }
    background.create(image.size(), CV_32FC1);
    // One band per thread: a band recomputes about 4r shrunk rows of its neighbour's.
    const int overlapRows = (4 * geometry.ball.halfWidth + 2) * geometry.shrinkFactor;
    forRowBands(image.rows, overlapRows, [&](int begin, int end) {
        rollBand(image, presmooth, geometry, begin, end, background);
    });
}

cv::Mat rollingBallBackground(const cv::Mat& signal, double radiusPx, bool presmooth) {
    cv::Mat background;
    rollingBallBackground(signal, radiusPx, background, presmooth);
    return background;
}

cv::Mat rollingBallBackgroundBruteForce(const cv::Mat& signal, double radiusPx) {
    const cv::Mat image = floatImage(signal);
    if (image.empty() || !validRadius(radiusPx)) {
        return {};
    }
    const BallPatch ball = makeBallPatch(radiusPx, 1);
    const int r = ball.halfWidth;
    const int rows = image.rows;
    const int cols = image.cols;
    const auto ballAt = [&](int dy, int dx) {
        return ball.row(std::abs(dy))[dx + r];
    };

    // Ball centre heights for every position that covers at least one pixel.
    cv::Mat heights(rows + 2 * r, cols + 2 * r, CV_32FC1);
    for (int cy = -r; cy < rows + r; ++cy) {
        for (int cx = -r; cx < cols + r; ++cx) {
            float height = kInf;
            for (int dy = -r; dy <= r; ++dy) {
                for (int dx = -r; dx <= r; ++dx) {
                    const int y = cy + dy;
                    const int x = cx + dx;
                    if (y >= 0 && y < rows && x >= 0 && x < cols) {
                        height = std::min(height, image.at<float>(y, x) - ballAt(dy, dx));
                    }
                }
            }
            heights.at<float>(cy + r, cx + r) = height;
        }
    }

    cv::Mat background(rows, cols, CV_32FC1);
    for (int y = 0; y < rows; ++y) {
        for (int x = 0; x < cols; ++x) {
            float surface = -kInf;
            for (int dy = -r; dy <= r; ++dy) {
                for (int dx = -r; dx <= r; ++dx) {
                    // The ball centred at (y - dy, x - dx) has its surface point d over (y, x).
                    surface = std::max(surface,
                                       heights.at<float>(y - dy + r, x - dx + r) + ballAt(dy, dx));
                }
            }
            background.at<float>(y, x) = surface;
        }
    }
    return background;
}

} // namespace densito
