#pragma once

#include "core/error.h"
#include "core/synth/synthetic_blot.h"

#include <expected>
#include <nlohmann/json.hpp>

namespace densito {

/// Format tag and version of the truth file written next to each synthetic image.
inline constexpr const char* kSynthTruthFormat = "densito-synth-truth";
inline constexpr int kSynthTruthVersion = 1;

/// The truth of a synthetic blot as JSON:
/// {format, version, seed, profile, polarity, ideal, width, height, saturation_level,
///  background_mean, scene{...}, lanes[{index, x_center, width, left, right}],
///  bands[{lane, row, x_center, y_center, sigma_y, tau_y, width, volume, peak,
///         saturated_pixels, box{x, y, width, height}}]}.
/// Positions and sizes in pixels of the image (pixel centres at whole numbers, see
/// TrueLane); volume and peak in signal counts; saturation_level and background_mean in raw
/// values of this image. The field meanings are those of SyntheticBlot, TrueLane and TrueBand.
nlohmann::json toTruthJson(const SyntheticBlot& blot);

/// Reads a truth document back (the image itself is not part of it: `raw` stays empty).
/// Errors name the first missing or mistyped field.
std::expected<SyntheticBlot, Error> synthTruthFromJson(const nlohmann::json& json);

} // namespace densito
