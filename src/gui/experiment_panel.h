#pragma once

#include "core/error.h"
#include "core/io/fold_change_chart.h"
#include "core/io/project_file.h"

#include <QWidget>

class QPushButton;

#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace Ui {
class ExperimentPanel;
}

namespace densito {

class ProjectDocument;
class SheetTableModel;

/// The project's experiment: its layout sheets as editable tables (samples: lane -> sample,
/// condition, replicate; blots: image -> membrane, target, measure), the control condition and
/// the flagged-bands option, the layout's problems, and per target the fold-change summary
/// (its chart has a view of its own, as large as the window: chartRequested). Every edit is
/// one undo step of the document (ProjectDocument::setLayout); the panel re-reads everything
/// on experimentChanged, so undo, redo and re-measured images show at once. Charts and summaries
/// are the core's, byte for byte what the command line writes.
class ExperimentPanel : public QWidget {
    Q_OBJECT

public:
    explicit ExperimentPanel(ProjectDocument& document, QWidget* parent = nullptr);
    ~ExperimentPanel() override;

    /// Reads both sheets and makes them the layout (one undo step), keeping the control when
    /// the new samples sheet has that condition. The files' names label the sheets in messages.
    std::expected<void, Error> importSheets(const QString& blotsFile, const QString& samplesFile);
    /// Writes the layout's sheets into `folder` under their names (each atomically).
    std::expected<void, Error> exportSheets(const QString& folder) const;
    /// Saves the current target's chart: the PNG bytes when `fileName` ends in ".png" (any
    /// case), else the SVG text; the same bytes as charts/ of the command line.
    std::expected<void, Error> exportChart(const QString& fileName) const;

signals:
    /// Show Chart: the chart of series `index` (of foldChangeSeries(), as the target list
    /// has them) at full size.
    void chartRequested(int index);

private:
    void refresh();
    void refreshControls(const std::optional<ProjectLayout>& layout);
    void refreshProblems();
    /// Add Row needs an editable sheet; Remove Row also a current row.
    void updateRowButtons();
    void refreshResults();
    void showTarget();
    /// The layout to edit: the document's, or both sheets as the tables hold them.
    ProjectLayout editableLayout() const;
    void applySheetEdit(bool isBlots, const std::string& csvText);
    void addRow(bool isBlots);
    void removeRows(bool isBlots);
    void chooseSheetsToImport();
    void chooseExportFolder();
    void chooseChartFile();
    /// Values for a column's editor: the project's images, the measures, the conditions and
    /// membranes typed so far.
    QStringList choicesFor(const std::string& column) const;

    ProjectDocument& m_document;
    std::unique_ptr<Ui::ExperimentPanel> m_ui;
    SheetTableModel* m_samples = nullptr;
    SheetTableModel* m_blots = nullptr;
    QPushButton* m_showChartButton = nullptr;
    std::vector<FoldChangeSeries> m_series;
    std::vector<std::string> m_chartStems;
    std::optional<FoldChangeChart> m_chart; ///< of the target shown
    bool m_hasLayout = false;
    bool m_isEditingTable = false;
};

} // namespace densito
