// The lane profile panel: what it plots from a hand-made profile, and its empty state.
#include "gui/profile_panel.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLineSeries>
#include <QStackedLayout>

#include <gtest/gtest.h>

namespace densito {
namespace {

/// Eight rows from image row 100; one clean band over rows 102-104, one saturated at 106.
LaneProfile handMadeProfile() {
    LaneProfile profile;
    profile.topPx = 100;
    profile.signal = {10, 12, 40, 90, 45, 12, 70, 11};
    profile.background = {10, 10, 10, 10, 10, 10, 10, 10};
    profile.invalidPixels.assign(8, 0);
    LaneProfileBand clean;
    clean.row = 1;
    clean.topPx = 102;
    clean.bottomPx = 104;
    clean.peakYPx = 103;
    clean.signal = {40, 90, 45};
    clean.background = {10, 10, 10};
    clean.volume = 145;
    LaneProfileBand saturated;
    saturated.row = 2;
    saturated.topPx = 106;
    saturated.bottomPx = 106;
    saturated.peakYPx = 106;
    saturated.signal = {70};
    saturated.background = {10};
    saturated.volume = 60;
    saturated.flags = kBandSaturated;
    profile.bands = {clean, saturated};
    return profile;
}

template <typename Series> Series* seriesNamed(QChart* chart, const QString& name) {
    for (QAbstractSeries* series : chart->series()) {
        if (series->name() == name) {
            if (auto* typed = qobject_cast<Series*>(series)) {
                return typed;
            }
        }
    }
    return nullptr;
}

QChart* chartOf(const ProfilePanel& panel) {
    auto* view = panel.findChild<QChartView*>(QStringLiteral("profileChart"));
    return view != nullptr ? view->chart() : nullptr;
}

TEST(ProfilePanel, PlotsTheProfileBackgroundAndEachBand) {
    ProfilePanel panel;
    panel.setProfile(handMadeProfile(), QStringLiteral("blot.tif, lane 3"));
    QChart* chart = chartOf(panel);
    ASSERT_NE(chart, nullptr);
    EXPECT_EQ(chart->title(), QStringLiteral("blot.tif, lane 3"));
    // Two band areas, one background line, the profile.
    ASSERT_EQ(chart->series().size(), 4);

    auto* profile = seriesNamed<QLineSeries>(chart, QStringLiteral("Profile"));
    ASSERT_NE(profile, nullptr);
    const LaneProfile input = handMadeProfile();
    const QList<QPointF> points = profile->points();
    ASSERT_EQ(points.size(), 8);
    for (qsizetype i = 0; i < points.size(); ++i) {
        EXPECT_DOUBLE_EQ(points[i].x(), 100.0 + static_cast<double>(i));
        EXPECT_DOUBLE_EQ(points[i].y(), input.signal[static_cast<std::size_t>(i)]);
    }
    auto* background = seriesNamed<QLineSeries>(chart, QStringLiteral("Background"));
    ASSERT_NE(background, nullptr);
    EXPECT_EQ(background->points().size(), 8);
    EXPECT_EQ(background->pen().style(), Qt::DashLine);

    auto* clean = seriesNamed<QAreaSeries>(chart, QStringLiteral("Integrated band"));
    ASSERT_NE(clean, nullptr);
    EXPECT_EQ(clean->upperSeries()->points(), (QList<QPointF>{{102, 40}, {103, 90}, {104, 45}}));
    EXPECT_EQ(clean->lowerSeries()->points(), (QList<QPointF>{{102, 10}, {103, 10}, {104, 10}}));
    auto* flagged = seriesNamed<QAreaSeries>(chart, QStringLiteral("Flagged band"));
    ASSERT_NE(flagged, nullptr);
    EXPECT_EQ(flagged->upperSeries()->points(), (QList<QPointF>{{106, 70}}));
    EXPECT_NE(flagged->brush().color().rgb(), clean->brush().color().rgb());
    EXPECT_LT(clean->brush().color().alpha(), 255); // semi-transparent
}

TEST(ProfilePanel, ABackgroundWithGapsIsDrawnInPieces) {
    LaneProfile profile = handMadeProfile();
    const double none = std::numeric_limits<double>::quiet_NaN();
    profile.background = {none, none, 10, 10, 10, none, 12, none};
    ProfilePanel panel;
    panel.setProfile(profile, QString());
    QChart* chart = chartOf(panel);
    ASSERT_NE(chart, nullptr);
    int pieces = 0;
    int points = 0;
    for (QAbstractSeries* series : chart->series()) {
        if (series->name() == QStringLiteral("Background")) {
            ++pieces;
            points += static_cast<int>(qobject_cast<QLineSeries*>(series)->count());
        }
    }
    EXPECT_EQ(pieces, 2);
    EXPECT_EQ(points, 4);
}

TEST(ProfilePanel, ClearEmptiesTheChartAndShowsThePlaceholder) {
    ProfilePanel panel;
    auto* stack = panel.findChild<QStackedLayout*>();
    auto* placeholder = panel.findChild<QLabel*>(QStringLiteral("profilePlaceholder"));
    ASSERT_NE(stack, nullptr);
    ASSERT_NE(placeholder, nullptr);
    EXPECT_EQ(stack->currentWidget(), placeholder);
    panel.setProfile(handMadeProfile(), QStringLiteral("lane"));
    EXPECT_NE(stack->currentWidget(), placeholder);
    panel.clear();
    QChart* chart = chartOf(panel);
    ASSERT_NE(chart, nullptr);
    EXPECT_TRUE(chart->series().isEmpty());
    EXPECT_TRUE(chart->axes().isEmpty());
    EXPECT_EQ(stack->currentWidget(), placeholder);
    EXPECT_EQ(placeholder->text(), QStringLiteral("Select a lane to see its profile"));
}

TEST(ProfilePanel, RendersAtADockSize) {
    ProfilePanel panel;
    panel.resize(400, 250);
    panel.setProfile(handMadeProfile(), QStringLiteral("lane 1"));
    const QPixmap picture = panel.grab();
    ASSERT_FALSE(picture.isNull());
    EXPECT_EQ(picture.size(), QSize(400, 250));
    // Something was drawn: the picture is not one flat colour.
    const QImage image = picture.toImage();
    const QRgb corner = image.pixel(0, 0);
    int differing = 0;
    for (int y = 0; y < image.height(); y += 5) {
        for (int x = 0; x < image.width(); x += 5) {
            differing += image.pixel(x, y) != corner ? 1 : 0;
        }
    }
    EXPECT_GT(differing, 100);
}

} // namespace
} // namespace densito
