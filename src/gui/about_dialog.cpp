#include "gui/about_dialog.h"

#include "core/version.h"
#include "gui/app_icon.h"

#include "ui_about_dialog.h"

#include <QFont>

#include <opencv2/core/version.hpp>
#include <spdlog/version.h>
#include <tiffio.h>

namespace densito {
namespace {

constexpr int kIconSizePx = 72;

/// "4.5.0" out of libtiff's "LIBTIFF, Version 4.5.0\nCopyright ...".
QString libtiffVersion() {
    const QString banner = QString::fromLatin1(TIFFGetVersion()).section(QLatin1Char('\n'), 0, 0);
    const qsizetype at = banner.indexOf(QLatin1String("Version "));
    return at < 0 ? banner : banner.mid(at + 8).trimmed();
}

} // namespace

AboutDialog::AboutDialog(QWidget* parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::AboutDialog>()) {
    m_ui->setupUi(this);
    m_ui->iconLabel->setPixmap(applicationIcon().pixmap(kIconSizePx, kIconSizePx));
    QFont titleFont = m_ui->titleLabel->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    m_ui->titleLabel->setFont(titleFont);
    m_ui->titleLabel->setText(
        tr("%1 %2").arg(QLatin1String(kProjectName), QLatin1String(kVersion)));
    QFont captionFont = m_ui->librariesCaption->font();
    captionFont.setBold(true);
    m_ui->librariesCaption->setFont(captionFont);
    m_ui->librariesLabel->setText(libraryVersions().join(QLatin1Char('\n')));
    setFixedSize(sizeHint());
}

AboutDialog::~AboutDialog() = default;

QStringList AboutDialog::libraryVersions() {
    return {
        QStringLiteral("Qt %1").arg(QLatin1String(qVersion())),
        QStringLiteral("OpenCV %1").arg(QLatin1String(CV_VERSION)),
        QStringLiteral("libtiff %1").arg(libtiffVersion()),
        QStringLiteral("spdlog %1.%2.%3")
            .arg(SPDLOG_VER_MAJOR)
            .arg(SPDLOG_VER_MINOR)
            .arg(SPDLOG_VER_PATCH),
    };
}

} // namespace densito
