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
    std::optional<double> volumeLow; ///< measured volumes at its ends
    std::optional<double> volumeHigh;
    std::string note; ///< why there is no fit, or which loads left the line
};

/// Fits each blots.csv row's dilution series (membranes with at least three distinct loads).
/// The linear range starts with the three lowest loads and grows one load at a time while the
/// next point lies within 10% of the line through the range so far and the extended fit keeps
/// R^2 >= 0.98; saturated bands end it. Rows in layout order.
std::vector<LinearityFit> fitDilutionSeries(const Layout& layout,
                                            std::span<const MeasuredBand> bands);

/// Flags kLaneOutsideLinearRange on every band of a sample lane (a lane without a load) whose
/// volume lies below the lowest or above the highest volume of its row's linear range.
void flagOutsideLinearRange(const Layout& layout, std::span<const LinearityFit> fits,
                            std::vector<MeasuredBand>& bands);

/// linearity.csv: membrane,image,target,measure,site,points,slope,intercept,r_squared,
/// linear_load_low,linear_load_high,linear_volume_low,linear_volume_high,note
std::string linearityCsv(std::span<const LinearityFit> fits);

} // namespace densito
