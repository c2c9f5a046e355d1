#pragma once

#include "core/error.h"
#include "core/image/image.h"
#include "core/image/signal.h"
#include "core/io/project_file.h"
#include "core/measure/blot_analysis.h"
#include "core/pipeline/experiment_outputs.h"
#include "core/pipeline/image_analysis.h"
#include "core/pipeline/image_geometry.h"
#include "core/pipeline/manual_lane_grid.h"
#include "core/pipeline/strip_edit.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <expected>
#include <memory>
#include <optional>
#include <vector>

class QUndoStack;

namespace densito {

/// A lane of one image of the project: image index into ProjectDocument::imageCount(), lane
/// index into that image's ImageGeometry::lanes. Undo commands store these, never pointers;
/// they stay valid because commands are undone in the reverse order they were done.
struct LaneRef {
    int image = -1;
    int lane = -1;
    friend bool operator==(const LaneRef&, const LaneRef&) = default;
};

/// A band of one image of the project: index into that image's ImageGeometry::bands.
struct BandRef {
    int image = -1;
    int band = -1;
    friend bool operator==(const BandRef&, const BandRef&) = default;
};

/// The open project: its images (each with settings, geometry and the analysis measured from
/// them), the experiment layout and the experiment computed from it. The only mutation API of
/// the GUI: every edit is one QUndoCommand on undoStack() that swaps old and new values and
/// re-measures the image from its geometry (never re-detects), then recomputes the
/// experiment; drags of one lane or band merge into one undo step.
///
/// Images are loaded, inspected and detected on worker threads (QtConcurrent); results come
/// back on the document's thread, in order. Re-measuring after an edit runs on the calling
/// thread with a per-image MeasurementCache (median 3-25 ms per lane or band move at
/// 4000x3000, by background method; bench/document_edit_bench.cpp). The numbers are exactly
/// those of the command line and of a saved project: the same core functions (analyzeImage,
/// remeasure, analyzeExperiment, analysisOutputFiles). Use from the thread that owns the
/// document (the UI thread).
class ProjectDocument : public QObject {
    Q_OBJECT

public:
    explicit ProjectDocument(QObject* parent = nullptr);
    ~ProjectDocument() override;

    QUndoStack* undoStack() const;
    /// True when something changed since the last save or open (the undo stack is not clean).
    bool isModified() const;
    /// The project file; empty for a project never saved.
    const QString& fileName() const { return m_fileName; }
    /// True while images are being loaded and detected.
    bool isBusy() const;

    // --- Project lifecycle -------------------------------------------------------------
    /// Empties the project (no images, no layout, default settings) and the undo stack.
    void clear();
    /// Reads a project file (core readProject), then loads its images and measures their
    /// saved geometry on worker threads (no detection). On failure the current project stays
    /// and projectFailed() says why. Images that are missing or changed are reported through
    /// warningsReported(); the rest of the project opens.
    void openProject(const QString& fileName);
    /// Writes the project (core writeProject: atomic, keeps a .bak); marks it unmodified.
    std::expected<void, Error> saveProject(const QString& fileName);
    /// The project as saveProject() writes it: default settings, every image with its
    /// settings and geometry (also images still loading or unreadable), the layout.
    Project toProject() const;
    /// Opens an autosaved copy of a project (Autosave) whose image paths are relative to
    /// `imageFolder`, as a modified project whose file is `fileName` (empty: untitled), so
    /// that saving writes the user's own project file, or asks for one. Reads and loads like
    /// openProject() (worker threads); projectRecovered() once the copy is open,
    /// projectFailed() when it cannot be read (the current project stays).
    void recoverProject(const QString& autosaveFile, const QString& imageFolder,
                        const QString& fileName);
    /// A new project from a folder that holds images plus blots.csv and samples.csv (as the
    /// sample experiment does): the sheets become the layout, the images it names are added
    /// and analysed with experimentSettingsFor(layout, name, settings()). Replaces the current
    /// project; its images appear together once all have been analysed (failures are
    /// reported through imageFailed() and left out). Unsaved and unmodified.
    void openExperimentFolder(const QString& folder);

    // --- Images ------------------------------------------------------------------------
    /// Loads, inspects and detects each file with settings() (one undoable step once all
    /// have finished); files that fail are reported through imageFailed() and left out.
    /// Files already in the project are skipped (warningsReported()); the rest are added in
    /// order of their paths. `pageIndex` (0-based) picks the page of multi-page TIFFs instead
    /// of the settings' page.
    void addImages(const QStringList& fileNames, std::optional<int> pageIndex = std::nullopt);
    int imageCount() const;
    const ProjectImage& image(int index) const;
    /// The image's current measurement; empty before its load has finished.
    const BlotAnalysis& analysis(int index) const;
    /// Pixels of a loaded image (the signal is bands-positive, CV_32F; raw as stored);
    /// nullptr before its load has finished, or when it failed. Valid until the image's pixels
    /// are replaced (imageChanged() after a new page or polarity, or its undo) or it is removed.
    const Image* loadedImage(int index) const;
    const SignalModel* signalModel(int index) const;
    const cv::Mat* signal(int index) const;
    /// The image's file name (no folder), as the CSV files name it.
    QString imageName(int index) const;

    /// The first image after `after` (wrapping round, `after` itself last) whose detection is
    /// unsure (BlotAnalysis::needsReview) and that nobody has corrected by hand since
    /// (ImageReview::isUnreviewed); -1 when none is.
    int nextImageToReview(int after) const;

    /// The image the views show; -1 when there is none.
    int currentImage() const { return m_currentImage; }
    void setCurrentImage(int index);

    // --- Settings ----------------------------------------------------------------------
    /// Settings for images added later.
    const AnalysisSettings& settings() const;
    void setDefaultSettings(const AnalysisSettings& settings);
    /// Changes one image's settings (undoable). A new background method re-measures at once; a
    /// new polarity, page, lane count or strip regions detects the image again (its manual
    /// edits are lost, which the undo step restores) on a worker thread, and the undo step is
    /// pushed when that has finished (isBusy() meanwhile).
    void setImageSettings(int image, const AnalysisSettings& settings);

    // --- Geometry edits (each one undoable step; drags merge) ----------------------------
    // Edits of an image that is not loaded, and references out of range, are ignored (the
    // adding functions then return a reference of -1s).
    /// Detects strips, lanes and bands of the image again with its settings. Runs on a worker
    /// thread; the undo step is pushed when it has finished (isBusy() meanwhile).
    void redetect(int image);
    /// Sets the strip's lane count (`strip` is Strip::index) and detects its lanes and bands
    /// again with that count, on a worker thread like redetect(); the other strips keep their
    /// lanes and bands. On an image with a membrane region a person placed (Strip::isManual),
    /// only this strip is detected again (detectStripContents), so the regions stay.
    void setLaneCount(int image, int strip, int lanes);
    /// The lanes `grid` would give its strip of the image (core manualGridLanes), to show
    /// while the person places it; why not when it cannot be placed or the image is not
    /// loaded.
    std::expected<std::vector<Lane>, Error> laneGridLanes(int image,
                                                          const ManualLaneGrid& grid) const;
    /// Sets the strip's lanes as an equally spaced grid (core withManualLaneGrid: the lanes
    /// are marked manual, the strip's bands are detected again in them and every band is
    /// measured) and keeps the count as the strip's expected lane count, so that detecting
    /// again finds as many. The image's automatic background parameters are resolved again
    /// from its detected bands, as after any detection, so the other strips' volumes move
    /// when those parameters do. One undoable step, done at once on this thread; nothing
    /// changes when it returns why not.
    std::expected<void, Error> setLaneGrid(int image, const ManualLaneGrid& grid);
    /// Adds a membrane region the person drew (original-image pixels, clipped to the image) as
    /// a strip marked manual; its lanes and bands are detected within it (detectStripContents,
    /// with the image's lanes per strip) on a worker thread, and the undo step is pushed when
    /// that has finished (isBusy() meanwhile). Strips are numbered again top to bottom, then
    /// left to right (stripIndexFor); what is kept per strip (lane counts) follows them.
    /// Returns why not at once: the image is not loaded, the region lies outside it or
    /// overlaps a strip, or the image's strips come from the layout (blots.csv `region`).
    std::expected<void, Error> addStrip(int image, const cv::Rect& region);
    /// Moves or resizes strip `strip` (Strip::index) to `region`, marked manual: its lanes and
    /// bands are detected again within it (with its lane count, when one was set), like
    /// addStrip(); the other strips keep theirs. Refused like addStrip(), and for a strip that
    /// does not exist; a region that is the strip's own changes nothing.
    std::expected<void, Error> moveStrip(int image, int strip, const cv::Rect& region);
    /// Deletes strip `strip` with its lanes and bands (one undoable step, at once); the other
    /// strips are numbered again. Refused like moveStrip().
    std::expected<void, Error> removeStrip(int image, int strip);
    /// Replaces a lane's position and width (centre, edges, tilt, bend). Successive calls for
    /// the same lane merge into one undo step until endDrag(). Marks the lane manual.
    void moveLane(LaneRef lane, const Lane& moved);
    /// Adds a lane of `widthPx` centred at `xCenterPx` (middle of the strip) to strip `strip`
    /// (Strip::index), tilted like its nearest lane; lanes to its right are renumbered (core
    /// insertLane). Returns its LaneRef.
    LaneRef addLane(int image, int strip, double xCenterPx, double widthPx);
    /// Removes a lane and its bands; lanes to its right are renumbered.
    void removeLane(LaneRef lane);
    /// Replaces a band's rows (top, bottom, peak); merges like moveLane. Marks it manual.
    void moveBand(BandRef band, int topPx, int bottomPx);
    /// Adds a band over rows topPx..bottomPx of the lane (core addManualBand).
    BandRef addBand(LaneRef lane, int topPx, int bottomPx);
    void removeBand(BandRef band);
    /// Ends the current drag: the next moveLane/moveBand starts a new undo step.
    void endDrag();
    /// True from a moveLane() or moveBand() until endDrag() (or an undo or redo): views that
    /// are slow to redraw (charts) wait for dragEnded() instead of following every step.
    bool isDragging() const;

    // --- Experiment ----------------------------------------------------------------------
    const std::optional<ProjectLayout>& layout() const;
    /// Replaces the layout (undoable); the experiment is computed again.
    void setLayout(const std::optional<ProjectLayout>& layout);
    /// The experiment of the current analyses; nullopt without a layout, or when the layout
    /// does not fit the images (then layoutProblems() says why).
    const std::optional<ExperimentOutcome>& experiment() const;
    const std::vector<Error>& layoutProblems() const;
    /// The molecular-weight calibration of strip `strip` (Strip::index) of the image, from
    /// the layout's ladder lanes (ExperimentOutcome::calibrations), when it has a usable one;
    /// null otherwise (no experiment, no ladder for the strip, too few markers matched). Valid
    /// until the next experimentChanged().
    const StripCalibration* stripCalibration(int image, int strip) const;

    // --- Export --------------------------------------------------------------------------
    /// The files the command line would write for this project (analysisOutputFiles), the
    /// loaded images ordered by path as the command line orders a folder's images; the
    /// reason when results.xlsx cannot be assembled.
    std::expected<std::vector<OutputFile>, Error> resultFiles() const;
    /// Writes resultFiles() into `folder` (each atomically; folders created as needed), and
    /// history.csv (historyCsv() of history()).
    std::expected<void, Error> exportResults(const QString& folder) const;

    // --- History ---------------------------------------------------------------------------
    /// Every edit of the project and every undo and redo of one, in order, kept in the project
    /// file: time, user, image, what was done, old and new values. A drag is one record.
    const std::vector<EditRecord>& history() const;

signals:
    /// Images were added, removed or replaced (open, clear, add, undo of add).
    void imagesChanged();
    /// One image's geometry, settings or analysis changed (an edit, undo, redo, load done).
    void imageChanged(int image);
    void currentImageChanged(int image);
    /// The layout or the experiment computed from it changed.
    void experimentChanged();
    void busyChanged(bool isBusy);
    void modifiedChanged(bool isModified);
    void fileNameChanged(const QString& fileName);
    /// An image could not be loaded or analysed: the message names the file and the reason.
    void imageFailed(const QString& message);
    /// A project could not be opened or read; the current project stays.
    void projectFailed(const QString& message);
    /// recoverProject() has opened `autosaveFile` (its images may still be loading).
    void projectRecovered(const QString& autosaveFile);
    /// Non-fatal problems worth showing (missing project images, detection warnings, also
    /// those of a detection done again after an edit: "name: warning" each).
    void warningsReported(const QStringList& warnings);
    /// A drag of a lane or band has ended (see isDragging()).
    void dragEnded();
    /// history() changed (an edit, undo or redo; a project opened or cleared).
    void historyChanged();

private:
    class Private;
    std::unique_ptr<Private> d;
    QString m_fileName;
    int m_currentImage = -1;
};

} // namespace densito
