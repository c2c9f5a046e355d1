#include "core/version.h"
#include "gui/recent_files.h"
#include "gui/recent_projects.h"
#include "gui/sample_experiment_locator.h"
#include "gui/welcome_page.h"

#include <QAbstractButton>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

namespace densito {
namespace {

/// Creates an empty file `name` in `dir` and returns its absolute path.
QString touch(const QTemporaryDir& dir, const QString& name) {
    const QString path = dir.filePath(name);
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::WriteOnly));
    return path;
}

/// A shown welcome page at the main window's usual size, with two existing project files.
class WelcomePageTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(m_dir.isValid());
        m_first = touch(m_dir, QStringLiteral("first.densito"));
        m_second = touch(m_dir, QStringLiteral("second.densito"));
        m_page.resize(1280, 800);
        m_page.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_page));
    }

    QListWidget* list() { return m_page.findChild<QListWidget*>(QStringLiteral("recentList")); }
    QAbstractButton* button(const char* name) {
        return m_page.findChild<QAbstractButton*>(QLatin1String(name));
    }

    QTemporaryDir m_dir;
    QString m_first;
    QString m_second;
    WelcomePage m_page;
};

TEST_F(WelcomePageTest, ShowsTheNameVersionAndIcon) {
    const auto* title = m_page.findChild<QLabel*>(QStringLiteral("titleLabel"));
    const auto* version = m_page.findChild<QLabel*>(QStringLiteral("versionLabel"));
    const auto* icon = m_page.findChild<QLabel*>(QStringLiteral("iconLabel"));
    ASSERT_NE(title, nullptr);
    ASSERT_NE(version, nullptr);
    ASSERT_NE(icon, nullptr);
    EXPECT_EQ(title->text(), QLatin1String(kProjectName));
    EXPECT_TRUE(version->text().contains(QLatin1String(kVersion)));
    EXPECT_FALSE(icon->pixmap().isNull());
}

TEST_F(WelcomePageTest, ListsExistingRecentProjectsAndHidesMissingOnes) {
    const QString missing = m_dir.filePath(QStringLiteral("deleted.densito"));
    m_page.setRecentProjects({m_second, missing, m_first});
    EXPECT_EQ(m_page.recentProjects(), QStringList({m_second, m_first}));
    ASSERT_NE(list(), nullptr);
    ASSERT_EQ(list()->count(), 2);
    EXPECT_EQ(list()->item(0)->text(), QStringLiteral("second.densito"));
    EXPECT_EQ(list()->item(1)->text(), QStringLiteral("first.densito"));
    EXPECT_TRUE(list()->item(0)->toolTip().endsWith(QStringLiteral("second.densito")));
    EXPECT_TRUE(list()->isVisible());
    EXPECT_FALSE(m_page.findChild<QLabel*>(QStringLiteral("noRecentLabel"))->isVisible());
}

TEST_F(WelcomePageTest, ShowsAHintInsteadOfAnEmptyList) {
    m_page.setRecentProjects({m_dir.filePath(QStringLiteral("deleted.densito"))});
    EXPECT_TRUE(m_page.recentProjects().isEmpty());
    EXPECT_FALSE(list()->isVisible());
    EXPECT_TRUE(m_page.findChild<QLabel*>(QStringLiteral("noRecentLabel"))->isVisible());
}

TEST_F(WelcomePageTest, EachButtonEmitsItsOwnSignal) {
    QSignalSpy sample(&m_page, &WelcomePage::sampleExperimentRequested);
    QSignalSpy project(&m_page, &WelcomePage::openProjectRequested);
    QSignalSpy images(&m_page, &WelcomePage::openImagesRequested);

    ASSERT_NE(button("sampleButton"), nullptr);
    QTest::mouseClick(button("sampleButton"), Qt::LeftButton);
    EXPECT_EQ(sample.count(), 1);
    EXPECT_EQ(project.count(), 0);
    EXPECT_EQ(images.count(), 0);

    ASSERT_NE(button("openProjectButton"), nullptr);
    QTest::mouseClick(button("openProjectButton"), Qt::LeftButton);
    EXPECT_EQ(sample.count(), 1);
    EXPECT_EQ(project.count(), 1);
    EXPECT_EQ(images.count(), 0);

    ASSERT_NE(button("openImagesButton"), nullptr);
    QTest::mouseClick(button("openImagesButton"), Qt::LeftButton);
    EXPECT_EQ(sample.count(), 1);
    EXPECT_EQ(project.count(), 1);
    EXPECT_EQ(images.count(), 1);
}

TEST_F(WelcomePageTest, ButtonsSayWhatTheyOpen) {
    EXPECT_EQ(button("sampleButton")->text(), QStringLiteral("Open the sample experiment"));
    EXPECT_TRUE(button("openProjectButton")->text().startsWith(QStringLiteral("Open project")));
    EXPECT_TRUE(button("openImagesButton")->text().startsWith(QStringLiteral("Open images")));
}

TEST_F(WelcomePageTest, DoubleClickingARecentProjectEmitsItsPath) {
    m_page.setRecentProjects({m_first, m_second});
    QSignalSpy activated(&m_page, &WelcomePage::recentProjectActivated);
    const QRect rect = list()->visualItemRect(list()->item(1));
    ASSERT_FALSE(rect.isEmpty());
    // What a window system delivers for a double-click: press, release, double-click, release.
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(list()->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseRelease(list()->viewport(), Qt::LeftButton, {}, rect.center());
    ASSERT_EQ(activated.count(), 1);
    EXPECT_EQ(activated.at(0).at(0).toString(), m_second);
}

TEST_F(WelcomePageTest, EnterOpensTheCurrentRecentProject) {
    m_page.setRecentProjects({m_first, m_second});
    QSignalSpy activated(&m_page, &WelcomePage::recentProjectActivated);
    list()->setFocus();
    list()->setCurrentRow(0);
    QTest::keyClick(list(), Qt::Key_Return);
    ASSERT_EQ(activated.count(), 1);
    EXPECT_EQ(activated.at(0).at(0).toString(), m_first);
}

TEST_F(WelcomePageTest, ASingleClickOnlySelects) {
    m_page.setRecentProjects({m_first, m_second});
    QSignalSpy activated(&m_page, &WelcomePage::recentProjectActivated);
    QTest::mouseClick(list()->viewport(), Qt::LeftButton, {},
                      list()->visualItemRect(list()->item(0)).center());
    EXPECT_EQ(list()->currentRow(), 0);
    EXPECT_EQ(activated.count(), 0);
}

/// RecentProjects on the test run's scratch settings, emptied before and after each test.
class RecentProjectsTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(m_dir.isValid());
        m_recent.clear();
        RecentFiles().clear();
    }
    void TearDown() override {
        m_recent.clear();
        RecentFiles().clear();
    }

    QTemporaryDir m_dir;
    RecentProjects m_recent;
};

TEST_F(RecentProjectsTest, PutsTheNewestFirstWithoutDuplicates) {
    const QString a = touch(m_dir, QStringLiteral("a.densito"));
    const QString b = touch(m_dir, QStringLiteral("b.densito"));
    QSignalSpy changed(&m_recent, &RecentFiles::changed);
    m_recent.add(a);
    m_recent.add(b);
    m_recent.add(a);
    EXPECT_EQ(m_recent.files(), QStringList({a, b}));
    EXPECT_EQ(changed.count(), 3);
}

TEST_F(RecentProjectsTest, StoresAbsolutePaths) {
    const QString a = touch(m_dir, QStringLiteral("a.densito"));
    const QString relative = QDir::current().relativeFilePath(a);
    ASSERT_NE(relative, a);
    m_recent.add(relative);
    EXPECT_EQ(m_recent.files(), QStringList({a}));
}

TEST_F(RecentProjectsTest, KeepsAtMostTheLimit) {
    QStringList added;
    for (int i = 0; i < RecentProjects::kMaxCount + 3; ++i) {
        added.prepend(touch(m_dir, QStringLiteral("p%1.densito").arg(i)));
        m_recent.add(added.first());
    }
    EXPECT_EQ(m_recent.files(), added.mid(0, RecentProjects::kMaxCount));
}

TEST_F(RecentProjectsTest, PersistsAcrossInstancesApartFromRecentImages) {
    const QString project = touch(m_dir, QStringLiteral("kept.densito"));
    const QString image = touch(m_dir, QStringLiteral("blot.tif"));
    m_recent.add(project);
    RecentFiles images;
    images.add(image);
    EXPECT_EQ(RecentProjects().files(), QStringList({project}));
    EXPECT_EQ(RecentFiles().files(), QStringList({image}));
}

TEST_F(RecentProjectsTest, LeavesOutDeletedFilesAndClears) {
    const QString kept = touch(m_dir, QStringLiteral("kept.densito"));
    const QString deleted = touch(m_dir, QStringLiteral("deleted.densito"));
    m_recent.add(kept);
    m_recent.add(deleted);
    ASSERT_TRUE(QFile::remove(deleted));
    EXPECT_EQ(m_recent.files(), QStringList({kept}));
    m_recent.clear();
    EXPECT_TRUE(RecentProjects().files().isEmpty());
}

TEST(SampleExperimentLocator, FindsTheSourceTreeExperiment) {
    const auto folder = sampleExperimentFolder();
    ASSERT_TRUE(folder.has_value());
    EXPECT_EQ(*folder, QDir::cleanPath(QStringLiteral(DENSITO_SOURCE_DIR) +
                                       QStringLiteral("/sample_blots/experiment")));
    EXPECT_TRUE(QFile::exists(*folder + QStringLiteral("/blots.csv")));
}

TEST(SampleExperimentLocator, SkipsFoldersWithoutBothLayoutSheets) {
    QTemporaryDir onlyBlots;
    QTemporaryDir complete;
    ASSERT_TRUE(onlyBlots.isValid() && complete.isValid());
    touch(onlyBlots, QStringLiteral("blots.csv"));
    touch(complete, QStringLiteral("blots.csv"));
    touch(complete, QStringLiteral("samples.csv"));
    const QString missing = onlyBlots.filePath(QStringLiteral("nowhere"));
    EXPECT_EQ(firstExperimentFolder({missing, onlyBlots.path(), complete.path()}),
              QDir::cleanPath(complete.path()));
    EXPECT_FALSE(firstExperimentFolder({missing, onlyBlots.path()}).has_value());
}

} // namespace
} // namespace densito
