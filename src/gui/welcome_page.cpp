#include "gui/welcome_page.h"

#include "core/version.h"
#include "gui/app_icon.h"

#include "ui_welcome_page.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <QFontMetrics>
#include <QListWidgetItem>
#include <QPainter>
#include <QStyledItemDelegate>

namespace densito {
namespace {

constexpr int kIconSizePx = 80;
constexpr int kItemPaddingPx = 8;
constexpr int kLineSpacingPx = 2;
constexpr int kPathRole = Qt::UserRole;
constexpr int kFolderRole = Qt::UserRole + 1;

void scaleFont(QWidget* widget, double factor, bool isBold) {
    QFont font = widget->font();
    font.setPointSizeF(font.pointSizeF() * factor);
    font.setBold(isBold);
    widget->setFont(font);
}

void makeSecondary(QWidget* widget) {
    QPalette palette = widget->palette();
    palette.setColor(QPalette::WindowText, palette.color(QPalette::PlaceholderText));
    widget->setPalette(palette);
}

/// Paints a recent project as two lines: the file name in bold, then its folder in grey,
/// elided in the middle so both the drive and the innermost folders stay readable.
class RecentProjectDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString name = opt.text;
        opt.text.clear();
        const bool isSelected = opt.state.testFlag(QStyle::State_Selected);
        // The list shares the page's background; a hovered entry lifts onto the base colour.
        if (opt.state.testFlag(QStyle::State_MouseOver) && !isSelected) {
            painter->fillRect(opt.rect, opt.palette.color(QPalette::Base));
        }
        const QStyle* style = opt.widget != nullptr ? opt.widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

        const QPalette::ColorGroup group =
            opt.state.testFlag(QStyle::State_Active) ? QPalette::Active : QPalette::Inactive;
        const QRect area =
            opt.rect.adjusted(kItemPaddingPx, kItemPaddingPx, -kItemPaddingPx, -kItemPaddingPx);
        const QFont nameFont = boldFont(opt.font);
        const QFontMetrics nameMetrics(nameFont);
        const QFontMetrics folderMetrics(opt.font);

        painter->save();
        painter->setFont(nameFont);
        painter->setPen(
            opt.palette.color(group, isSelected ? QPalette::HighlightedText : QPalette::Text));
        painter->drawText(QRect(area.left(), area.top(), area.width(), nameMetrics.height()),
                          Qt::AlignLeft | Qt::AlignVCenter,
                          nameMetrics.elidedText(name, Qt::ElideRight, area.width()));
        painter->setFont(opt.font);
        painter->setPen(opt.palette.color(group, isSelected ? QPalette::HighlightedText
                                                            : QPalette::PlaceholderText));
        const QString folder = index.data(kFolderRole).toString();
        painter->drawText(QRect(area.left(), area.top() + nameMetrics.height() + kLineSpacingPx,
                                area.width(), folderMetrics.height()),
                          Qt::AlignLeft | Qt::AlignVCenter,
                          folderMetrics.elidedText(folder, Qt::ElideMiddle, area.width()));
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        const QSize base = QStyledItemDelegate::sizeHint(option, index);
        const int height = 2 * kItemPaddingPx + QFontMetrics(boldFont(option.font)).height() +
                           kLineSpacingPx + QFontMetrics(option.font).height();
        return {base.width(), height};
    }

private:
    static QFont boldFont(QFont font) {
        font.setBold(true);
        return font;
    }
};

} // namespace

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::WelcomePage>()) {
    m_ui->setupUi(this);
    m_ui->iconLabel->setPixmap(applicationIcon().pixmap(kIconSizePx, kIconSizePx));
    m_ui->titleLabel->setText(QLatin1String(kProjectName));
    m_ui->versionLabel->setText(tr("Version %1").arg(QLatin1String(kVersion)));
    scaleFont(m_ui->titleLabel, 2.2, true);
    scaleFont(m_ui->taglineLabel, 1.15, false);
    scaleFont(m_ui->startCaption, 1.15, true);
    scaleFont(m_ui->recentCaption, 1.15, true);
    makeSecondary(m_ui->versionLabel);
    makeSecondary(m_ui->noRecentLabel);
    QListWidget* list = m_ui->recentList;
    list->setItemDelegate(new RecentProjectDelegate(list));
    list->viewport()->setAttribute(Qt::WA_Hover);
    QPalette listPalette = list->palette();
    listPalette.setColor(QPalette::Base, listPalette.color(QPalette::Window));
    list->setPalette(listPalette);

    connect(m_ui->sampleButton, &QAbstractButton::clicked, this,
            &WelcomePage::sampleExperimentRequested);
    connect(m_ui->openProjectButton, &QAbstractButton::clicked, this,
            &WelcomePage::openProjectRequested);
    connect(m_ui->openImagesButton, &QAbstractButton::clicked, this,
            &WelcomePage::openImagesRequested);
    // activated covers double-click and Enter (and single click where the platform opens
    // items that way).
    connect(list, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        emit recentProjectActivated(index.data(kPathRole).toString());
    });
    setRecentProjects({});
}

WelcomePage::~WelcomePage() = default;

void WelcomePage::setRecentProjects(const QStringList& paths) {
    QListWidget* list = m_ui->recentList;
    list->clear();
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (!info.exists()) {
            continue;
        }
        auto* item = new QListWidgetItem(info.fileName(), list);
        item->setData(kPathRole, path);
        item->setData(kFolderRole, QDir::toNativeSeparators(info.absolutePath()));
        item->setToolTip(QDir::toNativeSeparators(info.absoluteFilePath()));
    }
    const bool hasProjects = list->count() > 0;
    list->setVisible(hasProjects);
    m_ui->noRecentLabel->setVisible(!hasProjects);
}

QStringList WelcomePage::recentProjects() const {
    QStringList paths;
    for (int row = 0; row < m_ui->recentList->count(); ++row) {
        paths.append(m_ui->recentList->item(row)->data(kPathRole).toString());
    }
    return paths;
}

} // namespace densito
