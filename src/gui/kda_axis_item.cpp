#include "gui/kda_axis_item.h"

#include "gui/geometry_overlay.h"

#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QPainter>

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

namespace densito {
namespace {

/// Tick length and the gap between tick and label (screen pixels): visible at a glance,
/// short enough to leave the lanes clear.
constexpr double kTickScreenPx = 7.0;
constexpr double kGapScreenPx = 3.0;
/// Padding of a label's backdrop (screen pixels), so text stays legible over dark bands.
constexpr double kPadScreenPx = 2.0;
/// A dark blue: apart from the lanes' light blue, the bands' flag colours and the grey blot.
const QColor kAxisColour(0x15, 0x65, 0xc0);
/// Mostly opaque white behind the text: readable over a dark blot, the blot still shows.
const QColor kBackdropColour(255, 255, 255, 215);
/// Tick width (screen pixels): heavier than the 1 px lane lines, so the axis reads as one.
constexpr double kTickWidthScreenPx = 1.5;
/// The labels' point size: one below the application's, not under 8 pt, small enough to
/// leave the lanes clear and still legible.
constexpr double kMinLabelPointSize = 8.0;

} // namespace

KdaAxisItem::KdaAxisItem(std::vector<MassTick> ticks, Side side, double edgeXPx)
    : m_ticks(std::move(ticks)), m_side(side), m_edgeXPx(edgeXPx) {
    // Above the lanes and bands: the axis is read, not edited.
    setZValue(4);
    setAcceptedMouseButtons(Qt::NoButton);
    m_font.setPointSizeF(std::max(kMinLabelPointSize, m_font.pointSizeF() - 1.0));
}

QString KdaAxisItem::labelText(double kda) {
    return QStringLiteral("%1 kDa").arg(QString::number(kda, 'g', 4));
}

std::vector<KdaAxisItem::Label> KdaAxisItem::shownLabels() const {
    std::vector<Label> labels;
    const double unit = scenePerScreenPixel(*this);
    const QFontMetricsF metrics(m_font);
    const double height = (metrics.height() + 2 * kPadScreenPx) * unit;
    const double direction = outward();
    const double edge = edgeScene();
    // The part of the scene the view shows, to keep the labels in it.
    std::optional<QRectF> visible;
    if (scene() != nullptr && !scene()->views().isEmpty()) {
        const QGraphicsView* view = scene()->views().first();
        visible = view->mapToScene(view->viewport()->rect()).boundingRect();
    }
    double lowestBottom = -std::numeric_limits<double>::infinity();
    for (const MassTick& tick : m_ticks) {
        const QString text = labelText(tick.kda);
        const double width = (metrics.horizontalAdvance(text) + 2 * kPadScreenPx) * unit;
        const double inner = edge + direction * (kTickScreenPx + kGapScreenPx) * unit;
        double left = direction < 0 ? inner - width : inner;
        if (visible) {
            left = direction < 0 ? std::max(left, visible->left() + kPadScreenPx * unit)
                                 : std::min(left, visible->right() - width - kPadScreenPx * unit);
        }
        const double centreY = tick.yPx + 0.5;
        const QRectF rect(left, centreY - 0.5 * height, width, height);
        if (rect.top() < lowestBottom) {
            continue;
        }
        lowestBottom = rect.bottom();
        labels.push_back({text, tick.kda, rect});
    }
    return labels;
}

void KdaAxisItem::viewMoved() {
    prepareGeometryChange();
    update();
}

QRectF KdaAxisItem::boundingRect() const {
    if (m_ticks.empty()) {
        return {};
    }
    const double unit = scenePerScreenPixel(*this);
    const double tick = kTickScreenPx * unit;
    QRectF rect(edgeScene() - tick, m_ticks.front().yPx, 2 * tick,
                m_ticks.back().yPx - m_ticks.front().yPx + 1.0);
    for (const Label& label : shownLabels()) {
        rect = rect.united(label.sceneRect);
    }
    return rect.adjusted(-unit, -unit, unit, unit);
}

void KdaAxisItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const double unit = scenePerScreenPixel(*this);
    const double direction = outward();
    const double edge = edgeScene();
    painter->setRenderHint(QPainter::Antialiasing);
    QPen pen(kAxisColour, kTickWidthScreenPx * unit);
    painter->setPen(pen);
    for (const MassTick& tick : m_ticks) {
        const double y = tick.yPx + 0.5;
        painter->drawLine(QPointF(edge, y), QPointF(edge + direction * kTickScreenPx * unit, y));
    }
    // Text at its screen size: draw in screen units, scaled back from the view's zoom.
    for (const Label& label : shownLabels()) {
        painter->save();
        painter->translate(label.sceneRect.topLeft());
        painter->scale(unit, unit);
        const QRectF box(0, 0, label.sceneRect.width() / unit, label.sceneRect.height() / unit);
        painter->setPen(Qt::NoPen);
        painter->setBrush(kBackdropColour);
        painter->drawRoundedRect(box, 2, 2);
        painter->setPen(kAxisColour.darker(130));
        painter->setFont(m_font);
        painter->drawText(box, Qt::AlignCenter, label.text);
        painter->restore();
    }
}

} // namespace densito
