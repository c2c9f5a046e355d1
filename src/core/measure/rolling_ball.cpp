#include "core/measure/rolling_ball.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include <opencv2/core.hpp>

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

bool validRadius(double radiusPx) { return std::isfinite(radiusPx) && radiusPx > 0.0; }

/// Splits [0, count) into bands of rows for cv::parallel_for_. Each row's value is a minimum
/// or maximum over a fixed set of float values, so the split never changes the result.
/// Bands per thread: 1 where neighbouring bands share work (the rolling), more elsewhere.
template <typename Body>
void forRowBands(int count, int minRowsPerBand, int bandsPerThread, const Body& body) {
    const int bands = std::clamp(count / std::max(minRowsPerBand, 1), 1,
                                 bandsPerThread * std::max(cv::getNumThreads(), 1));
    cv::parallel_for_(
        cv::Range(0, bands),
        [&](const cv::Range& range) {
            for (int band = range.start; band < range.end; ++band) {
                const int begin = static_cast<int>(static_cast<long long>(count) * band / bands);
                const int end = static_cast<int>(static_cast<long long>(count) * (band + 1) / bands);
                body(begin, end);
            }
        },
        bands);
}

// The inner loops run over contiguous rows; the clones let the loader pick AVX2 when the
// processor has it without raising the baseline instruction set of the whole build.

/// dst[x] = min over j of (src[x + j] - kernel[j]), x in [0, length), j in [0, taps).
[[gnu::target_clones("avx2", "default")]] void erodeRow(const float* src, const float* kernel,
                                                        int taps, float* dst, int length) {
    const float k0 = kernel[0];
    for (int x = 0; x < length; ++x) {
        dst[x] = src[x] - k0;
    }
    for (int j = 1; j < taps; ++j) {
        const float k = kernel[j];
        const float* s = src + j;
        for (int x = 0; x < length; ++x) {
            dst[x] = std::min(dst[x], s[x] - k);
        }
    }
}

/// dst[x] = max over j of (src[x + j] + kernel[j]).
[[gnu::target_clones("avx2", "default")]] void dilateRow(const float* src, const float* kernel,
                                                         int taps, float* dst, int length) {
    const float k0 = kernel[0];
    for (int x = 0; x < length; ++x) {
        dst[x] = src[x] + k0;
    }
    for (int j = 1; j < taps; ++j) {
        const float k = kernel[j];
        const float* s = src + j;
        for (int x = 0; x < length; ++x) {
            dst[x] = std::max(dst[x], s[x] + k);
        }
    }
}

[[gnu::target_clones("avx2", "default")]] void minInto(float* acc, const float* row, int length) {
    for (int x = 0; x < length; ++x) {
        acc[x] = std::min(acc[x], row[x]);
    }
}

[[gnu::target_clones("avx2", "default")]] void maxInto(float* acc, const float* row, int length) {
    for (int x = 0; x < length; ++x) {
        acc[x] = std::max(acc[x], row[x]);
    }
}

/// ImageJ's rollBall: the opening of `image` (CV_32FC1, continuous) by the ball patch, with
/// ball positions centred up to halfWidth pixels outside the image and points outside the
/// image ignored (they are +infinity for the erosion).
///
/// Erosion: height(c) = min over d of image(c + d) - ball(d), for centres c on the image
/// grown by r = halfWidth on every side. Dilation: background(p) = max over d of
/// height(p - d) + ball(d). Both are separated by patch rows: the part of the minimum that
/// comes from image row y is a 1-D erosion of that row by the patch row |dy|, shared by the
/// centre rows y - dy and y + dy (the patch is symmetric), so each image row is eroded once
/// per distinct |dy|.
cv::Mat rollBall(const cv::Mat& image, const BallPatch& ball) {
    const int rows = image.rows;
    const int cols = image.cols;
    const int r = ball.halfWidth;
    const int taps = ball.width();

    // Rows padded with +infinity, 2r columns on each side, so that every centre column of the
    // grown grid sees its whole patch.
    const int paddedCols = cols + 4 * r;
    cv::Mat padded(rows, paddedCols, CV_32FC1, cv::Scalar(kInf));
    image.copyTo(padded(cv::Rect(2 * r, 0, cols, rows)));

    // Ball heights for centres (cy, cx), cy in [-r, rows + r), cx in [-r, cols + r), stored
    // at (cy + r, cx + r).
    const int grownRows = rows + 2 * r;
    const int grownCols = cols + 2 * r;
    cv::Mat heights(grownRows, grownCols, CV_32FC1, cv::Scalar(kInf));
    forRowBands(grownRows, 2 * taps, 1, [&](int begin, int end) {
        std::vector<float> eroded(static_cast<std::size_t>(grownCols));
        // Grown row e holds centre row e - r, reached from image rows e - 2r .. e.
        const int firstY = std::max(begin - 2 * r, 0);
        const int lastY = std::min(end - 1, rows - 1);
        for (int y = firstY; y <= lastY; ++y) {
            const float* src = padded.ptr<float>(y);
            for (int k = 0; k <= r; ++k) {
                const int above = y + r - k; // grown rows of centres y - k and y + k
                const int below = y + r + k;
                const bool useAbove = above >= begin && above < end;
                const bool useBelow = k > 0 && below >= begin && below < end;
                if (!useAbove && !useBelow) {
                    continue;
                }
                erodeRow(src, ball.row(k), taps, eroded.data(), grownCols);
                if (useAbove) {
                    minInto(heights.ptr<float>(above), eroded.data(), grownCols);
                }
                if (useBelow) {
                    minInto(heights.ptr<float>(below), eroded.data(), grownCols);
                }
            }
        }
    });

    cv::Mat background(rows, cols, CV_32FC1, cv::Scalar(-kInf));
    forRowBands(rows, 2 * taps, 1, [&](int begin, int end) {
        std::vector<float> dilated(static_cast<std::size_t>(cols));
        // Output row p is reached from grown rows p .. p + 2r (centres p - r .. p + r).
        for (int e = begin; e < end + 2 * r; ++e) {
            const float* src = heights.ptr<float>(e);
            for (int k = 0; k <= r; ++k) {
                const int above = e - r - k;
                const int below = e - r + k;
                const bool useAbove = above >= begin && above < end;
                const bool useBelow = k > 0 && below >= begin && below < end;
                if (!useAbove && !useBelow) {
                    continue;
                }
                dilateRow(src, ball.row(k), taps, dilated.data(), cols);
                if (useAbove) {
                    maxInto(background.ptr<float>(above), dilated.data(), cols);
                }
                if (useBelow) {
                    maxInto(background.ptr<float>(below), dilated.data(), cols);
                }
            }
        }
    });
    return background;
}

/// ImageJ's shrinkImage: each shrunk pixel is the minimum of its s x s block.
cv::Mat shrinkByBlockMinimum(const cv::Mat& image, int shrinkFactor) {
    const int smallRows = (image.rows + shrinkFactor - 1) / shrinkFactor;
    const int smallCols = (image.cols + shrinkFactor - 1) / shrinkFactor;
    cv::Mat small(smallRows, smallCols, CV_32FC1);
    forRowBands(smallRows, 8, 4, [&](int begin, int end) {
        std::vector<float> rowMinimum(static_cast<std::size_t>(image.cols));
        for (int ys = begin; ys < end; ++ys) {
            const int y0 = ys * shrinkFactor;
            const int y1 = std::min(y0 + shrinkFactor, image.rows);
            std::copy_n(image.ptr<float>(y0), image.cols, rowMinimum.begin());
            for (int y = y0 + 1; y < y1; ++y) {
                minInto(rowMinimum.data(), image.ptr<float>(y), image.cols);
            }
            float* out = small.ptr<float>(ys);
            for (int xs = 0; xs < smallCols; ++xs) {
                const int x0 = xs * shrinkFactor;
                const int x1 = std::min(x0 + shrinkFactor, image.cols);
                float minimum = rowMinimum[static_cast<std::size_t>(x0)];
                for (int x = x0 + 1; x < x1; ++x) {
                    minimum = std::min(minimum, rowMinimum[static_cast<std::size_t>(x)]);
                }
                out[xs] = minimum;
            }
        }
    });
    return small;
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

/// ImageJ's enlargeImage: bilinear interpolation of the shrunk background, first along x for
/// the two shrunk rows involved, then along y.
cv::Mat enlargeBilinear(const cv::Mat& small, cv::Size size, int shrinkFactor) {
    const Interpolation xs = makeInterpolation(size.width, small.cols, shrinkFactor);
    const Interpolation ys = makeInterpolation(size.height, small.rows, shrinkFactor);
    cv::Mat enlarged(size, CV_32FC1);
    const auto width = static_cast<std::size_t>(size.width);
    forRowBands(size.height, 16, 4, [&](int begin, int end) {
        std::vector<float> line0(width);
        std::vector<float> line1(width);
        int loaded0 = -1;
        int loaded1 = -1;
        const auto interpolateRow = [&](int smallRow, std::vector<float>& line) {
            const float* s = small.ptr<float>(smallRow);
            for (std::size_t x = 0; x < width; ++x) {
                const float w = xs.weight0[x];
                line[x] = s[xs.index0[x]] * w + s[xs.index1[x]] * (1.0f - w);
            }
        };
        for (int y = begin; y < end; ++y) {
            const auto at = static_cast<std::size_t>(y);
            const int row0 = ys.index0[at];
            const int row1 = ys.index1[at];
            if (row0 != loaded0) {
                if (row0 == loaded1) {
                    std::swap(line0, line1);
                    loaded0 = row0;
                    loaded1 = -1;
                } else {
                    interpolateRow(row0, line0);
                    loaded0 = row0;
                }
            }
            if (row1 != loaded1) {
                interpolateRow(row1, line1);
                loaded1 = row1;
            }
            const float w = ys.weight0[at];
            float* out = enlarged.ptr<float>(y);
            for (std::size_t x = 0; x < width; ++x) {
                out[x] = line0[x] * w + line1[x] * (1.0f - w);
            }
        }
    });
    return enlarged;
}

/// ImageJ's filter3x3(MEAN): a 3-point mean along rows, then along columns, the edge pixel
/// standing in for its missing neighbour.
cv::Mat mean3x3(const cv::Mat& image) {
    cv::Mat smoothed = image.clone();
    const auto filterLine = [](float* pixels, int length, std::ptrdiff_t step) {
        float next = pixels[0];
        float current = next;
        for (int i = 0; i < length; ++i) {
            const float previous = current;
            current = next;
            if (i < length - 1) {
                next = pixels[(i + 1) * step];
            }
            pixels[i * step] = (previous + current + next) * 0.33333333f;
        }
    };
    for (int y = 0; y < smoothed.rows; ++y) {
        filterLine(smoothed.ptr<float>(y), smoothed.cols, 1);
    }
    const auto step = static_cast<std::ptrdiff_t>(smoothed.step1());
    for (int x = 0; x < smoothed.cols; ++x) {
        filterLine(smoothed.ptr<float>(0) + x, smoothed.rows, step);
    }
    return smoothed;
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

cv::Mat rollingBallBackground(const cv::Mat& signal, double radiusPx, bool presmooth) {
    cv::Mat image = floatImage(signal);
    if (image.empty() || !validRadius(radiusPx)) {
        return {};
    }
    if (presmooth) {
        image = mean3x3(image);
    }
    const int shrinkFactor = rollingBallShrinkFactor(radiusPx);
    const BallPatch ball = makeBallPatch(radiusPx, shrinkFactor);
    if (shrinkFactor == 1) {
        return rollBall(image, ball);
    }
    const cv::Mat small = rollBall(shrinkByBlockMinimum(image, shrinkFactor), ball);
    return enlargeBilinear(small, image.size(), shrinkFactor);
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
    const auto ballAt = [&](int dy, int dx) { return ball.row(std::abs(dy))[dx + r]; };

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
                    surface = std::max(surface, heights.at<float>(y - dy + r, x - dx + r) +
                                                    ballAt(dy, dx));
                }
            }
            background.at<float>(y, x) = surface;
        }
    }
    return background;
}

} // namespace densito
