#pragma once

#include "core/measure/background_method.h"
#include "core/pipeline/analysis_run.h"
#include "document/batch_job.h"

#include <QDialog>
#include <QString>

#include <expected>
#include <memory>

namespace Ui {
class BatchDialog;
}

namespace densito {

/// Batch analysis: every image of a folder (and, with blots.csv and samples.csv, the
/// experiment) analysed into an output folder, with progress, a status row per file and
/// Cancel. The run is the same as `densito-cli analyze` (the core's runAnalysis() through a
/// BatchJob on a worker thread), so it writes byte-identical files; the dialog stays
/// responsive meanwhile. Use as `BatchDialog dialog(parent); dialog.exec();`. The last folders
/// used are remembered in QSettings.
class BatchDialog : public QDialog {
    Q_OBJECT

public:
    explicit BatchDialog(QWidget* parent = nullptr);
    ~BatchDialog() override;

    void setInputFolder(const QString& folder);
    void setBlotsFile(const QString& file);
    void setSamplesFile(const QString& file);
    void setOutputFolder(const QString& folder);
    void setBackground(const BackgroundMethod& method);
    void setLanes(int lanesPerStrip); ///< 0 = automatic

    /// The run the fields describe, or what is missing, as a sentence for the user. Does not
    /// check the output folder against the input folder: the core does, when the run starts.
    std::expected<AnalysisRunOptions, QString> runOptions() const;
    bool isRunning() const { return m_job.isRunning(); }
    const BatchJob& job() const { return m_job; }

public slots:
    /// Starts the run the fields describe and returns at once; false (with the reason shown
    /// in the dialog) when the fields are incomplete or a run is in flight.
    bool startRun();
    /// Stops the run after the images in flight; what finished is written.
    void cancelRun();
    /// While a run is in flight, Escape, Close and the window's close button cancel it
    /// instead of closing.
    void reject() override;

signals:
    /// The run ended, however it ended; the dialog already shows how.
    void runFinished(const densito::BatchSummary& summary);

private:
    void browseInputFolder();
    void browseOutputFolder();
    void browseSheet(bool isBlots);
    void updateParameterControls();
    void setRunning(bool isRunning);
    void showFiles(const QStringList& files);
    void showFileFinished(int index, bool isAnalysed, const QString& reason);
    void showFinished(const BatchSummary& summary);

    std::unique_ptr<Ui::BatchDialog> m_ui;
    BatchJob m_job;
    QString m_runInputFolder; ///< the images folder of the current run, for relative names
};

} // namespace densito
