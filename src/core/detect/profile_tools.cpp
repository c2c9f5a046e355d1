#include "core/detect/profile_tools.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>

namespace densito {

std::vector<ProfilePeak> findPeaks(std::span<const double> profile) {
    const int n = static_cast<int>(profile.size());
    std::vector<ProfilePeak> peaks;
    int i = 1;
    while (i < n - 1) {
        if (profile[static_cast<std::size_t>(i)] > profile[static_cast<std::size_t>(i - 1)]) {
            int plateauEnd = i;
            while (plateauEnd + 1 < n && profile[static_cast<std::size_t>(plateauEnd + 1)] ==
                                             profile[static_cast<std::size_t>(i)]) {
                ++plateauEnd;
            }
            if (plateauEnd + 1 < n && profile[static_cast<std::size_t>(plateauEnd + 1)] <
                                          profile[static_cast<std::size_t>(i)]) {
                ProfilePeak peak;
                peak.index = (i + plateauEnd) / 2;
                peak.height = profile[static_cast<std::size_t>(peak.index)];
                peaks.push_back(peak);
            }
            i = plateauEnd + 1;
        } else {
            ++i;
        }
    }
    for (ProfilePeak& peak : peaks) {
        // Walk out until higher ground or the end; the lowest point on the way is the base.
        double leftMin = peak.height;
        int leftBase = peak.index;
        for (int j = peak.index - 1; j >= 0; --j) {
            const double v = profile[static_cast<std::size_t>(j)];
            if (v > peak.height) {
                break;
            }
            if (v < leftMin) {
                leftMin = v;
                leftBase = j;
            }
        }
        double rightMin = peak.height;
        int rightBase = peak.index;
        for (int j = peak.index + 1; j < n; ++j) {
            const double v = profile[static_cast<std::size_t>(j)];
            if (v > peak.height) {
                break;
            }
            if (v < rightMin) {
                rightMin = v;
                rightBase = j;
            }
        }
        peak.leftBase = leftBase;
        peak.rightBase = rightBase;
        peak.prominence = peak.height - std::max(leftMin, rightMin);
    }
    return peaks;
}

int halfProminenceWidth(std::span<const double> profile, const ProfilePeak& peak) {
    const double half = profile[static_cast<std::size_t>(peak.index)] - 0.5 * peak.prominence;
    int top = peak.index;
    while (top > peak.leftBase && profile[static_cast<std::size_t>(top - 1)] > half) {
        --top;
    }
    int bottom = peak.index;
    while (bottom < peak.rightBase && profile[static_cast<std::size_t>(bottom + 1)] > half) {
        ++bottom;
    }
    return bottom - top + 1;
}

std::vector<ProfilePeak> selectPeaks(std::vector<ProfilePeak> peaks, double minProminence,
                                     int minDistance) {
    std::erase_if(peaks, [&](const ProfilePeak& p) { return p.prominence < minProminence; });
    std::vector<ProfilePeak> byStrength = peaks;
    std::stable_sort(
        byStrength.begin(), byStrength.end(),
        [](const ProfilePeak& a, const ProfilePeak& b) { return a.height > b.height; });
    std::vector<ProfilePeak> kept;
    for (const ProfilePeak& candidate : byStrength) {
        const bool isCrowded = std::any_of(kept.begin(), kept.end(), [&](const ProfilePeak& k) {
            return std::abs(k.index - candidate.index) < minDistance;
        });
        if (!isCrowded) {
            kept.push_back(candidate);
        }
    }
    std::sort(kept.begin(), kept.end(),
              [](const ProfilePeak& a, const ProfilePeak& b) { return a.index < b.index; });
    return kept;
}

std::vector<double> gaussianSmooth(std::span<const double> profile, double sigma) {
    std::vector<double> result(profile.begin(), profile.end());
    const int n = static_cast<int>(profile.size());
    if (sigma <= 0 || n == 0) {
        return result;
    }
    const int radius = std::max(1, static_cast<int>(std::ceil(3.0 * sigma)));
    std::vector<double> kernel(static_cast<std::size_t>(2 * radius + 1));
    for (int k = -radius; k <= radius; ++k) {
        kernel[static_cast<std::size_t>(k + radius)] = std::exp(-0.5 * k * k / (sigma * sigma));
    }
    const double total = std::accumulate(kernel.begin(), kernel.end(), 0.0);
    for (double& w : kernel) {
        w /= total;
    }
    auto reflect = [n](int j) {
        while (j < 0 || j >= n) {
            j = j < 0 ? -j - 1 : 2 * n - j - 1;
        }
        return j;
    };
    for (int i = 0; i < n; ++i) {
        double sum = 0;
        for (int k = -radius; k <= radius; ++k) {
            sum += kernel[static_cast<std::size_t>(k + radius)] *
                   profile[static_cast<std::size_t>(reflect(i + k))];
        }
        result[static_cast<std::size_t>(i)] = sum;
    }
    return result;
}

double median(std::vector<double> values) {
    if (values.empty()) {
        return 0.0;
    }
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    if (values.size() % 2 == 1) {
        return *middle;
    }
    const double upper = *middle;
    const double lower = *std::max_element(values.begin(), middle);
    return 0.5 * (lower + upper);
}

double differenceNoiseSigma(std::span<const double> profile) {
    if (profile.size() < 3) {
        return 0.0;
    }
    std::vector<double> differences;
    differences.reserve(profile.size() - 1);
    for (std::size_t i = 1; i < profile.size(); ++i) {
        differences.push_back(std::abs(profile[i] - profile[i - 1]));
    }
    return 1.4826 * median(std::move(differences)) / std::sqrt(2.0);
}

namespace {

/// Sliding-window minimum or maximum (monotonic deque), window centred, clipped at the ends.
std::vector<double> slidingExtreme(std::span<const double> values, int window, bool isMinimum) {
    const int n = static_cast<int>(values.size());
    const int half = window / 2;
    std::vector<double> result(values.size());
    std::deque<int> candidates;
    auto better = [&](double a, double b) {
        return isMinimum ? a <= b : a >= b;
    };
    int next = 0;
    for (int i = 0; i < n; ++i) {
        const int hi = std::min(n - 1, i + half);
        while (next <= hi) {
            while (!candidates.empty() &&
                   better(values[static_cast<std::size_t>(next)],
                          values[static_cast<std::size_t>(candidates.back())])) {
                candidates.pop_back();
            }
            candidates.push_back(next++);
        }
        while (candidates.front() < i - half) {
            candidates.pop_front();
        }
        result[static_cast<std::size_t>(i)] = values[static_cast<std::size_t>(candidates.front())];
    }
    return result;
}

} // namespace

std::vector<double> openingBaseline(std::span<const double> profile, int window) {
    if (window < 2 || profile.empty()) {
        return {profile.begin(), profile.end()};
    }
    const std::vector<double> eroded = slidingExtreme(profile, window, true);
    return slidingExtreme(eroded, window, false);
}

double autocorrelationPeriod(std::span<const double> profile, int minLag, int maxLag) {
    const int n = static_cast<int>(profile.size());
    maxLag = std::min(maxLag, n / 2);
    if (n < 4 || minLag >= maxLag) {
        return 0.0;
    }
    // Detrend with a wide Gaussian (sigma a sixth of the profile) so that a slow change of
    // strength across the gel does not swamp the lane-to-lane repeat.
    const std::vector<double> trend = gaussianSmooth(profile, n / 6.0);
    std::vector<double> centred(profile.size());
    for (std::size_t i = 0; i < profile.size(); ++i) {
        centred[i] = profile[i] - trend[i];
    }
    std::vector<double> correlation(static_cast<std::size_t>(maxLag + 2), 0.0);
    for (int lag = 0; lag <= maxLag + 1 && lag < n; ++lag) {
        double sum = 0;
        for (int i = 0; i + lag < n; ++i) {
            sum +=
                centred[static_cast<std::size_t>(i)] * centred[static_cast<std::size_t>(i + lag)];
        }
        correlation[static_cast<std::size_t>(lag)] = sum / (n - lag);
    }
    if (correlation.empty() || correlation.front() <= 0) {
        return 0.0;
    }
    // The fundamental, not a harmonic: the first local maximum reaching 35% of the highest
    // (lanes of alternating strength make the double pitch correlate better).
    std::vector<int> maxima;
    for (int lag = std::max(minLag, 1); lag <= maxLag; ++lag) {
        const double c = correlation[static_cast<std::size_t>(lag)];
        if (c >= correlation[static_cast<std::size_t>(lag - 1)] &&
            c >= correlation[static_cast<std::size_t>(lag + 1)] && c > 0.1 * correlation[0]) {
            maxima.push_back(lag);
        }
    }
    double highest = 0;
    for (const int lag : maxima) {
        highest = std::max(highest, correlation[static_cast<std::size_t>(lag)]);
    }
    int best = 0;
    for (const int lag : maxima) {
        if (correlation[static_cast<std::size_t>(lag)] >= 0.35 * highest) {
            best = lag;
            break;
        }
    }
    if (best == 0) {
        return 0.0;
    }
    // Parabolic refinement of the peak lag.
    const double a = correlation[static_cast<std::size_t>(best - 1)];
    const double b = correlation[static_cast<std::size_t>(best)];
    const double c = correlation[static_cast<std::size_t>(best + 1)];
    const double denominator = a - 2 * b + c;
    const double shift = denominator < 0 ? 0.5 * (a - c) / denominator : 0.0;
    return best + std::clamp(shift, -0.5, 0.5);
}

double estimatePixelNoise(const cv::Mat& signal, const cv::Mat& validMask) {
    // Every eighth row: over a million differences on a large image, plenty for a median.
    // Kept as float (exact for the whole counts of integer images) to hold a quarter of the
    // memory a double copy of every eighth row would take.
    std::vector<float> differences;
    differences.reserve(static_cast<std::size_t>((signal.rows + 7) / 8) *
                        static_cast<std::size_t>(std::max(0, signal.cols - 1)));
    for (int y = 0; y < signal.rows; y += 8) {
        const float* row = signal.ptr<float>(y);
        const std::uint8_t* valid = validMask.empty() ? nullptr : validMask.ptr<std::uint8_t>(y);
        for (int x = 1; x < signal.cols; ++x) {
            if (valid == nullptr || (valid[x] != 0 && valid[x - 1] != 0)) {
                differences.push_back(std::abs(row[x] - row[x - 1]));
            }
        }
    }
    if (differences.empty()) {
        return 0.0;
    }
    const auto middle = differences.begin() + static_cast<std::ptrdiff_t>(differences.size() / 2);
    std::nth_element(differences.begin(), middle, differences.end());
    double centre = static_cast<double>(*middle);
    if (differences.size() % 2 == 0) {
        centre =
            0.5 * (centre + static_cast<double>(*std::max_element(differences.begin(), middle)));
    }
    return 1.4826 * centre / std::sqrt(2.0);
}

} // namespace densito
