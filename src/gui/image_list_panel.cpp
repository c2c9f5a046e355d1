#include "gui/image_list_panel.h"

#include "document/image_review.h"
#include "document/project_document.h"
#include "document/qt_strings.h"

#include <QApplication>
#include <QIcon>
#include <QPainter>
#include <QStyle>
#include <QStyledItemDelegate>

#include <algorithm>

namespace densito {
namespace {

/// Draws a row's two lines each elided on its own: the file name in the middle, the details
/// at the end (the style elides only the last line of a multi-line text and cuts the others).
class ImageRowDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    /// The text of `index` as it fits the row `option` describes, lines separated by '\n'.
    QString fittedText(const QStyleOptionViewItem& option, const QModelIndex& index) const {
        QStyleOptionViewItem styled = option;
        initStyleOption(&styled, index);
        const QWidget* widget = styled.widget;
        const QStyle* style = widget != nullptr ? widget->style() : QApplication::style();
        // The style's text rectangle, less its margin on either side.
        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
        const int width =
            style->subElementRect(QStyle::SE_ItemViewItemText, &styled, widget).width() -
            2 * margin;
        // The delegate hands the text over with its line breaks as QChar::LineSeparator.
        QStringList lines = QString(styled.text)
                                .replace(QChar::LineSeparator, QLatin1Char('\n'))
                                .split(QLatin1Char('\n'));
        for (qsizetype i = 0; i < lines.size(); ++i) {
            lines[i] = styled.fontMetrics.elidedText(
                lines[i], i == 0 ? Qt::ElideMiddle : Qt::ElideRight, std::max(0, width));
        }
        return lines.join(QLatin1Char('\n'));
    }

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        QStyleOptionViewItem styled = option;
        initStyleOption(&styled, index);
        styled.text = fittedText(option, index).replace(QLatin1Char('\n'), QChar::LineSeparator);
        styled.textElideMode = Qt::ElideNone;
        const QWidget* widget = styled.widget;
        const QStyle* style = widget != nullptr ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &styled, painter, widget);
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        // As tall as the two lines, and no wider than the view: rows take the view's width
        // and elide, rather than pushing a horizontal scroll bar.
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        if (const auto* view = qobject_cast<const QAbstractItemView*>(option.widget)) {
            size.setWidth(std::min(size.width(), view->viewport()->width()));
        }
        return size;
    }
};

} // namespace

ImageListPanel::ImageListPanel(ProjectDocument& document, QWidget* parent)
    : QListWidget(parent), m_document(document) {
    setSelectionMode(QAbstractItemView::SingleSelection);
    setUniformItemSizes(true);
    setTextElideMode(Qt::ElideMiddle);
    setItemDelegate(new ImageRowDelegate(this));
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Rows are laid out again at the new width (the delegate's size hint follows it).
    setResizeMode(QListView::Adjust);
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

QString ImageListPanel::shownText(int row) const {
    const QListWidgetItem* rowItem = item(row);
    if (rowItem == nullptr) {
        return {};
    }
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualItemRect(rowItem);
    const QModelIndex index = indexFromItem(rowItem);
    return static_cast<const ImageRowDelegate*>(itemDelegate())->fittedText(option, index);
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
