#include "gui/flow_layout.h"

#include <QStyle>
#include <QWidget>

#include <algorithm>

namespace densito {

FlowLayout::FlowLayout(QWidget* parent, int horizontalSpacing, int verticalSpacing)
    : QLayout(parent), m_horizontalSpacing(horizontalSpacing), m_verticalSpacing(verticalSpacing) {
    setContentsMargins(0, 0, 0, 0);
}

FlowLayout::~FlowLayout() {
    while (QLayoutItem* item = takeAt(0)) {
        delete item;
    }
}

void FlowLayout::addItem(QLayoutItem* item) {
    m_items.append(item);
}

int FlowLayout::count() const {
    return static_cast<int>(m_items.size());
}

QLayoutItem* FlowLayout::itemAt(int index) const {
    return m_items.value(index);
}

QLayoutItem* FlowLayout::takeAt(int index) {
    return index >= 0 && index < m_items.size() ? m_items.takeAt(index) : nullptr;
}

Qt::Orientations FlowLayout::expandingDirections() const {
    return {};
}

bool FlowLayout::hasHeightForWidth() const {
    return true;
}

int FlowLayout::heightForWidth(int width) const {
    return arrange(QRect(0, 0, width, 0), true);
}

void FlowLayout::setGeometry(const QRect& rect) {
    QLayout::setGeometry(rect);
    arrange(rect, false);
}

QSize FlowLayout::sizeHint() const {
    // One line when there is room for it.
    QSize size;
    for (const QLayoutItem* item : m_items) {
        if (!item->isEmpty()) {
            size.rwidth() +=
                item->sizeHint().width() + (size.width() > 0 ? horizontalSpacing() : 0);
            size.setHeight(std::max(size.height(), item->sizeHint().height()));
        }
    }
    const QMargins margins = contentsMargins();
    return size.grownBy(margins);
}

QSize FlowLayout::minimumSize() const {
    // The widest item: narrower than that, something is clipped whatever the wrapping.
    QSize size;
    for (const QLayoutItem* item : m_items) {
        if (!item->isEmpty()) {
            size = size.expandedTo(item->minimumSize());
        }
    }
    const QMargins margins = contentsMargins();
    return size.grownBy(margins);
}

int FlowLayout::horizontalSpacing() const {
    return m_horizontalSpacing >= 0 ? m_horizontalSpacing
                                    : styleSpacing(QStyle::PM_LayoutHorizontalSpacing);
}

int FlowLayout::verticalSpacing() const {
    return m_verticalSpacing >= 0 ? m_verticalSpacing
                                  : styleSpacing(QStyle::PM_LayoutVerticalSpacing);
}

int FlowLayout::styleSpacing(QStyle::PixelMetric metric) const {
    // Qt's usual layout spacing, for a layout not yet on a widget or a style (Fusion) that
    // leaves spacing to the pair of controls.
    constexpr int kFallbackSpacingPx = 6;
    const QWidget* widget = parentWidget();
    const int spacing =
        widget != nullptr ? widget->style()->pixelMetric(metric, nullptr, widget) : -1;
    return spacing >= 0 ? spacing : kFallbackSpacingPx;
}

int FlowLayout::arrange(const QRect& rect, bool isDryRun) const {
    const QRect area = rect.marginsRemoved(contentsMargins());
    int x = area.x();
    int y = area.y();
    int lineHeight = 0;
    const int across = horizontalSpacing();
    const int down = verticalSpacing();
    for (QLayoutItem* item : m_items) {
        if (item->isEmpty()) {
            continue;
        }
        const QSize hint = item->sizeHint().expandedTo(item->minimumSize());
        if (x > area.x() && x + hint.width() > area.right() + 1) {
            x = area.x();
            y += lineHeight + down;
            lineHeight = 0;
        }
        if (!isDryRun) {
            item->setGeometry(
                QRect(QPoint(x, y), QSize(std::min(hint.width(), area.width()), hint.height())));
        }
        x += hint.width() + across;
        lineHeight = std::max(lineHeight, hint.height());
    }
    const QMargins margins = contentsMargins();
    return y + lineHeight - rect.y() + margins.bottom();
}

} // namespace densito
