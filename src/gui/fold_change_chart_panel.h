#pragma once

#include "core/error.h"
#include "core/io/fold_change_chart.h"

#include <QWidget>

#include <expected>
#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;

namespace densito {

class FoldChangeChartView;
class ProjectDocument;

/// The experiment's fold-change chart at full size (a tab of the main window): a target list,
/// the chart of the chosen target (FoldChangeChartView: the core's SVG, values under the
/// pointer) and Export Chart, which writes the command line's bytes. The chart is made again
/// only when the experiment changed and the panel is shown, and not while a lane or band is
/// being dragged: once when the drag ends.
class FoldChangeChartPanel : public QWidget {
    Q_OBJECT

public:
    explicit FoldChangeChartPanel(const ProjectDocument& document, QWidget* parent = nullptr);

    FoldChangeChartView& view() const { return *m_view; }
    /// Shows series `index` of foldChangeSeries() (the experiment panel's target order).
    void showSeries(int index);
    int currentSeries() const;
    /// Saves the shown target's chart: the PNG bytes when `fileName` ends in ".png" (any
    /// case), else the SVG text; the same bytes as charts/ of the command line.
    std::expected<void, Error> exportChart(const QString& fileName) const;
    /// How many times the chart was made from the experiment (for tests and benchmarks: one
    /// per edit, none per step of a drag).
    int chartBuilds() const { return m_chartBuilds; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    /// Reads the experiment's series again and shows the chosen one, when shown and not
    /// dragging; else remembers to.
    void experimentChanged();
    void rebuild();
    void showChosenTarget();
    void chooseChartFile();

    const ProjectDocument& m_document;
    QComboBox* m_targets = nullptr;
    QPushButton* m_export = nullptr;
    QLabel* m_placeholder = nullptr;
    QLabel* m_hover = nullptr;
    FoldChangeChartView* m_view = nullptr;
    std::vector<FoldChangeSeries> m_series;
    std::vector<std::string> m_stems;
    bool m_isStale = true;
    int m_chartBuilds = 0;
};

} // namespace densito
