#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;

namespace densito {

/// The status-bar controls of a lane grid being placed: what to do, the lane count, Apply and
/// Cancel. Shows and edits; LaneGridTool decides what the values mean.
class LaneGridBar : public QWidget {
    Q_OBJECT

public:
    explicit LaneGridBar(QWidget* parent = nullptr);

    /// Shows the hint for strip `strip` (1-based) and puts `count` in the count box without
    /// emitting countEdited(); the count box takes the focus, its text selected, so that typing
    /// replaces it.
    void begin(int strip, int count);
    /// Puts `count` in the count box without emitting countEdited().
    void setCount(int count);
    int count() const;
    /// Shows why the last change was refused in place of the hint, until showHint().
    void showProblem(const QString& problem);
    void showHint();
    /// The text now shown (hint or problem).
    QString message() const;

signals:
    void countEdited(int count);
    void applyClicked();
    void cancelClicked();

private:
    QLabel* m_message = nullptr;
    QSpinBox* m_count = nullptr;
    QPushButton* m_apply = nullptr;
    QPushButton* m_cancel = nullptr;
    QString m_hint;
};

} // namespace densito
