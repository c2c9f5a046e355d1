#include "core/version.h"
#include "gui/about_dialog.h"
#include "gui/app_icon.h"

#include <QLabel>

#include <gtest/gtest.h>

namespace densito {
namespace {

TEST(AboutDialog, ListsTheLibraryVersions) {
    const QStringList versions = AboutDialog::libraryVersions();
    ASSERT_EQ(versions.size(), 4);
    EXPECT_TRUE(versions[0].startsWith(QStringLiteral("Qt 6.")));
    EXPECT_TRUE(versions[1].startsWith(QStringLiteral("OpenCV 4.")));
    EXPECT_TRUE(versions[2].startsWith(QStringLiteral("libtiff 4.")));
    EXPECT_TRUE(versions[3].startsWith(QStringLiteral("spdlog 1.")));
    for (const QString& line : versions) {
        EXPECT_FALSE(line.contains(QLatin1Char('\n'))) << line.toStdString();
    }
}

TEST(AboutDialog, ShowsTheVersionAndTheIcon) {
    AboutDialog dialog;
    const auto* title = dialog.findChild<QLabel*>(QStringLiteral("titleLabel"));
    ASSERT_NE(title, nullptr);
    EXPECT_TRUE(title->text().contains(QLatin1String(kVersion)));
    const auto* icon = dialog.findChild<QLabel*>(QStringLiteral("iconLabel"));
    ASSERT_NE(icon, nullptr);
    EXPECT_FALSE(icon->pixmap().isNull());
}

TEST(ApplicationIcon, LoadsFromTheCompiledResources) {
    const QIcon icon = applicationIcon();
    ASSERT_FALSE(icon.isNull());
    const QImage image = icon.pixmap(64, 64).toImage();
    ASSERT_FALSE(image.isNull());
    EXPECT_GT(qAlpha(image.pixel(32, 32)), 0);
}

} // namespace
} // namespace densito
