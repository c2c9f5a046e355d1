// BatchDialog: a folder of images analysed from the GUI, with per-file status and cancel.
#include "core/pipeline/analysis_run.h"
#include "document/qt_strings.h"
#include "gui/batch_dialog.h"

#include "support/file_io.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

namespace densito {
namespace {

using test::readText;
using test::TempDir;
namespace fs = std::filesystem;

constexpr int kRunTimeoutMs = 60000;

template <typename T> T* child(const BatchDialog& dialog, const char* name) {
    T* widget = dialog.findChild<T*>(QLatin1String(name));
    EXPECT_NE(widget, nullptr) << name;
    return widget;
}

bool waitForRun(const BatchDialog& dialog) {
    return QTest::qWaitFor([&] { return !dialog.isRunning(); }, kRunTimeoutMs);
}

/// The Status column, top to bottom.
QStringList statuses(const BatchDialog& dialog) {
    const auto* table = child<QTableWidget>(dialog, "fileTable");
    QStringList texts;
    for (int row = 0; row < table->rowCount(); ++row) {
        texts.push_back(table->item(row, 1)->text());
    }
    return texts;
}

TEST(BatchDialog, RunShowsEachFileAndWritesWhatTheCoreWrites) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 3));
    std::ofstream(dir / "in" / "broken.tif", std::ios::binary) << "plain text\n";
    BatchDialog dialog;
    dialog.setInputFolder(toQString(dir / "in"));
    dialog.setOutputFolder(toQString(dir / "out"));
    dialog.setLanes(6);
    dialog.setBackground({BackgroundKind::RollingBall, 30.0});
    QTest::mouseClick(child<QPushButton>(dialog, "runButton"), Qt::LeftButton);
    EXPECT_TRUE(dialog.isRunning());
    EXPECT_FALSE(child<QPushButton>(dialog, "closeButton")->isEnabled());
    ASSERT_TRUE(waitForRun(dialog));

    // Folder contents come in path order: blot_1..3, then broken.tif.
    const auto* table = child<QTableWidget>(dialog, "fileTable");
    ASSERT_EQ(table->rowCount(), 4);
    EXPECT_EQ(table->item(0, 0)->text(), QStringLiteral("blot_1.tif"));
    EXPECT_EQ(table->item(3, 0)->text(), QStringLiteral("broken.tif"));
    EXPECT_EQ(statuses(dialog),
              (QStringList{QStringLiteral("Analysed"), QStringLiteral("Analysed"),
                           QStringLiteral("Analysed"), QStringLiteral("Failed")}));
    EXPECT_TRUE(table->item(3, 2)->text().startsWith(QStringLiteral("not an image")))
        << table->item(3, 2)->text().toStdString();
    EXPECT_TRUE(table->item(0, 2)->text().isEmpty());
    const auto* progress = child<QProgressBar>(dialog, "progressBar");
    EXPECT_EQ(progress->maximum(), 4);
    EXPECT_EQ(progress->value(), 4);
    const QString message = child<QLabel>(dialog, "messageLabel")->text();
    EXPECT_TRUE(message.contains(QStringLiteral("3 images analysed, 1 failed")))
        << message.toStdString();
    EXPECT_TRUE(child<QPushButton>(dialog, "closeButton")->isEnabled());
    EXPECT_FALSE(child<QPushButton>(dialog, "cancelButton")->isEnabled());

    // The same run straight through the core writes the same bytes.
    AnalysisRunOptions options;
    options.inputs = {dir / "in"};
    options.outDir = dir / "core";
    options.lanes = 6;
    options.background = {BackgroundKind::RollingBall, 30.0};
    ASSERT_EQ(runAnalysis(options).status, AnalysisRunStatus::SomeFailed);
    for (const char* file : {"lanes.csv", "bands.csv", "overlays/blot_3.png"}) {
        const std::string bytes = readText(dir / "out" / file);
        EXPECT_FALSE(bytes.empty()) << file;
        EXPECT_EQ(bytes, readText(dir / "core" / file)) << file;
    }
    EXPECT_EQ(test::readJson(dir / "out" / "run.json")["parameters"]["background"],
              "rolling-ball:30");

    // The folders are remembered for the next dialog.
    BatchDialog next;
    EXPECT_EQ(child<QLineEdit>(next, "inputFolderEdit")->text(), toQString(dir / "in"));
    EXPECT_EQ(child<QLineEdit>(next, "outputFolderEdit")->text(), toQString(dir / "out"));
}

TEST(BatchDialog, CancelStopsTheRunAndMarksTheRestNotStarted) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 60));
    BatchDialog dialog;
    dialog.show();
    dialog.setInputFolder(toQString(dir / "in"));
    dialog.setOutputFolder(toQString(dir / "out"));
    QSignalSpy finished(&dialog, &BatchDialog::runFinished);
    ASSERT_TRUE(dialog.startRun());
    QTest::mouseClick(child<QPushButton>(dialog, "cancelButton"), Qt::LeftButton);
    ASSERT_TRUE(waitForRun(dialog));

    ASSERT_EQ(finished.count(), 1);
    const auto summary = finished[0][0].value<BatchSummary>();
    EXPECT_EQ(summary.status, AnalysisRunStatus::Interrupted);
    EXPECT_LT(summary.analysed, 60);
    const QStringList texts = statuses(dialog);
    EXPECT_EQ(texts.count(QStringLiteral("Analysed")), summary.analysed);
    EXPECT_EQ(texts.count(QStringLiteral("Not started")), summary.notStarted);
    const QString message = child<QLabel>(dialog, "messageLabel")->text();
    EXPECT_TRUE(message.startsWith(QStringLiteral("Cancelled"))) << message.toStdString();
    EXPECT_EQ(test::readJson(dir / "out" / "run.json")["summary"]["interrupted"], true);

    // Then Close closes.
    QTest::mouseClick(child<QPushButton>(dialog, "closeButton"), Qt::LeftButton);
    EXPECT_FALSE(dialog.isVisible());
}

TEST(BatchDialog, EscapeDuringARunCancelsInsteadOfClosing) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 40));
    BatchDialog dialog;
    dialog.show();
    dialog.setInputFolder(toQString(dir / "in"));
    dialog.setOutputFolder(toQString(dir / "out"));
    ASSERT_TRUE(dialog.startRun());
    dialog.reject();
    EXPECT_TRUE(dialog.isVisible());
    ASSERT_TRUE(waitForRun(dialog));
    EXPECT_EQ(dialog.job().report().status, AnalysisRunStatus::Interrupted);
}

TEST(BatchDialog, OutputInsideTheInputFolderIsRefusedWithTheCoreMessage) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 1));
    BatchDialog dialog;
    dialog.setInputFolder(toQString(dir / "in"));
    dialog.setOutputFolder(toQString(dir / "in" / "results"));
    ASSERT_TRUE(dialog.startRun());
    ASSERT_TRUE(waitForRun(dialog));
    const QString message = child<QLabel>(dialog, "messageLabel")->text();
    EXPECT_TRUE(message.contains(QStringLiteral("is inside the input folder")))
        << message.toStdString();
    EXPECT_FALSE(fs::exists(dir / "in" / "results"));
    EXPECT_EQ(child<QTableWidget>(dialog, "fileTable")->rowCount(), 0);
}

TEST(BatchDialog, IncompleteFieldsDoNotStartARun) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 1));
    BatchDialog dialog;
    dialog.setInputFolder(toQString(dir / "in"));
    dialog.setOutputFolder(QString());
    EXPECT_FALSE(dialog.startRun());
    EXPECT_EQ(child<QLabel>(dialog, "messageLabel")->text(),
              QStringLiteral("Choose an output folder for the results."));

    dialog.setOutputFolder(toQString(dir / "out"));
    dialog.setBlotsFile(toQString(dir / "blots.csv"));
    EXPECT_FALSE(dialog.startRun());
    EXPECT_FALSE(dialog.isRunning());
    EXPECT_TRUE(child<QLabel>(dialog, "messageLabel")
                    ->text()
                    .startsWith(QStringLiteral("Give both layout sheets")));
    EXPECT_FALSE(fs::exists(dir / "out"));
}

} // namespace
} // namespace densito
