#pragma once

#include "core/error.h"
#include "core/image/image.h"
#include "core/image/image_loader.h"
#include "core/image/signal.h"

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

namespace densito {

struct InspectionSettings {
    PolarityMode polarity = PolarityMode::Auto;
    LoadOptions load;

    friend bool operator==(const InspectionSettings&, const InspectionSettings&) = default;
};

/// What Densito learns about one input before measuring it: metadata, polarity,
/// saturation, and every warning about the file.
struct ImageInspection {
    std::filesystem::path path;
    ImageMetadata metadata;
    SignalModel signal;
    std::vector<std::string> warnings;
    double seconds = 0.0; ///< wall time to load and inspect
};

/// Describes an image already loaded from `path`: its metadata, its signal model under
/// `polarity`, and every warning (the loader's, then the signal's). `seconds` is left 0.
ImageInspection describeImage(const std::filesystem::path& path, const Image& image,
                              PolarityMode polarity);

/// Loads `path` and describes its signal. Thread-safe.
std::expected<ImageInspection, Error> inspectImage(const std::filesystem::path& path,
                                                   const InspectionSettings& settings);

} // namespace densito
