#pragma once

#include <QLabel>
#include <QPoint>

namespace densito {

class BlotDocument;

/// Status bar field with the image pixel under the pointer, its coordinates and its raw
/// value exactly as stored (never the display grey), marked when saturated.
class PixelReadout : public QLabel {
    Q_OBJECT

public:
    explicit PixelReadout(const BlotDocument& document, QWidget* parent = nullptr);

public slots:
    void showPixel(QPoint pixel);
    void clearPixel();

private:
    const BlotDocument& m_document;
};

} // namespace densito
