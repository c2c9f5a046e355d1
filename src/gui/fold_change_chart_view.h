#pragma once

#include "core/error.h"
#include "core/io/fold_change_chart.h"
#include "gui/setting_key.h"

#include <QDir>
#include <QPixmap>
#include <QWidget>

class QSvgRenderer;

#include <expected>
#include <functional>
#include <optional>
#include <string>

namespace densito {

/// One target's fold-change chart at any size: the core's SVG (renderFoldChangeChart's bytes)
/// scaled to fit with its aspect kept, and what lies under the pointer (a condition's n, fold
/// change, 95% CI and p; a replicate's fold change) from the core's placement of each column
/// and dot, shown under the chart and as a tooltip. Holds no statistics of its own.
class FoldChangeChartView : public QWidget {
    Q_OBJECT

public:
    explicit FoldChangeChartView(QWidget* parent = nullptr);

    /// Shows `chart`; a chart with the same SVG as the one shown changes nothing (no redraw).
    void setChart(InteractiveFoldChangeChart chart);
    void clear();
    bool hasChart() const { return m_chart.has_value(); }
    const std::optional<InteractiveFoldChangeChart>& chart() const { return m_chart; }

    /// Where the SVG is drawn, in widget pixels.
    QRectF chartRect() const;
    /// Widget pixels of SVG user-unit point (x, y).
    QPointF toWidget(double x, double y) const;
    /// What lies at widget point `pos`: "EGF: n = 3, fold change 2.00 (95% CI 1.50–2.70),
    /// p = 0.0123, Holm p = 0.0123", "EGF, replicate: fold change 2.00"; empty over nothing.
    QString describeAt(QPointF pos) const;
    /// What the pointer is over (describeAt of its last position), as shown under the chart.
    const QString& hoverText() const { return m_hoverText; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void hoverTextChanged(const QString& text);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void setHover(QPointF pos);

    std::optional<InteractiveFoldChangeChart> m_chart;
    QSvgRenderer* m_renderer = nullptr; ///< a child: Qt Svg stays private to densito_gui
    QPixmap m_drawn; ///< the SVG drawn at the widget's size; null when it must be drawn again
    QString m_hoverText;
    int m_hoveredColumn = -1;
};

} // namespace densito

namespace densito {

/// Where the last chart was exported (both the Experiment panel and the chart tab export).
inline const SettingKey<QString> kLastChartFolder{"experiment/chartFolder", QDir::homePath()};

/// How the command line's summary table names a series: "p-Akt Ser473", "GAPDH".
QString foldChangeSeriesLabel(const FoldChangeSeries& series);

/// Writes `chart` as the command line's charts/ folder holds it: the PNG bytes when
/// `fileName` ends in ".png" (any case), else the SVG text (atomically).
std::expected<void, Error> writeFoldChangeChart(const FoldChangeChart& chart,
                                                const QString& fileName);

/// Export Chart: asks where to save the chart named `stem` (SVG or PNG, in the folder last
/// used) and writes it with `write`; a failure is shown in a message box over `parent`.
void saveChartAs(QWidget* parent, const std::string& stem,
                 const std::function<std::expected<void, Error>(const QString&)>& write);

} // namespace densito
