#include "gui/profile_panel.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QGraphicsSimpleTextItem>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QStackedLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace densito {
namespace {

const QColor kProfileColour(31, 78, 121);
const QColor kBackgroundColour(110, 110, 110);
const QColor kBandColour(46, 160, 110);
const QColor kFlaggedColour(214, 39, 40);
constexpr int kFillAlpha = 85;

/// A "nice" step (1, 2 or 5 times a power of ten) that cuts `span` into about `parts`.
double niceStep(double span, int parts) {
    const double raw = span / parts;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double factor : {1.0, 2.0, 5.0}) {
        if (factor * power >= raw) {
            return factor * power;
        }
    }
    return 10.0 * power;
}

/// The panel's text size: one point below the widget's, for a small dock.
QFont smallFontOf(const QFont& font) {
    QFont small = font;
    small.setPointSizeF(std::max(7.0, font.pointSizeF() - 1.0));
    return small;
}

/// Hides a series' legend entry: one entry per kind of line or area is enough.
void hideFromLegend(QChart* chart, QAbstractSeries* series) {
    for (QLegendMarker* marker : chart->legend()->markers(series)) {
        marker->setVisible(false);
    }
}

QLineSeries* lineOf(const std::vector<double>& values, int firstRow, QObject* parent) {
    QList<QPointF> points;
    points.reserve(static_cast<qsizetype>(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i) {
        points.append(QPointF(firstRow + static_cast<double>(i), values[i]));
    }
    auto* series = new QLineSeries(parent);
    series->replace(points);
    return series;
}

/// A non-negative integer in superscript digits ("6" -> "\u2076").
QString superscript(int value) {
    static const QString digits =
        QStringLiteral("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079");
    QString text;
    for (const QChar digit : QString::number(value)) {
        text += digits[digit.digitValue()];
    }
    return text;
}

} // namespace

ProfilePanel::ProfilePanel(QWidget* parent) : QWidget(parent) {
    m_stack = new QStackedLayout(this);
    m_stack->setContentsMargins(0, 0, 0, 0);
    m_placeholder = new QLabel(tr("Select a lane to see its profile"), this);
    m_placeholder->setObjectName(QStringLiteral("profilePlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setStyleSheet(QStringLiteral("color: palette(mid);"));

    m_chart = new QChart();
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(4, 2, 6, 2));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->legend()->setAlignment(Qt::AlignTop);
    m_chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    const QFont small = smallFontOf(font());
    QFont bold = small;
    bold.setBold(true);
    m_chart->setTitleFont(bold);
    m_chart->legend()->setFont(small);
    m_view = new QChartView(m_chart, this);
    m_view->setObjectName(QStringLiteral("profileChart"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setMinimumSize(240, 160);
    connect(m_chart, &QChart::plotAreaChanged, this, [this] {
        placeKdaLabels();
        placeBandLabels();
    });

    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_view);
    applyPalette();
    clear();
}

QSize ProfilePanel::sizeHint() const {
    return {400, 250};
}

void ProfilePanel::clear() {
    for (const BandLabel& label : m_bandLabels) {
        delete label.item;
    }
    m_bandLabels.clear();
    m_massTicks.clear();
    m_kdaAxis = nullptr;
    m_chart->removeAllSeries();
    for (QAbstractAxis* axis : m_chart->axes()) {
        m_chart->removeAxis(axis);
        delete axis;
    }
    m_chart->setTitle(QString());
    m_stack->setCurrentWidget(m_placeholder);
}

void ProfilePanel::setProfile(const LaneProfile& profile, const QString& title,
                              const std::vector<MassTick>& massTicks) {
    clear();
    if (profile.signal.empty()) {
        return;
    }
    m_chart->setTitle(title);
    const QFont smallFont = smallFontOf(font());
    const int top = profile.topPx;
    double low = 0.0;
    double high = 0.0;
    auto include = [&](double value) {
        if (std::isfinite(value)) {
            low = std::min(low, value);
            high = std::max(high, value);
        }
    };

    // Areas first, so that the lines are drawn over them.
    bool hasBandEntry = false;
    bool hasFlaggedEntry = false;
    std::vector<QAbstractSeries*> added;
    for (const LaneProfileBand& band : profile.bands) {
        const bool isFlagged = (band.flags & (kBandSaturated | kBandWeak)) != 0;
        const QColor colour = isFlagged ? kFlaggedColour : kBandColour;
        auto* area = new QAreaSeries(lineOf(band.signal, band.topPx, m_chart),
                                     lineOf(band.background, band.topPx, m_chart));
        // An area does not own its bounding lines; removing the area must delete them too.
        area->upperSeries()->setParent(area);
        area->lowerSeries()->setParent(area);
        area->setName(isFlagged ? tr("Flagged band") : tr("Integrated band"));
        QColor fill = colour;
        fill.setAlpha(kFillAlpha);
        area->setBrush(fill);
        area->setPen(QPen(fill.darker(110), 0.8));
        m_chart->addSeries(area);
        added.push_back(area);
        // A filled square: Qt draws an area's own marker shape hollow and cuts its label short.
        for (QLegendMarker* marker : m_chart->legend()->markers(area)) {
            marker->setShape(QLegend::MarkerShapeRectangle);
        }
        bool& hasEntry = isFlagged ? hasFlaggedEntry : hasBandEntry;
        if (hasEntry) {
            hideFromLegend(m_chart, area);
        }
        hasEntry = true;
        double bandTop = -std::numeric_limits<double>::infinity();
        for (const double value : band.signal) {
            include(value);
            bandTop = std::max(bandTop, value);
        }
        for (const double value : band.background) {
            include(value);
        }
        if (band.signal.empty()) {
            continue;
        }
        auto* label = new QGraphicsSimpleTextItem(QString::number(band.row), m_chart);
        label->setZValue(10);
        label->setFont(smallFont);
        label->setToolTip(tr("Band row %1").arg(band.row));
        m_bandLabels.push_back({QPointF(band.peakYPx, bandTop), label});
    }

    // The background in runs of defined rows (border-median has none away from bands).
    QPen backgroundPen(kBackgroundColour, 1.3, Qt::DashLine);
    bool hasBackgroundEntry = false;
    std::size_t i = 0;
    while (i < profile.background.size()) {
        if (!std::isfinite(profile.background[i])) {
            ++i;
            continue;
        }
        const std::size_t first = i;
        while (i < profile.background.size() && std::isfinite(profile.background[i])) {
            include(profile.background[i]);
            ++i;
        }
        QLineSeries* segment = lineOf(
            std::vector<double>(profile.background.begin() + static_cast<std::ptrdiff_t>(first),
                                profile.background.begin() + static_cast<std::ptrdiff_t>(i)),
            top + static_cast<int>(first), m_chart);
        segment->setName(tr("Background"));
        segment->setPen(backgroundPen);
        m_chart->addSeries(segment);
        added.push_back(segment);
        if (hasBackgroundEntry) {
            hideFromLegend(m_chart, segment);
        }
        hasBackgroundEntry = true;
    }

    QLineSeries* line = lineOf(profile.signal, top, m_chart);
    line->setName(tr("Profile"));
    line->setPen(QPen(kProfileColour, 1.6));
    m_chart->addSeries(line);
    added.push_back(line);
    for (const double value : profile.signal) {
        include(value);
    }

    auto* xAxis = new QValueAxis(m_chart);
    xAxis->setTitleText(tr("Row (px)"));
    const int bottom = profile.bottomPx();
    xAxis->setRange(top, std::max(bottom, top + 1));
    xAxis->setLabelFormat(QStringLiteral("%d"));
    xAxis->setTickType(QValueAxis::TicksDynamic);
    const double xStep = niceStep(std::max(1, bottom - top), 5);
    xAxis->setTickAnchor(std::ceil(top / xStep) * xStep);
    xAxis->setTickInterval(xStep);
    xAxis->setMinorTickCount(0);

    // Signal sums reach millions: labels in units of 10^3k keep them short, the raw values
    // stay in the series.
    if (high <= low) {
        high = low + 1.0;
    }
    const double yStep = niceStep(high - low, 5);
    const double yLow = std::floor(low / yStep) * yStep;
    // Headroom for the band labels above the highest peak.
    const double yHigh = std::ceil((high + 0.12 * (high - low)) / yStep) * yStep;
    const int exponent =
        3 * static_cast<int>(std::floor(std::log10(std::max(std::abs(yLow), yHigh)) / 3.0));
    const double scale = exponent > 0 ? std::pow(10.0, exponent) : 1.0;
    auto* yAxis = new QCategoryAxis(m_chart);
    yAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    yAxis->setRange(yLow, yHigh);
    yAxis->setStartValue(yLow);
    const QLocale locale;
    for (double value = yLow; value <= yHigh + 0.5 * yStep; value += yStep) {
        const double shown = std::abs(value) < 0.5 * yStep ? 0.0 : value / scale;
        yAxis->append(locale.toString(shown, 'g', 4), value);
    }
    yAxis->setTitleText(exponent > 0 ? tr("Signal (\u00d710%1)").arg(superscript(exponent))
                                     : tr("Signal"));

    for (QAbstractAxis* axis :
         {static_cast<QAbstractAxis*>(xAxis), static_cast<QAbstractAxis*>(yAxis)}) {
        axis->setLabelsFont(smallFont);
        axis->setTitleFont(smallFont);
    }
    m_chart->addAxis(xAxis, Qt::AlignBottom);
    m_chart->addAxis(yAxis, Qt::AlignLeft);
    for (QAbstractSeries* series : added) {
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    for (const MassTick& tick : massTicks) {
        if (tick.yPx >= top && tick.yPx <= std::max(bottom, top + 1)) {
            m_massTicks.push_back(tick);
        }
    }
    if (!m_massTicks.empty()) {
        // The same rows as the x axis, read as masses: a second scale over the plot.
        m_kdaAxis = new QCategoryAxis(m_chart);
        m_kdaAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        m_kdaAxis->setRange(xAxis->min(), xAxis->max());
        m_kdaAxis->setStartValue(xAxis->min());
        m_kdaAxis->setTitleText(tr("kDa"));
        m_kdaAxis->setLabelsFont(smallFont);
        m_kdaAxis->setTitleFont(smallFont);
        m_kdaAxis->setGridLineVisible(false);
        m_chart->addAxis(m_kdaAxis, Qt::AlignTop);
        added.front()->attachAxis(m_kdaAxis);
    }
    applyPalette();
    m_stack->setCurrentWidget(m_view);
    placeKdaLabels();
    placeBandLabels();
}

std::vector<std::pair<QString, double>> ProfilePanel::kdaLabels() const {
    std::vector<std::pair<QString, double>> labels;
    if (m_kdaAxis != nullptr) {
        for (const QString& label : m_kdaAxis->categoriesLabels()) {
            labels.emplace_back(label, m_kdaAxis->endValue(label));
        }
    }
    return labels;
}

void ProfilePanel::placeKdaLabels() {
    if (m_kdaAxis == nullptr) {
        return;
    }
    const double width = m_chart->plotArea().width();
    const double rows = m_kdaAxis->max() - m_kdaAxis->min();
    if (width <= 0.0 || rows <= 0.0) {
        return;
    }
    // Left to right, a label only where it clears the one before it by a space's width.
    const QFontMetricsF metrics(m_kdaAxis->labelsFont());
    const double gap = metrics.horizontalAdvance(QLatin1Char(' '));
    QStringList shown;
    std::vector<double> values;
    double lastRight = -std::numeric_limits<double>::infinity();
    for (const MassTick& tick : m_massTicks) {
        const QString text = QString::number(tick.kda, 'g', 4);
        const double centre = (tick.yPx - m_kdaAxis->min()) / rows * width;
        const double half = 0.5 * metrics.horizontalAdvance(text);
        if (centre - half < lastRight + gap) {
            continue;
        }
        lastRight = centre + half;
        shown << text;
        values.push_back(tick.yPx);
    }
    // Only a change relabels the axis: relabelling lays the chart out again.
    if (shown == m_kdaAxis->categoriesLabels()) {
        return;
    }
    for (const QString& label : m_kdaAxis->categoriesLabels()) {
        m_kdaAxis->remove(label);
    }
    for (qsizetype i = 0; i < shown.size(); ++i) {
        m_kdaAxis->append(shown[i], values[static_cast<std::size_t>(i)]);
    }
}

void ProfilePanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPalette();
    }
}

void ProfilePanel::applyPalette() {
    const QPalette& colours = palette();
    const QColor text = colours.color(QPalette::Text);
    QColor grid = colours.color(QPalette::Mid);
    grid.setAlpha(70);
    m_chart->setBackgroundBrush(colours.brush(QPalette::Base));
    m_chart->setTitleBrush(text);
    m_chart->legend()->setLabelColor(text);
    for (QAbstractAxis* axis : m_chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(colours.color(QPalette::Mid));
        axis->setGridLineColor(grid);
    }
    for (const BandLabel& label : m_bandLabels) {
        label.item->setBrush(text);
    }
}

void ProfilePanel::placeBandLabels() {
    const QList<QAbstractSeries*> series = m_chart->series();
    if (series.isEmpty()) {
        return;
    }
    const QRectF plot = m_chart->plotArea();
    // Above each band's highest point; lifted over a neighbour's label, hidden where there is
    // no room left (close bands in a long lane).
    std::vector<QRectF> placed;
    auto collides = [&](const QRectF& rect) {
        return std::any_of(placed.begin(), placed.end(), [&](const QRectF& other) {
            return rect.adjusted(-2, 0, 2, 0).intersects(other);
        });
    };
    for (const BandLabel& label : m_bandLabels) {
        const QPointF at = m_chart->mapToPosition(label.valuePoint, series.back());
        const QSizeF size = label.item->boundingRect().size();
        const double x =
            std::clamp(at.x() - 0.5 * size.width(), plot.left(), plot.right() - size.width());
        QRectF rect(QPointF(x, std::max(plot.top(), at.y() - size.height() - 2.0)), size);
        while (collides(rect) && rect.top() - size.height() >= plot.top()) {
            rect.translate(0, -size.height());
        }
        const bool isShown = at.x() >= plot.left() && at.x() <= plot.right() && !collides(rect);
        label.item->setPos(rect.topLeft());
        label.item->setVisible(isShown);
        if (isShown) {
            placed.push_back(rect);
        }
    }
}

} // namespace densito
