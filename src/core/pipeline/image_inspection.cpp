#include "core/pipeline/image_inspection.h"

#include <chrono>

namespace densito {

std::expected<ImageInspection, Error> inspectImage(const std::filesystem::path& path,
                                                   const InspectionSettings& settings) {
    const auto start = std::chrono::steady_clock::now();
    auto image = loadImage(path, settings.load);
    if (!image) {
        return std::unexpected(image.error());
    }
    ImageInspection inspection;
    inspection.path = path;
    inspection.warnings = std::move(image->warnings);
    inspection.signal = describeSignal(*image, settings.polarity, inspection.warnings);
    inspection.metadata = std::move(image->metadata);
    inspection.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return inspection;
}

} // namespace densito
