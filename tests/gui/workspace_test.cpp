// The workspace a bench scientist reads at a glance: the fold-change chart at full size, the
// first view of an image, lane tabs that never overlap, and warnings where the eye is.
#include "core/analysis/csv_table.h"
#include "core/io/fold_change_chart.h"
#include "document/image_review.h"
#include "document/project_document.h"
#include "document/qt_strings.h"
#include "gui/action_controller.h"
#include "gui/analysis_settings_panel.h"
#include "gui/blot_view.h"
#include "gui/fold_change_chart_panel.h"
#include "gui/fold_change_chart_view.h"
#include "gui/image_info_panel.h"
#include "gui/image_list_panel.h"
#include "gui/lane_item.h"
#include "gui/log_panel.h"
#include "gui/main_window.h"

#include "gui_test_support.h"
#include "support/file_io.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <QAction>
#include <QApplication>
#include <QGraphicsScene>
#include <QLabel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>
#include <QUndoStack>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace densito {
namespace {

namespace fs = std::filesystem;
using test::kExperimentDir;

class FoldChangeChartTest : public test::SampleExperimentTest {};

/// summary.csv as the project exports it (the command line's bytes).
CsvTable exportedSummary(const ProjectDocument& document) {
    const auto files = document.resultFiles().value();
    const auto summary = std::ranges::find_if(
        files, [](const OutputFile& file) { return file.name == "summary.csv"; });
    EXPECT_NE(summary, files.end());
    auto table =
        parseCsv(summary != files.end() ? summary->contents : std::string(), "summary.csv");
    EXPECT_TRUE(table.has_value());
    return table ? *table : CsvTable{};
}

/// The summary.csv cell of `column` in the row of `series` and `condition`.
std::string summaryCell(const CsvTable& table, const FoldChangeSeries& series,
                        const std::string& condition, std::string_view column) {
    const auto target = table.findColumn("target");
    const auto measure = table.findColumn("measure");
    const auto site = table.findColumn("site");
    const auto conditionColumn = table.findColumn("condition");
    const auto wanted = table.findColumn(column);
    if (!target || !measure || !site || !conditionColumn || !wanted) {
        ADD_FAILURE() << "summary.csv lacks a column";
        return {};
    }
    for (const CsvRow& row : table.rows) {
        if (isInFoldChangeSeries(series, table.text(row, *target),
                                 table.text(row, *measure) == "phospho", table.text(row, *site)) &&
            table.text(row, *conditionColumn) == condition) {
            return std::string(table.text(row, *wanted));
        }
    }
    ADD_FAILURE() << "no summary.csv row for " << series.target << " " << condition;
    return {};
}

TEST_F(FoldChangeChartTest, HoverValuesAreThoseOfSummaryCsvAndTheDotsTheReplicates) {
    FoldChangeChartPanel panel(document());
    panel.resize(1200, 800);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    const Quantification& quantification = document().experiment()->quantification;
    const auto series = foldChangeSeries(quantification.summary);
    const CsvTable summary = exportedSummary(document());
    const FoldChangeChartView& view = panel.view();
    // The chart fills the panel, not a thumbnail.
    EXPECT_GT(view.chartRect().width(), 1.5 * kFoldChangeChartWidth);

    int dotsChecked = 0;
    for (std::size_t index = 0; index < series.size(); ++index) {
        panel.showSeries(static_cast<int>(index));
        ASSERT_TRUE(view.chart().has_value());
        // The SVG on screen is the exported chart's.
        EXPECT_EQ(
            view.chart()->svg,
            renderFoldChangeChart(series[index], quantification.summary, quantification.lanes).svg);
        for (const FoldChangeChartColumn& column : view.chart()->columns) {
            const std::string& condition = column.summary.condition;
            const double middle = 0.5 * (column.slotLeft + column.slotRight);
            const QString text = view.describeAt(view.toWidget(middle, column.plotBottom - 1.0));
            ASSERT_TRUE(text.startsWith(toQString(condition) + QStringLiteral(": n = ")))
                << text.toStdString();
            const std::string n = summaryCell(summary, series[index], condition, "n");
            EXPECT_TRUE(text.contains(QStringLiteral("n = %1,").arg(toQString(n))))
                << text.toStdString();
            const std::string foldChange =
                summaryCell(summary, series[index], condition, "fold_change");
            ASSERT_FALSE(foldChange.empty()) << condition;
            EXPECT_TRUE(
                text.contains(toQString(fmt::format("fold change {:.3g}", std::stod(foldChange)))))
                << text.toStdString() << " vs " << foldChange;
            if (!column.summary.isControl) {
                const std::string low = summaryCell(summary, series[index], condition, "ci95_low");
                const std::string high =
                    summaryCell(summary, series[index], condition, "ci95_high");
                const std::string p = summaryCell(summary, series[index], condition, "p");
                const std::string pHolm = summaryCell(summary, series[index], condition, "p_holm");
                EXPECT_TRUE(text.contains(toQString(
                    fmt::format("(95% CI {:.3g}–{:.3g})", std::stod(low), std::stod(high)))))
                    << text.toStdString();
                EXPECT_TRUE(text.contains(toQString(fmt::format("p = {:.3g}", std::stod(p)))))
                    << text.toStdString();
                EXPECT_TRUE(
                    text.contains(toQString(fmt::format("Holm p = {:.3g}", std::stod(pHolm)))))
                    << text.toStdString();
            }
            for (const FoldChangeChartDot& dot : column.dots) {
                const QString dotText = view.describeAt(view.toWidget(dot.cx, dot.cy));
                EXPECT_EQ(dotText,
                          toQString(fmt::format("{}, biological replicate: fold change {:.3g}",
                                                condition, dot.foldChange)));
                ++dotsChecked;
            }
        }
    }
    EXPECT_GT(dotsChecked, 10);
    // Outside the plot's columns there is nothing to say.
    EXPECT_TRUE(view.describeAt(view.toWidget(5.0, 5.0)).isEmpty());
}

TEST_F(FoldChangeChartTest, ExportKeepsTheCommandLineBytes) {
    FoldChangeChartPanel panel(document());
    panel.show();
    const auto series = foldChangeSeries(document().experiment()->quantification.summary);
    ASSERT_GE(series.size(), 2u);
    panel.showSeries(1);
    test::TempDir dir;
    ASSERT_TRUE(panel.exportChart(toQString(dir / "chart.svg")).has_value());
    ASSERT_TRUE(panel.exportChart(toQString(dir / "chart.png")).has_value());
    const std::string stem = foldChangeChartStems(series)[1];
    const auto files = document().resultFiles().value();
    for (const char* suffix : {".svg", ".png"}) {
        const auto cli = std::ranges::find_if(
            files, [&](const OutputFile& file) { return file.name == "charts/" + stem + suffix; });
        ASSERT_NE(cli, files.end()) << stem << suffix;
        EXPECT_EQ(test::readText(dir / (std::string("chart") + suffix)), cli->contents) << suffix;
    }
}

TEST_F(FoldChangeChartTest, IsDrawnOncePerEditNotPerDragStep) {
    FoldChangeChartPanel panel(document());
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    const std::string before = panel.view().chart()->svg;
    const int builds = panel.chartBuilds();
    const int steps = document().undoStack()->count();

    // A drag of a lane of an image the layout quantifies: three steps, one undo step.
    const int image = 0;
    const Lane original = document().analysis(image).lanes.at(1);
    for (const double dx : {1.0, 2.0, 3.0}) {
        Lane moved = original;
        moved.leftPx += dx;
        moved.rightPx += dx;
        moved.xCenterPx += dx;
        document().moveLane({image, 1}, moved);
        EXPECT_TRUE(document().isDragging());
    }
    EXPECT_EQ(panel.chartBuilds(), builds); // not during the drag
    document().endDrag();
    EXPECT_FALSE(document().isDragging());
    EXPECT_EQ(panel.chartBuilds(), builds + 1); // once when it ends
    EXPECT_EQ(document().undoStack()->count(), steps + 1);
    const auto& quantification = document().experiment()->quantification;
    const auto series = foldChangeSeries(quantification.summary);
    EXPECT_EQ(panel.view().chart()->svg,
              renderFoldChangeChart(series[static_cast<std::size_t>(panel.currentSeries())],
                                    quantification.summary, quantification.lanes)
                  .svg);

    // An undo is one edit: one chart.
    document().undoStack()->undo();
    EXPECT_EQ(panel.chartBuilds(), builds + 2);
    EXPECT_EQ(panel.view().chart()->svg, before);
}

TEST_F(FoldChangeChartTest, AHiddenChartIsMadeWhenShown) {
    FoldChangeChartPanel panel(document());
    const int builds = panel.chartBuilds();
    document().removeBand({0, 0});
    EXPECT_EQ(panel.chartBuilds(), builds);
    panel.show();
    EXPECT_EQ(panel.chartBuilds(), builds + 1);
    document().undoStack()->undo();
}

/// A 16-bit synthetic blot of `lanes` lanes in the middle of a wide empty tray: the membrane
/// is a small part of the picture.
cv::Mat blotOnATray(int lanes) {
    test::SyntheticBlotSpec spec;
    spec.lanes = lanes;
    spec.width = 40 * lanes;
    const cv::Mat blot = test::makeSyntheticBlot(spec);
    cv::Mat tray;
    // The tray: darker than the membrane's background, flat.
    cv::copyMakeBorder(blot, tray, 260, 260, 300, 300, cv::BORDER_CONSTANT, cv::Scalar(300));
    return tray;
}

/// A shown main window at `size`.
class WorkspaceTest : public ::testing::Test {
protected:
    void open(const cv::Mat& image, const char* name = "tray.tif") {
        m_window.resize(1600, 1000);
        m_window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_window));
        m_window.openFilePage(test::writeImage(m_dir, name, image), 0);
        ASSERT_TRUE(test::waitForProject(m_window.project()));
        ASSERT_TRUE(m_window.document().hasImage());
        QApplication::processEvents();
    }

    QRectF stripsBox() const {
        QRectF box;
        for (const Strip& strip : m_window.project().analysis(0).strips) {
            box = box.united(
                QRectF(strip.region.x, strip.region.y, strip.region.width, strip.region.height));
        }
        return box;
    }

    std::vector<const LaneItem*> laneItems() const {
        std::vector<const LaneItem*> lanes;
        for (const QGraphicsItem* item : m_window.blotView().scene()->items()) {
            if (const auto* lane = dynamic_cast<const LaneItem*>(item); lane && lane->isVisible()) {
                lanes.push_back(lane);
            }
        }
        return lanes;
    }

    test::TempDir m_dir;
    MainWindow m_window;
};

TEST_F(WorkspaceTest, AnImageOpensZoomedToItsMembranesAndFitImageIsOneKeyAway) {
    const cv::Mat tray = blotOnATray(8);
    open(tray);
    BlotView& view = m_window.blotView();
    const QRectF strips = stripsBox();
    ASSERT_FALSE(strips.isEmpty());
    // Detection found the membrane, not the tray.
    ASSERT_LT(strips.width(), 0.7 * tray.cols);
    ASSERT_LT(strips.height(), 0.7 * tray.rows);

    EXPECT_TRUE(view.isFitting());
    EXPECT_EQ(view.contentRegion(), strips);
    const QRectF fitted = view.fittedRegion();
    EXPECT_TRUE(fitted.contains(strips));
    // The margin: 6% of the membranes' larger side (at least 12 px) each way.
    const double margin = std::max(12.0, 0.06 * std::max(strips.width(), strips.height()));
    EXPECT_NEAR(fitted.width(), strips.width() + 2 * margin, 1e-9);
    // The zoom that fits `region` into the viewport as it is now (scroll bars come and go).
    const auto fittingZoom = [&view](QSizeF region) {
        const QSizeF room = view.viewport()->size();
        return std::min(room.width() / region.width(), room.height() / region.height());
    };
    const double zoom = view.zoom();
    EXPECT_DOUBLE_EQ(zoom, fittingZoom(fitted.size()));
    // Every membrane pixel is on screen.
    const QRectF seen = view.mapToScene(view.viewport()->rect()).boundingRect();
    EXPECT_TRUE(seen.adjusted(-1, -1, 1, 1).contains(strips))
        << seen.x() << "," << seen.y() << " " << seen.width() << "x" << seen.height();

    m_window.actions().fitAction()->trigger(); // Fit Image, Ctrl+0
    EXPECT_EQ(m_window.actions().fitAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_0));
    EXPECT_DOUBLE_EQ(view.zoom(), fittingZoom(QSizeF(tray.cols, tray.rows)));
    EXPECT_LT(view.zoom(), zoom / 1.5);
    m_window.actions().fitMembranesAction()->trigger();
    EXPECT_DOUBLE_EQ(view.zoom(), fittingZoom(fitted.size()));
}

TEST_F(WorkspaceTest, LaneTabsNeverOverlapAndNumbersThinOutWhenSmall) {
    open(blotOnATray(16));
    BlotView& view = m_window.blotView();
    const auto check = [this] {
        const auto lanes = laneItems();
        EXPECT_GE(lanes.size(), 16u);
        int labelled = 0;
        for (std::size_t i = 0; i < lanes.size(); ++i) {
            for (std::size_t j = i + 1; j < lanes.size(); ++j) {
                EXPECT_FALSE(lanes[i]->gripRect().intersects(lanes[j]->gripRect()))
                    << "lanes " << lanes[i]->lane().index << " and " << lanes[j]->lane().index;
            }
            labelled += lanes[i]->labelText().isEmpty() ? 0 : 1;
        }
        return labelled;
    };
    const int labelledWhenFitted = check();
    EXPECT_GE(labelledWhenFitted, 1);
    // Zoomed far out, the lanes are a few screen pixels wide: fewer numbers, still apart.
    for (int step = 0; step < 8; ++step) {
        view.zoomOut();
    }
    const int labelledSmall = check();
    EXPECT_GE(labelledSmall, 1);
    EXPECT_LT(labelledSmall, 16);
    // The numbers written are every k-th lane from lane 1, so written numbers never touch.
    std::vector<int> written;
    for (const LaneItem* lane : laneItems()) {
        if (!lane->labelText().isEmpty()) {
            written.push_back(lane->lane().index);
        }
    }
    std::ranges::sort(written);
    ASSERT_GE(written.size(), 2u);
    EXPECT_EQ(written.front(), 1);
    const int every = written[1] - written[0];
    EXPECT_GE(every, 2);
    for (std::size_t i = 1; i < written.size(); ++i) {
        EXPECT_EQ(written[i] - written[i - 1], every);
    }
}

/// Everything a person sees of `text` for the current image: Image panel, list, status bar.
void expectShownEverywhere(const MainWindow& window, const QString& text) {
    const int image = window.project().currentImage();
    EXPECT_TRUE(window.imageInfoPanel().reviewText().contains(text))
        << window.imageInfoPanel().reviewText().toStdString();
    auto* list = window.findChild<ImageListPanel*>();
    ASSERT_NE(list, nullptr);
    EXPECT_FALSE(list->item(image)->icon().isNull());
    EXPECT_TRUE(list->item(image)->toolTip().contains(text))
        << list->item(image)->toolTip().toStdString();
    EXPECT_TRUE(window.reviewStatus().isVisible());
    EXPECT_TRUE(window.reviewStatusText().contains(text))
        << window.reviewStatusText().toStdString();
    EXPECT_TRUE(window.reviewStatus().toolTip().contains(text));
}

TEST_F(WorkspaceTest, ALaneCountTheImageDisputesIsShownWhereTheEyeIs) {
    open(blotOnATray(6));
    ProjectDocument& project = m_window.project();
    ASSERT_FALSE(project.analysis(0).needsReview);
    EXPECT_TRUE(m_window.imageInfoPanel().reviewText().isEmpty());
    EXPECT_FALSE(m_window.reviewStatus().isVisible());
    auto* requested = m_window.findChild<QLabel*>(QStringLiteral("requestedValue"));
    ASSERT_NE(requested, nullptr);
    EXPECT_FALSE(requested->isVisible());

    project.setLaneCount(0, 1, 9);
    ASSERT_TRUE(test::waitForProject(project));
    QApplication::processEvents();
    ASSERT_TRUE(project.analysis(0).needsReview);
    const QString reason = QStringLiteral("strip 1: 9 lanes requested but only 6 fit on the "
                                          "strip at the lane spacing the image shows; 6 kept");
    expectShownEverywhere(m_window, reason);
    EXPECT_TRUE(m_window.reviewStatusText().startsWith(QStringLiteral("tray.tif needs review: ")))
        << m_window.reviewStatusText().toStdString();
    EXPECT_TRUE(
        m_window.imageInfoPanel().reviewText().startsWith(QStringLiteral("⚠ Needs review:")));
    // The Log hears of it, as of a load's warnings.
    auto* log = m_window.findChild<LogPanel*>();
    ASSERT_NE(log, nullptr);
    EXPECT_TRUE(log->text().contains(QStringLiteral("tray.tif: ") + reason))
        << log->text().toStdString();
    // The Analysis panel says what was asked.
    EXPECT_TRUE(requested->isVisible());
    EXPECT_EQ(requested->text(), QStringLiteral("strip 1: 9 lanes"));

    // A person's edit: the reasons are detection's, from before it.
    const Lane lane = project.analysis(0).lanes.at(2);
    Lane moved = lane;
    moved.rightPx += 2.0;
    moved.xCenterPx += 1.0;
    project.moveLane({0, 2}, moved);
    project.endDrag();
    QApplication::processEvents();
    EXPECT_TRUE(project.analysis(0).needsReview); // run.json's needs_review stays detection's
    EXPECT_EQ(m_window.reviewStatusText(),
              QStringLiteral("tray.tif edited by hand (1 lane) after detection was unsure"));
    EXPECT_TRUE(m_window.imageInfoPanel().reviewText().startsWith(
        QStringLiteral("Edited by hand (1 lane). Before the edits, detection was unsure:\n• ") +
        reason))
        << m_window.imageInfoPanel().reviewText().toStdString();
    auto* list = m_window.findChild<ImageListPanel*>();
    EXPECT_TRUE(list->item(0)->text().endsWith(QStringLiteral("edited by hand")))
        << list->item(0)->text().toStdString();

    project.undoStack()->undo();
    project.undoStack()->undo();
    ASSERT_TRUE(test::waitForProject(project));
    QApplication::processEvents();
    EXPECT_FALSE(m_window.reviewStatus().isVisible());
    EXPECT_TRUE(m_window.imageInfoPanel().reviewText().isEmpty());
    EXPECT_FALSE(requested->isVisible());
}

TEST_F(WorkspaceTest, PolarityNamesTheStoredDataAndWhetherTheDisplayInvertsIt) {
    open(blotOnATray(6));
    // Raw chemiluminescence: light bands in the data, shown as stored.
    EXPECT_EQ(m_window.imageInfoPanel().polarityText(),
              QStringLiteral("stored data: light bands on dark; from the pixels"));
    m_window.actions().invertAction()->setChecked(true);
    ASSERT_TRUE(test::waitForLoad(m_window.document()));
    QApplication::processEvents();
    EXPECT_EQ(m_window.imageInfoPanel().polarityText(),
              QStringLiteral("stored data: light bands on dark (shown inverted); from the pixels"));
}

TEST_F(WorkspaceTest, TheChartHasATabAsLargeAsTheBlots) {
    open(blotOnATray(6));
    QTabWidget& tabs = m_window.workspace();
    ASSERT_EQ(tabs.count(), 2);
    EXPECT_EQ(tabs.currentWidget(), &m_window.blotView());
    tabs.setCurrentWidget(&m_window.chartPanel());
    QApplication::processEvents();
    EXPECT_EQ(m_window.chartPanel().size(), m_window.blotView().size());
}

/// The ChemiDoc blot of the real-blots folder, with 16 lanes asked of its 12.
TEST_F(WorkspaceTest, ChemiDocLaneCountWarningReachesThePanelListAndStatusBar) {
    const fs::path file =
        fs::path(DENSITO_REAL_BLOTS_DIR) / "chemidoc_xrs_biorad1sc" / "test4_imglab_analysis.tif";
    if (!fs::exists(file)) {
        GTEST_SKIP() << "no real blots at " << file;
    }
    m_window.resize(1600, 1000);
    m_window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_window));
    m_window.openFilePage(toQString(file), 0);
    ASSERT_TRUE(test::waitForProject(m_window.project()));
    QApplication::processEvents();
    ProjectDocument& project = m_window.project();
    ASSERT_EQ(project.imageCount(), 1);
    project.setLaneCount(0, 1, 16);
    ASSERT_TRUE(test::waitForProject(project));
    QApplication::processEvents();
    const auto& reasons = project.analysis(0).reviewReasons;
    ASSERT_FALSE(reasons.empty());
    for (const std::string& reason : reasons) {
        expectShownEverywhere(m_window, toQString(reason));
    }
    auto* requested = m_window.findChild<QLabel*>(QStringLiteral("requestedValue"));
    ASSERT_NE(requested, nullptr);
    EXPECT_EQ(requested->text(), QStringLiteral("strip 1: 16 lanes"));
}

} // namespace
} // namespace densito
