#include "gui/batch_dialog.h"

#include "document/qt_strings.h"
#include "gui/setting_key.h"

#include "ui_batch_dialog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QTableWidgetItem>

#include <algorithm>
#include <iterator>

namespace densito {
namespace {

const SettingKey<QString> kLastInputFolder{"batch/inputFolder", QString()};
const SettingKey<QString> kLastOutputFolder{"batch/outputFolder", QString()};
const SettingKey<QString> kLastSheetFolder{"batch/layoutFolder", QString()};

/// The background combo's entries, in order.
constexpr BackgroundKind kBackgroundKinds[] = {BackgroundKind::BorderMedian,
                                               BackgroundKind::RollingBall,
                                               BackgroundKind::LaneBaseline, BackgroundKind::None};

enum Column { FileColumn, StatusColumn, ReasonColumn };

bool hasParameter(BackgroundKind kind) {
    return kind == BackgroundKind::BorderMedian || kind == BackgroundKind::RollingBall;
}

/// Where a file or folder picker opens: the field's folder when it has one, else `fallback`.
QString startFolder(const QString& field, const QString& fallback) {
    if (field.isEmpty()) {
        return fallback.isEmpty() ? QDir::homePath() : fallback;
    }
    const QFileInfo info(field);
    return info.isDir() ? info.absoluteFilePath() : info.absolutePath();
}

/// "1 image", "3 images".
QString imageCount(int count) {
    return count == 1 ? QCoreApplication::translate("densito::BatchDialog", "1 image")
                      : QCoreApplication::translate("densito::BatchDialog", "%1 images").arg(count);
}

} // namespace

BatchDialog::BatchDialog(QWidget* parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::BatchDialog>()) {
    m_ui->setupUi(this);
    m_ui->backgroundCombo->addItem(tr("Border median (LI-COR style)"));
    m_ui->backgroundCombo->addItem(tr("Rolling ball (ImageJ)"));
    m_ui->backgroundCombo->addItem(tr("Lane baseline (rubber band)"));
    m_ui->backgroundCombo->addItem(tr("None"));
    m_ui->fileTable->horizontalHeader()->setSectionResizeMode(FileColumn,
                                                              QHeaderView::ResizeToContents);
    m_ui->fileTable->horizontalHeader()->setSectionResizeMode(StatusColumn,
                                                              QHeaderView::ResizeToContents);
    m_ui->inputFolderEdit->setText(kLastInputFolder.value());
    m_ui->outputFolderEdit->setText(kLastOutputFolder.value());
    updateParameterControls();

    connect(m_ui->inputFolderButton, &QPushButton::clicked, this, &BatchDialog::browseInputFolder);
    connect(m_ui->outputFolderButton, &QPushButton::clicked, this,
            &BatchDialog::browseOutputFolder);
    connect(m_ui->blotsButton, &QPushButton::clicked, this, [this] { browseSheet(true); });
    connect(m_ui->samplesButton, &QPushButton::clicked, this, [this] { browseSheet(false); });
    connect(m_ui->backgroundCombo, &QComboBox::currentIndexChanged, this,
            &BatchDialog::updateParameterControls);
    connect(m_ui->automaticCheck, &QCheckBox::toggled, this, &BatchDialog::updateParameterControls);
    connect(m_ui->runButton, &QPushButton::clicked, this, &BatchDialog::startRun);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &BatchDialog::cancelRun);
    connect(m_ui->closeButton, &QPushButton::clicked, this, &BatchDialog::reject);

    connect(&m_job, &BatchJob::started, this, &BatchDialog::showFiles);
    connect(&m_job, &BatchJob::progressed, this, [this](int finished, int total) {
        m_ui->progressBar->setMaximum(total);
        m_ui->progressBar->setValue(finished);
    });
    connect(&m_job, &BatchJob::fileFinished, this,
            [this](int index, const QString&, bool isAnalysed, const QString& reason) {
                showFileFinished(index, isAnalysed, reason);
            });
    connect(&m_job, &BatchJob::finished, this, &BatchDialog::showFinished);
}

BatchDialog::~BatchDialog() = default;

void BatchDialog::setInputFolder(const QString& folder) {
    m_ui->inputFolderEdit->setText(folder);
}

void BatchDialog::setBlotsFile(const QString& file) {
    m_ui->blotsEdit->setText(file);
}

void BatchDialog::setSamplesFile(const QString& file) {
    m_ui->samplesEdit->setText(file);
}

void BatchDialog::setOutputFolder(const QString& folder) {
    m_ui->outputFolderEdit->setText(folder);
}

void BatchDialog::setBackground(const BackgroundMethod& method) {
    for (int i = 0; i < static_cast<int>(std::size(kBackgroundKinds)); ++i) {
        if (kBackgroundKinds[i] == method.kind) {
            m_ui->backgroundCombo->setCurrentIndex(i);
        }
    }
    m_ui->automaticCheck->setChecked(!method.parameterPx.has_value());
    if (method.parameterPx) {
        m_ui->parameterSpin->setValue(*method.parameterPx);
    }
}

void BatchDialog::setLanes(int lanesPerStrip) {
    m_ui->lanesSpin->setValue(lanesPerStrip);
}

std::expected<AnalysisRunOptions, QString> BatchDialog::runOptions() const {
    const QString input = m_ui->inputFolderEdit->text().trimmed();
    const QString output = m_ui->outputFolderEdit->text().trimmed();
    const QString blots = m_ui->blotsEdit->text().trimmed();
    const QString samples = m_ui->samplesEdit->text().trimmed();
    if (input.isEmpty()) {
        return std::unexpected(tr("Choose the folder of images to analyse."));
    }
    if (!QFileInfo(input).isDir()) {
        return std::unexpected(tr("The images folder %1 does not exist.").arg(input));
    }
    if (output.isEmpty()) {
        return std::unexpected(tr("Choose an output folder for the results."));
    }
    if (blots.isEmpty() != samples.isEmpty()) {
        return std::unexpected(
            tr("Give both layout sheets (blots.csv and samples.csv), or neither."));
    }
    AnalysisRunOptions options;
    options.inputs = {toPath(input)};
    options.outDir = toPath(output);
    options.blots = blots.isEmpty() ? std::filesystem::path() : toPath(blots);
    options.samples = samples.isEmpty() ? std::filesystem::path() : toPath(samples);
    options.lanes = m_ui->lanesSpin->value();
    const int backgroundIndex = std::max(0, m_ui->backgroundCombo->currentIndex());
    options.background.kind = kBackgroundKinds[backgroundIndex];
    if (hasParameter(options.background.kind) && !m_ui->automaticCheck->isChecked()) {
        options.background.parameterPx = m_ui->parameterSpin->value();
    }
    return options;
}

bool BatchDialog::startRun() {
    if (m_job.isRunning()) {
        return false;
    }
    const auto options = runOptions();
    if (!options) {
        m_ui->messageLabel->setText(options.error());
        return false;
    }
    kLastInputFolder.setValue(m_ui->inputFolderEdit->text().trimmed());
    kLastOutputFolder.setValue(m_ui->outputFolderEdit->text().trimmed());
    m_runInputFolder = m_ui->inputFolderEdit->text().trimmed();
    m_ui->fileTable->setRowCount(0);
    m_ui->progressBar->setMaximum(1);
    m_ui->progressBar->setValue(0);
    m_ui->messageLabel->setText(tr("Looking for images…"));
    setRunning(true);
    m_job.start(*options);
    return true;
}

void BatchDialog::cancelRun() {
    if (!m_job.isRunning()) {
        return;
    }
    m_job.cancel();
    m_ui->cancelButton->setEnabled(false);
    m_ui->messageLabel->setText(tr("Cancelling: the images being analysed finish first…"));
}

void BatchDialog::reject() {
    if (m_job.isRunning()) {
        cancelRun();
        return;
    }
    QDialog::reject();
}

void BatchDialog::browseInputFolder() {
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Folder of Images"),
        startFolder(m_ui->inputFolderEdit->text(), kLastInputFolder.value()));
    if (!folder.isEmpty()) {
        m_ui->inputFolderEdit->setText(QDir::toNativeSeparators(folder));
    }
}

void BatchDialog::browseOutputFolder() {
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Output Folder"),
        startFolder(m_ui->outputFolderEdit->text(), kLastOutputFolder.value()));
    if (!folder.isEmpty()) {
        m_ui->outputFolderEdit->setText(QDir::toNativeSeparators(folder));
    }
}

void BatchDialog::browseSheet(bool isBlots) {
    QLineEdit* edit = isBlots ? m_ui->blotsEdit : m_ui->samplesEdit;
    const QString file =
        QFileDialog::getOpenFileName(this, isBlots ? tr("Blots Sheet") : tr("Samples Sheet"),
                                     startFolder(edit->text(), kLastSheetFolder.value()),
                                     tr("CSV files (*.csv);;All files (*)"));
    if (!file.isEmpty()) {
        edit->setText(QDir::toNativeSeparators(file));
        kLastSheetFolder.setValue(QFileInfo(file).absolutePath());
    }
}

void BatchDialog::updateParameterControls() {
    const int index = std::max(0, m_ui->backgroundCombo->currentIndex());
    const bool hasValue = hasParameter(kBackgroundKinds[index]);
    m_ui->automaticCheck->setEnabled(hasValue);
    m_ui->parameterSpin->setEnabled(hasValue && !m_ui->automaticCheck->isChecked());
}

void BatchDialog::setRunning(bool isRunning) {
    m_ui->filesGroup->setEnabled(!isRunning);
    m_ui->settingsGroup->setEnabled(!isRunning);
    m_ui->runButton->setEnabled(!isRunning);
    m_ui->closeButton->setEnabled(!isRunning);
    m_ui->cancelButton->setEnabled(isRunning);
}

void BatchDialog::showFiles(const QStringList& files) {
    const QDir inputFolder(m_runInputFolder);
    m_ui->fileTable->setRowCount(static_cast<int>(files.size()));
    for (int row = 0; row < files.size(); ++row) {
        auto* file = new QTableWidgetItem(
            QDir::toNativeSeparators(inputFolder.relativeFilePath(files[row])));
        file->setToolTip(QDir::toNativeSeparators(files[row]));
        m_ui->fileTable->setItem(row, FileColumn, file);
        m_ui->fileTable->setItem(row, StatusColumn, new QTableWidgetItem(tr("Waiting")));
        m_ui->fileTable->setItem(row, ReasonColumn, new QTableWidgetItem());
    }
    m_ui->progressBar->setMaximum(static_cast<int>(files.size()));
    m_ui->progressBar->setValue(0);
    m_ui->messageLabel->setText(
        tr("Analysing %1…").arg(imageCount(static_cast<int>(files.size()))));
}

void BatchDialog::showFileFinished(int index, bool isAnalysed, const QString& reason) {
    if (index < 0 || index >= m_ui->fileTable->rowCount()) {
        return;
    }
    m_ui->fileTable->item(index, StatusColumn)->setText(isAnalysed ? tr("Analysed") : tr("Failed"));
    m_ui->fileTable->item(index, ReasonColumn)->setText(reason);
    m_ui->fileTable->item(index, ReasonColumn)->setToolTip(reason);
}

void BatchDialog::showFinished(const BatchSummary& summary) {
    setRunning(false);
    for (int row = 0; row < m_ui->fileTable->rowCount(); ++row) {
        QTableWidgetItem* status = m_ui->fileTable->item(row, StatusColumn);
        if (status->text() == tr("Waiting")) {
            status->setText(tr("Not started"));
        }
    }
    const QString output = QDir::toNativeSeparators(m_ui->outputFolderEdit->text().trimmed());
    QString text;
    switch (summary.status) {
    case AnalysisRunStatus::Ok:
        text = tr("%1 analysed. Results are in %2.").arg(imageCount(summary.analysed), output);
        break;
    case AnalysisRunStatus::SomeFailed:
        text = tr("%1 analysed, %2 failed. Results are in %3.")
                   .arg(imageCount(summary.analysed), QString::number(summary.failed), output);
        break;
    case AnalysisRunStatus::Interrupted:
        text = tr("Cancelled: %1 analysed, %2 not started. run.json in %3 records what ran.")
                   .arg(imageCount(summary.analysed), QString::number(summary.notStarted), output);
        break;
    case AnalysisRunStatus::Refused:
    case AnalysisRunStatus::NothingDone:
        text = summary.problems.isEmpty() ? tr("No image could be analysed.")
                                          : summary.problems.join(QLatin1Char('\n'));
        break;
    }
    m_ui->messageLabel->setText(text);
    emit runFinished(summary);
}

} // namespace densito
