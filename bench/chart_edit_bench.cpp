// Time from an edit to an updated fold-change chart on screen: on the sample experiment (27
// images and a layout), a lane of a p-Akt image widened and narrowed by 3 pixels (moveLane +
// endDrag, one undo step) with the Fold-Change Chart tab's panel shown at 1280x840, until the panel
// has made the chart again and painted it. Also the drag's steps alone (the chart waits for the
// drag's end) and the chart alone: the core's SVG and placement, another target's chart drawn, and
// a repaint of the same chart (what hovering costs). Prints the median and
// the slowest of the runs; the target is 30 ms per edit.
// Run: QT_QPA_PLATFORM=offscreen build/rel/bench/densito_chart_edit_bench [runs]
#include "core/io/fold_change_chart.h"
#include "document/project_document.h"
#include "document/qt_strings.h"
#include "gui/fold_change_chart_panel.h"
#include "gui/fold_change_chart_view.h"

#include <QApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

void report(const char* what, std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    std::printf("%-46s %8.2f ms %8.2f ms\n", what, ms[ms.size() / 2], ms.back());
}

std::vector<double> time(int runs, const std::function<void(int)>& step) {
    std::vector<double> ms;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        step(run);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    return ms;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 25;
    densito::ProjectDocument document;
    document.openExperimentFolder(densito::toQString(std::filesystem::path(DENSITO_SOURCE_DIR) /
                                                     "sample_blots" / "experiment"));
    while (document.isBusy() || !document.experiment()) {
        QApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    densito::FoldChangeChartPanel panel(document);
    panel.resize(1280, 840);
    panel.show();
    QApplication::processEvents();

    // The p-Akt chart, and a lane of a p-Akt image: each edit changes the chart shown.
    const auto& summary = document.experiment()->quantification.summary;
    const auto allSeries = densito::foldChangeSeries(summary);
    const auto akt = std::find_if(allSeries.begin(), allSeries.end(), [](const auto& series) {
        return series.isPhospho && series.target == "Akt";
    });
    int image = -1;
    for (int i = 0; i < document.imageCount(); ++i) {
        if (document.imageName(i) == QStringLiteral("membrane1_p-Akt_Ser473.tif")) {
            image = i;
        }
    }
    if (akt == allSeries.end() || image < 0) {
        std::fprintf(stderr, "the sample experiment has no p-Akt\n");
        return 1;
    }
    panel.showSeries(static_cast<int>(akt - allSeries.begin()));
    const auto moveLane = [&document, image](int run) {
        densito::Lane lane = document.image(image).geometry.lanes.at(2);
        lane.rightPx += run % 2 == 0 ? 3.0 : -3.0;
        document.moveLane({image, 2}, lane);
    };
    std::printf("sample experiment, %d images; chart panel 1280x840; median and slowest of %d\n",
                document.imageCount(), runs);
    const int buildsBefore = panel.chartBuilds();
    report("drag step (moveLane, chart waits)", time(runs, moveLane));
    const int buildsDuringDrag = panel.chartBuilds() - buildsBefore;
    document.endDrag();
    report("edit + chart made + painted", time(runs, [&](int run) {
               moveLane(run);
               document.endDrag();
               panel.view().repaint();
           }));
    const auto& quantification = document.experiment()->quantification;
    const auto series = densito::foldChangeSeries(quantification.summary);
    report("chart alone: core SVG and placement", time(runs, [&](int) {
               const auto chart = densito::renderInteractiveFoldChangeChart(
                   series.front(), quantification.summary, quantification.lanes);
               if (chart.svg.empty()) {
                   std::abort();
               }
           }));
    report("another target's chart made and drawn", time(runs, [&](int run) {
               panel.showSeries(run % 2);
               panel.view().repaint();
           }));
    report("the same chart painted again (hover)",
           time(runs, [&](int) { panel.view().repaint(); }));
    std::printf("charts made during %d drag steps: %d\n", runs, buildsDuringDrag);
    return 0;
}
