#include "core/detect/band_detector.h"

#include "core/detect/profile_tools.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

namespace densito {
namespace {

struct LanePeak {
    std::size_t lane = 0; ///< position in the lanes vector
    double y = 0;         ///< original-image row
    double height = 0;
    int top = 0;
    int bottom = 0;
    bool isOverlapping = false;
    double widthAtHalf = 0; ///< rows above half the peak's height, contiguous around it
};

struct RowChain {
    std::vector<LanePeak> members;
    double lastY = 0;
    double lastHalfHeight = 0;
};

/// A lane's smoothed, baseline-free profile and its noise, kept to look for a band where
/// a band row predicts one.
struct LaneTrace {
    std::vector<double> smooth;
    double sigma = 0;       ///< noise of the unsmoothed residual
    double smoothSigma = 0; ///< noise of `smooth`
    std::vector<ProfilePeak> peaks;
};

/// The band around the smoothed profile's peak at `index`: extents run until the profile drops
/// to 2 noise sigmas or 2% of the peak, or to a valley shared with a neighbour.
LanePeak traceBand(const std::vector<double>& smooth, int index, double smoothSigma, int regionY,
                   std::size_t lane) {
    const int n = static_cast<int>(smooth.size());
    const double h = smooth[static_cast<std::size_t>(index)];
    const double floor = std::max(2.0 * smoothSigma, 0.02 * h);
    LanePeak found;
    found.lane = lane;
    found.y = regionY + index;
    found.height = h;
    auto walk = [&](int step) {
        int i = index;
        while (true) {
            const int next = i + step;
            if (next < 0 || next >= n) {
                return i;
            }
            const double v = smooth[static_cast<std::size_t>(next)];
            if (v <= floor) {
                return next;
            }
            if (v > smooth[static_cast<std::size_t>(i)] + smoothSigma) {
                // Rising again: a valley shared with a neighbour, which belongs to the
                // upper band only, so no row is counted twice.
                found.isOverlapping = true;
                return step > 0 ? i : std::min(i + 1, index);
            }
            i = next;
        }
    };
    found.top = regionY + walk(-1);
    found.bottom = regionY + walk(+1);
    int upper = index;
    while (upper > 0 && smooth[static_cast<std::size_t>(upper - 1)] > 0.5 * h) {
        --upper;
    }
    int lower = index;
    while (lower + 1 < n && smooth[static_cast<std::size_t>(lower + 1)] > 0.5 * h) {
        ++lower;
    }
    found.widthAtHalf = lower - upper + 1;
    return found;
}

/// Where a band row crosses lane `li`, interpolated between its nearest members on either side.
double predictRowY(const std::map<std::size_t, const LanePeak*>& byLane, std::size_t li) {
    const LanePeak* left = nullptr;
    const LanePeak* right = nullptr;
    for (const auto& [index, member] : byLane) {
        if (index < li) {
            left = member;
        } else if (right == nullptr) {
            right = member;
        }
    }
    if (left != nullptr && right != nullptr) {
        const double t =
            static_cast<double>(li - left->lane) / static_cast<double>(right->lane - left->lane);
        return left->y + t * (right->y - left->y);
    }
    return (left != nullptr ? left : right)->y;
}

/// A band where a row predicts one (at `predictedY`, original-image rows): the nearest peak
/// of the lane's profile within the row's typical extent around it, with a prominence of 3
/// noise sigmas. A search at one known place needs less evidence than the blind search over
/// the whole lane (5 sigmas); a smear or an empty lane has no such peak, so no band is made up.
std::optional<LanePeak> findGuidedPeak(const LaneTrace& trace, double predictedY,
                                       double typicalAbove, double typicalBelow, int regionY,
                                       std::size_t lane) {
    const double first = predictedY - regionY - typicalAbove;
    const double last = predictedY - regionY + typicalBelow;
    const ProfilePeak* nearest = nullptr;
    for (const ProfilePeak& peak : trace.peaks) {
        if (peak.index < first || peak.index > last || peak.prominence < 3.0 * trace.sigma) {
            continue;
        }
        if (nearest == nullptr || std::abs(peak.index - (predictedY - regionY)) <
                                      std::abs(nearest->index - (predictedY - regionY))) {
            nearest = &peak;
        }
    }
    if (nearest == nullptr) {
        return std::nullopt;
    }
    return traceBand(trace.smooth, nearest->index, trace.smoothSigma, regionY, lane);
}

} // namespace

std::vector<double> laneProfile(const cv::Mat& signal, const Strip& strip, const Lane& lane,
                                double fraction) {
    const cv::Rect& r = strip.region;
    std::vector<double> profile(static_cast<std::size_t>(r.height), 0.0);
    const double half = 0.5 * fraction * lane.widthPx();
    for (int i = 0; i < r.height; ++i) {
        const int y = r.y + i;
        const double centre = lane.centreAt(y);
        const int x0 = std::max(r.x, static_cast<int>(std::lround(centre - half)));
        const int x1 = std::min(r.x + r.width - 1, static_cast<int>(std::lround(centre + half)));
        if (x1 < x0) {
            continue;
        }
        const float* row = signal.ptr<float>(y);
        double sum = 0;
        for (int x = x0; x <= x1; ++x) {
            sum += static_cast<double>(row[x]);
        }
        profile[static_cast<std::size_t>(i)] = sum / (x1 - x0 + 1);
    }
    return profile;
}

std::vector<BandCandidate> detectBands(const cv::Mat& signal, const Strip& strip,
                                       const std::vector<Lane>& lanes) {
    const cv::Rect& region = strip.region;
    std::vector<std::vector<LanePeak>> perLane(lanes.size());
    std::vector<LaneTrace> traces(lanes.size());
    for (std::size_t li = 0; li < lanes.size(); ++li) {
        const Lane& lane = lanes[li];
        const std::vector<double> profile = laneProfile(signal, strip, lane, 0.6);
        const int window = std::max(31, static_cast<int>(std::lround(1.5 * lane.widthPx())) | 1);
        const std::vector<double> baseline = openingBaseline(profile, window);
        std::vector<double> residual(profile.size());
        for (std::size_t i = 0; i < profile.size(); ++i) {
            residual[i] = profile[i] - baseline[i];
        }
        // Row-to-row noise, or the spread of the residual where noise is correlated over a
        // few rows (camera read-out stripes), whichever is larger; bands are a minority of rows.
        const double middle = median(residual);
        std::vector<double> absolute(residual.size());
        for (std::size_t i = 0; i < residual.size(); ++i) {
            absolute[i] = std::abs(residual[i] - middle);
        }
        const double sigma =
            std::max({differenceNoiseSigma(profile), 1.4826 * median(absolute), 1e-12});
        const std::vector<double> smooth = gaussianSmooth(residual, 1.0);
        const double highest = *std::max_element(smooth.begin(), smooth.end());
        const double minProminence = std::max(5.0 * sigma, 0.01 * highest);
        const std::vector<ProfilePeak> peaks = selectPeaks(findPeaks(smooth), minProminence, 3);
        // Smoothing by a unit Gaussian leaves about half the noise (1 / sqrt(2 sqrt(pi))).
        const double smoothSigma = 0.53 * sigma;
        for (const ProfilePeak& peak : peaks) {
            perLane[li].push_back(traceBand(smooth, peak.index, smoothSigma, region.y, li));
        }
        traces[li] = LaneTrace{smooth, sigma, smoothSigma, findPeaks(smooth)};
    }

    // Broad humps (smears, blotches, the glow of a bubble) are not bands: a peak more than
    // three times as wide as the strip's clear bands (height >= 20% of the highest) is dropped.
    double highestPeak = 0;
    for (const auto& peaks : perLane) {
        for (const auto& p : peaks) {
            highestPeak = std::max(highestPeak, p.height);
        }
    }
    std::vector<double> clearWidths;
    for (const auto& peaks : perLane) {
        for (const auto& p : peaks) {
            if (p.height >= 0.2 * highestPeak) {
                clearWidths.push_back(p.widthAtHalf);
            }
        }
    }
    const double typicalWidth = median(clearWidths);
    for (auto& peaks : perLane) {
        std::erase_if(peaks, [&](const LanePeak& p) { return p.widthAtHalf > 3.0 * typicalWidth; });
    }

    // Chain peaks of neighbouring lanes into band rows, left to right.
    std::vector<RowChain> chains;
    for (std::size_t li = 0; li < lanes.size(); ++li) {
        std::vector<bool> used(perLane[li].size(), false);
        std::vector<std::pair<double, std::pair<std::size_t, std::size_t>>> pairs;
        for (std::size_t c = 0; c < chains.size(); ++c) {
            for (std::size_t p = 0; p < perLane[li].size(); ++p) {
                const double distance = std::abs(perLane[li][p].y - chains[c].lastY);
                if (distance <= chains[c].lastHalfHeight + 6.0) {
                    pairs.push_back({distance, {c, p}});
                }
            }
        }
        std::sort(pairs.begin(), pairs.end());
        std::vector<bool> chainTaken(chains.size(), false);
        for (const auto& [distance, indices] : pairs) {
            const auto [c, p] = indices;
            if (chainTaken[c] || used[p]) {
                continue;
            }
            chainTaken[c] = true;
            used[p] = true;
            chains[c].members.push_back(perLane[li][p]);
            chains[c].lastY = perLane[li][p].y;
            chains[c].lastHalfHeight = 0.5 * (perLane[li][p].bottom - perLane[li][p].top);
        }
        for (std::size_t p = 0; p < perLane[li].size(); ++p) {
            if (!used[p]) {
                RowChain chain;
                chain.members.push_back(perLane[li][p]);
                chain.lastY = perLane[li][p].y;
                chain.lastHalfHeight = 0.5 * (perLane[li][p].bottom - perLane[li][p].top);
                chains.push_back(chain);
            }
        }
    }
    auto meanY = [](const RowChain& chain) {
        double sum = 0;
        for (const auto& m : chain.members) {
            sum += m.y;
        }
        return sum / static_cast<double>(chain.members.size());
    };
    std::sort(chains.begin(), chains.end(),
              [&](const RowChain& a, const RowChain& b) { return meanY(a) < meanY(b); });

    std::vector<BandCandidate> candidates;
    for (std::size_t row = 0; row < chains.size(); ++row) {
        const RowChain& chain = chains[row];
        std::map<std::size_t, const LanePeak*> byLane;
        for (const auto& m : chain.members) {
            byLane[m.lane] = &m;
        }
        const bool isComplete = 2 * byLane.size() >= lanes.size();
        std::vector<double> above, below;
        for (const auto& m : chain.members) {
            above.push_back(m.y - m.top);
            below.push_back(m.bottom - m.y);
        }
        const double typicalAbove = median(above);
        const double typicalBelow = median(below);
        for (std::size_t li = 0; li < lanes.size(); ++li) {
            BandCandidate band;
            band.strip = strip.index;
            band.lane = lanes[li].index;
            band.row = static_cast<int>(row) + 1;
            if (const auto found = byLane.find(li); found != byLane.end()) {
                band.peakYPx = found->second->y;
                band.topPx = found->second->top;
                band.bottomPx = found->second->bottom;
                band.isOverlapping = found->second->isOverlapping;
            } else if (isComplete) {
                const std::optional<LanePeak> guided = findGuidedPeak(
                    traces[li], predictRowY(byLane, li), typicalAbove, typicalBelow, region.y, li);
                if (!guided) {
                    continue;
                }
                band.peakYPx = guided->y;
                band.topPx = guided->top;
                band.bottomPx = guided->bottom;
                band.isOverlapping = guided->isOverlapping;
                band.isInferred = true;
            } else {
                continue;
            }
            candidates.push_back(band);
        }
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const BandCandidate& a, const BandCandidate& b) {
                  return std::tie(a.strip, a.lane, a.row) < std::tie(b.strip, b.lane, b.row);
              });
    return candidates;
}

} // namespace densito
