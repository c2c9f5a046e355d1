#pragma once

#include <QWidget>

class QLabel;

#include <memory>

namespace Ui {
class ImageInfoPanel;
}

namespace densito {

class BlotDocument;
class ProjectDocument;

/// What the current image file holds and what Densito decided about it: at the top, whether
/// detection needs review (or was edited by hand) and why; then format, size, bit depth,
/// page, photometric hint, instrument, polarity of the stored data and whether the display
/// shows it inverted, saturation, display contrast, SHA-256, and the warnings of the file and
/// of its analysis. Refreshes itself when the document loads an image, the display changes or
/// the project's current image is edited.
class ImageInfoPanel : public QWidget {
    Q_OBJECT

public:
    /// `project` (optional) gives the current image's analysis: its review state and warnings.
    explicit ImageInfoPanel(const BlotDocument& document, const ProjectDocument* project = nullptr,
                            QWidget* parent = nullptr);
    ~ImageInfoPanel() override;

    /// The review line at the top ("needs review: ..."); empty and hidden when there is none.
    QString reviewText() const;
    QString polarityText() const;
    QString warningsText() const;

private:
    void refresh();

    const BlotDocument& m_document;
    const ProjectDocument* m_project = nullptr;
    QLabel* m_review = nullptr;
    std::unique_ptr<Ui::ImageInfoPanel> m_ui;
};

} // namespace densito
