#pragma once

#include <QWidget>

#include <memory>

namespace Ui {
class ImageInfoPanel;
}

namespace densito {

class BlotDocument;

/// What the current image file holds and what Densito decided about it: format, size,
/// bit depth, page, photometric hint, instrument, polarity, saturation, display contrast,
/// SHA-256 and the core's warnings. Refreshes itself when the document loads an image.
class ImageInfoPanel : public QWidget {
    Q_OBJECT

public:
    explicit ImageInfoPanel(const BlotDocument& document, QWidget* parent = nullptr);
    ~ImageInfoPanel() override;

private:
    void refresh();

    const BlotDocument& m_document;
    std::unique_ptr<Ui::ImageInfoPanel> m_ui;
};

} // namespace densito
