#pragma once

#include <QGraphicsView>
#include <QImage>
#include <QPoint>

#include <optional>

class QGraphicsPixmapItem;

namespace densito {

/// Shows a blot's display image with an optional saturation overlay: zoom with the wheel
/// around the cursor (or with the zoom slots around the centre), pan by dragging, fit to the
/// window. Scene coordinates are image pixels (origin at the top-left corner of pixel 0,0).
/// Reports the image pixel under the pointer. Holds no data beyond the two images it shows.
class BlotView : public QGraphicsView {
    Q_OBJECT

public:
    static constexpr double kMinZoom = 1.0 / 64.0;
    static constexpr double kMaxZoom = 64.0;
    static constexpr double kZoomStep = 1.25;

    explicit BlotView(QWidget* parent = nullptr);

    /// Shows `display` with `overlay` (may be null) on top. A new image size fits the view to
    /// the content region (fitToContent); the same size (a display change) keeps the zoom and
    /// scroll position, or refits what is being fitted.
    void setImages(const QImage& display, const QImage& overlay);
    /// The part of the image worth the first view (its membranes), in image pixels; an empty
    /// rectangle means the whole image. Clipped to the image when fitted.
    void setContentRegion(const QRectF& region);
    const QRectF& contentRegion() const { return m_contentRegion; }
    /// The rectangle (image pixels) the view fits while isFitting(): the content region, or
    /// the whole image after fitToWindow().
    QRectF fittedRegion() const;
    bool hasImage() const;

    void setOverlayVisible(bool visible);
    bool isOverlayVisible() const { return m_isOverlayVisible; }

    /// Screen pixels per image pixel.
    double zoom() const { return m_zoom; }
    /// True while the view refits the image (or its content region) whenever it is resized,
    /// until the user zooms.
    bool isFitting() const { return m_fit != Fit::None; }

public slots:
    void zoomIn();
    void zoomOut();
    /// Fits the whole image (Fit Image).
    void fitToWindow();
    /// Fits the content region with a margin (the first view of an image), or the whole image
    /// when there is no content region.
    void fitToContent();
    void showActualSize();

signals:
    void zoomChanged(double zoom);
    /// The pointer moved over image pixel `pixel` (column, row).
    void pixelHovered(QPoint pixel);
    /// The pointer left the image (or the view).
    void pointerLeftImage();
    /// A click (press and release without dragging) that no item took, at scene point
    /// `scenePos` (image pixels).
    void imageClicked(QPointF scenePos);
    /// A double click that no item took.
    void imageDoubleClicked(QPointF scenePos);
    /// A context menu asked for where no item took it.
    void contextMenuRequested(QPointF scenePos, QPoint globalPos);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    /// Sets the zoom, keeping the scene point under `viewAnchor` (viewport pixels) in place.
    void zoomAround(double zoom, QPointF viewAnchor);
    void reportPointer(QPoint viewPos);
    void reportPointerAtCursor();
    /// True when only the image (or nothing) is under viewport point `viewPos`: no lane or
    /// band item takes the mouse there.
    bool isPlainImageAt(QPoint viewPos) const;

    QGraphicsPixmapItem* m_imageItem = nullptr;
    QGraphicsPixmapItem* m_overlayItem = nullptr;
    /// Fits `region` (image pixels) into the viewport and centres it.
    void fitRegion(const QRectF& region);

    enum class Fit { None, Image, Content };
    double m_zoom = 1.0;
    Fit m_fit = Fit::Content;
    QRectF m_contentRegion;
    bool m_isOverlayVisible = true;
    /// Where a left press that no item took began (viewport pixels), to tell a click from a pan.
    std::optional<QPoint> m_pressOnImage;
};

} // namespace densito
