#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace densito {

/// How the background under a band is estimated (ARCHITECTURE.md, "The measuring pipeline",
/// step 5).
enum class BackgroundKind {
    RollingBall,  ///< ImageJ "Subtract Background" rolling ball over the whole signal image
    LaneBaseline, ///< rubber band under the lane's profile
    BorderMedian, ///< median of a ring around each band box (LI-COR Image Studio style)
    None,         ///< no background: volume = sum of the signal
};

/// A background method with its parameter, as selected by the user and recorded in run.json.
struct BackgroundMethod {
    BackgroundKind kind = BackgroundKind::None;
    /// Rolling-ball radius or border-median width, in pixels; nullopt = automatic (the caller
    /// chooses it from measured band and lane sizes). Unused by lane-baseline and none.
    std::optional<double> parameterPx;

    friend bool operator==(const BackgroundMethod&, const BackgroundMethod&) = default;
};

/// Parses exactly one of `rolling-ball`, `rolling-ball:RADIUS`, `lane-baseline`,
/// `border-median`, `border-median:WIDTH`, `none` (lower case, no spaces; RADIUS and WIDTH
/// finite positive decimal numbers of pixels, e.g. `50` or `12.5`). Anything else gives an
/// error text that names the accepted forms.
std::expected<BackgroundMethod, std::string> parseBackgroundMethod(std::string_view text);

/// The text form accepted by parseBackgroundMethod, the parameter written in the shortest form
/// that parses back to the same double. A parameter on lane-baseline or none is not written; a
/// non-positive or non-finite parameter is written but will not parse back.
std::string toString(const BackgroundMethod& method);

} // namespace densito
