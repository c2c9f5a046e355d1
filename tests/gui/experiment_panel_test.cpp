// ExperimentPanel: the layout sheets as tables, the summary and chart of the sample experiment.
#include "core/io/fold_change_chart.h"
#include "document/project_document.h"
#include "document/qt_strings.h"
#include "document/sheet_table_model.h"
#include "gui/experiment_panel.h"

#include "gui_test_support.h"
#include "support/file_io.h"
#include "support/temp_dir.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyleOptionViewItem>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QUndoStack>

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <memory>
#include <string>

namespace densito {
namespace {

namespace fs = std::filesystem;
using test::kExperimentDir;
using test::readText;
using test::TempDir;

template <typename T> T* child(const QWidget& parent, const char* name) {
    T* widget = parent.findChild<T*>(QLatin1String(name));
    EXPECT_NE(widget, nullptr) << name;
    return widget;
}

SheetTableModel* sheetModel(const QWidget& panel, const char* tableName) {
    return qobject_cast<SheetTableModel*>(child<QTableView>(panel, tableName)->model());
}

class ExperimentPanelTest : public test::SampleExperimentTest {};

/// The document's summary rows of one series, in summary order.
std::vector<ConditionSummary> summaryOf(const ProjectDocument& document,
                                        const FoldChangeSeries& series) {
    std::vector<ConditionSummary> rows;
    for (const ConditionSummary& row : document.experiment()->quantification.summary) {
        if (row.target == series.target && row.isPhospho == series.isPhospho &&
            row.site == series.site) {
            rows.push_back(row);
        }
    }
    return rows;
}

TEST_F(ExperimentPanelTest, ListsTheTargetsAndTheSummaryOfTheChosenOne) {
    ExperimentPanel panel(document());
    auto* targets = child<QComboBox>(panel, "targetCombo");
    ASSERT_EQ(targets->count(), 4);
    const int akt = targets->findText(QStringLiteral("p-Akt Ser473"));
    ASSERT_GE(akt, 0) << targets->itemText(0).toStdString();
    targets->setCurrentIndex(akt);

    const auto series = foldChangeSeries(document().experiment()->quantification.summary);
    const auto aktSeries = std::ranges::find_if(
        series, [](const FoldChangeSeries& s) { return s.isPhospho && s.site == "Ser473"; });
    ASSERT_NE(aktSeries, series.end());
    const std::vector<ConditionSummary> expected = summaryOf(document(), *aktSeries);
    ASSERT_EQ(expected.size(), 4u);

    auto* table = child<QTableWidget>(panel, "summaryTable");
    ASSERT_EQ(table->rowCount(), 4);
    ASSERT_EQ(table->columnCount(), 7);
    EXPECT_EQ(table->horizontalHeaderItem(2)->text(), QStringLiteral("Fold change"));
    for (int row = 0; row < 4; ++row) {
        const ConditionSummary& summary = expected[static_cast<std::size_t>(row)];
        EXPECT_EQ(table->item(row, 0)->text(), toQString(summary.condition));
        EXPECT_EQ(table->item(row, 1)->text(), QString::number(summary.n));
        ASSERT_TRUE(summary.foldChange.has_value());
        EXPECT_EQ(table->item(row, 2)->text(), QString::number(*summary.foldChange, 'g', 3));
    }
    EXPECT_EQ(table->item(0, 0)->text(), QStringLiteral("Control"));
    EXPECT_EQ(table->item(0, 2)->text(), QStringLiteral("1"));
    EXPECT_EQ(table->item(0, 4)->text(), QStringLiteral("-")); // the control is not tested
    EXPECT_EQ(table->item(1, 4)->text(), toQString(expected[1].test));
    EXPECT_FALSE(child<QLabel>(panel, "problemsLabel")->isVisibleTo(&panel));
    EXPECT_FALSE(child<QLabel>(panel, "emptyLabel")->isVisibleTo(&panel));
}

TEST_F(ExperimentPanelTest, EditingASampleIsOneUndoStepThatUndoRestoresExactly) {
    ExperimentPanel panel(document());
    const std::string original = document().layout()->samplesCsv;
    ASSERT_EQ(original, readText(kExperimentDir / "samples.csv"));
    SheetTableModel* samples = sheetModel(panel, "samplesTable");
    ASSERT_NE(samples, nullptr);
    const int condition = samples->columnOf("condition");
    ASSERT_EQ(condition, 3);
    ASSERT_EQ(samples->cell(0, condition), "Control");
    const int steps = document().undoStack()->count();

    ASSERT_TRUE(samples->setData(samples->index(0, condition), QStringLiteral("Vehicle")));
    EXPECT_EQ(document().undoStack()->count(), steps + 1);
    const std::string edited = document().layout()->samplesCsv;
    EXPECT_NE(edited.find("membrane1,2,R1 Control,Vehicle,1,no,no\n"), std::string::npos) << edited;
    // The summary follows at once: the lane is now a condition of its own.
    auto* table = child<QTableWidget>(panel, "summaryTable");
    ASSERT_EQ(table->rowCount(), 5);
    EXPECT_FALSE(table->findItems(QStringLiteral("Vehicle"), Qt::MatchExactly).isEmpty());

    document().undoStack()->undo();
    EXPECT_EQ(document().layout()->samplesCsv, original);
    EXPECT_EQ(samples->cell(0, condition), "Control");
    EXPECT_EQ(table->rowCount(), 4);
    EXPECT_TRUE(table->findItems(QStringLiteral("Vehicle"), Qt::MatchExactly).isEmpty());
}

TEST_F(ExperimentPanelTest, LayoutProblemsShowInRedUntilUndone) {
    ExperimentPanel panel(document());
    SheetTableModel* samples = sheetModel(panel, "samplesTable");
    ASSERT_NE(samples, nullptr);
    auto* problems = child<QLabel>(panel, "problemsLabel");
    EXPECT_FALSE(problems->isVisibleTo(&panel));

    ASSERT_TRUE(
        samples->setData(samples->index(0, samples->columnOf("lane")), QStringLiteral("x")));
    EXPECT_FALSE(document().experiment().has_value());
    EXPECT_TRUE(problems->isVisibleTo(&panel));
    EXPECT_TRUE(problems->text().startsWith(QStringLiteral("samples.csv:2: column \"lane\"")))
        << problems->text().toStdString();
    EXPECT_EQ(child<QComboBox>(panel, "targetCombo")->count(), 0);
    EXPECT_FALSE(child<QTableWidget>(panel, "summaryTable")->isVisibleTo(&panel));

    document().undoStack()->undo();
    EXPECT_TRUE(document().experiment().has_value());
    EXPECT_FALSE(problems->isVisibleTo(&panel));
    EXPECT_EQ(child<QComboBox>(panel, "targetCombo")->count(), 4);
}

TEST_F(ExperimentPanelTest, ExportedChartHasTheCoreBytesForTheTarget) {
    ExperimentPanel panel(document());
    auto* targets = child<QComboBox>(panel, "targetCombo");
    targets->setCurrentIndex(2);
    const Quantification& quantification = document().experiment()->quantification;
    const auto series = foldChangeSeries(quantification.summary);
    ASSERT_EQ(series.size(), 4u);
    const FoldChangeChart chart =
        renderFoldChangeChart(series[2], quantification.summary, quantification.lanes);

    TempDir dir;
    ASSERT_TRUE(panel.exportChart(toQString(dir / "chart.svg")).has_value());
    ASSERT_TRUE(panel.exportChart(toQString(dir / "chart.PNG")).has_value());
    EXPECT_EQ(readText(dir / "chart.svg"), chart.svg);
    const std::string png = readText(dir / "chart.PNG");
    ASSERT_FALSE(png.empty());
    EXPECT_EQ(png, std::string(chart.png.begin(), chart.png.end()));

    // The same file as the command line's charts/ folder.
    const std::string stem = foldChangeChartStems(series)[2];
    const auto files = document().resultFiles().value();
    const auto cliChart = std::ranges::find_if(
        files, [&](const OutputFile& file) { return file.name == "charts/" + stem + ".svg"; });
    ASSERT_NE(cliChart, files.end());
    EXPECT_EQ(readText(dir / "chart.svg"), cliChart->contents);
}

TEST_F(ExperimentPanelTest, ControlChoiceAndSheetExportGoThroughTheLayout) {
    ExperimentPanel panel(document());
    auto* control = child<QComboBox>(panel, "controlCombo");
    ASSERT_EQ(control->count(), 5); // automatic + the four conditions
    EXPECT_EQ(control->itemText(2), QStringLiteral("Insulin"));
    EXPECT_EQ(control->currentIndex(), 0);

    TempDir dir;
    ASSERT_TRUE(panel.exportSheets(toQString(dir.path())).has_value());
    EXPECT_EQ(readText(dir / "blots.csv"), readText(kExperimentDir / "blots.csv"));
    EXPECT_EQ(readText(dir / "samples.csv"), readText(kExperimentDir / "samples.csv"));

    emit control->activated(2);
    EXPECT_EQ(document().layout()->control, "Insulin");
    EXPECT_EQ(control->currentText(), QStringLiteral("Insulin"));
    document().undoStack()->undo();
    EXPECT_EQ(document().layout()->control, "");
    EXPECT_EQ(control->currentIndex(), 0);
}

TEST_F(ExperimentPanelTest, FactorsGoThroughTheLayout) {
    ExperimentPanel panel(document());
    auto* factors = child<QLineEdit>(panel, "factorsEdit");
    EXPECT_TRUE(factors->text().isEmpty());
    factors->setText(QStringLiteral(" insulin, isoleucine,"));
    emit factors->editingFinished();
    EXPECT_EQ(document().layout()->factors, (std::vector<std::string>{"insulin", "isoleucine"}));
    EXPECT_EQ(factors->text(), QStringLiteral("insulin,isoleucine"));
    emit factors->editingFinished(); // unchanged: no second undo step
    document().undoStack()->undo();
    EXPECT_TRUE(document().layout()->factors.empty());
    EXPECT_TRUE(factors->text().isEmpty());
}

TEST_F(ExperimentPanelTest, ExclusionSwitchesGoThroughTheLayout) {
    ExperimentPanel panel(document());
    auto* saturated = child<QCheckBox>(panel, "excludeSaturatedCheck");
    auto* weak = child<QCheckBox>(panel, "excludeWeakCheck");
    auto* outside = child<QCheckBox>(panel, "excludeOutsideRangeCheck");
    EXPECT_TRUE(saturated->isChecked()); // the command line's default
    EXPECT_FALSE(weak->isChecked());
    EXPECT_TRUE(outside->isChecked());
    weak->click();
    EXPECT_EQ(document().layout()->exclude,
              (ExclusionPolicy{.saturated = true, .weak = true, .outsideLinearRange = true}));
    saturated->click();
    EXPECT_FALSE(document().layout()->exclude.saturated);
    document().undoStack()->undo();
    document().undoStack()->undo();
    EXPECT_EQ(document().layout()->exclude, ExclusionPolicy{});
    EXPECT_FALSE(weak->isChecked());
    EXPECT_TRUE(saturated->isChecked());
}

TEST_F(ExperimentPanelTest, NormalizerOrderGoesThroughTheLayout) {
    ExperimentPanel panel(document());
    auto* orders = child<QComboBox>(panel, "normalizerOrderCombo");
    ASSERT_EQ(orders->count(), 6); // every order the core offers, the default first
    EXPECT_EQ(orders->currentText(), QStringLiteral("total > stain > loading"));
    const int loadingFirst = orders->findData(QStringLiteral("loading,total,stain"));
    ASSERT_GE(loadingFirst, 0);
    orders->setCurrentIndex(loadingFirst);
    emit orders->activated(loadingFirst);
    EXPECT_EQ(document().layout()->normalizerOrder,
              (NormalizerOrder{Normalizer::Loading, Normalizer::Total, Normalizer::Stain}));
    document().undoStack()->undo();
    EXPECT_EQ(document().layout()->normalizerOrder, kDefaultNormalizerOrder);
    EXPECT_EQ(orders->currentText(), QStringLiteral("total > stain > loading"));
}

TEST_F(ExperimentPanelTest, BlotsEditorsOfferTheProjectImagesAndTheMeasures) {
    ExperimentPanel panel(document());
    auto* table = child<QTableView>(panel, "blotsTable");
    SheetTableModel* blots = sheetModel(panel, "blotsTable");
    ASSERT_NE(blots, nullptr);
    QStyleOptionViewItem option;
    const auto editor = [&](const char* column) {
        const QModelIndex index = blots->index(0, blots->columnOf(column));
        return std::unique_ptr<QWidget>(
            table->itemDelegate()->createEditor(table->viewport(), option, index));
    };
    const auto image = editor("image");
    auto* images = qobject_cast<QComboBox*>(image.get());
    ASSERT_NE(images, nullptr);
    EXPECT_EQ(images->count(), document().imageCount());
    EXPECT_EQ(images->count(), 27);
    EXPECT_TRUE(images->isEditable());
    EXPECT_NE(images->findText(QStringLiteral("membrane1_p-mTOR_Ser2448.tif")), -1);

    const auto measure = editor("measure");
    auto* measures = qobject_cast<QComboBox*>(measure.get());
    ASSERT_NE(measures, nullptr);
    EXPECT_FALSE(measures->isEditable());
    ASSERT_EQ(measures->count(), 4);
    EXPECT_EQ(measures->itemText(0), QStringLiteral("phospho"));
    EXPECT_EQ(measures->itemText(3), QStringLiteral("stain"));

    // Choosing from the combo box edits the cell; undo restores it.
    table->itemDelegate()->setEditorData(measures, blots->index(0, blots->columnOf("measure")));
    EXPECT_EQ(measures->currentText(), QStringLiteral("phospho"));
    measures->setCurrentIndex(1);
    table->itemDelegate()->setModelData(measures, blots,
                                        blots->index(0, blots->columnOf("measure")));
    EXPECT_EQ(blots->cell(0, blots->columnOf("measure")), "total");
    EXPECT_NE(
        document().layout()->blotsCsv.find("membrane1_p-mTOR_Ser2448.tif,membrane1,p-mTOR,total,"),
        std::string::npos);
    document().undoStack()->undo();
    EXPECT_EQ(document().layout()->blotsCsv, readText(kExperimentDir / "blots.csv"));

    const auto site = editor("site");
    EXPECT_EQ(qobject_cast<QComboBox*>(site.get()), nullptr); // free text
}

TEST(ExperimentPanel, WithoutALayoutAddingARowStartsBothSheets) {
    ProjectDocument document;
    ExperimentPanel panel(document);
    EXPECT_TRUE(child<QLabel>(panel, "emptyLabel")->isVisibleTo(&panel));
    EXPECT_TRUE(child<QPushButton>(panel, "importButton")->isEnabled());
    EXPECT_FALSE(child<QPushButton>(panel, "exportButton")->isEnabled());
    SheetTableModel* samples = sheetModel(panel, "samplesTable");
    ASSERT_NE(samples, nullptr);
    EXPECT_EQ(samples->rowCount(), 0);
    EXPECT_EQ(samples->columnCount(), 6);
    EXPECT_EQ(sheetModel(panel, "blotsTable")->columnCount(), 8);

    auto* addRow = child<QPushButton>(panel, "addSampleButton");
    ASSERT_TRUE(addRow->isEnabled());
    EXPECT_FALSE(child<QPushButton>(panel, "removeSampleButton")->isEnabled()); // no row yet
    QTest::mouseClick(addRow, Qt::LeftButton);
    ASSERT_TRUE(document.layout().has_value());
    EXPECT_EQ(document.layout()->samplesCsv, "membrane,lane,sample,condition,replicate\n,,,,\n");
    EXPECT_EQ(document.layout()->blotsCsv, "image,membrane,target,measure\n");
    EXPECT_EQ(samples->rowCount(), 1);
    EXPECT_FALSE(child<QLabel>(panel, "emptyLabel")->isVisibleTo(&panel));
    EXPECT_TRUE(child<QPushButton>(panel, "removeSampleButton")->isEnabled());

    document.undoStack()->undo();
    EXPECT_FALSE(document.layout().has_value());
    EXPECT_EQ(samples->rowCount(), 0);
    EXPECT_TRUE(child<QLabel>(panel, "emptyLabel")->isVisibleTo(&panel));
}

TEST(ExperimentPanel, ImportedSheetsBecomeTheLayoutVerbatim) {
    ProjectDocument document;
    ExperimentPanel panel(document);
    ASSERT_TRUE(panel
                    .importSheets(toQString(kExperimentDir / "blots.csv"),
                                  toQString(kExperimentDir / "samples.csv"))
                    .has_value());
    ASSERT_TRUE(document.layout().has_value());
    EXPECT_EQ(document.layout()->blotsCsv, readText(kExperimentDir / "blots.csv"));
    EXPECT_EQ(document.layout()->samplesCsv, readText(kExperimentDir / "samples.csv"));
    EXPECT_EQ(sheetModel(panel, "blotsTable")->rowCount(), 27);
    EXPECT_EQ(document.undoStack()->count(), 1);
    // No images yet: the layout names images the project lacks.
    EXPECT_TRUE(child<QLabel>(panel, "problemsLabel")->isVisibleTo(&panel));

    const auto missing = panel.importSheets(QStringLiteral("/nonexistent/blots.csv"),
                                            toQString(kExperimentDir / "samples.csv"));
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().subject, "blots.csv");
    EXPECT_EQ(document.undoStack()->count(), 1);
}

} // namespace
} // namespace densito
