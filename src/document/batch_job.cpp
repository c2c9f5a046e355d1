#include "document/batch_job.h"

#include "document/qt_strings.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <climits>
#include <memory>

namespace densito {
namespace {

int toInt(std::size_t value) {
    return static_cast<int>(std::min<std::size_t>(value, static_cast<std::size_t>(INT_MAX)));
}

} // namespace

BatchJob::BatchJob(QObject* parent) : QObject(parent) {}

BatchJob::~BatchJob() {
    // The worker refers to this object; queued reports still pending are dropped with it.
    m_cancel.store(true);
    m_future.waitForFinished();
}

bool BatchJob::start(const AnalysisRunOptions& options) {
    if (m_isRunning) {
        return false;
    }
    m_isRunning = true;
    m_cancel.store(false);
    m_future = QtConcurrent::run([this, options] {
        // Every report is posted to this object's thread, so the signals keep their order.
        auto post = [this](auto function) {
            QMetaObject::invokeMethod(this, std::move(function), Qt::QueuedConnection);
        };
        AnalysisRunCallbacks callbacks;
        callbacks.started = [&post, this](const std::vector<std::filesystem::path>& files,
                                          unsigned) {
            QStringList names;
            for (const auto& file : files) {
                names.push_back(toQString(file));
            }
            post([this, names] { emit started(names); });
        };
        callbacks.fileFinished = [&post, this](std::size_t index, const std::filesystem::path& file,
                                               const std::expected<void, Error>& outcome) {
            const QString reason = outcome ? QString() : toQString(outcome.error().reason);
            post([this, i = toInt(index), name = toQString(file), ok = outcome.has_value(),
                  reason] { emit fileFinished(i, name, ok, reason); });
        };
        callbacks.progress = [&post, this](std::size_t finished, std::size_t total) {
            post([this, f = toInt(finished), t = toInt(total)] { emit progressed(f, t); });
        };
        callbacks.message = [&post, this](LogLevel level, const std::string& text) {
            post([this, level, line = toQString(text)] { emit messageLogged(level, line); });
        };
        auto report =
            std::make_shared<AnalysisRunReport>(runAnalysis(options, callbacks, &m_cancel));
        post([this, report] { finishRun(std::move(*report)); });
    });
    return true;
}

void BatchJob::cancel() {
    if (m_isRunning) {
        m_cancel.store(true);
    }
}

void BatchJob::finishRun(AnalysisRunReport report) {
    m_report = std::move(report);
    m_isRunning = false;
    BatchSummary summary;
    summary.status = m_report.status;
    summary.analysed = toInt(m_report.analysed.size());
    summary.failed = toInt(m_report.failed.size());
    summary.notStarted = toInt(m_report.notStarted);
    summary.isInterrupted = m_report.isInterrupted;
    for (const Error& problem : m_report.problems) {
        summary.problems.push_back(toQString(problem.describe()));
    }
    summary.runJson = m_report.runJson.empty() ? QString() : toQString(m_report.runJson);
    emit finished(summary);
}

} // namespace densito
