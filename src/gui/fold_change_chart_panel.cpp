#include "gui/fold_change_chart_panel.h"

#include "document/project_document.h"
#include "document/qt_strings.h"
#include "gui/fold_change_chart_view.h"
#include "gui/setting_key.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>

namespace densito {
namespace {} // namespace

FoldChangeChartPanel::FoldChangeChartPanel(const ProjectDocument& document, QWidget* parent)
    : QWidget(parent), m_document(document), m_targets(new QComboBox),
      m_export(new QPushButton(tr("Export Chart…"))), m_placeholder(new QLabel),
      m_hover(new QLabel), m_view(new FoldChangeChartView) {
    m_targets->setObjectName(QStringLiteral("chartTargetCombo"));
    m_targets->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_export->setObjectName(QStringLiteral("chartExportButton"));
    m_export->setToolTip(tr("Save this target's fold-change chart as SVG or PNG, as the "
                            "command line writes it"));
    m_placeholder->setObjectName(QStringLiteral("chartPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_hover->setObjectName(QStringLiteral("chartHoverLabel"));
    m_hover->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_view->setObjectName(QStringLiteral("foldChangeChartView"));

    auto* bar = new QHBoxLayout;
    auto* targetLabel = new QLabel(tr("Target:"));
    targetLabel->setBuddy(m_targets);
    bar->addWidget(targetLabel);
    bar->addWidget(m_targets);
    bar->addStretch(1);
    bar->addWidget(m_export);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_placeholder, 1);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_hover);

    connect(m_targets, &QComboBox::currentIndexChanged, this,
            &FoldChangeChartPanel::showChosenTarget);
    connect(m_export, &QPushButton::clicked, this, &FoldChangeChartPanel::chooseChartFile);
    connect(m_view, &FoldChangeChartView::hoverTextChanged, this, [this](const QString& text) {
        m_hover->setText(text.isEmpty() ? tr("Point at a bar or a dot for its values.") : text);
    });
    connect(&document, &ProjectDocument::experimentChanged, this,
            &FoldChangeChartPanel::experimentChanged);
    connect(&document, &ProjectDocument::busyChanged, this,
            &FoldChangeChartPanel::experimentChanged);
    connect(&document, &ProjectDocument::dragEnded, this, [this] {
        if (m_isStale) {
            experimentChanged();
        }
    });
    m_hover->setText(tr("Point at a bar or a dot for its values."));
    rebuild();
}

void FoldChangeChartPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_isStale) {
        rebuild();
    }
}

void FoldChangeChartPanel::experimentChanged() {
    m_isStale = true;
    // Hidden, nobody sees it; dragging, each step would draw a chart nobody reads.
    if (isVisible() && !m_document.isDragging()) {
        rebuild();
    }
}

void FoldChangeChartPanel::rebuild() {
    m_isStale = false;
    const std::optional<ExperimentOutcome>& experiment = m_document.experiment();
    const QString previous = m_targets->currentText();
    m_series = experiment ? foldChangeSeries(experiment->quantification.summary)
                          : std::vector<FoldChangeSeries>();
    m_stems = foldChangeChartStems(m_series);
    {
        const QSignalBlocker blocker(m_targets);
        m_targets->clear();
        for (const FoldChangeSeries& series : m_series) {
            m_targets->addItem(foldChangeSeriesLabel(series));
        }
        m_targets->setCurrentIndex(std::max(0, m_targets->findText(previous)));
    }
    const bool hasResults = !m_series.empty();
    m_targets->setEnabled(hasResults);
    m_export->setEnabled(hasResults);
    m_view->setVisible(hasResults);
    m_hover->setVisible(hasResults);
    m_placeholder->setVisible(!hasResults);
    if (m_document.isBusy()) {
        m_placeholder->setText(tr("Measuring the images…"));
    } else if (!m_document.layout()) {
        m_placeholder->setText(tr("The fold-change chart appears here once the Experiment "
                                  "panel's sheets describe the project's images."));
    } else if (!experiment) {
        m_placeholder->setText(
            tr("No fold changes: the layout has problems (see the Experiment panel)."));
    } else {
        m_placeholder->setText(tr("The layout names no target to quantify."));
    }
    showChosenTarget();
}

void FoldChangeChartPanel::showChosenTarget() {
    const int index = m_targets->currentIndex();
    const std::optional<ExperimentOutcome>& experiment = m_document.experiment();
    if (!experiment || index < 0 || index >= static_cast<int>(m_series.size())) {
        m_view->clear();
        return;
    }
    const Quantification& quantification = experiment->quantification;
    ++m_chartBuilds;
    m_view->setChart(renderInteractiveFoldChangeChart(
        m_series[static_cast<std::size_t>(index)], quantification.summary, quantification.lanes));
}

void FoldChangeChartPanel::showSeries(int index) {
    if (m_isStale) {
        rebuild();
    }
    if (index >= 0 && index < m_targets->count()) {
        m_targets->setCurrentIndex(index);
    }
}

int FoldChangeChartPanel::currentSeries() const {
    return m_targets->currentIndex();
}

std::expected<void, Error> FoldChangeChartPanel::exportChart(const QString& fileName) const {
    const int index = m_targets->currentIndex();
    const std::optional<ExperimentOutcome>& experiment = m_document.experiment();
    if (!experiment || index < 0 || index >= static_cast<int>(m_series.size())) {
        return std::unexpected(Error{"", "there is no chart to export"});
    }
    const Quantification& quantification = experiment->quantification;
    // Drawn again from the experiment as it is now, PNG included: the command line's bytes.
    return writeFoldChangeChart(renderFoldChangeChart(m_series[static_cast<std::size_t>(index)],
                                                      quantification.summary, quantification.lanes),
                                fileName);
}

void FoldChangeChartPanel::chooseChartFile() {
    const int index = m_targets->currentIndex();
    if (index < 0 || index >= static_cast<int>(m_stems.size())) {
        return;
    }
    saveChartAs(this, m_stems[static_cast<std::size_t>(index)],
                [this](const QString& fileName) { return exportChart(fileName); });
}

} // namespace densito
