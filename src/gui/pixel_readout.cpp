#include "gui/pixel_readout.h"

#include "document/blot_document.h"

namespace densito {
namespace {

QString formatRaw(double raw, bool isFloat) {
    return isFloat ? QString::number(raw, 'g', 7) : QString::number(static_cast<qlonglong>(raw));
}

} // namespace

PixelReadout::PixelReadout(const BlotDocument& document, QWidget* parent)
    : QLabel(parent), m_document(document) {
    // Wide enough for the longest reading, so the status bar does not jump as the pointer moves.
    setMinimumWidth(fontMetrics().horizontalAdvance(
        QStringLiteral("(00000, 00000)   raw -0.0000000e+00   saturated   ")));
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setToolTip(tr("Image pixel (x, y) under the pointer and its raw value as stored in the file"));
}

void PixelReadout::showPixel(QPoint pixel) {
    const auto raw = m_document.rawValueAt(pixel.x(), pixel.y());
    if (!raw) {
        clearPixel();
        return;
    }
    const bool isFloat = m_document.metadata().sampleKind == SampleKind::Float;
    QString text =
        tr("(%1, %2)   raw %3").arg(pixel.x()).arg(pixel.y()).arg(formatRaw(*raw, isFloat));
    if (!m_document.isContentAt(pixel.x(), pixel.y())) {
        text += tr("   not image content");
    } else if (m_document.isSaturatedAt(pixel.x(), pixel.y())) {
        text += tr("   saturated");
    }
    setText(text);
}

void PixelReadout::clearPixel() {
    clear();
}

} // namespace densito
