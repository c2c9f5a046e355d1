#include "gui/blot_view.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

#include <gtest/gtest.h>

namespace densito {
namespace {

/// A shown 600x400 view of a 300x200 grey ramp.
class BlotViewTest : public ::testing::Test {
protected:
    void SetUp() override {
        QImage image(300, 200, QImage::Format_Grayscale8);
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                image.scanLine(y)[x] = static_cast<uchar>(x * 255 / 299);
            }
        }
        m_view.resize(600, 400);
        m_view.setImages(image, {});
        m_view.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_view));
    }

    void wheel(QPoint at, int angleDelta) {
        QWheelEvent event(QPointF(at), QPointF(m_view.viewport()->mapToGlobal(at)), QPoint(),
                          QPoint(0, angleDelta), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                          false);
        QApplication::sendEvent(m_view.viewport(), &event);
    }

    BlotView m_view;
};

TEST_F(BlotViewTest, FitsANewImageIntoTheView) {
    EXPECT_TRUE(m_view.isFitting());
    const QSize room = m_view.viewport()->size();
    EXPECT_LE(m_view.zoom() * 300.0, room.width() + 0.5);
    EXPECT_LE(m_view.zoom() * 200.0, room.height() + 0.5);
    EXPECT_GT(m_view.zoom() * 300.0, room.width() - 8.0);
}

TEST_F(BlotViewTest, WheelZoomKeepsThePixelUnderTheCursor) {
    const QPoint cursor(150, 120);
    const QPointF before = m_view.mapToScene(cursor);
    const double zoom = m_view.zoom();

    wheel(cursor, 120);

    EXPECT_DOUBLE_EQ(m_view.zoom(), zoom * BlotView::kZoomStep);
    const QPointF after = m_view.mapToScene(cursor);
    EXPECT_NEAR(after.x(), before.x(), 1.0 / m_view.zoom() + 0.01);
    EXPECT_NEAR(after.y(), before.y(), 1.0 / m_view.zoom() + 0.01);
    EXPECT_FALSE(m_view.isFitting());
}

TEST_F(BlotViewTest, ZoomStaysWithinItsLimits) {
    for (int i = 0; i < 100; ++i) {
        m_view.zoomIn();
    }
    EXPECT_DOUBLE_EQ(m_view.zoom(), BlotView::kMaxZoom);
    for (int i = 0; i < 200; ++i) {
        m_view.zoomOut();
    }
    EXPECT_DOUBLE_EQ(m_view.zoom(), BlotView::kMinZoom);
}

TEST_F(BlotViewTest, RefitsOnResizeUntilTheUserZooms) {
    const double zoom = m_view.zoom();
    m_view.resize(300, 200);
    QApplication::processEvents();
    EXPECT_LT(m_view.zoom(), zoom);

    m_view.showActualSize();
    m_view.resize(600, 400);
    QApplication::processEvents();
    EXPECT_DOUBLE_EQ(m_view.zoom(), 1.0);
}

TEST_F(BlotViewTest, ReportsThePixelUnderThePointer) {
    QSignalSpy hovered(&m_view, &BlotView::pixelHovered);
    QSignalSpy left(&m_view, &BlotView::pointerLeftImage);
    const QPoint inside = m_view.mapFromScene(QPointF(42.5, 17.5));

    QTest::mouseMove(m_view.viewport(), inside);

    ASSERT_FALSE(hovered.isEmpty());
    EXPECT_EQ(hovered.last().at(0).toPoint(), QPoint(42, 17));

    m_view.showActualSize();
    QTest::mouseMove(m_view.viewport(), m_view.mapFromScene(QPointF(-20.0, -20.0)));
    EXPECT_FALSE(left.isEmpty());
}

} // namespace
} // namespace densito
