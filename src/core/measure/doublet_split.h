#pragma once

#include <array>
#include <span>
#include <vector>

namespace densito {

/// One lane's profile across two touching bands of neighbouring band rows (a doublet, such as
/// p70/p85 S6K1), as the measurer integrates it. Rows are indexed from the first row of the two
/// bands' boxes together (index 0) to the last; larger indices are further from the wells.
struct DoubletProfile {
    /// Background-subtracted signal of each row, summed across the lane: the values whose sum
    /// is the doublet's volume.
    std::vector<double> values;
    /// Noise standard deviation of each value, same units, > 0.
    std::vector<double> noise;
    int lowerFirst = 0;   ///< first row of the lower band under the valley cut
    double upperPeak = 0; ///< index of the upper band's maximum
    double lowerPeak = 0; ///< index of the lower band's maximum
};

/// How one lane's doublet volume is shared between its two bands.
struct DoubletSplit {
    /// The fit is good enough to replace the valley cut; otherwise `upperShare` is the cut and
    /// `background` is empty.
    bool isSplit = false;
    /// Per row, the upper band's share (0..1) of the row's band signal; the lower band has the
    /// rest.
    std::vector<double> upperShare;
    /// Per row, the part of the value that is neither band: background the box measurement
    /// left in or took too much of, a straight line over the rows. It is not band signal, so
    /// it stays with the band on its side of the valley cut, as without a split.
    std::vector<double> background;
    double upperFraction = 0.0;   ///< the upper band's part of the fitted doublet within the rows
    double upperFractionSd = 0.0; ///< its standard error from the fit's covariance
    double residualRms = 0.0;     ///< RMS of the lane's residual, in noise sigmas
    /// RMS of the lane's residual relative to the fitted doublet's mean value per row.
    double relativeResidualRms = 0.0;
};

/// When a fit is trusted.
struct DoubletFitOptions {
    /// A lane fits when its RMS residual is within this many noise sigmas ...
    double maxResidualRms = 3.0;
    /// ... or within this part of the doublet's mean row: in bright doublets the noise is so
    /// small that the ways a real band differs from an EMG (smile across the lane, dust) are
    /// larger than it, without making the split wrong.
    double maxRelativeResidualRms = 0.03;
    /// Largest error of either band's share, relative to that share: the covariance's standard
    /// error combined with the relative residual beyond the noise (a misfit that may sit all
    /// on one band). A weak band beside a strong one takes the strong one's misfit whole.
    double maxRelativeShareSd = 0.05;
};

/// Splits doublets by a peak fit instead of the valley between them. The profiles passed are
/// the same two band rows in different lanes. Each profile is fitted (weighted least squares,
/// Levenberg-Marquardt, the linear unknowns solved at each step: variable projection) with two
/// exponentially modified Gaussians with their tails toward smaller indices (the wells), the
/// shape of a band migrating through a gel, plus a straight background line per lane.
/// The lanes share what migration makes alike: the distance between the two bands, and each
/// band's sigma and tail length (from two lanes on; with one lane both bands have one shape,
/// as one lane cannot tell two tails apart), up to a width scale per band and lane (from three
/// lanes on; loading widens a band). Positions, areas and background are per lane. A fit first
/// with one shared shape (from tails of 0.3, 1 and 3 sigmas) places every lane's bands, then
/// the full model starts from it. Deterministic: fixed starts, no randomness.
/// A lane's fit is sound when both areas are positive, each band's maximum lies on its own
/// side of the valley and each band's share is known to within `maxRelativeShareSd`; it
/// fits when its residual is within `maxResidualRms` or
/// `maxRelativeResidualRms`. The lanes are split together or not at all, so a band row is
/// never measured by two rules: when every lane is sound, the median lane fits and no lane
/// misses by more than twice the limits. Otherwise every lane keeps the valley cut.
/// Returns one split per profile, in order. Profiles with fewer than 6 rows, noise not > 0, or
/// a `lowerFirst` not strictly inside keep the valley cut and take no part in the fit.
std::vector<DoubletSplit> splitDoublets(std::span<const DoubletProfile> lanes,
                                        const DoubletFitOptions& options = {});

/// Each band's volume in a lane (upper, lower): each row's band signal (value - background)
/// shared as `split` says, each row's background to the band on its side of the valley cut.
/// Without a split these are the sums of the values on either side of the cut.
std::array<double, 2> doubletVolumes(const DoubletProfile& profile, const DoubletSplit& split);

/// Exponentially modified Gaussian of unit area with its tail toward negative x: a Gaussian
/// (centre `centre`, `sigma`) convolved with an exponential of mean length `tau` running toward
/// smaller x (Grushka, Anal. Chem. 44 (1972) 1733). tau <= 0.001 sigma gives the Gaussian.
double emgTowardWells(double x, double centre, double sigma, double tau);

} // namespace densito
