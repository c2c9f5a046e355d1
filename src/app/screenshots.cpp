// densito-screenshots: the README's screenshots (docs/screenshots), taken from the real main
// window on the sample experiment. Run under a display or Xvfb:
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/release/src/app/densito-screenshots
//   docs/screenshots
// Settings go to a scratch folder, never the user's.

#include "core/io/atomic_file.h"
#include "core/io/tiff_writer.h"
#include "core/synth/ladder_blot.h"
#include "document/project_document.h"
#include "document/qt_strings.h"
#include "gui/batch_dialog.h"
#include "gui/fold_change_chart_panel.h"
#include "gui/geometry_overlay.h"
#include "gui/main_window.h"
#include "gui/sample_experiment_locator.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <filesystem>

namespace {

constexpr int kTimeoutMs = 120000;

bool save(QWidget& widget, const QString& folder, const QString& name) {
    const QString path = QDir(folder).filePath(name);
    const bool isSaved = widget.grab().save(path);
    std::printf("%s %s\n", isSaved ? "wrote" : "could not write", qPrintable(path));
    return isSaved;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: densito-screenshots OUTPUT_FOLDER\n");
        return 2;
    }
    const QString folder = QString::fromLocal8Bit(argv[1]);
    QTemporaryDir settings;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());
    QApplication::setOrganizationName(QStringLiteral("DensitoScreenshots"));
    QApplication::setApplicationName(QStringLiteral("densito-screenshots"));
    const auto experiment = densito::sampleExperimentFolder();
    if (!experiment || !QDir().mkpath(folder)) {
        std::fprintf(stderr, "densito-screenshots: no sample experiment or output folder\n");
        return 1;
    }

    densito::MainWindow window;
    window.resize(1440, 900);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)) {
        return 1;
    }
    QTest::qWait(300);
    bool isOk = save(window, folder, QStringLiteral("welcome.png"));

    window.openSampleExperiment();
    densito::ProjectDocument& project = window.project();
    if (!QTest::qWaitFor([&] { return !project.isBusy() && project.currentImage() >= 0; },
                         kTimeoutMs)) {
        return 1;
    }
    // membrane1 p-Akt Ser473, its insulin lane selected (its profile shows).
    for (int image = 0; image < project.imageCount(); ++image) {
        if (project.imageName(image) == QStringLiteral("membrane1_p-Akt_Ser473.tif")) {
            project.setCurrentImage(image);
            window.overlay().selectLane(densito::LaneRef{image, 2});
        }
    }
    QTest::qWait(500);
    isOk = save(window, folder, QStringLiteral("main_window.png")) && isOk;
    if (auto* profile = window.findChild<QDockWidget*>(QStringLiteral("profileDock"))) {
        isOk = save(*profile, folder, QStringLiteral("profile_panel.png")) && isOk;
    }
    // The fold-change chart at the window's size: p-Akt Ser473, the experiment's question.
    window.workspace().setCurrentWidget(&window.chartPanel());
    window.chartPanel().showSeries(3);
    QTest::qWait(800);
    isOk = save(window, folder, QStringLiteral("fold_change_chart.png")) && isOk;
    window.workspace().setCurrentIndex(0);
    if (auto* dock = window.findChild<QDockWidget*>(QStringLiteral("experimentDock"))) {
        dock->raise();
        window.resizeDocks({dock}, {520}, Qt::Vertical);
        QTest::qWait(500);
        isOk = save(window, folder, QStringLiteral("experiment_panel.png")) && isOk;
    }

    // The History panel after a hand correction: a lane of p-Akt widened by 6 px.
    for (int image = 0; image < project.imageCount(); ++image) {
        if (project.imageName(image) == QStringLiteral("membrane1_p-Akt_Ser473.tif")) {
            densito::Lane lane = project.image(image).geometry.lanes[2];
            lane.rightPx += 6.0;
            lane.xCenterPx = 0.5 * (lane.leftPx + lane.rightPx);
            project.moveLane(densito::LaneRef{image, 2}, lane);
            project.endDrag();
        }
    }
    if (auto* dock = window.findChild<QDockWidget*>(QStringLiteral("historyDock"))) {
        dock->raise();
        window.resizeDocks({dock}, {160}, Qt::Vertical);
        QTest::qWait(500);
        isOk = save(*dock, folder, QStringLiteral("history_panel.png")) && isOk;
    }

    QTemporaryDir output;
    densito::BatchDialog batch(&window);
    batch.setInputFolder(*experiment);
    batch.setBlotsFile(QDir(*experiment).filePath(QStringLiteral("blots.csv")));
    batch.setSamplesFile(QDir(*experiment).filePath(QStringLiteral("samples.csv")));
    batch.setOutputFolder(output.path());
    batch.show();
    if (!batch.startRun() || !QTest::qWaitFor([&] { return !batch.isRunning(); }, kTimeoutMs)) {
        return 1;
    }
    QTest::qWait(300);
    isOk = save(batch, folder, QStringLiteral("batch_dialog.png")) && isOk;
    batch.hide();

    // The kDa axes: a synthetic blot with PageRuler Plus ladders in lanes 1 and 8 (the sample
    // experiment has no ladder), its sample lane 4 selected.
    QTemporaryDir ladderFolder;
    densito::LadderBlotParams params;
    params.seed = 2;
    params.hasTwoLadders = true;
    const auto ladderBlot = densito::generateLadderBlot(params);
    const std::filesystem::path ladderDir = densito::toPath(ladderFolder.path());
    if (!ladderBlot || !densito::writeTiff16(ladderDir / "ladder_blot.tif", ladderBlot->blot.raw) ||
        !densito::writeFileAtomically(ladderDir / "blots.csv",
                                      "image,membrane,target,measure\n"
                                      "ladder_blot.tif,M1,S6K1,total\n"
                                      "ladder_blot.tif,M1,GAPDH,loading\n") ||
        !densito::writeFileAtomically(ladderDir / "samples.csv",
                                      "membrane,lane,sample,condition,replicate\n"
                                      "M1,1,PageRuler Plus,ladder,\n"
                                      "M1,2,c1,control,1\nM1,3,c2,control,2\nM1,4,c3,control,3\n"
                                      "M1,5,t1,treated,1\nM1,6,t2,treated,2\nM1,7,t3,treated,3\n"
                                      "M1,8,PageRuler Plus,ladder,\n")) {
        std::fprintf(stderr, "densito-screenshots: could not write the ladder blot\n");
        return 1;
    }
    project.openExperimentFolder(ladderFolder.path());
    if (!QTest::qWaitFor([&] { return !project.isBusy() && project.experiment().has_value(); },
                         kTimeoutMs)) {
        return 1;
    }
    project.setCurrentImage(0);
    window.overlay().selectLane(densito::LaneRef{0, 3});
    if (auto* dock = window.findChild<QDockWidget*>(QStringLiteral("resultsDock"))) {
        dock->raise();
    }
    QTest::qWait(800);
    isOk = save(window, folder, QStringLiteral("kda_axis.png")) && isOk;
    return isOk ? 0 : 1;
}
