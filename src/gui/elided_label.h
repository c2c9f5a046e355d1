#pragma once

#include <QLabel>
#include <QString>

namespace densito {

/// A one-line label for long values without spaces (file names, hashes): shows as much as
/// fits, elided in the middle, with the full text in the tooltip and a "Copy" context menu
/// entry that copies the full text. Its width comes from the layout, never from the text.
class ElidedLabel : public QLabel {
    Q_OBJECT

public:
    explicit ElidedLabel(QWidget* parent = nullptr);

    void setFullText(const QString& text);
    const QString& fullText() const { return m_fullText; }

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateElidedText();

    QString m_fullText;
};

} // namespace densito
