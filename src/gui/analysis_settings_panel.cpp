#include "gui/analysis_settings_panel.h"

#include "document/project_document.h"
#include "document/qt_strings.h"
#include "gui/setting_key.h"

#include "ui_analysis_settings_panel.h"

#include <QLabel>
#include <QUndoStack>

namespace densito {
namespace {

const SettingKey<QString> kDefaultBackground("analysis/background",
                                             QStringLiteral("border-median"));
const SettingKey<QString> kDefaultPolarity("analysis/polarity", QStringLiteral("auto"));
const SettingKey<int> kDefaultLanes("analysis/lanes", 0);

/// Characters a settings combo box shows closed: "Border median (LI-COR" reads, and the
/// panel fits a 340 px side column.
constexpr int kComboMinimumCharacters = 20;

/// The combo's entries, in order, with the core's kinds.
constexpr BackgroundKind kBackgroundKinds[] = {BackgroundKind::BorderMedian,
                                               BackgroundKind::RollingBall,
                                               BackgroundKind::LaneBaseline, BackgroundKind::None};
constexpr PolarityMode kPolarityModes[] = {PolarityMode::Auto, PolarityMode::LightBands,
                                           PolarityMode::DarkBands};

template <typename T, std::size_t N> int indexOf(const T (&values)[N], T value) {
    for (std::size_t i = 0; i < N; ++i) {
        if (values[i] == value) {
            return static_cast<int>(i);
        }
    }
    return 0;
}

bool hasParameter(BackgroundKind kind) {
    return kind == BackgroundKind::BorderMedian || kind == BackgroundKind::RollingBall;
}

} // namespace

QString requestedText(const AnalysisSettings& settings) {
    QStringList lines;
    for (const auto& [strip, lanes] : settings.expectedLanesByStrip) {
        lines << AnalysisSettingsPanel::tr("strip %1: %2 lanes").arg(strip).arg(lanes);
    }
    if (settings.expectedStrips > 0) {
        lines << AnalysisSettingsPanel::tr("%1 strips (blots.csv)").arg(settings.expectedStrips);
    }
    for (std::size_t i = 0; i < settings.stripRegions.size(); ++i) {
        const cv::Rect& region = settings.stripRegions[i];
        lines << AnalysisSettingsPanel::tr("region %1: %2;%3;%4;%5 px (blots.csv)")
                     .arg(i + 1)
                     .arg(region.x)
                     .arg(region.y)
                     .arg(region.width)
                     .arg(region.height);
    }
    return lines.join(QLatin1Char('\n'));
}

AnalysisSettings defaultAnalysisSettings() {
    AnalysisSettings settings;
    if (const auto background = parseBackgroundMethod(kDefaultBackground.value().toStdString())) {
        settings.background = *background;
    }
    if (const auto polarity = parsePolarityMode(kDefaultPolarity.value().toStdString())) {
        settings.inspection.polarity = *polarity;
    }
    settings.expectedLanes = std::max(0, kDefaultLanes.value());
    return settings;
}

AnalysisSettingsPanel::AnalysisSettingsPanel(ProjectDocument& document, QWidget* parent)
    : QWidget(parent), m_document(document), m_ui(std::make_unique<Ui::AnalysisSettingsPanel>()) {
    m_ui->setupUi(this);
    m_ui->backgroundCombo->addItem(tr("Border median (LI-COR style)"));
    m_ui->backgroundCombo->addItem(tr("Rolling ball (ImageJ)"));
    m_ui->backgroundCombo->addItem(tr("Lane baseline (rubber band)"));
    m_ui->backgroundCombo->addItem(tr("None"));
    m_ui->polarityCombo->addItem(tr("Decided from the pixels"));
    m_ui->polarityCombo->addItem(tr("Light on dark (raw chemiluminescence)"));
    m_ui->polarityCombo->addItem(tr("Dark on light (film, inverted, stain)"));
    // As narrow as a short entry, not the longest: the side panel leaves the blot and the
    // results their width (the open list shows every entry whole).
    for (QComboBox* combo : {m_ui->backgroundCombo, m_ui->polarityCombo}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(kComboMinimumCharacters);
    }
    // What was asked of detection beyond the controls above: per-strip lane counts (Set Lane
    // Count, Set Lane Grid) and the layout's strips and regions.
    m_requestedCaption = new QLabel(tr("Requested"), this);
    m_requestedValue = new QLabel(this);
    m_requestedValue->setObjectName(QStringLiteral("requestedValue"));
    m_requestedValue->setWordWrap(true);
    m_requestedValue->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_ui->formLayout->addRow(m_requestedCaption, m_requestedValue);

    connect(m_ui->backgroundCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateParameterControls();
        applyToCurrentImage();
    });
    connect(m_ui->automaticCheck, &QCheckBox::toggled, this, [this] {
        updateParameterControls();
        applyToCurrentImage();
    });
    connect(m_ui->parameterSpin, &QDoubleSpinBox::valueChanged, this,
            &AnalysisSettingsPanel::applyToCurrentImage);
    connect(m_ui->polarityCombo, &QComboBox::currentIndexChanged, this,
            &AnalysisSettingsPanel::applyToCurrentImage);
    connect(m_ui->lanesSpin, &QSpinBox::valueChanged, this,
            &AnalysisSettingsPanel::applyToCurrentImage);
    connect(m_ui->applyAllButton, &QPushButton::clicked, this,
            &AnalysisSettingsPanel::applyToAllImages);
    connect(m_ui->saveDefaultButton, &QPushButton::clicked, this,
            &AnalysisSettingsPanel::saveAsDefault);

    connect(&document, &ProjectDocument::currentImageChanged, this,
            &AnalysisSettingsPanel::syncFromDocument);
    connect(&document, &ProjectDocument::imagesChanged, this,
            &AnalysisSettingsPanel::syncFromDocument);
    connect(&document, &ProjectDocument::imageChanged, this, [this](int image) {
        if (image == m_document.currentImage()) {
            syncFromDocument();
        }
    });
    syncFromDocument();
}

AnalysisSettingsPanel::~AnalysisSettingsPanel() = default;

AnalysisSettings AnalysisSettingsPanel::settingsFromControls(const AnalysisSettings& base) const {
    AnalysisSettings settings = base;
    const int backgroundIndex = std::max(0, m_ui->backgroundCombo->currentIndex());
    settings.background.kind = kBackgroundKinds[backgroundIndex];
    settings.background.parameterPx.reset();
    if (hasParameter(settings.background.kind) && !m_ui->automaticCheck->isChecked()) {
        settings.background.parameterPx = m_ui->parameterSpin->value();
    }
    settings.inspection.polarity = kPolarityModes[std::max(0, m_ui->polarityCombo->currentIndex())];
    settings.expectedLanes = m_ui->lanesSpin->value();
    return settings;
}

void AnalysisSettingsPanel::updateParameterControls() {
    const BackgroundKind kind =
        kBackgroundKinds[std::max(0, m_ui->backgroundCombo->currentIndex())];
    const bool isUsed = hasParameter(kind);
    m_ui->parameterCaption->setText(kind == BackgroundKind::RollingBall ? tr("Ball radius")
                                                                        : tr("Border width"));
    m_ui->parameterCaption->setEnabled(isUsed);
    m_ui->automaticCheck->setEnabled(isUsed);
    m_ui->parameterSpin->setEnabled(isUsed && !m_ui->automaticCheck->isChecked());
}

void AnalysisSettingsPanel::syncFromDocument() {
    const int image = m_document.currentImage();
    const bool hasImage = image >= 0 && image < m_document.imageCount();
    const AnalysisSettings settings =
        hasImage ? m_document.image(image).settings : m_document.settings();
    m_isSyncing = true;
    m_ui->backgroundCombo->setCurrentIndex(indexOf(kBackgroundKinds, settings.background.kind));
    m_ui->automaticCheck->setChecked(!settings.background.parameterPx.has_value());
    if (settings.background.parameterPx) {
        m_ui->parameterSpin->setValue(*settings.background.parameterPx);
    }
    m_ui->polarityCombo->setCurrentIndex(indexOf(kPolarityModes, settings.inspection.polarity));
    m_ui->lanesSpin->setValue(settings.expectedLanes);
    const QString requested = requestedText(settings);
    m_requestedValue->setText(requested);
    m_requestedCaption->setVisible(!requested.isEmpty());
    m_requestedValue->setVisible(!requested.isEmpty());
    const QString used =
        hasImage ? toQString(m_document.analysis(image).backgroundMethod) : QString();
    m_ui->usedValue->setText(used.isEmpty() ? tr("-") : used);
    m_ui->applyAllButton->setEnabled(m_document.imageCount() > 1);
    updateParameterControls();
    m_isSyncing = false;
}

void AnalysisSettingsPanel::applyToCurrentImage() {
    if (m_isSyncing) {
        return;
    }
    const int image = m_document.currentImage();
    if (image < 0 || image >= m_document.imageCount()) {
        m_document.setDefaultSettings(settingsFromControls(m_document.settings()));
        return;
    }
    const AnalysisSettings settings = settingsFromControls(m_document.image(image).settings);
    if (settings != m_document.image(image).settings) {
        m_document.setImageSettings(image, settings);
    }
}

void AnalysisSettingsPanel::applyToAllImages() {
    // One undo step for the whole change.
    m_document.undoStack()->beginMacro(tr("Apply Settings to All Images"));
    for (int image = 0; image < m_document.imageCount(); ++image) {
        const AnalysisSettings settings = settingsFromControls(m_document.image(image).settings);
        if (settings != m_document.image(image).settings) {
            m_document.setImageSettings(image, settings);
        }
    }
    m_document.undoStack()->endMacro();
}

void AnalysisSettingsPanel::saveAsDefault() {
    const AnalysisSettings settings = settingsFromControls(AnalysisSettings{});
    kDefaultBackground.setValue(toQString(toString(settings.background)));
    kDefaultPolarity.setValue(QString::fromLatin1(toString(settings.inspection.polarity)));
    kDefaultLanes.setValue(settings.expectedLanes);
    m_document.setDefaultSettings(settingsFromControls(m_document.settings()));
}

} // namespace densito
