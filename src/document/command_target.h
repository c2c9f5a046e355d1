#pragma once

#include "core/image/image.h"
#include "core/io/project_file.h"
#include "core/measure/blot_analysis.h"
#include "core/pipeline/image_analysis.h"
#include "core/pipeline/image_geometry.h"
#include "core/pipeline/image_inspection.h"
#include "core/pipeline/remeasure.h"

#include <cstdint>
#include <memory>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <vector>

namespace densito {

/// The pixels of one loaded image and what inspecting them found. Never changed once made, so
/// worker threads may read them while the UI thread measures; undo commands share them.
/// Memory: the raw values, the CV_32F signal and the valid mask (about 4x the raw image).
struct ImagePixels {
    Image image;                ///< raw values as stored, valid mask, metadata, loader warnings
    ImageInspection inspection; ///< path, signal model, every warning about the file
    cv::Mat signal;             ///< bands positive, CV_32FC1
};

/// One image of an open project: its project entry (file, settings, geometry), its pixels and
/// its current measurement. Moved whole between the document and the command that adds it.
struct ImageEntry {
    ProjectImage project;
    std::shared_ptr<const ImagePixels> pixels; ///< nullptr until loaded, or when it failed
    BlotAnalysis analysis;                     ///< remeasure() of project.geometry
    /// Filled from `pixels->signal`; rebinds itself when the pixels are replaced.
    MeasurementCache cache;
    bool isLoading = false; ///< its load is still running (a project being opened)
    std::uint64_t id = 0;   ///< stable while it is in the document, for results of workers
};

/// What the undo commands edit: the document's images, in place. A command changes a value,
/// then calls imageEdited() (or the image list changes) so that the image is measured again
/// and the experiment recomputed. Indices are those of ProjectDocument. Implemented by the
/// document; used on its thread only.
class CommandTarget {
public:
    virtual ~CommandTarget() = default;

    /// The image's geometry, settings and pixels, to be changed in place.
    virtual ImageGeometry& geometry(int image) = 0;
    virtual AnalysisSettings& settings(int image) = 0;
    virtual std::shared_ptr<const ImagePixels>& pixels(int image) = 0;
    /// Measures the image again from its geometry (no detection), recomputes the experiment
    /// and tells the views.
    virtual void imageEdited(int image) = 0;

    /// Appends images that were loaded and measured; the experiment is recomputed.
    virtual void appendImages(std::vector<ImageEntry> entries) = 0;
    /// Removes the last `count` images and returns them, in order.
    virtual std::vector<ImageEntry> takeLastImages(int count) = 0;

    virtual std::optional<ProjectLayout>& layout() = 0;
    /// Parses the layout again, recomputes the experiment and tells the views.
    virtual void layoutEdited() = 0;
};

} // namespace densito
