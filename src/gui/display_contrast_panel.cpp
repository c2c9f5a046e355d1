#include "gui/display_contrast_panel.h"

#include "document/blot_document.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

#include <limits>

namespace densito {

DisplayContrastPanel::DisplayContrastPanel(BlotDocument& document, QWidget* parent)
    : QWidget(parent), m_document(document) {
    auto* form = new QFormLayout(this);
    const auto makeRawSpin = [this] {
        auto* spin = new QDoubleSpinBox(this);
        spin->setDecimals(1);
        spin->setRange(-std::numeric_limits<float>::max(), std::numeric_limits<float>::max());
        spin->setKeyboardTracking(false);
        spin->setToolTip(tr("Raw stored value"));
        return spin;
    };
    m_low = makeRawSpin();
    m_low->setObjectName(QStringLiteral("contrastLow"));
    m_high = makeRawSpin();
    m_high->setObjectName(QStringLiteral("contrastHigh"));
    m_gamma = new QDoubleSpinBox(this);
    m_gamma->setObjectName(QStringLiteral("contrastGamma"));
    m_gamma->setRange(0.1, 5.0);
    m_gamma->setSingleStep(0.1);
    m_gamma->setDecimals(2);
    m_gamma->setValue(1.0);
    m_gamma->setKeyboardTracking(false);
    m_gamma->setToolTip(tr("Below 1 brightens faint signal; 1 is linear"));
    m_auto = new QPushButton(tr("Auto"), this);
    m_auto->setObjectName(QStringLiteral("contrastAuto"));
    m_auto->setToolTip(tr("From the image's 0.5th to 99.9th percentile, linear"));
    form->addRow(tr("Black at"), m_low);
    form->addRow(tr("White at"), m_high);
    form->addRow(tr("Gamma"), m_gamma);
    auto* note = new QLabel(tr("Display only: the numbers never change."), this);
    note->setWordWrap(true);
    note->setStyleSheet(QStringLiteral("color: palette(mid);"));
    form->addRow(m_auto, note);

    for (QDoubleSpinBox* spin : {m_low, m_high, m_gamma}) {
        connect(spin, &QDoubleSpinBox::valueChanged, this, &DisplayContrastPanel::applyControls);
    }
    connect(m_auto, &QPushButton::clicked, &m_document, &BlotDocument::setAutomaticDisplayRange);
    connect(&m_document, &BlotDocument::displayChanged, this,
            &DisplayContrastPanel::syncFromDocument);
    syncFromDocument();
}

void DisplayContrastPanel::syncFromDocument() {
    const DisplayRange range = m_document.displayRange();
    m_isSyncing = true;
    setEnabled(m_document.hasImage());
    m_low->setValue(range.lowRaw);
    m_high->setValue(range.highRaw);
    m_gamma->setValue(range.gamma);
    m_auto->setEnabled(!m_document.isDisplayRangeAutomatic());
    m_isSyncing = false;
}

void DisplayContrastPanel::applyControls() {
    if (m_isSyncing) {
        return;
    }
    m_document.setDisplayRange({m_low->value(), m_high->value(), m_gamma->value()});
}

} // namespace densito
