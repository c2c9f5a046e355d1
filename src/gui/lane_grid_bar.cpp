#include "gui/lane_grid_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>

namespace densito {
namespace {

/// More lanes than any comb casts; the core refuses grids whose lanes would be too close.
constexpr int kMaxLanes = 200;

} // namespace

LaneGridBar::LaneGridBar(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("laneGridBar"));
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("laneGridMessage"));
    // The window's width never follows the hint: it is cut where the window ends (the tooltip
    // has it whole).
    m_message->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* countLabel = new QLabel(tr("&Lanes:"), this);
    m_count = new QSpinBox(this);
    m_count->setObjectName(QStringLiteral("laneGridCount"));
    m_count->setRange(2, kMaxLanes);
    m_count->setAccessibleName(tr("Number of lanes"));
    countLabel->setBuddy(m_count);
    m_apply = new QPushButton(tr("&Apply"), this);
    m_apply->setObjectName(QStringLiteral("laneGridApply"));
    m_apply->setToolTip(tr("Set the lanes and detect their bands again (Enter)"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("laneGridCancel"));
    m_cancel->setToolTip(tr("Leave the lanes as they are (Esc)"));
    // Enter belongs to the window's Apply shortcut, not to a default button.
    for (QPushButton* button : {m_apply, m_cancel}) {
        button->setAutoDefault(false);
        button->setFocusPolicy(Qt::TabFocus);
    }
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_message, 1);
    layout->addWidget(countLabel);
    layout->addWidget(m_count);
    layout->addWidget(m_apply);
    layout->addWidget(m_cancel);
    connect(m_count, &QSpinBox::valueChanged, this, &LaneGridBar::countEdited);
    connect(m_apply, &QPushButton::clicked, this, &LaneGridBar::applyClicked);
    connect(m_cancel, &QPushButton::clicked, this, &LaneGridBar::cancelClicked);
}

void LaneGridBar::begin(int strip, int count) {
    m_hint = tr("Lane grid on strip %1: drag the first and the last lane onto the outer lanes, "
                "type the number of lanes, press Enter (Esc cancels)")
                 .arg(strip);
    showHint();
    setCount(count);
    m_count->setFocus(Qt::OtherFocusReason);
    m_count->selectAll();
}

void LaneGridBar::setCount(int count) {
    const QSignalBlocker blocker(m_count);
    m_count->setValue(count);
}

int LaneGridBar::count() const {
    return m_count->value();
}

void LaneGridBar::showProblem(const QString& problem) {
    m_message->setText(problem);
    m_message->setToolTip(problem);
    m_message->setStyleSheet(QStringLiteral("color: #c62828;"));
}

void LaneGridBar::showHint() {
    m_message->setText(m_hint);
    m_message->setToolTip(m_hint);
    m_message->setStyleSheet({});
}

QString LaneGridBar::message() const {
    return m_message->text();
}

} // namespace densito
