#include "document/project_document.h"

#include "core/analysis/layout_sheets.h"
#include "core/image/image_loader.h"
#include "core/io/atomic_file.h"
#include "core/pipeline/experiment_analysis.h"
#include "core/pipeline/input_files.h"
#include "core/pipeline/remeasure.h"
#include "document/command_target.h"
#include "document/edit_description.h"
#include "document/geometry_commands.h"
#include "document/image_review.h"
#include "document/project_commands.h"
#include "document/qt_strings.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

namespace densito {
namespace fs = std::filesystem;

namespace {

/// One image for a worker thread: load it (unless its pixels are given), detect its geometry
/// (unless one is given) and measure it when asked.
struct LoadRequest {
    fs::path path;
    AnalysisSettings settings;
    std::optional<ImageGeometry> geometry;
    std::shared_ptr<const ImagePixels> pixels;
    bool isMeasured = true;
};

/// Images of one open or add, collected as their loads finish.
struct LoadedImages {
    std::vector<LoadRequest> requests;
    std::vector<ImageEntry> entries;
    QStringList warnings;
};

/// What the worker hands back. Copyable and default-constructible, as QFuture needs.
struct LoadOutcome {
    std::optional<Error> error;
    std::shared_ptr<const ImagePixels> pixels;
    ImageGeometry geometry;
    BlotAnalysis analysis;
    std::shared_ptr<MeasurementCache> cache; ///< filled while measuring, for the document
};

/// The steps of analyzeImage(), keeping the loaded image: the same numbers as the command line.
LoadOutcome runLoad(const LoadRequest& request) {
    LoadOutcome outcome;
    const std::string name = request.path.filename().string();
    try {
        std::shared_ptr<const ImagePixels> pixels = request.pixels;
        if (!pixels) {
            auto image = loadImage(request.path, request.settings.inspection.load);
            if (!image) {
                outcome.error = image.error();
            } else {
                auto loaded = std::make_shared<ImagePixels>();
                loaded->inspection =
                    describeImage(request.path, *image, request.settings.inspection.polarity);
                loaded->signal = bandsPositiveSignal(image->raw, loaded->inspection.signal);
                loaded->image = std::move(*image);
                pixels = std::move(loaded);
            }
        }
        if (pixels) {
            outcome.geometry =
                request.geometry ? *request.geometry
                                 : detectGeometry(pixels->signal, pixels->image, request.settings);
            if (request.isMeasured) {
                outcome.cache = std::make_shared<MeasurementCache>();
                outcome.analysis =
                    remeasure(pixels->signal, pixels->image, pixels->inspection.signal,
                              request.settings, outcome.geometry, *outcome.cache);
            }
            outcome.pixels = std::move(pixels);
        }
    } catch (const std::exception& e) { // e.g. out of memory on a huge image
        outcome.error = Error{name, fmt::format("analysis failed: {}", e.what())};
        outcome.pixels.reset();
    }
    if (outcome.error && outcome.error->subject.empty()) {
        outcome.error->subject = name;
    }
    return outcome;
}

/// `current` with the lanes and bands of `strip` taken from `detected` (a detection of the
/// whole image); the whole detection when the strips themselves differ.
ImageGeometry withStripDetected(const ImageGeometry& current, ImageGeometry detected, int strip) {
    if (current.strips != detected.strips) {
        return detected;
    }
    ImageGeometry merged = current;
    merged.lanes.clear();
    merged.bands.clear();
    for (const Strip& each : current.strips) {
        const ImageGeometry& source = each.index == strip ? detected : current;
        for (const Lane& lane : source.lanes) {
            if (lane.strip == each.index) {
                merged.lanes.push_back(lane);
            }
        }
        for (const BandGeometry& band : source.bands) {
            if (band.candidate.strip == each.index) {
                merged.bands.push_back(band);
            }
        }
    }
    merged.warnings = std::move(detected.warnings);
    merged.reviewReasons = std::move(detected.reviewReasons);
    merged.automaticRollingBallRadiusPx = detected.automaticRollingBallRadiusPx;
    merged.automaticBorderMedianWidthPx = detected.automaticBorderMedianWidthPx;
    return merged;
}

/// Per-strip values moved to the strips' new numbers; those of strips that went are dropped.
template <typename Value>
std::map<int, Value> renumberedByStrip(const std::map<int, Value>& byStrip,
                                       const std::map<int, int>& renumbered) {
    std::map<int, Value> moved;
    for (const auto& [strip, value] : byStrip) {
        if (const auto found = renumbered.find(strip); found != renumbered.end()) {
            moved[found->second] = value;
        }
    }
    return moved;
}

/// A membrane region to detect on a worker and put in place: as a new strip (`replaced` 0)
/// or instead of strip `replaced`.
struct StripRequest {
    cv::Rect region;
    int replaced = 0;
    int expectedLanes = 0;
    AnalysisSettings settings; ///< the image's settings once the step is done
    QString text;
};

/// "name: warning" for everything the core said about a newly analysed image.
QStringList warningsOf(const ImageEntry& entry) {
    QStringList lines;
    const std::string name = entry.project.path.filename().string();
    for (const std::string& warning : entry.pixels->inspection.warnings) {
        lines << toQString(name + ": " + warning);
    }
    for (const std::string& warning : entry.analysis.warnings) {
        lines << toQString(name + ": " + warning);
    }
    return lines;
}

const BlotAnalysis& emptyAnalysis() {
    static const BlotAnalysis empty;
    return empty;
}

} // namespace

class ProjectDocument::Private final : public CommandTarget {
public:
    explicit Private(ProjectDocument& document);
    /// The stack's clear() on destruction must not reach a document being destroyed.
    ~Private() override { QObject::disconnect(&stack, nullptr, &q, nullptr); }
    Private(const Private&) = delete;
    Private& operator=(const Private&) = delete;

    ImageGeometry& geometry(int image) override { return entry(image).project.geometry; }
    AnalysisSettings& settings(int image) override { return entry(image).project.settings; }
    std::shared_ptr<const ImagePixels>& pixels(int image) override { return entry(image).pixels; }
    void imageEdited(int image) override;
    void appendImages(std::vector<ImageEntry> entries) override;
    std::vector<ImageEntry> takeLastImages(int count) override;
    std::optional<ProjectLayout>& layout() override { return layoutValue; }
    void layoutEdited() override;

    ImageEntry& entry(int image) { return *images[static_cast<std::size_t>(image)]; }
    const ImageEntry& entry(int image) const { return *images[static_cast<std::size_t>(image)]; }
    bool hasImage(int image) const { return image >= 0 && image < imageCount(); }
    int imageCount() const { return static_cast<int>(images.size()); }
    /// Loaded, so that it can be measured after an edit.
    bool isEditable(int image) const { return hasImage(image) && entry(image).pixels != nullptr; }
    int indexOf(std::uint64_t id) const;

    void push(QUndoCommand* command);
    void measure(ImageEntry& image);
    void parseLayout();
    void recomputeExperiment();
    std::vector<NamedAnalysis> namedAnalyses() const;
    ImageEntry entryOf(const LoadRequest& request, LoadOutcome& outcome);
    AnalysisSettings settingsFor(const fs::path& path) const;

    /// Forgets the project and supersedes every load still running.
    void resetProject();
    /// Tells the views about a project that replaced the one with `oldFile` and `oldCurrent`.
    void announceProject(const QString& oldFile, int oldCurrent);
    void openReadProject(Project project, const QString& fileName);
    /// Runs `read` on a worker thread, then opens its project as `fileName`; with
    /// `recovered` (the autosave read), as modified, announced by projectRecovered().
    void readAndOpen(std::function<std::expected<Project, Error>()> read, const QString& fileName,
                     const QString& recovered);
    void openFolderProject(ProjectLayout layout, Layout parsed, std::vector<fs::path> files);
    void setCurrent(int image);
    void updateBusy();

    /// Runs each request on a worker thread; deliver(k, outcome) is called on this thread in
    /// request order, then finished(). Dropped when the project is replaced meanwhile.
    void runLoads(std::vector<LoadRequest> requests,
                  std::function<void(std::size_t, LoadOutcome&)> deliver,
                  std::function<void()> finished);
    /// Detects the image again with `newSettings` (on a worker; loading it again when
    /// `isReloaded`) and pushes the step; with `strip`, only that strip's lanes and bands.
    void detectAgain(int image, AnalysisSettings newSettings, const QString& text,
                     std::optional<int> strip, bool isReloaded);
    /// Detects the request's region on a worker (detectStripContents), then pushes the step.
    void detectStrip(int image, StripRequest request);
    /// Reports (warningsReported) the image's warnings that are not among `before`: what a
    /// detection done after an edit found, so that it reaches the Log like a load's.
    void reportNewWarnings(int image, const std::vector<std::string>& before);
    void placeStrip(int image, const StripRequest& request,
                    const std::shared_ptr<const ImagePixels>& pixels,
                    std::expected<StripContents, Error> contents);
    /// The loaded image's pixels: (0, 0, width, height).
    cv::Rect bounds(int image) const {
        const cv::Mat& signal = entry(image).pixels->signal;
        return {0, 0, signal.cols, signal.rows};
    }
    /// Why the image's strips cannot be edited by hand, if they cannot.
    std::optional<Error> stripEditProblem(int image, const cv::Rect& region, int replaced) const;

    ProjectDocument& q;
    QUndoStack stack;
    AnalysisSettings defaultSettings;
    std::vector<std::unique_ptr<ImageEntry>> images; ///< pointers: entries never move
    std::optional<ProjectLayout> layoutValue;
    std::optional<Layout> parsedLayout;
    std::vector<Error> layoutErrors; ///< why layoutValue does not parse
    std::optional<ExperimentOutcome> experiment;
    std::vector<Error> layoutProblems;
    /// Bumped when the project is replaced; workers of older ones are dropped (and skip their
    /// work when they have not started yet).
    std::uint64_t generation = 0;
    std::shared_ptr<std::atomic<std::uint64_t>> liveGeneration =
        std::make_shared<std::atomic<std::uint64_t>>(0);
    std::uint64_t openSerial = 0; ///< the latest open or clear; older reads are dropped
    std::uint64_t nextId = 1;
    int pending = 0; ///< running batches of the current generation, plus project reads
    bool isBusyReported = false;
    bool isOpening = false; ///< the opened project's images are still loading
    int dragSerial = 0;
    bool isDragging = false; ///< a moveLane/moveBand since the last endDrag()
    bool isPushing = false;
    bool isClearing = false; ///< the stack is being emptied with the project: no history
    /// Every edit and every undo and redo of one, in order (Project::history).
    std::vector<EditRecord> history;
    /// The stack's index the history has caught up with.
    int recordedIndex = 0;
    /// Ends a drag: the next move starts an undo step of its own; dragEnded() when one was on.
    void finishDrag();
    /// A history record of the command at `index` of the stack, `prefix` before its text
    /// ("Undo: "); undone commands have their values swapped.
    EditRecord recordOf(int index, const QString& prefix, bool isUndone) const;
    /// Catches the history up with the stack after a push (a new step, a drag step merged into
    /// the last one, or a drag back to where it began, which removes the step).
    void recordPush();
    /// Catches the history up with the stack after an undo or a redo.
    void recordUndoRedo(int index);
};

ProjectDocument::Private::Private(ProjectDocument& document) : q(document) {
    QObject::connect(&stack, &QUndoStack::cleanChanged, &q,
                     [this](bool isClean) { emit q.modifiedChanged(!isClean); });
    // Undo and redo end any drag: the next move starts a step of its own.
    QObject::connect(&stack, &QUndoStack::indexChanged, &q, [this](int index) {
        if (!isPushing && !isClearing) {
            finishDrag();
            recordUndoRedo(index);
        }
    });
}

namespace {

/// Who is editing: the login name from the environment, else the account's name (a desktop
/// started without a login shell may have no USER).
std::string currentUserName() {
    for (const char* variable : {"USER", "USERNAME", "LOGNAME"}) {
        const QString name = qEnvironmentVariable(variable);
        if (!name.isEmpty()) {
            return name.toStdString();
        }
    }
#ifdef Q_OS_UNIX
    if (const passwd* account = getpwuid(getuid()); account != nullptr && account->pw_name) {
        return account->pw_name;
    }
#endif
    return "unknown";
}

} // namespace

EditRecord ProjectDocument::Private::recordOf(int index, const QString& prefix,
                                              bool isUndone) const {
    const QUndoCommand* command = stack.command(index);
    EditRecord record;
    record.time = editTimeNow();
    record.user = currentUserName();
    record.action = (prefix + command->text()).toStdString();
    if (const auto* described = dynamic_cast<const DescribesEdit*>(command)) {
        const EditValues values = described->editValues();
        if (hasImage(values.image)) {
            record.image = entry(values.image).project.path.filename().string();
        }
        record.before = isUndone ? values.after : values.before;
        record.after = isUndone ? values.before : values.after;
    }
    return record;
}

void ProjectDocument::Private::recordPush() {
    const int index = stack.index();
    if (index == recordedIndex + 1) {
        history.push_back(recordOf(index - 1, {}, false));
    } else if (index == recordedIndex && index > 0 && !history.empty()) {
        history.back() = recordOf(index - 1, {}, false);
    } else if (index == recordedIndex - 1 && !history.empty()) {
        history.pop_back();
    }
    recordedIndex = index;
    emit q.historyChanged();
}

void ProjectDocument::Private::recordUndoRedo(int index) {
    for (int i = recordedIndex - 1; i >= index; --i) {
        history.push_back(
            recordOf(i, QCoreApplication::translate("densito::History", "Undo: "), true));
    }
    for (int i = recordedIndex; i < index; ++i) {
        history.push_back(
            recordOf(i, QCoreApplication::translate("densito::History", "Redo: "), false));
    }
    recordedIndex = index;
    emit q.historyChanged();
}

void ProjectDocument::Private::finishDrag() {
    ++dragSerial;
    if (isDragging) {
        isDragging = false;
        emit q.dragEnded();
    }
}

int ProjectDocument::Private::indexOf(std::uint64_t id) const {
    for (int i = 0; i < imageCount(); ++i) {
        if (entry(i).id == id) {
            return i;
        }
    }
    return -1;
}

void ProjectDocument::Private::push(QUndoCommand* command) {
    isPushing = true;
    stack.push(command);
    isPushing = false;
    recordPush();
}

void ProjectDocument::Private::measure(ImageEntry& image) {
    if (!image.pixels) {
        image.analysis = BlotAnalysis{};
        return;
    }
    const ImagePixels& pixels = *image.pixels;
    image.analysis = remeasure(pixels.signal, pixels.image, pixels.inspection.signal,
                               image.project.settings, image.project.geometry, image.cache);
}

void ProjectDocument::Private::imageEdited(int image) {
    measure(entry(image));
    recomputeExperiment();
    emit q.imageChanged(image);
    emit q.experimentChanged();
}

void ProjectDocument::Private::appendImages(std::vector<ImageEntry> entries) {
    const int first = imageCount();
    for (ImageEntry& added : entries) {
        added.id = nextId++;
        added.isLoading = false;
        images.push_back(std::make_unique<ImageEntry>(std::move(added)));
    }
    recomputeExperiment();
    emit q.imagesChanged();
    if (q.m_currentImage < 0 && imageCount() > first) {
        setCurrent(first);
    }
    emit q.experimentChanged();
}

std::vector<ImageEntry> ProjectDocument::Private::takeLastImages(int count) {
    const int kept = std::max(0, imageCount() - count);
    std::vector<ImageEntry> taken;
    for (int i = kept; i < imageCount(); ++i) {
        taken.push_back(std::move(entry(i)));
    }
    images.resize(static_cast<std::size_t>(kept));
    recomputeExperiment();
    emit q.imagesChanged();
    if (q.m_currentImage >= kept) {
        setCurrent(kept - 1);
    }
    emit q.experimentChanged();
    return taken;
}

void ProjectDocument::Private::layoutEdited() {
    parseLayout();
    recomputeExperiment();
    emit q.experimentChanged();
}

void ProjectDocument::Private::parseLayout() {
    parsedLayout.reset();
    layoutErrors.clear();
    if (!layoutValue) {
        return;
    }
    auto parsed = parseProjectLayout(*layoutValue);
    if (parsed) {
        parsedLayout = std::move(*parsed);
    } else {
        layoutErrors = std::move(parsed.error());
    }
}

std::vector<NamedAnalysis> ProjectDocument::Private::namedAnalyses() const {
    // Ordered by path, as the command line orders a folder's images, so that the CSV rows
    // come in the same order.
    std::vector<const ImageEntry*> measured;
    for (const auto& image : images) {
        if (image->pixels) {
            measured.push_back(image.get());
        }
    }
    std::stable_sort(
        measured.begin(), measured.end(),
        [](const ImageEntry* a, const ImageEntry* b) { return a->project.path < b->project.path; });
    std::vector<NamedAnalysis> named;
    for (const ImageEntry* image : measured) {
        named.push_back(
            {image->project.path.filename().string(), &image->analysis,
             image->pixels->signal.size(), &image->pixels->signal,
             image->pixels->image.validMask.empty() ? nullptr : &image->pixels->image.validMask,
             &image->pixels->inspection.signal});
    }
    return named;
}

void ProjectDocument::Private::recomputeExperiment() {
    experiment.reset();
    layoutProblems.clear();
    if (!layoutValue || isOpening) {
        return;
    }
    if (!parsedLayout) {
        layoutProblems = layoutErrors;
        return;
    }
    const std::vector<NamedAnalysis> named = namedAnalyses();
    std::vector<std::string> names;
    for (const auto& image : images) {
        names.push_back(image->project.path.filename().string());
    }
    std::vector<Error> problems = checkLayoutAgainstAnalyses(*parsedLayout, named, names);
    if (!problems.empty()) {
        layoutProblems = std::move(problems);
        return;
    }
    auto outcome = analyzeExperiment(*parsedLayout, named,
                                     {layoutValue->exclude, layoutValue->normalizerOrder});
    if (outcome) {
        experiment = std::move(*outcome);
    } else {
        layoutProblems.push_back(std::move(outcome.error()));
    }
}

AnalysisSettings ProjectDocument::Private::settingsFor(const fs::path& path) const {
    return parsedLayout
               ? experimentSettingsFor(*parsedLayout, path.filename().string(), defaultSettings)
               : defaultSettings;
}

ImageEntry ProjectDocument::Private::entryOf(const LoadRequest& request, LoadOutcome& outcome) {
    ImageResult result;
    result.inspection = outcome.pixels->inspection;
    result.geometry = std::move(outcome.geometry);
    ImageEntry added;
    added.project = projectImageOf(result, request.settings);
    added.pixels = outcome.pixels;
    added.analysis = std::move(outcome.analysis);
    if (outcome.cache) {
        added.cache = std::move(*outcome.cache);
    }
    return added;
}

void ProjectDocument::Private::resetProject() {
    ++generation;
    liveGeneration->store(generation);
    pending = 0;
    isClearing = true;
    stack.clear();
    isClearing = false;
    history.clear();
    recordedIndex = 0;
    emit q.historyChanged();
    images.clear();
    layoutValue.reset();
    parsedLayout.reset();
    layoutErrors.clear();
    experiment.reset();
    layoutProblems.clear();
    isOpening = false;
}

void ProjectDocument::Private::announceProject(const QString& oldFile, int oldCurrent) {
    emit q.imagesChanged();
    if (q.m_fileName != oldFile) {
        emit q.fileNameChanged(q.m_fileName);
    }
    if (q.m_currentImage != oldCurrent) {
        emit q.currentImageChanged(q.m_currentImage);
    }
    emit q.experimentChanged();
}

void ProjectDocument::Private::setCurrent(int image) {
    if (image == q.m_currentImage) {
        return;
    }
    q.m_currentImage = image;
    emit q.currentImageChanged(image);
}

void ProjectDocument::Private::updateBusy() {
    const bool isBusy = pending > 0;
    if (isBusy != isBusyReported) {
        isBusyReported = isBusy;
        emit q.busyChanged(isBusy);
    }
}

void ProjectDocument::Private::runLoads(std::vector<LoadRequest> requests,
                                        std::function<void(std::size_t, LoadOutcome&)> deliver,
                                        std::function<void()> finished) {
    if (requests.empty()) {
        if (finished) {
            finished();
        }
        return;
    }
    struct Batch {
        std::uint64_t generation = 0;
        std::vector<std::optional<LoadOutcome>> outcomes;
        std::size_t next = 0; ///< the first outcome not delivered yet
        std::function<void(std::size_t, LoadOutcome&)> deliver;
        std::function<void()> finished;
    };
    auto batch = std::make_shared<Batch>();
    batch->generation = generation;
    batch->outcomes.resize(requests.size());
    batch->deliver = std::move(deliver);
    batch->finished = std::move(finished);
    ++pending;
    updateBusy();
    for (std::size_t i = 0; i < requests.size(); ++i) {
        auto* watcher = new QFutureWatcher<LoadOutcome>(&q);
        QObject::connect(
            watcher, &QFutureWatcher<LoadOutcome>::finished, &q, [this, batch, watcher, i] {
                LoadOutcome outcome = watcher->result();
                watcher->deleteLater();
                if (batch->generation != generation) {
                    return;
                }
                batch->outcomes[i] = std::move(outcome);
                // Results land in request order, whichever worker ends first.
                while (batch->next < batch->outcomes.size() && batch->outcomes[batch->next]) {
                    const std::size_t k = batch->next++;
                    LoadOutcome ready = std::move(*batch->outcomes[k]);
                    batch->outcomes[k].reset();
                    batch->deliver(k, ready);
                }
                if (batch->next == batch->outcomes.size()) {
                    if (batch->finished) {
                        batch->finished();
                    }
                    --pending;
                    updateBusy();
                }
            });
        const std::uint64_t batchGeneration = generation;
        watcher->setFuture(QtConcurrent::run(
            [request = std::move(requests[i]), live = liveGeneration, batchGeneration] {
                if (live->load() != batchGeneration) {
                    return LoadOutcome{}; // superseded before it started: dropped anyway
                }
                return runLoad(request);
            }));
    }
}

void ProjectDocument::Private::detectAgain(int image, AnalysisSettings newSettings,
                                           const QString& text, std::optional<int> strip,
                                           bool isReloaded) {
    if (!isEditable(image)) {
        return;
    }
    const ImageEntry& detected = entry(image);
    LoadRequest request;
    request.path = detected.project.path;
    request.settings = newSettings;
    request.pixels = isReloaded ? nullptr : detected.pixels;
    request.isMeasured = false;
    const std::uint64_t id = detected.id;
    std::vector<LoadRequest> requests;
    requests.push_back(std::move(request));
    runLoads(
        std::move(requests),
        [this, id, newSettings, text, strip](std::size_t, LoadOutcome& outcome) {
            const int index = indexOf(id);
            if (index < 0) {
                return;
            }
            if (outcome.error) {
                emit q.imageFailed(toQString(outcome.error->describe()));
                return;
            }
            ImageEntry& current = entry(index);
            ImageSetup before{current.project.settings, current.project.geometry, current.pixels};
            ImageSetup after{newSettings,
                             strip ? withStripDetected(current.project.geometry,
                                                       std::move(outcome.geometry), *strip)
                                   : std::move(outcome.geometry),
                             outcome.pixels};
            const std::vector<std::string> oldWarnings = current.analysis.warnings;
            push(new ReplaceDetectionCommand(*this, index, text, std::move(before),
                                             std::move(after)));
            reportNewWarnings(index, oldWarnings);
        },
        {});
}

void ProjectDocument::Private::reportNewWarnings(int image,
                                                 const std::vector<std::string>& before) {
    QStringList lines;
    const std::string name = entry(image).project.path.filename().string();
    for (const std::string& warning : entry(image).analysis.warnings) {
        if (std::find(before.begin(), before.end(), warning) == before.end()) {
            lines << toQString(name + ": " + warning);
        }
    }
    if (!lines.isEmpty()) {
        emit q.warningsReported(lines);
    }
}

void ProjectDocument::Private::detectStrip(int image, StripRequest request) {
    const ImageEntry& current = entry(image);
    const auto stripIndex =
        stripIndexFor(current.project.geometry, request.region, request.replaced);
    using Outcome = std::expected<StripContents, Error>;
    auto* watcher = new QFutureWatcher<Outcome>(&q);
    const std::uint64_t id = current.id;
    const std::uint64_t requestGeneration = generation;
    std::shared_ptr<const ImagePixels> pixels = current.pixels;
    ++pending;
    updateBusy();
    QObject::connect(watcher, &QFutureWatcher<Outcome>::finished, &q,
                     [this, watcher, id, requestGeneration, request, pixels] {
                         Outcome contents = watcher->result();
                         watcher->deleteLater();
                         if (requestGeneration != generation) {
                             return; // the project was replaced (and pending reset)
                         }
                         --pending;
                         if (const int index = indexOf(id); index >= 0) {
                             placeStrip(index, request, pixels, std::move(contents));
                         }
                         updateBusy();
                     });
    watcher->setFuture(
        QtConcurrent::run([pixels, region = request.region, index = stripIndex.value_or(1),
                           expected = request.expectedLanes]() -> Outcome {
            try {
                return detectStripContents(pixels->signal, pixels->image.validMask, region, index,
                                           expected);
            } catch (const std::exception& e) { // e.g. out of memory on a huge image
                return std::unexpected(Error{{}, fmt::format("detection failed: {}", e.what())});
            }
        }));
}

void ProjectDocument::Private::placeStrip(int image, const StripRequest& request,
                                          const std::shared_ptr<const ImagePixels>& pixels,
                                          std::expected<StripContents, Error> contents) {
    ImageEntry& current = entry(image);
    const auto refuse = [&](const QString& reason) {
        emit q.warningsReported({ProjectDocument::tr("%1: the membrane region was not placed: %2")
                                     .arg(toQString(current.project.path.filename()), reason)});
    };
    // The pixels were replaced meanwhile (a new page or polarity): what was found is stale.
    if (current.pixels != pixels) {
        refuse(ProjectDocument::tr("the image changed while its lanes were detected"));
        return;
    }
    if (!contents) {
        refuse(toQString(contents.error().reason));
        return;
    }
    auto edit = withStripContents(current.project.geometry, request.replaced, std::move(*contents));
    if (!edit) {
        refuse(toQString(edit.error().reason));
        return;
    }
    ImageSetup before{current.project.settings, current.project.geometry, current.pixels};
    ImageSetup after{request.settings, std::move(edit->geometry), current.pixels};
    after.settings.expectedLanesByStrip =
        renumberedByStrip(request.settings.expectedLanesByStrip, edit->renumbered);
    after.settings.laneKindsByStrip =
        renumberedByStrip(request.settings.laneKindsByStrip, edit->renumbered);
    applyLaneKinds(after.settings, after.geometry.lanes);
    const std::vector<std::string> oldWarnings = current.analysis.warnings;
    push(new ReplaceDetectionCommand(*this, image, request.text, std::move(before),
                                     std::move(after)));
    reportNewWarnings(image, oldWarnings);
}

std::optional<Error> ProjectDocument::Private::stripEditProblem(int image, const cv::Rect& region,
                                                                int replaced) const {
    const std::string name = entry(image).project.path.filename().string();
    if (!entry(image).project.settings.stripRegions.empty()) {
        return Error{name, "its membrane regions come from the layout (blots.csv region); "
                           "change them there"};
    }
    const cv::Mat& signal = entry(image).pixels->signal;
    const cv::Rect clipped = region & bounds(image);
    if (clipped.area() == 0) {
        return Error{name,
                     fmt::format("the region {};{};{};{} lies outside the {}x{} image", region.x,
                                 region.y, region.width, region.height, signal.cols, signal.rows)};
    }
    if (auto index = stripIndexFor(entry(image).project.geometry, clipped, replaced); !index) {
        return Error{name, index.error().reason};
    }
    return std::nullopt;
}

void ProjectDocument::Private::openReadProject(Project project, const QString& fileName) {
    const QString oldFile = q.m_fileName;
    const int oldCurrent = q.m_currentImage;
    resetProject();
    defaultSettings = project.settings;
    layoutValue = project.layout;
    history = std::move(project.history);
    emit q.historyChanged();
    parseLayout();
    QStringList warnings;
    std::set<std::size_t> unreadable;
    for (const ImageFileIssue& issue : project.imageIssues) {
        warnings << toQString(issue.message);
        if (issue.problem != ImageFileProblem::Changed) {
            unreadable.insert(issue.image);
        }
    }
    std::vector<LoadRequest> requests;
    std::vector<std::uint64_t> ids;
    for (std::size_t i = 0; i < project.images.size(); ++i) {
        auto opened = std::make_unique<ImageEntry>();
        opened->project = std::move(project.images[i]);
        opened->id = nextId++;
        opened->isLoading = !unreadable.contains(i);
        if (opened->isLoading) {
            requests.push_back({opened->project.path, opened->project.settings,
                                opened->project.geometry, nullptr, true});
            ids.push_back(opened->id);
        }
        images.push_back(std::move(opened));
    }
    isOpening = !requests.empty();
    q.m_fileName = fileName;
    q.m_currentImage = images.empty() ? -1 : 0;
    recomputeExperiment();
    announceProject(oldFile, oldCurrent);
    if (!warnings.isEmpty()) {
        emit q.warningsReported(warnings);
    }
    runLoads(
        std::move(requests),
        [this, ids](std::size_t k, LoadOutcome& outcome) {
            const int index = indexOf(ids[k]);
            if (index < 0) {
                return;
            }
            ImageEntry& loaded = entry(index);
            loaded.isLoading = false;
            if (outcome.error) {
                emit q.imageFailed(toQString(outcome.error->describe()));
            } else {
                loaded.pixels = outcome.pixels;
                loaded.analysis = std::move(outcome.analysis);
                loaded.cache = std::move(*outcome.cache);
            }
            emit q.imageChanged(index);
        },
        [this] {
            isOpening = false;
            recomputeExperiment();
            emit q.experimentChanged();
        });
}

void ProjectDocument::Private::openFolderProject(ProjectLayout layout, Layout parsed,
                                                 std::vector<fs::path> files) {
    const QString oldFile = q.m_fileName;
    const int oldCurrent = q.m_currentImage;
    resetProject();
    layoutValue = std::move(layout);
    parsedLayout = std::move(parsed);
    q.m_fileName.clear();
    q.m_currentImage = -1;
    isOpening = true;
    announceProject(oldFile, oldCurrent);
    std::vector<LoadRequest> requests;
    for (const fs::path& file : files) {
        requests.push_back({file, settingsFor(file), std::nullopt, nullptr, true});
    }
    auto loaded = std::make_shared<LoadedImages>();
    loaded->requests = requests;
    runLoads(
        std::move(requests),
        [this, loaded](std::size_t k, LoadOutcome& outcome) {
            if (outcome.error) {
                emit q.imageFailed(toQString(outcome.error->describe()));
                return;
            }
            loaded->entries.push_back(entryOf(loaded->requests[k], outcome));
            loaded->warnings << warningsOf(loaded->entries.back());
        },
        [this, loaded] {
            isOpening = false;
            for (ImageEntry& added : loaded->entries) {
                added.id = nextId++;
                images.push_back(std::make_unique<ImageEntry>(std::move(added)));
            }
            recomputeExperiment();
            emit q.imagesChanged();
            setCurrent(images.empty() ? -1 : 0);
            emit q.experimentChanged();
            if (!loaded->warnings.isEmpty()) {
                emit q.warningsReported(loaded->warnings);
            }
        });
}

ProjectDocument::ProjectDocument(QObject* parent)
    : QObject(parent), d(std::make_unique<Private>(*this)) {}

ProjectDocument::~ProjectDocument() = default;

QUndoStack* ProjectDocument::undoStack() const {
    return &d->stack;
}

bool ProjectDocument::isModified() const {
    return !d->stack.isClean();
}

bool ProjectDocument::isBusy() const {
    return d->pending > 0;
}

void ProjectDocument::clear() {
    ++d->openSerial;
    const QString oldFile = m_fileName;
    const int oldCurrent = m_currentImage;
    d->resetProject();
    d->defaultSettings = AnalysisSettings{};
    m_fileName.clear();
    m_currentImage = -1;
    d->announceProject(oldFile, oldCurrent);
    d->updateBusy();
}

void ProjectDocument::Private::readAndOpen(std::function<std::expected<Project, Error>()> read,
                                           const QString& fileName, const QString& recovered) {
    const std::uint64_t serial = ++openSerial;
    const std::uint64_t readGeneration = generation;
    ++pending;
    updateBusy();
    using Read = std::expected<Project, Error>;
    auto* watcher = new QFutureWatcher<Read>(&q);
    QObject::connect(watcher, &QFutureWatcher<Read>::finished, &q,
                     [this, watcher, serial, readGeneration, fileName, recovered] {
                         Read project = watcher->result();
                         watcher->deleteLater();
                         if (readGeneration == generation) {
                             --pending;
                         }
                         if (serial == openSerial) {
                             if (project) {
                                 openReadProject(std::move(*project), fileName);
                                 if (!recovered.isEmpty()) {
                                     // Not what the user's file holds: unsaved until they save it.
                                     stack.resetClean();
                                     emit q.projectRecovered(recovered);
                                 }
                             } else {
                                 emit q.projectFailed(toQString(project.error().describe()));
                             }
                         }
                         updateBusy();
                     });
    // Reading hashes every image file: off the UI thread too.
    watcher->setFuture(QtConcurrent::run(std::move(read)));
}

void ProjectDocument::openProject(const QString& fileName) {
    d->readAndOpen([path = toPath(fileName)] { return readProject(path); }, fileName, {});
}

void ProjectDocument::recoverProject(const QString& autosaveFile, const QString& imageFolder,
                                     const QString& fileName) {
    // Messages name the user's project, not the autosave's generated name.
    const std::string name = fileName.isEmpty() ? toPath(autosaveFile).filename().string()
                                                : toPath(fileName).filename().string();
    auto read = [path = toPath(autosaveFile), folder = toPath(imageFolder), name] {
        return readProject(path, folder, name);
    };
    d->readAndOpen(std::move(read), fileName, autosaveFile);
}

Project ProjectDocument::toProject() const {
    Project project;
    project.settings = d->defaultSettings;
    for (const auto& image : d->images) {
        project.images.push_back(image->project);
    }
    project.layout = d->layoutValue;
    project.history = d->history;
    return project;
}

std::expected<void, Error> ProjectDocument::saveProject(const QString& fileName) {
    auto written = writeProject(toProject(), toPath(fileName));
    if (!written) {
        return written;
    }
    if (m_fileName != fileName) {
        m_fileName = fileName;
        emit fileNameChanged(m_fileName);
    }
    d->stack.setClean();
    return {};
}

void ProjectDocument::openExperimentFolder(const QString& folder) {
    ++d->openSerial;
    const fs::path dir = toPath(folder);
    ProjectLayout layout;
    for (auto [name, text] : {std::pair{&layout.blotsFileName, &layout.blotsCsv},
                              std::pair{&layout.samplesFileName, &layout.samplesCsv}}) {
        const fs::path sheet = dir / *name;
        auto bytes = readWholeFile(sheet);
        if (!bytes) {
            emit projectFailed(toQString(Error{sheet.string(), bytes.error()}.describe()));
            return;
        }
        *text = std::move(*bytes);
    }
    auto parsed = parseProjectLayout(layout);
    if (!parsed) {
        QStringList problems;
        for (const Error& problem : parsed.error()) {
            problems << toQString(problem.describe());
        }
        emit projectFailed(problems.join(QLatin1Char('\n')));
        return;
    }
    std::set<std::string> named;
    for (const BlotRow& row : parsed->blots) {
        named.insert(fs::path(row.image).filename().string());
    }
    std::vector<fs::path> files;
    for (const fs::path& file : collectInputFiles({dir}).files) {
        if (named.contains(file.filename().string())) {
            files.push_back(file);
        }
    }
    d->openFolderProject(std::move(layout), std::move(*parsed), std::move(files));
    d->updateBusy();
}

void ProjectDocument::addImages(const QStringList& fileNames, std::optional<int> pageIndex) {
    std::set<fs::path> known;
    for (const auto& image : d->images) {
        known.insert(image->project.path);
    }
    QStringList warnings;
    std::vector<fs::path> files;
    for (const QString& fileName : fileNames) {
        std::error_code error;
        fs::path path = fs::absolute(toPath(fileName), error).lexically_normal();
        if (error) {
            path = toPath(fileName);
        }
        if (!known.insert(path).second) {
            warnings << tr("%1: already in the project").arg(toQString(path.filename()));
            continue;
        }
        files.push_back(std::move(path));
    }
    std::sort(files.begin(), files.end());
    if (!warnings.isEmpty()) {
        emit warningsReported(warnings);
    }
    std::vector<LoadRequest> requests;
    for (const fs::path& file : files) {
        AnalysisSettings settings = d->settingsFor(file);
        if (pageIndex) {
            settings.inspection.load.pageIndex = *pageIndex;
        }
        requests.push_back({file, std::move(settings), std::nullopt, nullptr, true});
    }
    auto loaded = std::make_shared<LoadedImages>();
    loaded->requests = requests;
    d->runLoads(
        std::move(requests),
        [this, loaded](std::size_t k, LoadOutcome& outcome) {
            if (outcome.error) {
                emit imageFailed(toQString(outcome.error->describe()));
                return;
            }
            loaded->entries.push_back(d->entryOf(loaded->requests[k], outcome));
            loaded->warnings << warningsOf(loaded->entries.back());
        },
        [this, loaded] {
            if (!loaded->warnings.isEmpty()) {
                emit warningsReported(loaded->warnings);
            }
            if (!loaded->entries.empty()) {
                d->push(new AddImagesCommand(*d, std::move(loaded->entries)));
            }
        });
}

int ProjectDocument::imageCount() const {
    return d->imageCount();
}

const ProjectImage& ProjectDocument::image(int index) const {
    return d->entry(index).project;
}

const BlotAnalysis& ProjectDocument::analysis(int index) const {
    return d->hasImage(index) ? d->entry(index).analysis : emptyAnalysis();
}

int ProjectDocument::nextImageToReview(int after) const {
    const int count = imageCount();
    for (int step = 1; step <= count; ++step) {
        const int candidate = ((after + step) % count + count) % count;
        if (imageReviewOf(image(candidate).geometry, analysis(candidate)).isUnreviewed()) {
            return candidate;
        }
    }
    return -1;
}

const Image* ProjectDocument::loadedImage(int index) const {
    return d->isEditable(index) ? &d->entry(index).pixels->image : nullptr;
}

const SignalModel* ProjectDocument::signalModel(int index) const {
    return d->isEditable(index) ? &d->entry(index).pixels->inspection.signal : nullptr;
}

const cv::Mat* ProjectDocument::signal(int index) const {
    return d->isEditable(index) ? &d->entry(index).pixels->signal : nullptr;
}

QString ProjectDocument::imageName(int index) const {
    return d->hasImage(index) ? toQString(d->entry(index).project.path.filename()) : QString();
}

void ProjectDocument::setCurrentImage(int index) {
    d->setCurrent(d->hasImage(index) ? index : -1);
}

const AnalysisSettings& ProjectDocument::settings() const {
    return d->defaultSettings;
}

void ProjectDocument::setDefaultSettings(const AnalysisSettings& settings) {
    d->defaultSettings = settings;
}

void ProjectDocument::setImageSettings(int image, const AnalysisSettings& settings) {
    if (!d->isEditable(image)) {
        return;
    }
    const AnalysisSettings& old = d->settings(image);
    if (settings == old) {
        return;
    }
    const bool isReloaded = settings.inspection != old.inspection;
    const bool isDetected = isReloaded || settings.expectedLanes != old.expectedLanes ||
                            settings.stripRegions != old.stripRegions ||
                            settings.expectedLanesByStrip != old.expectedLanesByStrip ||
                            settings.expectedStrips != old.expectedStrips;
    if (isDetected) {
        d->detectAgain(image, settings, tr("Change Analysis Settings"), std::nullopt, isReloaded);
    } else {
        d->push(new SetImageSettingsCommand(*d, image, settings));
    }
}

void ProjectDocument::redetect(int image) {
    if (d->isEditable(image)) {
        d->detectAgain(image, d->settings(image), tr("Detect Lanes and Bands"), std::nullopt,
                       false);
    }
}

void ProjectDocument::setLaneCount(int image, int strip, int lanes) {
    if (!d->isEditable(image) || lanes < 1) {
        return;
    }
    AnalysisSettings settings = d->settings(image);
    settings.expectedLanesByStrip[strip] = lanes;
    const std::vector<Strip>& strips = d->geometry(image).strips;
    const auto found = std::find_if(strips.begin(), strips.end(),
                                    [&](const Strip& s) { return s.index == strip; });
    const bool hasManualStrip =
        std::any_of(strips.begin(), strips.end(), [](const Strip& s) { return s.isManual; });
    if (hasManualStrip && found != strips.end()) {
        // Detecting the whole image again would replace the regions a person placed.
        d->detectStrip(image, {found->region, strip, lanes, settings, tr("Set Lane Count")});
        return;
    }
    d->detectAgain(image, settings, tr("Set Lane Count"), strip, false);
}

std::expected<void, Error> ProjectDocument::addStrip(int image, const cv::Rect& region) {
    if (!d->isEditable(image)) {
        return std::unexpected(Error{imageName(image).toStdString(), "the image is not loaded"});
    }
    if (auto problem = d->stripEditProblem(image, region, 0)) {
        return std::unexpected(std::move(*problem));
    }
    const AnalysisSettings& settings = d->settings(image);
    d->detectStrip(image, {region & d->bounds(image), 0, settings.expectedLanes, settings,
                           tr("Draw Membrane Region")});
    return {};
}

std::expected<void, Error> ProjectDocument::moveStrip(int image, int strip,
                                                      const cv::Rect& region) {
    if (!d->isEditable(image)) {
        return std::unexpected(Error{imageName(image).toStdString(), "the image is not loaded"});
    }
    const std::vector<Strip>& strips = d->geometry(image).strips;
    const auto found = std::find_if(strips.begin(), strips.end(),
                                    [&](const Strip& s) { return s.index == strip; });
    if (found == strips.end()) {
        return std::unexpected(
            Error{imageName(image).toStdString(), fmt::format("there is no strip {}", strip)});
    }
    if (auto problem = d->stripEditProblem(image, region, strip)) {
        return std::unexpected(std::move(*problem));
    }
    const cv::Rect clipped = region & d->bounds(image);
    if (found->region == clipped) {
        return {};
    }
    const AnalysisSettings& settings = d->settings(image);
    const auto byStrip = settings.expectedLanesByStrip.find(strip);
    const int expected =
        byStrip != settings.expectedLanesByStrip.end() ? byStrip->second : settings.expectedLanes;
    d->detectStrip(image, {clipped, strip, expected, settings, tr("Move Membrane Region")});
    return {};
}

std::expected<void, Error> ProjectDocument::removeStrip(int image, int strip) {
    if (!d->isEditable(image)) {
        return std::unexpected(Error{imageName(image).toStdString(), "the image is not loaded"});
    }
    if (!d->settings(image).stripRegions.empty()) {
        return std::unexpected(*d->stripEditProblem(image, {}, strip));
    }
    auto edit = withoutStrip(d->geometry(image), strip);
    if (!edit) {
        return std::unexpected(Error{imageName(image).toStdString(), edit.error().reason});
    }
    const ImageEntry& current = d->entry(image);
    ImageSetup before{current.project.settings, current.project.geometry, current.pixels};
    ImageSetup after{current.project.settings, std::move(edit->geometry), current.pixels};
    after.settings.expectedLanesByStrip =
        renumberedByStrip(current.project.settings.expectedLanesByStrip, edit->renumbered);
    after.settings.laneKindsByStrip =
        renumberedByStrip(current.project.settings.laneKindsByStrip, edit->renumbered);
    applyLaneKinds(after.settings, after.geometry.lanes);
    d->push(new ReplaceDetectionCommand(*d, image, tr("Delete Membrane Region"), std::move(before),
                                        std::move(after)));
    return {};
}

std::expected<std::vector<Lane>, Error>
ProjectDocument::laneGridLanes(int image, const ManualLaneGrid& grid) const {
    if (!d->isEditable(image)) {
        return std::unexpected(Error{imageName(image).toStdString(), "the image is not loaded"});
    }
    return manualGridLanes(d->entry(image).project.geometry, grid);
}

std::expected<void, Error> ProjectDocument::setLaneGrid(int image, const ManualLaneGrid& grid) {
    if (!d->isEditable(image)) {
        return std::unexpected(Error{imageName(image).toStdString(), "the image is not loaded"});
    }
    const ImageEntry& current = d->entry(image);
    auto geometry = withManualLaneGrid(current.pixels->signal, current.project.geometry, grid);
    if (!geometry) {
        return std::unexpected(Error{imageName(image).toStdString(), geometry.error().reason});
    }
    ImageSetup before{current.project.settings, current.project.geometry, current.pixels};
    ImageSetup after{current.project.settings, std::move(*geometry), current.pixels};
    after.settings.expectedLanesByStrip[grid.strip] = grid.laneCount;
    d->push(new ReplaceDetectionCommand(*d, image, tr("Set Lane Grid"), std::move(before),
                                        std::move(after)));
    return {};
}

void ProjectDocument::moveLane(LaneRef lane, const Lane& moved) {
    if (!d->isEditable(lane.image) || lane.lane < 0 ||
        lane.lane >= static_cast<int>(d->geometry(lane.image).lanes.size())) {
        return;
    }
    d->isDragging = true;
    d->push(new MoveLaneCommand(*d, lane.image, lane.lane, moved, d->dragSerial));
}

LaneRef ProjectDocument::addLane(int image, int strip, double xCenterPx, double widthPx) {
    if (!d->isEditable(image)) {
        return {};
    }
    const ImageGeometry& geometry = d->geometry(image);
    const auto found = std::find_if(geometry.strips.begin(), geometry.strips.end(),
                                    [&](const Strip& s) { return s.index == strip; });
    if (found == geometry.strips.end() || !(widthPx > 0.0)) {
        return {};
    }
    Lane lane;
    lane.strip = strip;
    lane.xCenterPx = xCenterPx;
    lane.leftPx = xCenterPx - 0.5 * widthPx;
    lane.rightPx = xCenterPx + 0.5 * widthPx;
    lane.yMiddlePx = found->region.y + 0.5 * found->region.height;
    // Tilted like its nearest neighbour: a blot imaged askew is askew in every lane.
    const Lane* nearest = nullptr;
    for (const Lane& other : geometry.lanes) {
        if (other.strip == strip &&
            (nearest == nullptr ||
             std::abs(other.xCenterPx - xCenterPx) < std::abs(nearest->xCenterPx - xCenterPx))) {
            nearest = &other;
        }
    }
    if (nearest != nullptr) {
        lane.yMiddlePx = nearest->yMiddlePx;
        lane.slope = nearest->slope;
    }
    auto* command = new AddLaneCommand(*d, image, lane);
    d->push(command);
    return {image, command->laneIndex()};
}

void ProjectDocument::removeLane(LaneRef lane) {
    if (d->isEditable(lane.image) && lane.lane >= 0 &&
        lane.lane < static_cast<int>(d->geometry(lane.image).lanes.size())) {
        d->push(new RemoveLaneCommand(*d, lane.image, lane.lane));
    }
}

void ProjectDocument::moveBand(BandRef band, int topPx, int bottomPx) {
    if (d->isEditable(band.image) && band.band >= 0 &&
        band.band < static_cast<int>(d->geometry(band.image).bands.size())) {
        d->isDragging = true;
        d->push(new MoveBandCommand(*d, band.image, band.band, topPx, bottomPx, d->dragSerial));
    }
}

BandRef ProjectDocument::addBand(LaneRef lane, int topPx, int bottomPx) {
    if (!d->isEditable(lane.image) || lane.lane < 0 ||
        lane.lane >= static_cast<int>(d->geometry(lane.image).lanes.size())) {
        return {};
    }
    auto* command = new AddBandCommand(*d, lane.image, lane.lane, topPx, bottomPx);
    d->push(command);
    return {lane.image, command->bandIndex()};
}

void ProjectDocument::removeBand(BandRef band) {
    if (d->isEditable(band.image) && band.band >= 0 &&
        band.band < static_cast<int>(d->geometry(band.image).bands.size())) {
        d->push(new RemoveBandCommand(*d, band.image, band.band));
    }
}

void ProjectDocument::endDrag() {
    d->finishDrag();
}

bool ProjectDocument::isDragging() const {
    return d->isDragging;
}

const std::optional<ProjectLayout>& ProjectDocument::layout() const {
    return d->layoutValue;
}

void ProjectDocument::setLayout(const std::optional<ProjectLayout>& layout) {
    if (layout != d->layoutValue) {
        d->push(new SetLayoutCommand(*d, layout));
    }
}

const std::optional<ExperimentOutcome>& ProjectDocument::experiment() const {
    return d->experiment;
}

const std::vector<Error>& ProjectDocument::layoutProblems() const {
    return d->layoutProblems;
}

const StripCalibration* ProjectDocument::stripCalibration(int image, int strip) const {
    if (!d->experiment || !d->hasImage(image)) {
        return nullptr;
    }
    const StripCalibration* calibration = findCalibration(
        d->experiment->calibrations, d->entry(image).project.path.filename().string(), strip);
    return calibration != nullptr && calibration->isUsable() ? calibration : nullptr;
}

std::expected<std::vector<OutputFile>, Error> ProjectDocument::resultFiles() const {
    return analysisOutputFiles(d->namedAnalyses(), d->experiment ? &*d->experiment : nullptr);
}

std::expected<void, Error> ProjectDocument::exportResults(const QString& folder) const {
    const fs::path root = toPath(folder);
    const auto files = resultFiles();
    if (!files) {
        return std::unexpected(files.error());
    }
    for (const OutputFile& file : *files) {
        const fs::path path = root / file.name;
        std::error_code error;
        fs::create_directories(path.parent_path(), error);
        if (error) {
            return std::unexpected(Error{path.parent_path().string(),
                                         "the folder cannot be created: " + error.message()});
        }
        if (auto written = writeFileAtomically(path, file.contents); !written) {
            return written;
        }
    }
    // The edits behind the numbers, for a reviewer; the command line has none to write.
    return writeFileAtomically(root / "history.csv", historyCsv(d->history));
}

const std::vector<EditRecord>& ProjectDocument::history() const {
    return d->history;
}

} // namespace densito
