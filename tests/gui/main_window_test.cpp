#include "core/image/image_loader.h"
#include "document/blot_document.h"
#include "document/project_document.h"
#include "document/results_table_model.h"
#include "gui/action_controller.h"
#include "gui/blot_view.h"
#include "gui/elided_label.h"
#include "gui/image_list_panel.h"
#include "gui/log_panel.h"
#include "gui/main_window.h"
#include "gui/pixel_readout.h"

#include "gui_test_support.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <QAbstractScrollArea>
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QDropEvent>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QToolBar>
#include <QUndoStack>
#include <QUrl>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <string>

namespace densito {
namespace {

/// A shown main window with a 16-bit synthetic blot written to a scratch folder.
class MainWindowTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_blot = test::makeSyntheticBlot({});
        m_file = test::writeImage(m_dir, "synthetic_blot.tif", m_blot);
        m_window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_window));
    }

    void openBlot() {
        m_window.openFilePage(m_file, 0);
        ASSERT_TRUE(test::waitForProject(m_window.project()));
        ASSERT_TRUE(m_window.document().hasImage());
        QApplication::processEvents();
    }

    test::TempDir m_dir;
    cv::Mat m_blot;
    QString m_file;
    MainWindow m_window;
};

TEST_F(MainWindowTest, OpensAFileThroughItsApi) {
    openBlot();
    EXPECT_EQ(m_window.document().fileName(), m_file);
    EXPECT_TRUE(m_window.blotView().hasImage());
    EXPECT_TRUE(m_window.windowTitle().contains(QStringLiteral("synthetic_blot.tif")));
    EXPECT_TRUE(m_window.actions().zoomInAction()->isEnabled());
    EXPECT_TRUE(m_window.actions().recentMenu()->menuAction()->isEnabled());
    const auto recent = m_window.actions().recentMenu()->actions();
    ASSERT_FALSE(recent.isEmpty());
    EXPECT_TRUE(recent.first()->text().contains(QStringLiteral("synthetic_blot.tif")));
}

TEST_F(MainWindowTest, TheHistoryPanelListsEveryEditAndItsUndo) {
    openBlot();
    auto* history = m_window.findChild<QTableView*>(QStringLiteral("historyView"));
    ASSERT_NE(history, nullptr);
    auto* dock = m_window.findChild<QDockWidget*>(QStringLiteral("historyDock"));
    ASSERT_NE(dock, nullptr);
    EXPECT_EQ(dock->windowTitle(), QStringLiteral("History"));
    ASSERT_EQ(history->model()->rowCount(), 1);
    EXPECT_EQ(history->model()->index(0, 3).data().toString(), QStringLiteral("Add Image"));
    m_window.project().undoStack()->undo();
    ASSERT_EQ(history->model()->rowCount(), 2);
    EXPECT_EQ(history->model()->index(1, 3).data().toString(), QStringLiteral("Undo: Add Image"));
    EXPECT_EQ(history->model()->index(1, 4).data().toString(),
              QStringLiteral("synthetic_blot.tif"));
}

TEST_F(MainWindowTest, ViewActionsWaitForAnImage) {
    EXPECT_FALSE(m_window.actions().zoomInAction()->isEnabled());
    EXPECT_FALSE(m_window.actions().invertAction()->isEnabled());
    EXPECT_TRUE(m_window.actions().openAction()->isEnabled());
    EXPECT_EQ(m_window.actions().openAction()->shortcut(), QKeySequence(QKeySequence::Open));
}

TEST_F(MainWindowTest, StatusBarShowsTheRawValueUnderThePointer) {
    openBlot();
    BlotView& view = m_window.blotView();
    const QPoint pixel(100, 60);
    const QPoint viewPos = view.mapFromScene(QPointF(pixel) + QPointF(0.5, 0.5));

    QTest::mouseMove(view.viewport(), viewPos);
    QApplication::processEvents();

    const QString expected =
        QStringLiteral("(100, 60)   raw %1").arg(m_blot.at<std::uint16_t>(pixel.y(), pixel.x()));
    EXPECT_EQ(m_window.pixelReadout().text(), expected);
}

TEST_F(MainWindowTest, ZoomActionsChangeTheViewScale) {
    openBlot();
    BlotView& view = m_window.blotView();
    const double fitted = view.zoom();
    EXPECT_TRUE(view.isFitting());

    m_window.actions().zoomInAction()->trigger();
    EXPECT_DOUBLE_EQ(view.zoom(), fitted * BlotView::kZoomStep);
    EXPECT_DOUBLE_EQ(view.transform().m11(), view.zoom());
    EXPECT_FALSE(view.isFitting());

    m_window.actions().zoomOutAction()->trigger();
    m_window.actions().zoomOutAction()->trigger();
    EXPECT_NEAR(view.zoom(), fitted / BlotView::kZoomStep, 1e-12);

    m_window.actions().actualSizeAction()->trigger();
    EXPECT_DOUBLE_EQ(view.transform().m11(), 1.0);

    m_window.actions().fitMembranesAction()->trigger();
    EXPECT_DOUBLE_EQ(view.zoom(), fitted);
    EXPECT_TRUE(view.isFitting());
    m_window.actions().fitAction()->trigger();
    const QSizeF room = view.viewport()->size();
    EXPECT_DOUBLE_EQ(view.zoom(),
                     std::min(room.width() / m_blot.cols, room.height() / m_blot.rows));
}

TEST_F(MainWindowTest, InvertDisplayChangesPixelsOnScreenNotValues) {
    openBlot();
    const QImage before = m_window.document().displayImage();
    m_window.actions().invertAction()->trigger();
    EXPECT_TRUE(m_window.document().isDisplayInverted());
    EXPECT_NE(m_window.document().displayImage(), before);
    EXPECT_EQ(m_window.document().rawValueAt(5, 5),
              static_cast<double>(m_blot.at<std::uint16_t>(5, 5)));
}

TEST_F(MainWindowTest, SaturationActionShowsAndHidesTheOverlay) {
    m_window.actions().saturationAction()->setChecked(true);
    openBlot();
    EXPECT_TRUE(m_window.blotView().isOverlayVisible());
    m_window.actions().saturationAction()->trigger();
    EXPECT_FALSE(m_window.blotView().isOverlayVisible());
    m_window.actions().saturationAction()->trigger();
    EXPECT_TRUE(m_window.blotView().isOverlayVisible());
}

TEST_F(MainWindowTest, FailedLoadShowsAMessageAndKeepsRunning) {
    openBlot();
    const auto broken = m_dir / "not_a_blot.png";
    std::ofstream(broken, std::ios::binary) << "plain text, not an image";

    m_window.openFile(toQString(broken));
    ASSERT_TRUE(test::waitForProject(m_window.project()));
    QApplication::processEvents();

    auto* box = m_window.findChild<QMessageBox*>(QStringLiteral("loadFailureMessage"));
    ASSERT_NE(box, nullptr);
    EXPECT_TRUE(box->text().contains(QStringLiteral("not_a_blot.png")))
        << box->text().toStdString();
    EXPECT_TRUE(m_window.isVisible());
    EXPECT_EQ(m_window.document().fileName(), m_file);
    EXPECT_EQ(m_window.project().imageCount(), 1);
    box->close();
}

TEST_F(MainWindowTest, ImageWarningsReachTheLogPanel) {
    cv::Mat eightBit;
    m_blot.convertTo(eightBit, CV_8U, 1.0 / 257.0);
    const QString file = test::writeImage(m_dir, "eight_bit.png", eightBit);
    m_window.openFilePage(file, 0);
    ASSERT_TRUE(test::waitForProject(m_window.project()));
    QApplication::processEvents();

    auto* log = m_window.findChild<LogPanel*>();
    ASSERT_NE(log, nullptr);
    EXPECT_TRUE(
        log->text().contains(QStringLiteral("eight_bit.png: ") +
                             QString::fromUtf8(kEightBitWarning.data(),
                                               static_cast<qsizetype>(kEightBitWarning.size()))))
        << log->text().toStdString();
}

TEST_F(MainWindowTest, DroppingSeveralFilesAddsThemAllToTheProject) {
    const QString second = test::writeImage(m_dir, "second.tif", test::invert16(m_blot));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_file), QUrl::fromLocalFile(second)});
    const QPoint centre = m_window.rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&m_window, &enter);
    ASSERT_TRUE(enter.isAccepted());
    QDropEvent drop(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);

    QApplication::sendEvent(&m_window, &drop);
    ASSERT_TRUE(QTest::qWaitFor([&] { return m_window.project().imageCount() == 2; },
                                test::kLoadTimeoutMs));
    ASSERT_TRUE(test::waitForProject(m_window.project()));
    QApplication::processEvents();

    // In path order, as the command line reads a folder.
    EXPECT_EQ(m_window.project().imageName(0), QStringLiteral("second.tif"));
    EXPECT_EQ(m_window.project().imageName(1), QStringLiteral("synthetic_blot.tif"));
    EXPECT_TRUE(m_window.document().hasImage());
}

TEST_F(MainWindowTest, ImagesThatNeedReviewAreMarkedAndVisitedInTurn) {
    const QString second = test::writeImage(m_dir, "second.tif", m_blot);
    m_window.project().addImages({m_file, second});
    ASSERT_TRUE(test::waitForProject(m_window.project()));
    ProjectDocument& project = m_window.project();
    ASSERT_EQ(project.imageCount(), 2);
    EXPECT_EQ(project.nextImageToReview(0), -1);
    // A lane count the image disagrees with (it shows 6 lanes with signal) marks it.
    project.setLaneCount(1, 1, 5);
    ASSERT_TRUE(test::waitForProject(project));
    QApplication::processEvents();
    ASSERT_TRUE(project.analysis(1).needsReview);
    EXPECT_FALSE(project.analysis(0).needsReview);
    EXPECT_EQ(project.nextImageToReview(0), 1);
    EXPECT_EQ(project.nextImageToReview(1), 1);
    // Corrected by hand, it is no longer waiting for a person; the undo puts it back.
    Lane moved = project.image(1).geometry.lanes[0];
    moved.rightPx += 2.0;
    project.moveLane({1, 0}, moved);
    project.endDrag();
    EXPECT_EQ(project.nextImageToReview(0), -1);
    project.undoStack()->undo();
    EXPECT_EQ(project.nextImageToReview(0), 1);
    // Reachable from the toolbar as well as from F8 and the Analysis menu.
    auto* toolbar = m_window.findChild<QToolBar*>(QStringLiteral("mainToolBar"));
    ASSERT_NE(toolbar, nullptr);
    EXPECT_TRUE(toolbar->actions().contains(m_window.actions().nextReviewAction()));

    auto* list = m_window.findChild<ImageListPanel*>();
    ASSERT_NE(list, nullptr);
    EXPECT_TRUE(list->item(0)->icon().isNull());
    EXPECT_FALSE(list->item(1)->icon().isNull());
    EXPECT_TRUE(list->item(1)->text().contains(QStringLiteral("needs review")));
    EXPECT_TRUE(list->item(1)->toolTip().contains(
        QStringLiteral("strip 1: 5 lanes requested but the image shows 6 lanes with signal")))
        << list->item(1)->toolTip().toStdString();

    project.setCurrentImage(0);
    QApplication::processEvents();
    m_window.actions().nextReviewAction()->trigger();
    QApplication::processEvents();
    EXPECT_EQ(project.currentImage(), 1);
    EXPECT_TRUE(m_window.statusBar()->currentMessage().startsWith(
        project.imageName(1) + QStringLiteral(" needs review: strip 1: 5 lanes requested")))
        << m_window.statusBar()->currentMessage().toStdString();

    project.undoStack()->undo();
    ASSERT_TRUE(test::waitForProject(project));
    QApplication::processEvents();
    EXPECT_TRUE(list->item(1)->icon().isNull());
    m_window.actions().nextReviewAction()->trigger();
    EXPECT_EQ(project.currentImage(), 1);
    EXPECT_EQ(m_window.statusBar()->currentMessage(), QStringLiteral("No image needs review"));
}

// What a double-click on a .densito file does: the desktop entry passes it to densito, whose
// main() hands its arguments to openFiles().
TEST_F(MainWindowTest, AProjectFileGivenAsAFileOpensTheProject) {
    openBlot();
    const QString projectFile = toQString(m_dir / "blot.densito");
    ASSERT_TRUE(m_window.project().saveProject(projectFile).has_value());
    EXPECT_FALSE(m_window.isWindowModified());
    m_window.newProject();
    ASSERT_EQ(m_window.project().imageCount(), 0);

    m_window.openFiles({projectFile});
    ASSERT_TRUE(QTest::qWaitFor([&] { return m_window.project().imageCount() == 1; },
                                test::kLoadTimeoutMs));
    ASSERT_TRUE(test::waitForProject(m_window.project()));
    EXPECT_EQ(m_window.project().fileName(), projectFile);
    EXPECT_TRUE(m_window.windowTitle().contains(QStringLiteral("blot.densito")))
        << m_window.windowTitle().toStdString();
}

TEST_F(MainWindowTest, DragOfNonImageFilesIsRefused) {
    const auto notes = m_dir / "notes.txt";
    std::ofstream(notes) << "lane 1: control";
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(toQString(notes))});
    QDragEnterEvent enter(m_window.rect().center(), Qt::CopyAction, &mime, Qt::LeftButton,
                          Qt::NoModifier);
    enter.setAccepted(false);
    QApplication::sendEvent(&m_window, &enter);
    EXPECT_FALSE(enter.isAccepted());
}

/// Fails for every pair of visible sibling widgets whose rectangles overlap, at any depth
/// (the insides of scroll areas are laid out by Qt itself and are skipped).
void expectNoOverlappingSiblings(const QWidget& parent) {
    QList<const QWidget*> children;
    for (const QObject* child : parent.children()) {
        const auto* widget = qobject_cast<const QWidget*>(child);
        // A dock tabbed behind another keeps a stale place; only what is seen counts.
        const bool isTabbedAway = qobject_cast<const QDockWidget*>(widget) != nullptr &&
                                  widget->visibleRegion().isEmpty();
        if (widget != nullptr && widget->isVisible() && !widget->isWindow() && !isTabbedAway) {
            children << widget;
        }
    }
    for (qsizetype i = 0; i < children.size(); ++i) {
        for (qsizetype j = i + 1; j < children.size(); ++j) {
            EXPECT_FALSE(children[i]->geometry().intersects(children[j]->geometry()))
                << "in " << parent.metaObject()->className() << " '"
                << parent.objectName().toStdString()
                << "': " << children[i]->metaObject()->className() << " '"
                << children[i]->objectName().toStdString() << "' overlaps "
                << children[j]->metaObject()->className() << " '"
                << children[j]->objectName().toStdString() << "'";
        }
        if (qobject_cast<const QAbstractScrollArea*>(children[i]) == nullptr) {
            expectNoOverlappingSiblings(*children[i]);
        }
    }
}

/// Fails for visible labels too small for their text: narrower than one line, or (when they
/// wrap) lower than the wrapped text needs at their width. Elided labels shorten on purpose.
void expectNoClippedLabels(const QWidget& root) {
    for (const QLabel* label : root.findChildren<QLabel*>()) {
        if (!label->isVisible() || label->text().isEmpty() ||
            qobject_cast<const ElidedLabel*>(label) != nullptr) {
            continue;
        }
        if (label->wordWrap()) {
            EXPECT_GE(label->height(), label->heightForWidth(label->width()))
                << "label '" << label->objectName().toStdString() << "' clips \""
                << label->text().toStdString() << "\" at width " << label->width();
        } else {
            EXPECT_GE(label->width(), label->sizeHint().width())
                << "label '" << label->objectName().toStdString() << "' clips \""
                << label->text().toStdString() << "\"";
        }
    }
}

TEST_F(MainWindowTest, DefaultLayoutHasNoOverlappingWidgets) {
    openBlot();
    QTest::mouseMove(m_window.blotView().viewport(),
                     m_window.blotView().mapFromScene(QPointF(10.5, 10.5)));
    QApplication::processEvents();
    ASSERT_FALSE(m_window.pixelReadout().text().isEmpty());
    expectNoOverlappingSiblings(m_window);
    expectNoClippedLabels(m_window);
    EXPECT_GT(m_window.blotView().width(), m_window.width() / 2);
    // The panels seen at the default layout: images, analysis settings, profile, results.
    for (const char* name : {"imagesDock", "settingsDock", "profileDock", "resultsDock"}) {
        auto* dock = m_window.findChild<QDockWidget*>(QString::fromLatin1(name));
        ASSERT_NE(dock, nullptr) << name;
        EXPECT_FALSE(dock->visibleRegion().isEmpty()) << name;
    }
}

/// The default layout at the common screen sizes: no overlaps or clipped labels, every
/// Results column in view (Flags last), the profile as tall as the right side allows once the
/// Analysis panel has its controls, and the blot most of the width.
TEST(MainWindowLayout, GivesTheProfileAndResultsRoomAt1280To1920) {
    test::TempDir dir;
    const QString file = test::writeImage(dir, "synthetic_blot.tif", test::makeSyntheticBlot({}));
    for (const QSize size :
         {QSize(1280, 800), QSize(1440, 900), QSize(1600, 1000), QSize(1920, 1080)}) {
        SCOPED_TRACE(size.width());
        QSettings().remove(QStringLiteral("mainWindow")); // no saved layout: the default one
        MainWindow window;
        window.resize(size);
        window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
        window.openFilePage(file, 0);
        ASSERT_TRUE(test::waitForProject(window.project()));
        QApplication::processEvents();
        ASSERT_EQ(window.size(), size);

        expectNoOverlappingSiblings(window);
        expectNoClippedLabels(window);
        EXPECT_GT(window.blotView().width(), size.width() / 2);

        QTableView& results = window.resultsView();
        ASSERT_GT(results.model()->rowCount(), 0);
        const int flags = ResultsTableModel::FlagsColumn;
        EXPECT_LE(results.columnViewportPosition(flags) +
                      results.horizontalHeader()->sectionSizeHint(flags),
                  results.viewport()->width());
        EXPECT_EQ(results.horizontalScrollBar()->maximum(), 0);
        // At least five result rows under the header.
        EXPECT_GE(results.viewport()->height(), 5 * results.verticalHeader()->defaultSectionSize());

        auto* settings = window.findChild<QDockWidget*>(QStringLiteral("settingsDock"));
        auto* profile = window.findChild<QDockWidget*>(QStringLiteral("profileDock"));
        ASSERT_NE(settings, nullptr);
        ASSERT_NE(profile, nullptr);
        EXPECT_GE(settings->widget()->height(), settings->widget()->minimumSizeHint().height());
        EXPECT_GT(profile->height(), settings->height());
        EXPECT_GE(profile->height(), static_cast<int>(0.4 * size.height()));
        EXPECT_GE(profile->width(), 340);
    }
}

/// Fails for each visible widget inside `scroll` (at any depth) that does not lie within the
/// scroll area's width: a control that can only be reached by scrolling sideways.
void expectWithinWidth(const QScrollArea& scroll) {
    const int width = scroll.viewport()->width();
    for (const QWidget* widget : scroll.widget()->findChildren<QWidget*>()) {
        if (!widget->isVisible() || widget->isWindow() ||
            qobject_cast<const QAbstractScrollArea*>(widget->parentWidget()) != nullptr ||
            widget->parentWidget() == nullptr ||
            qobject_cast<const QAbstractScrollArea*>(widget->parentWidget()->parentWidget()) !=
                nullptr) {
            continue; // insides of tables and tab bars scroll by themselves
        }
        const QRect rect(widget->mapTo(scroll.viewport(), QPoint(0, 0)), widget->size());
        EXPECT_GE(rect.left(), 0) << widget->objectName().toStdString();
        EXPECT_LE(rect.right(), width - 1)
            << widget->metaObject()->className() << " '" << widget->objectName().toStdString()
            << "' ends at " << rect.right() << " in a panel " << width << " px wide";
    }
}

/// With an experiment open at the common screen sizes: the Experiment panel's controls wrap
/// within its width (no sideways scrolling), and a long image name is elided in the middle
/// in the image list, its row as wide as the list, the full name in the tooltip.
TEST(MainWindowLayout, ExperimentControlsAndImageNamesFitAt1280To1920) {
    test::TempDir dir;
    const std::string longName = "2026-12-07_membrane-A_S6K1-and-GAPDH_exposure-30s_ladder.tif";
    ASSERT_TRUE(test::writeLadderExperiment(dir, longName));
    for (const QSize size :
         {QSize(1280, 800), QSize(1440, 900), QSize(1600, 1000), QSize(1920, 1080)}) {
        SCOPED_TRACE(size.width());
        QSettings().remove(QStringLiteral("mainWindow")); // no saved layout: the default one
        MainWindow window;
        window.resize(size);
        window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
        window.project().openExperimentFolder(toQString(dir.path()));
        ASSERT_TRUE(QTest::qWaitFor(
            [&] { return !window.project().isBusy() && window.project().experiment(); },
            test::kLoadTimeoutMs));
        ASSERT_TRUE(test::waitForProject(window.project()));
        auto* dock = window.findChild<QDockWidget*>(QStringLiteral("experimentDock"));
        ASSERT_NE(dock, nullptr);
        dock->raise();
        QApplication::processEvents();
        ASSERT_EQ(window.size(), size);

        expectNoOverlappingSiblings(window);
        expectNoClippedLabels(window);
        auto* scroll = qobject_cast<QScrollArea*>(dock->widget());
        ASSERT_NE(scroll, nullptr);
        EXPECT_EQ(scroll->horizontalScrollBar()->maximum(), 0);
        expectWithinWidth(*scroll);
        auto* options = scroll->widget()->findChild<QWidget*>(QStringLiteral("experimentOptions"));
        ASSERT_NE(options, nullptr);
        EXPECT_GE(options->height(), options->heightForWidth(options->width()));

        auto* list = window.findChild<ImageListPanel*>();
        ASSERT_NE(list, nullptr);
        ASSERT_EQ(list->count(), 1);
        EXPECT_FALSE(list->horizontalScrollBar()->isVisible());
        EXPECT_LE(list->visualItemRect(list->item(0)).right(), list->viewport()->width() - 1);
        const QString name = toQString(longName);
        const QString shown = list->shownText(0).section(QLatin1Char('\n'), 0, 0);
        const QFontMetrics metrics(list->font());
        EXPECT_LE(metrics.horizontalAdvance(shown), list->viewport()->width());
        if (shown != name) {
            // Elided in the middle: its start and its end are the name's.
            const qsizetype cut = shown.indexOf(QChar(0x2026));
            ASSERT_GT(cut, 3) << shown.toStdString();
            EXPECT_TRUE(name.startsWith(shown.left(cut))) << shown.toStdString();
            EXPECT_TRUE(name.endsWith(shown.mid(cut + 1))) << shown.toStdString();
            EXPECT_TRUE(shown.endsWith(QStringLiteral(".tif"))) << shown.toStdString();
        }
        EXPECT_TRUE(list->item(0)->toolTip().contains(name));
        EXPECT_TRUE(list->shownText(0)
                        .section(QLatin1Char('\n'), 1, 1)
                        .startsWith(QStringLiteral("8 lanes")))
            << list->shownText(0).toStdString();
    }
}

} // namespace
} // namespace densito
