#pragma once

#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QPushButton;

namespace densito {

class BlotDocument;

/// Display contrast of the shown image: the raw values shown black and white, the gamma
/// between them, and Auto (robust percentiles). Changes only the picture on screen, never a
/// measured number.
class DisplayContrastPanel : public QWidget {
    Q_OBJECT

public:
    explicit DisplayContrastPanel(BlotDocument& document, QWidget* parent = nullptr);

private:
    void syncFromDocument();
    void applyControls();

    BlotDocument& m_document;
    QDoubleSpinBox* m_low = nullptr;
    QDoubleSpinBox* m_high = nullptr;
    QDoubleSpinBox* m_gamma = nullptr;
    QPushButton* m_auto = nullptr;
    bool m_isSyncing = false;
};

} // namespace densito
