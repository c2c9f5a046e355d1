#include "core/pipeline/image_inspection.h"

#include <chrono>

namespace densito {

ImageInspection describeImage(const std::filesystem::path& path, const Image& image,
                              PolarityMode polarity) {
    ImageInspection inspection;
    inspection.path = path;
    inspection.metadata = image.metadata;
    inspection.warnings = image.warnings;
    inspection.signal = describeSignal(image, polarity, inspection.warnings);
    return inspection;
}

std::expected<ImageInspection, Error> inspectImage(const std::filesystem::path& path,
                                                   const InspectionSettings& settings) {
    const auto start = std::chrono::steady_clock::now();
    auto image = loadImage(path, settings.load);
    if (!image) {
        return std::unexpected(image.error());
    }
    ImageInspection inspection = describeImage(path, *image, settings.polarity);
    inspection.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return inspection;
}

} // namespace densito
