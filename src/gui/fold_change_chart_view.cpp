#include "gui/fold_change_chart_view.h"

#include "core/io/atomic_file.h"
#include "document/qt_strings.h"

#include <QCursor>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPainter>
#include <QSvgRenderer>
#include <QToolTip>

#include <cmath>
#include <fmt/format.h>

namespace densito {
namespace {

/// How far from a dot's edge the pointer still picks it, in SVG units: dots are 3.5 units,
/// too small to hit exactly with a mouse at the chart's own size.
constexpr double kDotPickMargin = 2.5;

/// Three significant digits, as the summary table and summary.csv's readers see them.
QString number(double value) {
    return toQString(fmt::format("{:.3g}", value));
}

QString conditionText(const ConditionSummary& row) {
    QStringList parts;
    parts << QObject::tr("n = %1").arg(row.n);
    if (row.foldChange) {
        QString foldChange = QObject::tr("fold change %1").arg(number(*row.foldChange));
        if (row.ci95) {
            foldChange +=
                QObject::tr(" (95% CI %1–%2)").arg(number(row.ci95->low), number(row.ci95->high));
        }
        parts << foldChange;
    } else {
        parts << QObject::tr("no fold change");
    }
    if (row.isControl) {
        parts << QObject::tr("control");
    } else if (row.p) {
        parts << QObject::tr("p = %1").arg(number(*row.p));
        if (row.pHolm) {
            parts << QObject::tr("Holm p = %1").arg(number(*row.pHolm));
        }
    } else {
        parts << QObject::tr("no test");
    }
    return QObject::tr("%1: %2").arg(toQString(row.condition), parts.join(QStringLiteral(", ")));
}

} // namespace

QString foldChangeSeriesLabel(const FoldChangeSeries& series) {
    if (!series.isPhospho) {
        return toQString(series.target);
    }
    return toQString(
        fmt::format("p-{}{}{}", series.target, series.site.empty() ? "" : " ", series.site));
}

std::expected<void, Error> writeFoldChangeChart(const FoldChangeChart& chart,
                                                const QString& fileName) {
    if (QFileInfo(fileName).suffix().compare(QLatin1String("png"), Qt::CaseInsensitive) == 0) {
        if (chart.png.empty()) {
            return std::unexpected(Error{"", "the chart could not be drawn as PNG"});
        }
        const std::string_view bytes(reinterpret_cast<const char*>(chart.png.data()),
                                     chart.png.size());
        return writeFileAtomically(toPath(fileName), bytes);
    }
    return writeFileAtomically(toPath(fileName), chart.svg);
}

FoldChangeChartView::FoldChangeChartView(QWidget* parent)
    : QWidget(parent), m_renderer(new QSvgRenderer(this)) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMouseTracking(true);
    setAutoFillBackground(true);
    QPalette colours = palette();
    colours.setColor(QPalette::Window, Qt::white); // the chart's own background, edge to edge
    setPalette(colours);
}

void FoldChangeChartView::setChart(InteractiveFoldChangeChart chart) {
    if (m_chart && m_chart->svg == chart.svg) {
        m_chart->columns = std::move(chart.columns);
        return;
    }
    m_renderer->load(QByteArray(chart.svg.data(), static_cast<qsizetype>(chart.svg.size())));
    m_drawn = QPixmap();
    m_chart = std::move(chart);
    m_hoveredColumn = -1;
    setHover(mapFromGlobal(QCursor::pos()));
    update();
}

void FoldChangeChartView::clear() {
    if (!m_chart) {
        return;
    }
    m_chart.reset();
    m_renderer->load(QByteArray());
    m_drawn = QPixmap();
    m_hoveredColumn = -1;
    setHover({-1.0, -1.0});
    update();
}

QRectF FoldChangeChartView::chartRect() const {
    const QSizeF size = QSizeF(kFoldChangeChartWidth, kFoldChangeChartHeight)
                            .scaled(QSizeF(rect().size()), Qt::KeepAspectRatio);
    QRectF bounds(QPointF(0.0, 0.0), size);
    bounds.moveCenter(QRectF(rect()).center());
    return bounds;
}

QPointF FoldChangeChartView::toWidget(double x, double y) const {
    const QRectF bounds = chartRect();
    return {bounds.left() + x * bounds.width() / kFoldChangeChartWidth,
            bounds.top() + y * bounds.height() / kFoldChangeChartHeight};
}

QString FoldChangeChartView::describeAt(QPointF pos) const {
    if (!m_chart) {
        return {};
    }
    const QRectF bounds = chartRect();
    if (bounds.isEmpty() || !bounds.contains(pos)) {
        return {};
    }
    const double x = (pos.x() - bounds.left()) * kFoldChangeChartWidth / bounds.width();
    const double y = (pos.y() - bounds.top()) * kFoldChangeChartHeight / bounds.height();
    for (const FoldChangeChartColumn& column : m_chart->columns) {
        if (x < column.slotLeft || x >= column.slotRight) {
            continue;
        }
        // The nearest dot within reach: neighbours may lie closer than the reach.
        const FoldChangeChartDot* nearest = nullptr;
        double nearestDistance = 0.0;
        for (const FoldChangeChartDot& dot : column.dots) {
            const double distance = std::hypot(x - dot.cx, y - dot.cy);
            if (distance <= dot.radius + kDotPickMargin &&
                (nearest == nullptr || distance < nearestDistance)) {
                nearest = &dot;
                nearestDistance = distance;
            }
        }
        if (nearest != nullptr) {
            return tr("%1, biological replicate: fold change %2")
                .arg(toQString(column.summary.condition), number(nearest->foldChange));
        }
        // The whole height of the column: the bar, its p above and its name and n below.
        return conditionText(column.summary);
    }
    return {};
}

void FoldChangeChartView::setHover(QPointF pos) {
    const QString text = describeAt(pos);
    if (text != m_hoverText) {
        m_hoverText = text;
        emit hoverTextChanged(m_hoverText);
    }
    int hovered = -1;
    if (m_chart && !text.isEmpty()) {
        const double x =
            (pos.x() - chartRect().left()) * kFoldChangeChartWidth / chartRect().width();
        for (std::size_t i = 0; i < m_chart->columns.size(); ++i) {
            if (x >= m_chart->columns[i].slotLeft && x < m_chart->columns[i].slotRight) {
                hovered = static_cast<int>(i);
            }
        }
    }
    if (hovered != m_hoveredColumn) {
        m_hoveredColumn = hovered;
        update();
    }
}

QSize FoldChangeChartView::sizeHint() const {
    return {kFoldChangeChartWidth, kFoldChangeChartHeight};
}

QSize FoldChangeChartView::minimumSizeHint() const {
    return {kFoldChangeChartWidth / 3, kFoldChangeChartHeight / 3};
}

void FoldChangeChartView::paintEvent(QPaintEvent*) {
    if (!m_chart || !m_renderer->isValid()) {
        return;
    }
    // Drawing the SVG takes tens of milliseconds at full size: it is drawn once per chart and
    // size, and hovering only paints the band over the copy.
    const qreal ratio = devicePixelRatioF();
    const QSize pixels = (QSizeF(size()) * ratio).toSize();
    if (m_drawn.size() != pixels) {
        m_drawn = QPixmap(pixels);
        m_drawn.setDevicePixelRatio(ratio);
        m_drawn.fill(Qt::white);
        QPainter drawing(&m_drawn);
        drawing.setRenderHint(QPainter::Antialiasing);
        m_renderer->render(&drawing, chartRect());
    }
    QPainter painter(this);
    painter.drawPixmap(0, 0, m_drawn);
    if (m_hoveredColumn >= 0) {
        // A faint band behind the condition under the pointer, so the values below name it.
        const FoldChangeChartColumn& column =
            m_chart->columns[static_cast<std::size_t>(m_hoveredColumn)];
        painter.fillRect(QRectF(toWidget(column.slotLeft, column.plotTop),
                                toWidget(column.slotRight, column.plotBottom)),
                         QColor(0, 114, 178, 28));
    }
}

void FoldChangeChartView::mouseMoveEvent(QMouseEvent* event) {
    setHover(event->position());
    if (m_hoverText.isEmpty()) {
        QToolTip::hideText();
    } else {
        QToolTip::showText(event->globalPosition().toPoint(), m_hoverText, this);
    }
    QWidget::mouseMoveEvent(event);
}

void FoldChangeChartView::leaveEvent(QEvent* event) {
    setHover({-1.0, -1.0});
    QWidget::leaveEvent(event);
}

void saveChartAs(QWidget* parent, const std::string& stem,
                 const std::function<std::expected<void, Error>(const QString&)>& write) {
    const QString svgFilter = QObject::tr("SVG image (*.svg)");
    const QString pngFilter = QObject::tr("PNG image (*.png)");
    QString filter = svgFilter;
    const QString suggested =
        QDir(kLastChartFolder.value()).filePath(toQString(stem) + QStringLiteral(".svg"));
    QString fileName =
        QFileDialog::getSaveFileName(parent, QObject::tr("Export Chart"), suggested,
                                     svgFilter + QStringLiteral(";;") + pngFilter, &filter);
    if (fileName.isEmpty()) {
        return;
    }
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("png")) {
        fileName += filter == pngFilter ? QStringLiteral(".png") : QStringLiteral(".svg");
    }
    kLastChartFolder.setValue(QFileInfo(fileName).absolutePath());
    if (const auto written = write(fileName); !written) {
        QMessageBox::warning(parent, QObject::tr("Export Chart"),
                             QObject::tr("%1: %2").arg(QDir::toNativeSeparators(fileName),
                                                       toQString(written.error().reason)));
    }
}

} // namespace densito
