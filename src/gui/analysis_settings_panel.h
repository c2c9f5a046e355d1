#pragma once

#include "core/pipeline/image_analysis.h"

#include <QWidget>

class QLabel;

#include <memory>

namespace Ui {
class AnalysisSettingsPanel;
}

namespace densito {

class ProjectDocument;

/// The analysis settings of the current image (background method and its parameter, band
/// polarity, lanes per strip, and what else was requested: per-strip lane counts, the
/// layout's strips and regions), edited in place: each change is one undoable document edit
/// (a new background re-measures; polarity or lane count detect again). Shows the background
/// method the measurement actually used. "Save as Default" keeps the settings in QSettings for
/// images opened later (defaultAnalysisSettings()).
class AnalysisSettingsPanel : public QWidget {
    Q_OBJECT

public:
    explicit AnalysisSettingsPanel(ProjectDocument& document, QWidget* parent = nullptr);
    ~AnalysisSettingsPanel() override;

    /// The settings the controls show, on top of `base` (fields the panel does not edit are
    /// kept from it).
    AnalysisSettings settingsFromControls(const AnalysisSettings& base) const;

private:
    void syncFromDocument();
    void applyToCurrentImage();
    void applyToAllImages();
    void saveAsDefault();
    void updateParameterControls();

    ProjectDocument& m_document;
    std::unique_ptr<Ui::AnalysisSettingsPanel> m_ui;
    QLabel* m_requestedCaption = nullptr;
    QLabel* m_requestedValue = nullptr; ///< "requestedValue"
    bool m_isSyncing = false;
};

/// What the settings ask of detection beyond one lane count for all strips, a line each:
/// "strip 1: 16 lanes" (Set Lane Count, Set Lane Grid), "2 strips (blots.csv)", "region 1:
/// 10;20;300;400 px (blots.csv)"; empty when they ask nothing of that kind.
QString requestedText(const AnalysisSettings& settings);

/// The settings new images are analysed with: the saved default preset, else the command
/// line's defaults (border-median with automatic width, automatic polarity and lane count).
AnalysisSettings defaultAnalysisSettings();

} // namespace densito
