#pragma once

#include "core/analysis/layout_sheets.h"
#include "core/analysis/quantification.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace densito {

/// The linear range of one measure on one membrane, fitted to its dilution series: the lanes
/// samples.csv gives a `load` for, measured in one blots.csv row's image.
struct LinearityFit {
    std::string membrane;
    std::string image;
    std::string target;
    std::string site;
    Measure measure = Measure::Total;
    int points = 0; ///< series lanes with a usable (unsaturated, positive) band
    /// Least-squares line volume = slope * load + intercept over the linear range.
    std::optional<double> slope;
    std::optional<double> intercept;
    std::optional<double> rSquared;
    std::optional<double> loadLow; ///< the linear range, in the sheet's load unit
    std::optional<double> loadHigh;
    std::optional<double> volumeLow; ///< lowest and highest measured volume within it
    std::optional<double> volumeHigh;
    /// Slope of log(volume) against log(load) over the range (1 = proportional), and the
    /// two-sided p of the linear fit's intercept being 0; over the three lowest loads when
    /// there is no linear range.
    std::optional<double> logSlope;
    std::optional<double> interceptP;
    std::string note; ///< why there is no range, or which loads left it
};

/// Fits each blots.csv row's dilution series (membranes with at least three distinct loads).
/// The linear range is where the signal is proportional to the load, as ratios need (Butler
/// et al. 2019, "Misleading Westerns", Biomed Res Int 2019:5214821): the best contiguous
/// window of three or more loads (the most loads, then the most lanes, then the lowest loads)
/// whose log(volume) against log(load) has slope 1 +- 0.1 and R^2 >= 0.98, and whose linear
/// fit's intercept does not differ from 0 (two-sided t-test, p >= 0.05). When no window
/// passes, there is no linear range (the note says why, for the three lowest loads).
/// Saturated bands and every load from the first saturated one are left out; so are loads of
/// 0 (no logarithm). Rows in layout order.
std::vector<LinearityFit> fitDilutionSeries(const Layout& layout,
                                            std::span<const MeasuredBand> bands);

/// Sets the linearity of every band of a row with a fit of three or more loads: verified when
/// its volume lies within the volumes of the linear range, else outside (always outside when
/// the row has no linear range). Bands of sample lanes (lanes without a load) outside are also
/// flagged kLaneOutsideLinearRange.
void flagOutsideLinearRange(const Layout& layout, std::span<const LinearityFit> fits,
                            std::vector<MeasuredBand>& bands);

/// linearity.csv: membrane,image,target,measure,site,points,slope,intercept,r_squared,
/// linear_load_low,linear_load_high,linear_volume_low,linear_volume_high,note,log_slope,
/// intercept_p
std::string linearityCsv(std::span<const LinearityFit> fits);

} // namespace densito
