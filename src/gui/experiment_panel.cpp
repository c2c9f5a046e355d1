#include "gui/experiment_panel.h"

#include "core/analysis/csv_table.h"
#include "core/analysis/layout_sheets.h"
#include "core/analysis/target_panel.h"
#include "core/io/atomic_file.h"
#include "document/project_document.h"
#include "document/qt_strings.h"
#include "document/sheet_table_model.h"
#include "gui/flow_layout.h"
#include "gui/fold_change_chart_view.h"
#include "gui/setting_key.h"

#include "ui_experiment_panel.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableWidgetItem>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <set>
#include <span>
#include <tuple>

namespace densito {
namespace {

const SettingKey<QString> kLastSheetFolder{"experiment/sheetFolder", QDir::homePath()};

const std::vector<std::string> kBlotsRequired = {"image", "membrane", "target", "measure"};
const std::vector<std::string> kBlotsOptional = {"site", "band", "strip", "region"};
const std::vector<std::string> kSamplesRequired = {"membrane", "lane", "sample", "condition",
                                                   "replicate"};
const std::vector<std::string> kSamplesOptional = {"load"};

/// Columns of the summary table: condition, n, fold change, 95% CI, test, p, p (Holm).
constexpr int kSummaryColumns = 7;
constexpr int kConditionColumn = 0;
constexpr int kTestColumn = 4;

/// The values of one column of a sheet, trimmed, each once (ASCII case-insensitive), in order
/// of first appearance; the layout compares conditions and membranes that way too.
std::vector<std::string> distinctValues(const std::string& csvText, std::string_view column) {
    std::vector<std::string> values;
    const auto table = parseCsv(csvText, std::string());
    const auto index = table ? table->findColumn(column) : std::nullopt;
    if (!index) {
        return values;
    }
    std::set<std::string> seen;
    for (const CsvRow& row : table->rows) {
        const std::string_view value = table->text(row, *index);
        if (!value.empty() && seen.insert(asciiLower(value)).second) {
            values.emplace_back(value);
        }
    }
    return values;
}

bool containsIgnoringCase(const std::vector<std::string>& values, std::string_view value) {
    return std::ranges::any_of(values, [lower = asciiLower(trimmed(value))](const auto& known) {
        return asciiLower(known) == lower;
    });
}

/// Three significant digits, exactly as the command line's summary table ("{:.3g}").
QString number(const std::optional<double>& value) {
    return value ? toQString(fmt::format("{:.3g}", *value)) : QStringLiteral("-");
}

QString interval(const std::optional<Interval>& ci) {
    return ci ? toQString(fmt::format("{:.3g}-{:.3g}", ci->low, ci->high)) : QStringLiteral("-");
}

/// `--factors` as typed: comma-separated column names, trimmed, empty ones dropped.
std::vector<std::string> factorsOf(const std::string& text) {
    std::vector<std::string> factors;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find(',', start), text.size());
        if (const std::string_view factor =
                trimmed(std::string_view(text).substr(start, end - start));
            !factor.empty()) {
            factors.emplace_back(factor);
        }
        start = end + 1;
    }
    return factors;
}

enum class SheetKind { Blots, Samples, Unknown };

/// Which sheet a file is, from its columns, else from its name.
SheetKind sheetKind(const std::string& text, const QString& fileName) {
    if (const auto table = parseCsv(text, std::string())) {
        if (table->findColumn("image") && table->findColumn("measure")) {
            return SheetKind::Blots;
        }
        if (table->findColumn("lane") && table->findColumn("condition")) {
            return SheetKind::Samples;
        }
    }
    const QString name = QFileInfo(fileName).fileName().toLower();
    return name.contains(QLatin1String("blot"))     ? SheetKind::Blots
           : name.contains(QLatin1String("sample")) ? SheetKind::Samples
                                                    : SheetKind::Unknown;
}

std::expected<std::string, Error> readSheet(const QString& fileName) {
    const auto text = readWholeFile(toPath(fileName));
    if (!text) {
        return std::unexpected(Error{QFileInfo(fileName).fileName().toStdString(), text.error()});
    }
    return *text;
}

/// The file name a sheet is exported under: the name it was read from, without its folder.
std::filesystem::path sheetFileName(const std::string& name, const char* fallback) {
    const std::filesystem::path fileName = std::filesystem::path(name).filename();
    return fileName.empty() ? std::filesystem::path(fallback) : fileName;
}

/// A combo box editor for the sheet columns that have known values (images, measures,
/// conditions, membranes); other columns get the default line edit. Values outside the list
/// can still be typed, except for `measure`, whose four values are all the layout accepts.
class SheetChoiceDelegate : public QStyledItemDelegate {
public:
    using Choices = std::function<QStringList(const std::string& column)>;

    SheetChoiceDelegate(const SheetTableModel& model, Choices choices, QObject* parent)
        : QStyledItemDelegate(parent), m_model(model), m_choices(std::move(choices)) {}

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                          const QModelIndex& index) const override {
        const std::string column = asciiLower(trimmed(m_model.columnName(index.column())));
        const QStringList choices = m_choices(column);
        if (choices.isEmpty()) {
            return QStyledItemDelegate::createEditor(parent, option, index);
        }
        auto* combo = new QComboBox(parent);
        combo->setEditable(column != "measure");
        combo->addItems(choices);
        const QString current = index.data(Qt::EditRole).toString();
        if (!combo->isEditable() && !current.isEmpty() && !choices.contains(current)) {
            combo->addItem(current); // so that opening the editor never changes the cell
        }
        return combo;
    }

    void setEditorData(QWidget* editor, const QModelIndex& index) const override {
        if (auto* combo = qobject_cast<QComboBox*>(editor)) {
            combo->setCurrentText(index.data(Qt::EditRole).toString());
        } else {
            QStyledItemDelegate::setEditorData(editor, index);
        }
    }

    void setModelData(QWidget* editor, QAbstractItemModel* model,
                      const QModelIndex& index) const override {
        if (auto* combo = qobject_cast<QComboBox*>(editor)) {
            model->setData(index, combo->currentText());
        } else {
            QStyledItemDelegate::setModelData(editor, model, index);
        }
    }

private:
    const SheetTableModel& m_model;
    Choices m_choices;
};

/// The row of sheet actions and experiment options as groups (a label stays with its
/// control) that wrap onto further lines when the panel is narrow, instead of running off its
/// right edge: the form's one-line row needs about 1500 px.
void wrapOptionRow(Ui::ExperimentPanel& ui, QWidget& panel) {
    QHBoxLayout* row = ui.sheetActionsLayout;
    while (QLayoutItem* item = row->takeAt(0)) {
        delete item; // its widget, if any, stays and is placed below
    }
    const int at = ui.panelLayout->indexOf(row);
    ui.panelLayout->removeItem(row);
    delete row;
    auto* options = new QWidget(&panel);
    options->setObjectName(QStringLiteral("experimentOptions"));
    auto* flow = new FlowLayout(options);
    const auto group = [&](const char* name, std::initializer_list<QWidget*> widgets) {
        auto* box = new QWidget(options);
        box->setObjectName(QString::fromLatin1(name));
        auto* layout = new QHBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        for (QWidget* widget : widgets) {
            layout->addWidget(widget);
        }
        flow->addWidget(box);
    };
    group("sheetActions", {ui.importButton, ui.exportButton});
    group("controlOption", {ui.controlLabel, ui.controlCombo});
    group("factorsOption", {ui.factorsLabel, ui.factorsEdit});
    group("normalizerOption", {ui.normalizerOrderLabel, ui.normalizerOrderCombo});
    group("excludeOption", {ui.excludeLabel, ui.excludeSaturatedCheck, ui.excludeWeakCheck,
                            ui.excludeOutsideRangeCheck});
    ui.panelLayout->insertWidget(at, options);
}

} // namespace

ExperimentPanel::ExperimentPanel(ProjectDocument& document, QWidget* parent)
    : QWidget(parent), m_document(document), m_ui(std::make_unique<Ui::ExperimentPanel>()) {
    m_ui->setupUi(this);
    wrapOptionRow(*m_ui, *this);
    m_samples = new SheetTableModel("samples.csv", kSamplesRequired, kSamplesOptional, this);
    m_blots = new SheetTableModel("blots.csv", kBlotsRequired, kBlotsOptional, this);
    const auto choices = [this](const std::string& column) {
        return choicesFor(column);
    };
    for (auto [table, model] :
         {std::pair{m_ui->samplesTable, m_samples}, std::pair{m_ui->blotsTable, m_blots}}) {
        table->setModel(model);
        table->setItemDelegate(new SheetChoiceDelegate(*model, choices, table));
        table->horizontalHeader()->setStretchLastSection(true);
        table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
        connect(model, &QAbstractItemModel::modelReset, table,
                [table] { table->resizeColumnsToContents(); });
        connect(table->selectionModel(), &QItemSelectionModel::currentChanged, this,
                &ExperimentPanel::updateRowButtons);
        connect(model, &QAbstractItemModel::modelReset, this, &ExperimentPanel::updateRowButtons);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &ExperimentPanel::updateRowButtons);
    }
    m_ui->samplesTable->resizeColumnsToContents();
    m_ui->blotsTable->resizeColumnsToContents();

    m_ui->summaryTable->setColumnCount(kSummaryColumns);
    m_ui->summaryTable->setHorizontalHeaderLabels({tr("Condition"), tr("n"), tr("Fold change"),
                                                   tr("95% CI"), tr("Test"), tr("p"),
                                                   tr("p (Holm)")});
    m_ui->summaryTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->summaryTable->verticalHeader()->setDefaultSectionSize(
        m_ui->summaryTable->fontMetrics().height() + 8);
    // The chart has a view of its own, as large as the window allows (MainWindow's tab).
    m_showChartButton = new QPushButton(tr("Show Chart"), m_ui->resultsTab);
    m_showChartButton->setObjectName(QStringLiteral("showChartButton"));
    m_showChartButton->setToolTip(tr("Show this target's fold-change chart full size"));
    m_ui->targetLayout->insertWidget(m_ui->targetLayout->indexOf(m_ui->exportChartButton),
                                     m_showChartButton);
    connect(m_showChartButton, &QPushButton::clicked, this,
            [this] { emit chartRequested(m_ui->targetCombo->currentIndex()); });
    m_ui->chartLayout->addStretch(1);

    connect(m_samples, &SheetTableModel::csvEdited, this,
            [this](const std::string& text) { applySheetEdit(false, text); });
    connect(m_blots, &SheetTableModel::csvEdited, this,
            [this](const std::string& text) { applySheetEdit(true, text); });
    connect(m_ui->addSampleButton, &QPushButton::clicked, this, [this] { addRow(false); });
    connect(m_ui->addBlotButton, &QPushButton::clicked, this, [this] { addRow(true); });
    connect(m_ui->removeSampleButton, &QPushButton::clicked, this, [this] { removeRows(false); });
    connect(m_ui->removeBlotButton, &QPushButton::clicked, this, [this] { removeRows(true); });
    connect(m_ui->importButton, &QPushButton::clicked, this,
            &ExperimentPanel::chooseSheetsToImport);
    connect(m_ui->exportButton, &QPushButton::clicked, this, &ExperimentPanel::chooseExportFolder);
    connect(m_ui->exportChartButton, &QPushButton::clicked, this,
            &ExperimentPanel::chooseChartFile);
    // activated and clicked fire for the user's choices only, not for refresh()'s.
    connect(m_ui->controlCombo, &QComboBox::activated, this, [this](int index) {
        ProjectLayout layout = editableLayout();
        layout.control = m_ui->controlCombo->itemData(index).toString().toStdString();
        m_document.setLayout(layout);
    });
    connect(m_ui->factorsEdit, &QLineEdit::editingFinished, this, [this] {
        ProjectLayout layout = editableLayout();
        const std::vector<std::string> factors = factorsOf(m_ui->factorsEdit->text().toStdString());
        if (factors != layout.factors) {
            layout.factors = factors;
            m_document.setLayout(layout);
        }
    });
    for (const NormalizerOrder& order : allNormalizerOrders()) {
        const std::string text = normalizerOrderText(order);
        QString shown = toQString(text);
        shown.replace(QLatin1Char(','), QStringLiteral(" > "));
        m_ui->normalizerOrderCombo->addItem(shown, toQString(text));
    }
    connect(m_ui->normalizerOrderCombo, &QComboBox::activated, this, [this](int index) {
        ProjectLayout layout = editableLayout();
        const auto order = parseNormalizerOrder(
            m_ui->normalizerOrderCombo->itemData(index).toString().toStdString());
        if (order && *order != layout.normalizerOrder) {
            layout.normalizerOrder = *order;
            m_document.setLayout(layout);
        }
    });
    for (const auto& [check, kind] :
         {std::pair(m_ui->excludeSaturatedCheck, &ExclusionPolicy::saturated),
          std::pair(m_ui->excludeWeakCheck, &ExclusionPolicy::weak),
          std::pair(m_ui->excludeOutsideRangeCheck, &ExclusionPolicy::outsideLinearRange)}) {
        connect(check, &QCheckBox::clicked, this, [this, kind](bool isChecked) {
            ProjectLayout layout = editableLayout();
            layout.exclude.*kind = isChecked;
            m_document.setLayout(layout);
        });
    }
    connect(m_ui->targetCombo, &QComboBox::currentIndexChanged, this, &ExperimentPanel::showTarget);
    connect(&m_document, &ProjectDocument::experimentChanged, this, &ExperimentPanel::refresh);
    connect(&m_document, &ProjectDocument::busyChanged, this, &ExperimentPanel::refreshResults);
    refresh();
}

ExperimentPanel::~ExperimentPanel() = default;

void ExperimentPanel::refresh() {
    const std::optional<ProjectLayout>& layout = m_document.layout();
    // A layout that arrives from elsewhere (a project opened, sheets imported) is there to
    // be looked at; one started by typing into the tables stays with the tables.
    if (layout && !m_hasLayout && !m_isEditingTable) {
        m_ui->tabs->setCurrentWidget(m_ui->resultsTab);
    }
    m_hasLayout = layout.has_value();
    m_samples->setCsvText(layout ? layout->samplesCsv : std::string());
    m_blots->setCsvText(layout ? layout->blotsCsv : std::string());
    m_ui->emptyLabel->setVisible(!layout.has_value());
    m_ui->exportButton->setEnabled(layout.has_value());
    refreshControls(layout);
    refreshProblems();
    refreshResults();
}

void ExperimentPanel::refreshControls(const std::optional<ProjectLayout>& layout) {
    const std::string control = layout ? layout->control : std::string();
    std::vector<std::string> conditions = distinctValues(m_samples->csvText(), "condition");
    if (!control.empty() && !containsIgnoringCase(conditions, control)) {
        conditions.push_back(control); // shown as chosen; the layout problems say it is missing
    }
    QComboBox* combo = m_ui->controlCombo;
    const QSignalBlocker blocker(combo);
    combo->clear();
    combo->addItem(tr("Automatic (\"control\")"), QString());
    for (const std::string& condition : conditions) {
        combo->addItem(toQString(condition), toQString(condition));
        if (!control.empty() && asciiLower(condition) == asciiLower(control)) {
            combo->setCurrentIndex(combo->count() - 1);
        }
    }
    combo->setEnabled(!conditions.empty());
    m_ui->factorsEdit->setText(
        layout ? toQString(fmt::format("{}", fmt::join(layout->factors, ","))) : QString());
    m_ui->factorsEdit->setEnabled(layout.has_value());
    {
        QComboBox* orders = m_ui->normalizerOrderCombo;
        const QSignalBlocker orderBlocker(orders);
        orders->setCurrentIndex(orders->findData(toQString(
            normalizerOrderText(layout ? layout->normalizerOrder : kDefaultNormalizerOrder))));
        orders->setEnabled(layout.has_value());
    }
    const ExclusionPolicy exclude = layout ? layout->exclude : ExclusionPolicy{};
    for (const auto& [check, isExcluded] :
         {std::pair(m_ui->excludeSaturatedCheck, exclude.saturated),
          std::pair(m_ui->excludeWeakCheck, exclude.weak),
          std::pair(m_ui->excludeOutsideRangeCheck, exclude.outsideLinearRange)}) {
        check->setChecked(isExcluded);
        check->setEnabled(layout.has_value());
    }
    updateRowButtons();
}

void ExperimentPanel::updateRowButtons() {
    for (auto [model, table, add, remove] :
         {std::tuple{m_samples, m_ui->samplesTable, m_ui->addSampleButton,
                     m_ui->removeSampleButton},
          std::tuple{m_blots, m_ui->blotsTable, m_ui->addBlotButton, m_ui->removeBlotButton}}) {
        add->setEnabled(!model->isReadOnly());
        remove->setEnabled(!model->isReadOnly() && table->currentIndex().isValid());
    }
}

void ExperimentPanel::refreshProblems() {
    QStringList lines;
    for (const Error& problem : m_document.layoutProblems()) {
        lines << toQString(problem.describe());
    }
    // The document reports unreadable sheets too; say why the table cannot edit one only when
    // it does not.
    for (const SheetTableModel* model : {m_samples, m_blots}) {
        if (const auto& error = model->readError()) {
            const QString problem = toQString(error->describe());
            if (!lines.contains(problem)) {
                lines << tr("%1 (the table cannot show this sheet)").arg(problem);
            }
        }
    }
    m_ui->problemsLabel->setText(lines.join(QLatin1Char('\n')));
    m_ui->problemsLabel->setVisible(!lines.isEmpty());
}

void ExperimentPanel::refreshResults() {
    const std::optional<ExperimentOutcome>& experiment = m_document.experiment();
    const QString previous = m_ui->targetCombo->currentText();
    m_series = experiment ? foldChangeSeries(experiment->quantification.summary)
                          : std::vector<FoldChangeSeries>();
    m_chartStems = foldChangeChartStems(m_series);
    {
        const QSignalBlocker blocker(m_ui->targetCombo);
        m_ui->targetCombo->clear();
        for (const FoldChangeSeries& series : m_series) {
            m_ui->targetCombo->addItem(foldChangeSeriesLabel(series));
        }
        m_ui->targetCombo->setCurrentIndex(std::max(0, m_ui->targetCombo->findText(previous)));
    }
    const bool hasResults = !m_series.empty();
    m_ui->summaryTable->setVisible(hasResults);
    m_showChartButton->setEnabled(hasResults);
    m_ui->targetCombo->setEnabled(hasResults);
    m_ui->exportChartButton->setEnabled(hasResults);
    m_ui->resultsPlaceholder->setVisible(!hasResults);
    if (m_document.isBusy()) {
        m_ui->resultsPlaceholder->setText(tr("Measuring the images…"));
    } else if (!m_document.layout()) {
        m_ui->resultsPlaceholder->setText(
            tr("Fold changes appear here once the sheets describe the project's images."));
    } else if (!experiment) {
        m_ui->resultsPlaceholder->setText(tr("No fold changes: the layout has problems."));
    } else {
        m_ui->resultsPlaceholder->setText(tr("The layout names no target to quantify."));
    }
    showTarget();
}

void ExperimentPanel::showTarget() {
    const int index = m_ui->targetCombo->currentIndex();
    const std::optional<ExperimentOutcome>& experiment = m_document.experiment();
    QTableWidget* table = m_ui->summaryTable;
    table->setRowCount(0);
    m_chart.reset();
    if (!experiment || index < 0 || index >= static_cast<int>(m_series.size())) {
        return;
    }
    const FoldChangeSeries& series = m_series[static_cast<std::size_t>(index)];
    const Quantification& quantification = experiment->quantification;
    for (const ConditionSummary& row : quantification.summary) {
        if (!isInFoldChangeSeries(series, row.target, row.isPhospho, row.site)) {
            continue;
        }
        const int at = table->rowCount();
        table->insertRow(at);
        const std::array<QString, kSummaryColumns> texts = {toQString(row.condition),
                                                            QString::number(row.n),
                                                            number(row.foldChange),
                                                            interval(row.ci95),
                                                            row.test.empty() ? QStringLiteral("-")
                                                                             : toQString(row.test),
                                                            number(row.p),
                                                            number(row.pHolm)};
        for (int column = 0; column < kSummaryColumns; ++column) {
            auto* item = new QTableWidgetItem(texts[static_cast<std::size_t>(column)]);
            if (column != kConditionColumn && column != kTestColumn) {
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            }
            if (!row.note.empty()) {
                item->setToolTip(toQString(row.note));
            }
            table->setItem(at, column, item);
        }
    }
    // Tall enough for every condition without a scroll bar; the chart takes the rest.
    int height = table->horizontalHeader()->height() + 2 * table->frameWidth();
    for (int row = 0; row < table->rowCount(); ++row) {
        height += table->rowHeight(row);
    }
    table->setFixedHeight(height);
    m_chart = renderFoldChangeChart(series, quantification.summary, quantification.lanes);
}

ProjectLayout ExperimentPanel::editableLayout() const {
    if (const auto& layout = m_document.layout()) {
        return *layout;
    }
    ProjectLayout layout;
    layout.blotsCsv = m_blots->csvText();
    layout.samplesCsv = m_samples->csvText();
    return layout;
}

void ExperimentPanel::applySheetEdit(bool isBlots, const std::string& csvText) {
    ProjectLayout layout = editableLayout();
    (isBlots ? layout.blotsCsv : layout.samplesCsv) = csvText;
    m_isEditingTable = true;
    m_document.setLayout(layout);
    m_isEditingTable = false;
}

void ExperimentPanel::addRow(bool isBlots) {
    QTableView* table = isBlots ? m_ui->blotsTable : m_ui->samplesTable;
    SheetTableModel* model = isBlots ? m_blots : m_samples;
    const QModelIndex current = table->currentIndex();
    const int row = current.isValid() ? current.row() + 1 : model->rowCount();
    if (model->insertRows(row, 1)) {
        const QModelIndex first = model->index(row, 0);
        table->setCurrentIndex(first);
        table->scrollTo(first);
        table->edit(first);
    }
}

void ExperimentPanel::removeRows(bool isBlots) {
    QTableView* table = isBlots ? m_ui->blotsTable : m_ui->samplesTable;
    SheetTableModel* model = isBlots ? m_blots : m_samples;
    std::set<int> rows;
    for (const QModelIndex& index : table->selectionModel()->selectedIndexes()) {
        rows.insert(index.row());
    }
    if (rows.empty() && table->currentIndex().isValid()) {
        rows.insert(table->currentIndex().row());
    }
    if (rows.empty()) {
        return;
    }
    // One edit is one undo step, and removeRows() takes one block: a scattered selection
    // removes only the current row.
    const int first = *rows.begin();
    const int count = *rows.rbegin() - first + 1;
    if (count == static_cast<int>(rows.size())) {
        model->removeRows(first, count);
    } else if (table->currentIndex().isValid()) {
        model->removeRows(table->currentIndex().row(), 1);
    }
}

QStringList ExperimentPanel::choicesFor(const std::string& column) const {
    QStringList choices;
    if (column == "image") {
        for (int image = 0; image < m_document.imageCount(); ++image) {
            choices << m_document.imageName(image);
        }
    } else if (column == "measure") {
        for (const Measure measure :
             {Measure::Phospho, Measure::Total, Measure::Loading, Measure::Stain}) {
            choices << toQString(measureName(measure));
        }
    } else if (column == "condition") {
        for (const std::string& condition : distinctValues(m_samples->csvText(), "condition")) {
            choices << toQString(condition);
        }
    } else if (column == "membrane") {
        std::vector<std::string> membranes = distinctValues(m_blots->csvText(), "membrane");
        for (std::string& membrane : distinctValues(m_samples->csvText(), "membrane")) {
            if (!containsIgnoringCase(membranes, membrane)) {
                membranes.push_back(std::move(membrane));
            }
        }
        for (const std::string& membrane : membranes) {
            choices << toQString(membrane);
        }
    }
    return choices;
}

std::expected<void, Error> ExperimentPanel::importSheets(const QString& blotsFile,
                                                         const QString& samplesFile) {
    auto blots = readSheet(blotsFile);
    if (!blots) {
        return std::unexpected(blots.error());
    }
    auto samples = readSheet(samplesFile);
    if (!samples) {
        return std::unexpected(samples.error());
    }
    ProjectLayout layout = m_document.layout().value_or(ProjectLayout{});
    layout.blotsFileName = QFileInfo(blotsFile).fileName().toStdString();
    layout.samplesFileName = QFileInfo(samplesFile).fileName().toStdString();
    if (!containsIgnoringCase(distinctValues(*samples, "condition"), layout.control)) {
        layout.control.clear();
    }
    layout.blotsCsv = std::move(*blots);
    layout.samplesCsv = std::move(*samples);
    m_document.setLayout(layout);
    return {};
}

std::expected<void, Error> ExperimentPanel::exportSheets(const QString& folder) const {
    const std::optional<ProjectLayout>& layout = m_document.layout();
    if (!layout) {
        return std::unexpected(Error{"", "the project has no experiment layout"});
    }
    const std::filesystem::path dir = toPath(folder);
    const auto blots = writeFileAtomically(dir / sheetFileName(layout->blotsFileName, "blots.csv"),
                                           layout->blotsCsv);
    if (!blots) {
        return blots;
    }
    return writeFileAtomically(dir / sheetFileName(layout->samplesFileName, "samples.csv"),
                               layout->samplesCsv);
}

std::expected<void, Error> ExperimentPanel::exportChart(const QString& fileName) const {
    if (!m_chart) {
        return std::unexpected(Error{"", "there is no chart to export"});
    }
    return writeFoldChangeChart(*m_chart, fileName);
}

void ExperimentPanel::chooseSheetsToImport() {
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Import blots.csv and samples.csv"), kLastSheetFolder.value(),
        tr("CSV files (*.csv);;All files (*)"));
    if (files.isEmpty()) {
        return;
    }
    kLastSheetFolder.setValue(QFileInfo(files.front()).absolutePath());
    QString blotsFile;
    QString samplesFile;
    for (const QString& file : files) {
        const auto text = readSheet(file);
        const SheetKind kind = text ? sheetKind(*text, file) : SheetKind::Unknown;
        if (kind == SheetKind::Blots) {
            blotsFile = file;
        } else if (kind == SheetKind::Samples) {
            samplesFile = file;
        }
    }
    if (files.size() != 2 || blotsFile.isEmpty() || samplesFile.isEmpty()) {
        QMessageBox::warning(
            this, tr("Import Sheets"),
            tr("Choose both sheets together: blots.csv (columns image, membrane, target, "
               "measure) and samples.csv (columns membrane, lane, sample, condition, "
               "replicate)."));
        return;
    }
    if (const auto imported = importSheets(blotsFile, samplesFile); !imported) {
        QMessageBox::warning(this, tr("Import Sheets"), toQString(imported.error().describe()));
    }
}

void ExperimentPanel::chooseExportFolder() {
    const std::optional<ProjectLayout>& layout = m_document.layout();
    if (!layout) {
        return;
    }
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Export Sheets To"), kLastSheetFolder.value());
    if (folder.isEmpty()) {
        return;
    }
    kLastSheetFolder.setValue(folder);
    QStringList existing;
    for (const auto& name : {sheetFileName(layout->blotsFileName, "blots.csv"),
                             sheetFileName(layout->samplesFileName, "samples.csv")}) {
        if (std::filesystem::exists(toPath(folder) / name)) {
            existing << toQString(name);
        }
    }
    if (!existing.isEmpty() &&
        QMessageBox::question(this, tr("Export Sheets"),
                              tr("Replace %1 in %2?")
                                  .arg(existing.join(tr(" and ")),
                                       QDir::toNativeSeparators(folder))) != QMessageBox::Yes) {
        return;
    }
    if (const auto exported = exportSheets(folder); !exported) {
        QMessageBox::warning(this, tr("Export Sheets"), toQString(exported.error().describe()));
    }
}

void ExperimentPanel::chooseChartFile() {
    const int index = m_ui->targetCombo->currentIndex();
    if (!m_chart || index < 0 || index >= static_cast<int>(m_chartStems.size())) {
        return;
    }
    saveChartAs(this, m_chartStems[static_cast<std::size_t>(index)],
                [this](const QString& fileName) { return exportChart(fileName); });
}

} // namespace densito
