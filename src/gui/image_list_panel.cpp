#include "gui/image_list_panel.h"

#include "document/image_review.h"
#include "document/project_document.h"
#include "document/qt_strings.h"

#include <QIcon>
#include <QStyle>

namespace densito {

ImageListPanel::ImageListPanel(ProjectDocument& document, QWidget* parent)
    : QListWidget(parent), m_document(document) {
    setSelectionMode(QAbstractItemView::SingleSelection);
    setUniformItemSizes(true);
    setTextElideMode(Qt::ElideMiddle);
    connect(&document, &ProjectDocument::imagesChanged, this, &ImageListPanel::rebuild);
    connect(&document, &ProjectDocument::imageChanged, this, &ImageListPanel::updateRow);
    connect(&document, &ProjectDocument::currentImageChanged, this, [this](int image) {
        m_isSyncing = true;
        setCurrentRow(image);
        m_isSyncing = false;
    });
    connect(this, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!m_isSyncing && row >= 0) {
            m_document.setCurrentImage(row);
        }
    });
    rebuild();
}

void ImageListPanel::rebuild() {
    m_isSyncing = true;
    clear();
    for (int image = 0; image < m_document.imageCount(); ++image) {
        addItem(new QListWidgetItem);
        updateRow(image);
    }
    setCurrentRow(m_document.currentImage());
    m_isSyncing = false;
}

void ImageListPanel::updateRow(int image) {
    QListWidgetItem* row = item(image);
    if (row == nullptr) {
        return;
    }
    const BlotAnalysis& analysis = m_document.analysis(image);
    const QString name = m_document.imageName(image);
    QString details;
    if (m_document.loadedImage(image) == nullptr) {
        details = tr("analysing...");
    } else {
        const auto count = [](std::size_t n, const QString& one, const QString& many) {
            return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
        };
        details = count(analysis.lanes.size(), tr("lane"), tr("lanes")) + QStringLiteral(", ") +
                  count(analysis.bands.size(), tr("band"), tr("bands"));
        if (analysis.strips.size() > 1) {
            details = count(analysis.strips.size(), tr("strip"), tr("strips")) +
                      QStringLiteral(", ") + details;
        }
    }
    QString tip = toQString(m_document.image(image).path);
    const ImageReview review = m_document.loadedImage(image) != nullptr
                                   ? imageReviewOf(m_document.image(image).geometry, analysis)
                                   : ImageReview{};
    // Marked where the eye is: an icon, a word in the row, the reasons in the tooltip. Unsure
    // detection that nobody has edited yet is a warning; the rest is for information.
    if (review.isUnreviewed()) {
        details += QStringLiteral(" - ") + tr("needs review");
        row->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
    } else if (review.isEditedByHand) {
        details += QStringLiteral(" - ") + tr("edited by hand");
        row->setIcon(style()->standardIcon(QStyle::SP_MessageBoxInformation));
    } else if (!review.warnings.isEmpty()) {
        details += QStringLiteral(" - ") + (review.warnings.size() == 1
                                                ? tr("1 warning")
                                                : tr("%1 warnings").arg(review.warnings.size()));
        row->setIcon(style()->standardIcon(QStyle::SP_MessageBoxInformation));
    } else {
        row->setIcon(QIcon());
    }
    if (!review.details.isEmpty()) {
        tip += QStringLiteral("\n") + review.details;
    }
    row->setText(name + QStringLiteral("\n") + details);
    row->setToolTip(tip);
}

} // namespace densito
