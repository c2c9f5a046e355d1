#pragma once

#include <opencv2/core/mat.hpp>

namespace densito {

/// ImageJ's shrink factor for a rolling-ball radius: radius <= 10 px -> 1, <= 30 -> 2,
/// <= 100 -> 4, else 8 (ImageJ's RollingBall class).
int rollingBallShrinkFactor(double radiusPx);

/// The rolling-ball background of a bands-positive signal image, with the semantics of ImageJ's
/// Process > Subtract Background, rolling ball, float algorithm of ImageJ 1.39f and later
/// (ij/plugin/filter/BackgroundSubtracter.java, methods rollingBallFloatBackground, shrinkImage,
/// rollBall, enlargeImage and class RollingBall; the rolling-ball idea is from S. Sternberg,
/// "Biomedical Image Processing", IEEE Computer, January 1983):
/// 1. shrink factor s = rollingBallShrinkFactor(radiusPx); when s > 1 the image is reduced by
///    the minimum of each s x s block (partial blocks at the right and bottom edges);
/// 2. the ball: radius r = max(1, radiusPx / s) in shrunk pixels and, as in ImageJ, in signal
///    units too (so at full resolution it is an ellipsoid s times flatter than a sphere);
///    only a square patch of it is used, half-width round(r - trunc(trim * r) / 100) with
///    trim = 24 % (radius <= 30), 32 % (<= 100) or 40 %, height sqrt(r^2 - dx^2 - dy^2) and 0
///    where that is not positive (the patch corners);
/// 3. rolling: the grey-scale opening of the shrunk image by that patch; ball positions that
///    reach past the image edges count, the points outside being ignored;
/// 4. when s > 1 the result is enlarged by ImageJ's bilinear interpolation between the
///    centres of the shrunk pixels, extrapolated linearly beyond the outermost centres.
/// The result equals ImageJ's float code bit for bit (tests/core/background_test.cpp
/// transliterates it). Without shrinking the background never exceeds the signal (beyond the
/// float rounding of (signal - z) + z); with shrinking the block minimum puts it about
/// (s - 1) / 2 * (|dI/dx| + |dI/dy|) below a sloping background, and the interpolation can
/// take it slightly above the signal where the signal curves sharply.
///
/// Where this departs from ImageJ, and why:
/// - It returns the background instead of subtracting it: the caller integrates
///   signal - background in float, never clipped or rounded to an integer type (ImageJ clips
///   at 0 and rounds for 8- and 16-bit images).
/// - No "light background" flag: the signal is bands-positive by construction (signal.h).
/// - No pre-smoothing by default (ImageJ smooths with a 3x3 mean unless "Disable smoothing" is
///   checked): a smoothed background is no longer a lower envelope of the data, and the choice
///   should be visible in the recorded method. `presmooth = true` applies ImageJ's 3x3 mean
///   (rows, then columns, edge pixels repeated) first, as the rows are read; it reduces the
///   downward bias that pixel noise gives the background (the ball rests on noise minima).
/// - Any single-channel depth is accepted and converted to float; the result is float.
/// - ImageJ indexes outside the shrunk image when a shrunk dimension is 1 pixel (an image
///   narrower or lower than s); here the single value is held constant along that axis.
/// The opening is computed exactly (the same float operations as the definition, in another
/// order), separated into rows of the patch and vectorised; shrinking, rolling and enlarging
/// are streamed row by row through small buffers, in one band of rows per cv::parallel_for_
/// thread. The result does not depend on the number of threads. Thread-safe. Memory: the
/// result plus a few hundred kB per thread.
/// Returns an empty Mat when `signal` is empty or not single-channel, or radiusPx is not a
/// finite positive number. Non-finite signal values give an unspecified background near them.
cv::Mat rollingBallBackground(const cv::Mat& signal, double radiusPx, bool presmooth = false);

/// The same into `background`, reallocated only when its size or type differs (a caller
/// analysing many images of one size saves allocating and first touching 4 bytes per pixel
/// each time). Released on bad input, as above.
void rollingBallBackground(const cv::Mat& signal, double radiusPx, cv::Mat& background,
                           bool presmooth = false);

/// A slow, direct reference for tests: the opening of `signal` by the ImageJ ball patch built
/// without shrinking (a sphere of radius radiusPx in pixels and signal units, square patch
/// half-width round(R - trunc(trim * R) / 100) with ImageJ's trim for that radius), ball
/// positions reaching past the edges allowed. For every ball position it finds the height at
/// which the ball touches the signal from below (minimum over the patch of signal - ball), then
/// for every pixel the highest ball surface over it. O(pixels x patch area) with no shortcuts.
/// Equal to rollingBallBackground (bit for bit) when radiusPx <= 10, where ImageJ does not
/// shrink. For larger radii rollingBallBackground differs by the shrinking (block-minimum
/// bias and interpolation error, see above) and by its s times flatter ball.
cv::Mat rollingBallBackgroundBruteForce(const cv::Mat& signal, double radiusPx);

} // namespace densito
