#pragma once

#include <opencv2/core/mat.hpp>
#include <span>
#include <vector>

namespace densito {

/// A local maximum of a 1-D profile with its prominence (as in topography and
/// scipy.signal.find_peaks: height above the higher of the two lowest points that separate
/// it from higher ground on either side, or from the profile's ends).
struct ProfilePeak {
    int index = 0;
    double height = 0.0;
    double prominence = 0.0;
    int leftBase = 0;  ///< index of the lowest point between this peak and higher ground left
    int rightBase = 0; ///< same on the right
};

/// All local maxima (plateaus count once, at their middle), with prominences, in index order.
std::vector<ProfilePeak> findPeaks(std::span<const double> profile);

/// The width of a peak where it stands half its prominence above its higher base: the run of
/// samples around it above that level, within its bases (samples; at least 1).
int halfProminenceWidth(std::span<const double> profile, const ProfilePeak& peak);

/// Keeps peaks with prominence >= minProminence, then removes, strongest first, any peak
/// closer than minDistance to a stronger kept one. Result in index order.
std::vector<ProfilePeak> selectPeaks(std::vector<ProfilePeak> peaks, double minProminence,
                                     int minDistance);

/// Gaussian smoothing with reflected ends; sigma <= 0 returns the profile unchanged.
std::vector<double> gaussianSmooth(std::span<const double> profile, double sigma);

/// Robust standard deviation of white noise on a profile: 1.4826 * MAD of first
/// differences / sqrt(2). Smooth structure (bands, gradients) barely affects it.
double differenceNoiseSigma(std::span<const double> profile);

/// Median of a copy of the values (0 for none).
double median(std::vector<double> values);

/// Grey-scale opening of a profile with a flat window: the lower envelope that removes
/// peaks narrower than `window` samples (a 1-D "rolling bar" baseline).
std::vector<double> openingBaseline(std::span<const double> profile, int window);

/// The repeat distance of a profile from its autocorrelation: the first autocorrelation
/// peak between minLag and maxLag that reaches 35% of the highest one (the fundamental, not
/// a multiple), refined to sub-sample precision; 0 when there is none.
double autocorrelationPeriod(std::span<const double> profile, int minLag, int maxLag);

/// Per-pixel noise of a signal image: 1.4826 * MAD of horizontal neighbour differences over
/// every eighth row, / sqrt(2). Bands are smooth, so they barely change it.
double estimatePixelNoise(const cv::Mat& signal, const cv::Mat& validMask);

} // namespace densito
