#pragma once

#include "core/pipeline/analysis_run.h"

#include <QFuture>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>

namespace densito {

/// How a batch run ended, as Qt text for the view.
struct BatchSummary {
    AnalysisRunStatus status = AnalysisRunStatus::NothingDone;
    int analysed = 0;
    int failed = 0; ///< images that failed plus inputs that could not be read
    int notStarted = 0;
    bool isInterrupted = false;
    /// Why the run was refused or wrote nothing, one readable line each (the core's words).
    QStringList problems;
    QString runJson; ///< the run.json written; empty when none was
};

/// One batch analysis (the core's runAnalysis(), the same run as `densito-cli analyze`) on a
/// worker thread, reported through queued signals that arrive on the job's own thread, in
/// order: started(), then fileFinished() and progressed() per image, messageLogged() along the
/// way, finished() last. cancel() lets the images in flight finish and starts no new one;
/// run.json then records what ran. One run at a time; destroying the job cancels a run and
/// waits for it. Use from the thread that owns the job (the UI thread).
class BatchJob : public QObject {
    Q_OBJECT

public:
    explicit BatchJob(QObject* parent = nullptr);
    ~BatchJob() override;

    /// Starts a run and returns at once; false (and nothing starts) while one is running.
    bool start(const AnalysisRunOptions& options);
    bool isRunning() const { return m_isRunning; }
    /// The full report of the last finished run (empty before the first).
    const AnalysisRunReport& report() const { return m_report; }

public slots:
    /// No new image starts; the ones in flight finish, then finished() reports the run
    /// interrupted. Does nothing when no run is in flight.
    void cancel();

signals:
    /// The image files found, full paths in the order fileFinished() indexes them.
    void started(const QStringList& files);
    /// Images finished (analysed or failed) out of all of them.
    void progressed(int finished, int total);
    /// One image is done: `index` into started()'s list; `reason` says why it failed (the
    /// core's words, without the file name), empty when it was analysed.
    void fileFinished(int index, const QString& file, bool isAnalysed, const QString& reason);
    /// A line the command line would print: problems, failures, warnings, the final count.
    void messageLogged(densito::LogLevel level, const QString& text);
    void finished(const densito::BatchSummary& summary);

private:
    void finishRun(AnalysisRunReport report);

    std::atomic<bool> m_cancel{false};
    bool m_isRunning = false;
    QFuture<void> m_future;
    AnalysisRunReport m_report;
};

} // namespace densito
