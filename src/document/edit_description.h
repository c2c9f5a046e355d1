#pragma once

#include "core/io/project_file.h"
#include "core/measure/blot_analysis.h"
#include "core/pipeline/image_analysis.h"
#include "core/pipeline/image_geometry.h"

#include <optional>
#include <string>

namespace densito {

/// What one edit changed, for the project's history (EditRecord): the image it changed and
/// its values before and after, in words and original-image pixels.
struct EditValues {
    int image = -1; ///< index of the image changed; -1 for the whole project
    std::string before;
    std::string after;
};

/// An undo command that says what it changed; every command of the document is one.
class DescribesEdit {
public:
    virtual ~DescribesEdit() = default;
    virtual EditValues editValues() const = 0;
};

/// "strip 1 lane 3: x 120.5 to 160.5 px" (", ladder" for a marker lane).
std::string describeLane(const Lane& lane);
/// "strip 1 lane 3 row 2: y 410 to 432 px".
std::string describeBand(const BandCandidate& band);
/// Strips with their lane counts and the number of bands, e.g.
/// "strip 1: 9 lanes; strip 2: 9 lanes; 34 bands".
std::string describeGeometry(const ImageGeometry& geometry);
/// "background border-median; lanes automatic; polarity auto; page 1".
std::string describeSettings(const AnalysisSettings& settings);
/// "blots.csv (12 rows), samples.csv (36 rows), control Control", or "none".
std::string describeLayout(const std::optional<ProjectLayout>& layout);

} // namespace densito
