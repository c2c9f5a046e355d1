// Time from an edit in the GUI's document to updated results: ProjectDocument::moveLane (and
// moveBand, setLaneGrid, and undo) until imageChanged() has been emitted, on a 4000x3000
// synthetic blot (a large imager frame), for each background method. This is the whole path
// the GUI takes: the undo command, remeasure() with the image's MeasurementCache, the
// experiment (none here) and the signal. Then the same on the sample experiment (27 images
// and a layout), where every edit also recomputes the experiment. Prints the median and the
// slowest of the runs; the target is 30 ms.
// Run: build/release/bench/densito_document_edit_bench [runs]
#include "core/io/tiff_writer.h"
#include "core/synth/synthetic_blot.h"
#include "document/project_document.h"
#include "document/qt_strings.h"

#include "edit_scene.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>
#include <QUndoStack>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Timing {
    double medianMs = 0.0;
    double maxMs = 0.0;
};

/// Runs `edit` `runs` times; each time, the time until the document emitted imageChanged().
Timing timeEdits(densito::ProjectDocument& document, int runs,
                 const std::function<void(int)>& edit) {
    Clock::time_point changedAt;
    const auto connection = QObject::connect(&document, &densito::ProjectDocument::imageChanged,
                                             [&changedAt] { changedAt = Clock::now(); });
    std::vector<double> ms;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        changedAt = start;
        edit(run);
        ms.push_back(std::chrono::duration<double, std::milli>(changedAt - start).count());
    }
    QObject::disconnect(connection);
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.back()};
}

void waitUntilIdle(const densito::ProjectDocument& document) {
    while (document.isBusy()) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
}

void print(const char* what, const Timing& timing) {
    std::printf("%-34s %8.2f ms %8.2f ms\n", what, timing.medianMs, timing.maxMs);
}

/// Lane 1 of image 0 one pixel wider, then back; each call a step of its own.
void wiggleLane(densito::ProjectDocument& document, int run, int laneIndex) {
    densito::Lane lane = document.image(0).geometry.lanes[static_cast<std::size_t>(laneIndex)];
    lane.rightPx += run % 2 == 0 ? 1.0 : -1.0;
    document.moveLane({0, laneIndex}, lane);
    document.endDrag();
}

/// Strip 1 of image 0 set as a grid of as many lanes as it has, its first lane a pixel off
/// and back: its bands are detected again in the grid's lanes and the image measured.
void setLaneGridAgain(densito::ProjectDocument& document, int run) {
    std::vector<double> centres;
    for (const densito::Lane& lane : document.image(0).geometry.lanes) {
        if (lane.strip == 1) {
            centres.push_back(lane.xCenterPx);
        }
    }
    const double shift = run % 2 == 0 ? 1.0 : -1.0;
    const auto set = document.setLaneGrid(
        0, {1, centres.front() + shift, centres.back(), static_cast<int>(centres.size())});
    if (!set) {
        std::fprintf(stderr, "%s\n", set.error().describe().c_str());
    }
}

/// All edits measured on image 0 of `document`.
void timeAll(densito::ProjectDocument& document, int runs) {
    const int laneIndex = static_cast<int>(document.image(0).geometry.lanes.size() / 2);
    const int bandIndex = static_cast<int>(document.image(0).geometry.bands.size() / 2);
    print("moveLane -> imageChanged",
          timeEdits(document, runs, [&](int run) { wiggleLane(document, run, laneIndex); }));
    print(
        "moveBand -> imageChanged", timeEdits(document, runs, [&](int run) {
            const densito::BandCandidate band =
                document.image(0).geometry.bands[static_cast<std::size_t>(bandIndex)].candidate;
            document.moveBand({0, bandIndex}, band.topPx, band.bottomPx + (run % 2 == 0 ? 1 : -1));
            document.endDrag();
        }));
    print("setLaneGrid -> imageChanged",
          timeEdits(document, runs, [&](int run) { setLaneGridAgain(document, run); }));
    print("undo -> imageChanged",
          timeEdits(document, runs, [&](int) { document.undoStack()->undo(); }));
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 25;

    const auto blot = densito::generateSyntheticBlot(densito::bench::editScene());
    QTemporaryDir dir;
    if (!blot || !dir.isValid()) {
        std::fprintf(stderr, "cannot make the test image\n");
        return 1;
    }
    const std::filesystem::path file = densito::toPath(dir.filePath(QStringLiteral("blot.tif")));
    if (const auto written = densito::writeTiff16(file, blot->raw); !written) {
        std::fprintf(stderr, "%s\n", written.error().describe().c_str());
        return 1;
    }

    densito::ProjectDocument document;
    const auto loadStart = Clock::now();
    document.addImages({densito::toQString(file)});
    waitUntilIdle(document);
    if (document.imageCount() != 1 || document.image(0).geometry.bands.empty()) {
        std::fprintf(stderr, "the image was not analysed\n");
        return 1;
    }
    std::printf("4000x3000 image, %zu lanes, %zu bands; loaded and detected in %.0f ms; "
                "median and slowest of %d runs\n",
                document.image(0).geometry.lanes.size(), document.image(0).geometry.bands.size(),
                std::chrono::duration<double, std::milli>(Clock::now() - loadStart).count(), runs);
    for (const char* method : {"border-median", "rolling-ball", "lane-baseline", "none"}) {
        densito::AnalysisSettings settings = document.image(0).settings;
        settings.background = *densito::parseBackgroundMethod(method);
        document.setImageSettings(0, settings); // measures once, filling the cache
        std::printf("%s (%s)\n", method, document.analysis(0).backgroundMethod.c_str());
        timeAll(document, runs);
    }

    densito::ProjectDocument experiment;
    experiment.openExperimentFolder(densito::toQString(std::filesystem::path(DENSITO_SOURCE_DIR) /
                                                       "sample_blots" / "experiment"));
    waitUntilIdle(experiment);
    if (!experiment.experiment()) {
        std::fprintf(stderr, "the sample experiment was not quantified\n");
        return 1;
    }
    std::printf("sample experiment (%d images with a layout; the experiment is recomputed)\n",
                experiment.imageCount());
    timeAll(experiment, runs);
    return 0;
}
