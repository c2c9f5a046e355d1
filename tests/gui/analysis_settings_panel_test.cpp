// The analysis settings panel edits the current image's settings through the document (one
// undoable step, re-measured); the display contrast changes the picture, never the numbers.
#include "document/blot_document.h"
#include "document/project_document.h"
#include "gui/analysis_settings_panel.h"
#include "gui/main_window.h"

#include "gui_test_support.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QTest>
#include <QUndoStack>

#include <gtest/gtest.h>
#include <vector>

namespace densito {
namespace {

class SettingsAndContrastTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_file = test::writeImage(m_dir, "blot.tif", test::makeSyntheticBlot({}));
        m_window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_window));
        m_window.openFiles({m_file});
        ASSERT_TRUE(QTest::qWaitFor([&] { return m_window.project().imageCount() == 1; },
                                    test::kLoadTimeoutMs));
        ASSERT_TRUE(test::waitForProject(m_window.project()));
        QApplication::processEvents();
    }

    test::TempDir m_dir;
    QString m_file;
    MainWindow m_window;
};

TEST_F(SettingsAndContrastTest, ChoosingABackgroundMethodRemeasuresAndUndoes) {
    ProjectDocument& project = m_window.project();
    auto* panel = m_window.findChild<AnalysisSettingsPanel*>();
    ASSERT_NE(panel, nullptr);
    auto* background = panel->findChild<QComboBox*>(QStringLiteral("backgroundCombo"));
    ASSERT_NE(background, nullptr);
    const std::vector<double> before = test::volumesOf(project.analysis(0));
    ASSERT_EQ(project.image(0).settings.background.kind, BackgroundKind::BorderMedian);

    background->setCurrentIndex(3); // None
    QApplication::processEvents();
    EXPECT_EQ(project.image(0).settings.background.kind, BackgroundKind::None);
    EXPECT_EQ(project.analysis(0).backgroundMethod, "none");
    const std::vector<double> without = test::volumesOf(project.analysis(0));
    ASSERT_EQ(without.size(), before.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
        EXPECT_GT(without[i], before[i]) << "band " << i; // nothing subtracted now
    }

    project.undoStack()->undo();
    QApplication::processEvents();
    EXPECT_EQ(project.image(0).settings.background.kind, BackgroundKind::BorderMedian);
    EXPECT_EQ(test::volumesOf(project.analysis(0)), before);
    EXPECT_EQ(background->currentIndex(), 0); // the panel follows the undo
}

TEST_F(SettingsAndContrastTest, DisplayContrastChangesThePictureNotTheNumbers) {
    BlotDocument& display = m_window.document();
    const QImage automatic = display.displayImage();
    const std::vector<double> before = test::volumesOf(m_window.project().analysis(0));
    const DisplayRange range = display.displayRange();
    const int steps = m_window.project().undoStack()->count();

    display.setDisplayRange({range.lowRaw, range.highRaw, 0.5});
    EXPECT_FALSE(display.isDisplayRangeAutomatic());
    EXPECT_NE(display.displayImage(), automatic);
    // A mid-grey raw value is brighter with gamma 0.5 than linear.
    const double middle = 0.5 * (range.lowRaw + range.highRaw);
    EXPECT_GT(displayGrey(middle, display.displayRange(), false),
              displayGrey(middle, range, false));
    EXPECT_EQ(test::volumesOf(m_window.project().analysis(0)), before);
    EXPECT_EQ(m_window.project().undoStack()->count(), steps); // not an edit of the project

    auto* autoButton = m_window.findChild<QPushButton*>(QStringLiteral("contrastAuto"));
    ASSERT_NE(autoButton, nullptr);
    autoButton->click();
    EXPECT_TRUE(display.isDisplayRangeAutomatic());
    EXPECT_EQ(display.displayImage(), automatic);
}

} // namespace
} // namespace densito
