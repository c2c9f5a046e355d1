#pragma once

#include "core/measure/lane_profile.h"

#include <QPointF>
#include <QWidget>

#include <vector>

class QChart;
class QChartView;
class QGraphicsSimpleTextItem;
class QLabel;
class QStackedLayout;

namespace densito {

/// A plot of one lane's profile (Qt Charts): image row along the lane on the x axis (the
/// lane's top at the left), summed signal on the y axis, the background as a dashed line and
/// each band's integrated rows shaded between its background and its signal (saturated or weak
/// bands in another colour), labelled with the band row. It shows what it is given and keeps
/// nothing else; without a profile it shows a short placeholder. Readable down to about
/// 400 x 250 px.
class ProfilePanel : public QWidget {
    Q_OBJECT

public:
    explicit ProfilePanel(QWidget* parent = nullptr);

    /// Plots `profile` under `title` (e.g. the image and lane), replacing what was shown.
    /// A profile without rows clears the panel.
    void setProfile(const LaneProfile& profile, const QString& title);

    /// Removes the plot and shows "Select a lane to see its profile".
    void clear();

    QSize sizeHint() const override;

protected:
    void changeEvent(QEvent* event) override;

private:
    struct BandLabel {
        QPointF valuePoint; ///< (row, signal) the label sits above
        QGraphicsSimpleTextItem* item = nullptr;
    };

    void applyPalette();
    void placeBandLabels();

    QStackedLayout* m_stack = nullptr;
    QLabel* m_placeholder = nullptr;
    QChartView* m_view = nullptr;
    QChart* m_chart = nullptr; ///< owned by m_view
    std::vector<BandLabel> m_bandLabels;
};

} // namespace densito
