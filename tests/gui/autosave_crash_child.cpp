// The process that crashes in the autosave recovery test (autosave_test.cpp): a real main
// window opens a blot, moves a lane, waits for the autosave of that edit, prints
// "autosaved <saved lane x> <edited lane x>" and runs on until it is killed.
//
// Usage: autosave_crash_child ORGANISATION APPLICATION IMAGE [PROJECT]
// With PROJECT, the blot is first saved there (so the edit is unsaved work of that project);
// without, the project stays untitled. The autosave folder follows XDG_DATA_HOME.

#include "document/autosave.h"
#include "document/project_document.h"
#include "gui/main_window.h"

#include <QApplication>
#include <QString>
#include <QTest>

#include <chrono>
#include <cstdio>

namespace {

constexpr int kTimeoutMs = 60000;
constexpr double kShiftPx = 6.5;

int fail(const char* what) {
    std::fprintf(stderr, "autosave_crash_child: %s\n", what);
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 4) {
        return fail("usage: autosave_crash_child ORGANISATION APPLICATION IMAGE [PROJECT]");
    }
    QApplication::setOrganizationName(QString::fromLocal8Bit(argv[1]));
    QApplication::setApplicationName(QString::fromLocal8Bit(argv[2]));

    densito::MainWindow window;
    window.autosave().setInterval(std::chrono::milliseconds(100));
    window.show();
    densito::ProjectDocument& project = window.project();
    window.openFilePage(QString::fromLocal8Bit(argv[3]), 0);
    if (!QTest::qWaitFor(
            [&] {
                return !project.isBusy() && project.imageCount() == 1 &&
                       project.loadedImage(0) != nullptr;
            },
            kTimeoutMs)) {
        return fail("the blot did not load");
    }
    if (argc > 4) {
        if (!project.saveProject(QString::fromLocal8Bit(argv[4]))) {
            return fail("the project could not be saved");
        }
    } else if (!QTest::qWaitFor([&] { return window.autosave().hasAutosave(); }, kTimeoutMs)) {
        // The untitled project with its image is unsaved work already.
        return fail("the opened blot was not autosaved");
    }
    if (project.image(0).geometry.lanes.size() < 2) {
        return fail("fewer than two lanes were detected");
    }
    // No write is in flight now (saved, or the first autosave has finished), so the next
    // autosave is the one of this edit.
    bool isEditAutosaved = false;
    QObject::connect(&window.autosave(), &densito::Autosave::autosaved, &window,
                     [&] { isEditAutosaved = true; });
    densito::Lane lane = project.image(0).geometry.lanes[1];
    const double savedXPx = lane.xCenterPx;
    lane.xCenterPx += kShiftPx;
    lane.leftPx += kShiftPx;
    lane.rightPx += kShiftPx;
    project.moveLane({0, 1}, lane);
    project.endDrag();
    if (!QTest::qWaitFor([&] { return isEditAutosaved; }, kTimeoutMs)) {
        return fail("the edit was not autosaved");
    }
    std::printf("autosaved %.17g %.17g\n", savedXPx, project.image(0).geometry.lanes[1].xCenterPx);
    std::fflush(stdout);
    return QApplication::exec();
}
