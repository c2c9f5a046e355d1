// The lane profile panel: what it plots from a hand-made profile, and its empty state.
#include "gui/profile_panel.h"

#include <QApplication>
#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QFontMetricsF>
#include <QLabel>
#include <QLineSeries>
#include <QStackedLayout>
#include <QTest>

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

/// A 400-row lane (rows 0-399) without bands.
LaneProfile longProfile() {
    LaneProfile profile;
    profile.topPx = 0;
    for (int row = 0; row < 400; ++row) {
        profile.signal.push_back(100.0 + (row % 50));
        profile.background.push_back(100.0);
    }
    profile.invalidPixels.assign(400, 0);
    return profile;
}

/// Ten marker masses 12 rows apart from row 40: crowded in a narrow panel.
std::vector<MassTick> crowdedTicks() {
    std::vector<MassTick> ticks;
    const std::vector<double> kda = {250, 150, 100, 75, 50, 37, 25, 20, 15, 10};
    for (std::size_t k = 0; k < kda.size(); ++k) {
        ticks.push_back({kda[k], 30.0, 40.0 + 12.0 * static_cast<double>(k)});
    }
    return ticks;
}

// Wide enough, every mass is labelled at its own row; narrow, labels that would touch are left
// out, and those shown keep their rows and a space between them.
TEST(ProfilePanel, KdaScaleLabelsEachMassAtItsRowAndThinsOutWhenNarrow) {
    ProfilePanel panel;
    panel.resize(1600, 300);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    panel.setProfile(longProfile(), QStringLiteral("lane 2"), crowdedTicks());
    QApplication::processEvents();
    std::vector<std::pair<QString, double>> wide = panel.kdaLabels();
    ASSERT_EQ(wide.size(), 10u);
    for (std::size_t k = 0; k < wide.size(); ++k) {
        EXPECT_EQ(wide[k].first, QString::number(crowdedTicks()[k].kda));
        EXPECT_DOUBLE_EQ(wide[k].second, crowdedTicks()[k].yPx);
    }

    panel.resize(300, 300);
    QApplication::processEvents();
    const std::vector<std::pair<QString, double>> narrow = panel.kdaLabels();
    ASSERT_GE(narrow.size(), 2u);
    EXPECT_LT(narrow.size(), 10u);
    EXPECT_EQ(narrow.front(), wide.front());
    QChart* chart = chartOf(panel);
    ASSERT_NE(chart, nullptr);
    auto axes = chart->axes(Qt::Horizontal);
    QCategoryAxis* kdaAxis = nullptr;
    for (QAbstractAxis* axis : axes) {
        if (axis->titleText() == QStringLiteral("kDa")) {
            kdaAxis = qobject_cast<QCategoryAxis*>(axis);
        }
    }
    ASSERT_NE(kdaAxis, nullptr);
    const QFontMetricsF metrics(kdaAxis->labelsFont());
    const double pxPerRow = chart->plotArea().width() / (kdaAxis->max() - kdaAxis->min());
    for (std::size_t k = 1; k < narrow.size(); ++k) {
        const double apartPx = (narrow[k].second - narrow[k - 1].second) * pxPerRow;
        const double halfWidths = 0.5 * (metrics.horizontalAdvance(narrow[k].first) +
                                         metrics.horizontalAdvance(narrow[k - 1].first));
        EXPECT_GE(apartPx, halfWidths) << narrow[k].first.toStdString();
    }
}

TEST(ProfilePanel, NoKdaScaleWithoutTicks) {
    ProfilePanel panel;
    panel.resize(400, 250);
    panel.setProfile(longProfile(), QStringLiteral("lane 2"));
    EXPECT_TRUE(panel.kdaLabels().empty());
    QChart* chart = chartOf(panel);
    ASSERT_NE(chart, nullptr);
    EXPECT_EQ(chart->axes(Qt::Horizontal).size(), 1);
}

} // namespace
} // namespace densito
