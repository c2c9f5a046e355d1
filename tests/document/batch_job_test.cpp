// BatchJob: the core's analysis run on a worker thread, reported through queued signals.
#include "document/batch_job.h"
#include "document/qt_strings.h"

#include "support/file_io.h"
#include "support/run_folder_check.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

namespace densito {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

constexpr int kRunTimeoutMs = 60000;

AnalysisRunOptions optionsFor(const TempDir& dir) {
    AnalysisRunOptions options;
    options.inputs = {dir / "in"};
    options.outDir = dir / "out";
    return options;
}

bool waitForRun(const BatchJob& job) {
    return QTest::qWaitFor([&] { return !job.isRunning(); }, kRunTimeoutMs);
}

TEST(BatchJob, RunReportsEachImageOnItsOwnThreadAndWritesTheFiles) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 4));
    BatchJob job;
    QSignalSpy startedSpy(&job, &BatchJob::started);
    QSignalSpy progressSpy(&job, &BatchJob::progressed);
    QSignalSpy fileSpy(&job, &BatchJob::fileFinished);
    QSignalSpy messageSpy(&job, &BatchJob::messageLogged);
    bool isOnJobThread = true;
    QObject::connect(&job, &BatchJob::progressed, &job, [&] {
        isOnJobThread = isOnJobThread && QThread::currentThread() == job.thread();
    });
    BatchSummary summary;
    int finishedCount = 0;
    QObject::connect(&job, &BatchJob::finished, &job, [&](const BatchSummary& s) {
        summary = s;
        ++finishedCount;
    });

    ASSERT_TRUE(job.start(optionsFor(dir)));
    EXPECT_TRUE(job.isRunning());
    EXPECT_FALSE(job.start(optionsFor(dir))) << "one run at a time";
    ASSERT_TRUE(waitForRun(job));

    EXPECT_EQ(finishedCount, 1);
    EXPECT_EQ(summary.status, AnalysisRunStatus::Ok);
    EXPECT_EQ(summary.analysed, 4);
    EXPECT_EQ(summary.failed, 0);
    EXPECT_FALSE(summary.isInterrupted);
    EXPECT_EQ(summary.runJson, toQString(dir / "out" / "run.json"));
    ASSERT_EQ(startedSpy.count(), 1);
    EXPECT_EQ(startedSpy[0][0].toStringList().size(), 4);
    ASSERT_EQ(progressSpy.count(), 4);
    EXPECT_EQ(progressSpy.last()[0].toInt(), 4);
    EXPECT_EQ(progressSpy.last()[1].toInt(), 4);
    EXPECT_TRUE(isOnJobThread);
    ASSERT_EQ(fileSpy.count(), 4);
    for (const auto& arguments : fileSpy) {
        EXPECT_TRUE(arguments[2].toBool());
        EXPECT_TRUE(arguments[3].toString().isEmpty());
    }
    EXPECT_GE(messageSpy.count(), 2); // "analysing 4 images ..." and the final count
    EXPECT_EQ(test::readLines(dir / "out" / "lanes.csv").size(), 25u); // header + 4 x 6 lanes
    EXPECT_EQ(test::readJson(dir / "out" / "run.json")["summary"]["analysed"], 4);
    EXPECT_EQ(job.report().analysed.size(), 4u);
}

TEST(BatchJob, FailedImageIsReportedWithItsReason) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 1));
    std::ofstream(dir / "in" / "broken.tif", std::ios::binary) << "plain text\n";
    BatchJob job;
    QSignalSpy fileSpy(&job, &BatchJob::fileFinished);
    QSignalSpy finishedSpy(&job, &BatchJob::finished);
    ASSERT_TRUE(job.start(optionsFor(dir)));
    ASSERT_TRUE(waitForRun(job));
    ASSERT_EQ(fileSpy.count(), 2);
    int failures = 0;
    for (const auto& arguments : fileSpy) {
        if (!arguments[2].toBool()) {
            ++failures;
            EXPECT_TRUE(arguments[1].toString().endsWith(QStringLiteral("broken.tif")));
            EXPECT_TRUE(arguments[3].toString().startsWith(QStringLiteral("not an image")))
                << arguments[3].toString().toStdString();
        }
    }
    EXPECT_EQ(failures, 1);
    ASSERT_EQ(finishedSpy.count(), 1);
    EXPECT_EQ(finishedSpy[0][0].value<BatchSummary>().status, AnalysisRunStatus::SomeFailed);
}

TEST(BatchJob, CancelRightAfterStartStopsTheRun) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 40));
    BatchJob job;
    QSignalSpy fileSpy(&job, &BatchJob::fileFinished);
    BatchSummary summary;
    QObject::connect(&job, &BatchJob::finished, &job, [&](const BatchSummary& s) { summary = s; });
    AnalysisRunOptions options = optionsFor(dir);
    options.threads = 1;
    ASSERT_TRUE(job.start(options));
    job.cancel();
    ASSERT_TRUE(waitForRun(job));

    EXPECT_EQ(summary.status, AnalysisRunStatus::Interrupted);
    EXPECT_TRUE(summary.isInterrupted);
    EXPECT_LT(summary.analysed, 40);
    EXPECT_EQ(summary.analysed + summary.notStarted, 40);
    EXPECT_EQ(fileSpy.count(), summary.analysed);
    const auto run = test::readJson(dir / "out" / "run.json");
    EXPECT_EQ(run["summary"]["interrupted"], true);
    EXPECT_EQ(run["summary"]["not_started"], summary.notStarted);

    // The job can run again after a cancelled run.
    options.outDir = dir / "again";
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "small", 1));
    options.inputs = {dir / "small"};
    ASSERT_TRUE(job.start(options));
    ASSERT_TRUE(waitForRun(job));
    EXPECT_EQ(summary.status, AnalysisRunStatus::Ok);
}

// Cancelling from the view (the GUI's Cancel button) keeps the CLI's promise: only complete
// files and a run.json saying what finished. The cancel may land after any number of images,
// including all of them, so the checks hold for whatever ran.
TEST(BatchJob, CancelAfterTheFirstImageLeavesOnlyCompleteFilesAndRunJson) {
    TempDir dir;
    constexpr int kImages = 30;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", kImages));
    BatchJob job;
    QObject::connect(&job, &BatchJob::fileFinished, &job, [&] { job.cancel(); });
    BatchSummary summary;
    QObject::connect(&job, &BatchJob::finished, &job, [&](const BatchSummary& s) { summary = s; });
    AnalysisRunOptions options = optionsFor(dir);
    options.threads = 1;
    ASSERT_TRUE(job.start(options));
    ASSERT_TRUE(waitForRun(job));

    const auto check = test::checkRunFolder(dir / "out", kImages);
    EXPECT_TRUE(check.problems.empty()) << test::describeProblems(check);
    EXPECT_FALSE(check.finished.empty());
    EXPECT_EQ(summary.analysed, static_cast<int>(check.finished.size()));
    EXPECT_EQ(summary.notStarted, static_cast<int>(check.notStarted));
    EXPECT_EQ(summary.isInterrupted, check.isInterrupted);
    EXPECT_EQ(summary.runJson, toQString(dir / "out" / "run.json"));
    if (check.isInterrupted) {
        EXPECT_EQ(summary.status, AnalysisRunStatus::Interrupted);
    } else { // every image had run before the cancel arrived
        EXPECT_EQ(summary.status, AnalysisRunStatus::Ok);
        EXPECT_EQ(summary.analysed, kImages);
    }
}

TEST(BatchJob, OutputInsideTheInputFolderIsRefusedWithTheCoreMessage) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 1));
    BatchJob job;
    BatchSummary summary;
    QObject::connect(&job, &BatchJob::finished, &job, [&](const BatchSummary& s) { summary = s; });
    AnalysisRunOptions options = optionsFor(dir);
    options.outDir = dir / "in" / "results";
    ASSERT_TRUE(job.start(options));
    ASSERT_TRUE(waitForRun(job));
    EXPECT_EQ(summary.status, AnalysisRunStatus::Refused);
    ASSERT_EQ(summary.problems.size(), 1);
    EXPECT_TRUE(summary.problems[0].contains(QStringLiteral("is inside the input folder")))
        << summary.problems[0].toStdString();
    EXPECT_FALSE(fs::exists(dir / "in" / "results"));
}

TEST(BatchJob, DestroyingARunningJobCancelsAndWaits) {
    TempDir dir;
    ASSERT_TRUE(test::writeSyntheticBlots(dir / "in", 30));
    {
        BatchJob job;
        AnalysisRunOptions options = optionsFor(dir);
        options.threads = 1;
        ASSERT_TRUE(job.start(options));
    }
    // The run ended inside the destructor, so its run.json is already complete.
    const auto run = test::readJson(dir / "out" / "run.json");
    EXPECT_EQ(run["summary"]["interrupted"], true);
}

} // namespace
} // namespace densito
