#pragma once

#include <QLayout>
#include <QList>
#include <QStyle>

namespace densito {

/// Lays its items out left to right and wraps onto a new line when the next item would not
/// fit the width, like words in a paragraph (after Qt's Flow Layout example): a row of
/// controls that stays whole in a narrow panel instead of being clipped. Reports its height
/// for a width (hasHeightForWidth), so a QScrollArea or a dock gives it the lines it needs.
/// Items keep their size hints; spacing comes from the style unless set.
class FlowLayout : public QLayout {
public:
    explicit FlowLayout(QWidget* parent = nullptr, int horizontalSpacing = -1,
                        int verticalSpacing = -1);
    ~FlowLayout() override;

    void addItem(QLayoutItem* item) override;
    int count() const override;
    QLayoutItem* itemAt(int index) const override;
    QLayoutItem* takeAt(int index) override;
    Qt::Orientations expandingDirections() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect& rect) override;

    int horizontalSpacing() const;
    int verticalSpacing() const;

private:
    /// Places the items in `rect` (only measures when `isDryRun`); returns the height used.
    int arrange(const QRect& rect, bool isDryRun) const;
    int styleSpacing(QStyle::PixelMetric metric) const;

    QList<QLayoutItem*> m_items;
    int m_horizontalSpacing;
    int m_verticalSpacing;
};

} // namespace densito
