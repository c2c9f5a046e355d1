#pragma once

#include "core/analysis/mw_calibration.h"
#include "core/measure/lane_profile.h"

#include <QPointF>
#include <QWidget>

#include <utility>
#include <vector>

class QCategoryAxis;
class QChart;
class QChartView;
class QGraphicsSimpleTextItem;
class QLabel;
class QStackedLayout;

namespace densito {

/// A plot of one lane's profile (Qt Charts): image row along the lane on the x axis (the
/// lane's top at the left), summed signal on the y axis, the background as a dashed line and
/// each band's integrated rows shaded between its background and its signal (saturated or weak
/// bands in another colour), labelled with the band row; when the lane's strip is calibrated,
/// a kDa scale along the top at the rows where the calibration places the marker masses
/// (given as MassTicks, thinned out where their labels would overlap). It shows what it is
/// given and keeps nothing else; without a profile it shows a short placeholder. Readable
/// down to about 400 x 250 px.
class ProfilePanel : public QWidget {
    Q_OBJECT

public:
    explicit ProfilePanel(QWidget* parent = nullptr);

    /// Plots `profile` under `title` (e.g. the image and lane), replacing what was shown,
    /// with a kDa scale at `massTicks` (rows along the lane, core massTicksAlong; none: no
    /// scale). A profile without rows clears the panel.
    void setProfile(const LaneProfile& profile, const QString& title,
                    const std::vector<MassTick>& massTicks = {});

    /// The kDa scale's labels as drawn at the panel's size ("100" at row 212.4), left to
    /// right; empty when there is no scale.
    std::vector<std::pair<QString, double>> kdaLabels() const;

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
    /// Fills the kDa scale with the ticks whose labels fit the plot's width.
    void placeKdaLabels();

    QStackedLayout* m_stack = nullptr;
    QLabel* m_placeholder = nullptr;
    QChartView* m_view = nullptr;
    QChart* m_chart = nullptr; ///< owned by m_view
    std::vector<BandLabel> m_bandLabels;
    std::vector<MassTick> m_massTicks;
    QCategoryAxis* m_kdaAxis = nullptr; ///< owned by m_chart; null without a scale
};

} // namespace densito
