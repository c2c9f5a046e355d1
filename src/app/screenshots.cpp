// densito-screenshots: the README's screenshots (docs/screenshots), taken from the real main
// window on the sample experiment. Run under a display or Xvfb:
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/release/src/app/densito-screenshots
//   docs/screenshots
// Settings go to a scratch folder, never the user's.

#include "document/project_document.h"
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
    return isOk ? 0 : 1;
}
