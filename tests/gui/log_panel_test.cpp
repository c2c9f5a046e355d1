#include "gui/log_panel.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTest>
#include <QTextBlock>

#include <gtest/gtest.h>
#include <memory>
#include <spdlog/spdlog.h>
#include <thread>

namespace densito {
namespace {

constexpr int kWaitMs = 5000;

QStringList lines(const LogPanel& panel) {
    return panel.text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

/// The text colour of the line holding `needle` in the panel's view.
QColor lineColor(const LogPanel& panel, const QString& needle) {
    const auto* view = panel.findChild<QPlainTextEdit*>(QStringLiteral("logView"));
    for (QTextBlock block = view->document()->begin(); block.isValid(); block = block.next()) {
        if (block.text().contains(needle)) {
            return block.begin().fragment().charFormat().foreground().color();
        }
    }
    return {};
}

void appendAt(LogPanel& panel, LogPanel::Level level, const QString& text) {
    panel.appendMessage(level, QDateTime(QDate(2024, 5, 6), QTime(13, 4, 5)), text);
}

TEST(LogPanel, ShowsAWarningLoggedFromAnotherThread) {
    LogPanel panel;
    panel.installSpdlogSink();
    std::thread worker([] { spdlog::warn("lane detection fell back to {} lanes", 12); });
    worker.join();
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel.messageCount() == 1; }, kWaitMs));
    const QStringList shown = lines(panel);
    ASSERT_EQ(shown.size(), 1);
    EXPECT_TRUE(
        QRegularExpression(
            QStringLiteral(R"(^\d\d:\d\d:\d\d  warning  lane detection fell back to 12 lanes$)"))
            .match(shown[0])
            .hasMatch())
        << shown[0].toStdString();
}

TEST(LogPanel, KeepsTheOrderOfManyMessagesFromSeveralThreads) {
    LogPanel panel;
    panel.installSpdlogSink();
    // Debug lines reach the panel but not the console, which keeps the test output short.
    panel.setMinimumLevel(LogPanel::Level::Debug);
    constexpr int kPerThread = 200;
    std::thread first([] {
        for (int i = 0; i < kPerThread; ++i) {
            spdlog::debug("first {}", i);
        }
    });
    std::thread second([] {
        for (int i = 0; i < kPerThread; ++i) {
            spdlog::debug("second {}", i);
        }
    });
    first.join();
    second.join();
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel.messageCount() == 2 * kPerThread; }, kWaitMs));
    const QStringList shown = lines(panel);
    ASSERT_EQ(shown.size(), 2 * kPerThread);
    int nextFirst = 0;
    for (const QString& line : shown) {
        if (line.contains(QStringLiteral("debug    first "))) {
            EXPECT_TRUE(line.endsWith(QStringLiteral("first %1").arg(nextFirst)))
                << line.toStdString();
            ++nextFirst;
        }
    }
    EXPECT_EQ(nextFirst, kPerThread);
}

TEST(LogPanel, ShowsDebugMessagesFromSpdlogWhenAskedTo) {
    LogPanel panel;
    panel.installSpdlogSink();
    panel.setMinimumLevel(LogPanel::Level::Debug);
    spdlog::debug("band rows matched: {}", 3);
    ASSERT_TRUE(QTest::qWaitFor([&] { return panel.messageCount() == 1; }, kWaitMs));
    EXPECT_TRUE(panel.text().endsWith(QStringLiteral("debug    band rows matched: 3")))
        << panel.text().toStdString();
}

TEST(LogPanel, ColoursWarningsAndErrors) {
    LogPanel panel;
    appendAt(panel, LogPanel::Level::Info, QStringLiteral("loaded"));
    appendAt(panel, LogPanel::Level::Warning, QStringLiteral("saturated"));
    appendAt(panel, LogPanel::Level::Error, QStringLiteral("unreadable"));
    EXPECT_EQ(lines(panel), QStringList({QStringLiteral("13:04:05  info     loaded"),
                                         QStringLiteral("13:04:05  warning  saturated"),
                                         QStringLiteral("13:04:05  error    unreadable")}));
    const QColor warning = lineColor(panel, QStringLiteral("saturated"));
    const QColor error = lineColor(panel, QStringLiteral("unreadable"));
    EXPECT_GT(warning.red(), warning.blue() + 100);
    EXPECT_GT(warning.green(), warning.blue() + 40);
    EXPECT_GT(error.red(), error.green() + 100);
    EXPECT_LT(error.green(), 64);
    EXPECT_NE(lineColor(panel, QStringLiteral("loaded")), warning);
}

TEST(LogPanel, LevelFilterHidesLowerLevelsAndShowsThemAgain) {
    LogPanel panel;
    auto* box = panel.findChild<QComboBox*>(QStringLiteral("levelBox"));
    ASSERT_NE(box, nullptr);
    ASSERT_EQ(box->count(), 4);
    box->setCurrentIndex(box->findText(QStringLiteral("Debug")));
    EXPECT_EQ(panel.minimumLevel(), LogPanel::Level::Debug);
    appendAt(panel, LogPanel::Level::Debug, QStringLiteral("profile baseline"));
    appendAt(panel, LogPanel::Level::Info, QStringLiteral("analysed 3 images"));
    appendAt(panel, LogPanel::Level::Warning, QStringLiteral("weak band"));
    EXPECT_EQ(lines(panel).size(), 3);

    box->setCurrentIndex(box->findText(QStringLiteral("Info")));
    EXPECT_EQ(panel.minimumLevel(), LogPanel::Level::Info);
    EXPECT_FALSE(panel.text().contains(QStringLiteral("profile baseline")));
    EXPECT_EQ(lines(panel).size(), 2);

    box->setCurrentIndex(box->findText(QStringLiteral("Warning")));
    EXPECT_EQ(lines(panel), QStringList({QStringLiteral("13:04:05  warning  weak band")}));
    appendAt(panel, LogPanel::Level::Debug, QStringLiteral("hidden on arrival"));
    EXPECT_EQ(lines(panel).size(), 1);

    panel.setMinimumLevel(LogPanel::Level::Debug);
    EXPECT_EQ(box->currentText(), QStringLiteral("Debug"));
    EXPECT_EQ(lines(panel).size(), 4);
    EXPECT_EQ(panel.messageCount(), 4);
}

TEST(LogPanel, ClearEmptiesItAndCopyTakesTheShownLines) {
    LogPanel panel;
    appendAt(panel, LogPanel::Level::Info, QStringLiteral("one"));
    appendAt(panel, LogPanel::Level::Error, QStringLiteral("two"));
    auto* copy = panel.findChild<QAbstractButton*>(QStringLiteral("copyButton"));
    auto* clear = panel.findChild<QAbstractButton*>(QStringLiteral("clearButton"));
    ASSERT_NE(copy, nullptr);
    ASSERT_NE(clear, nullptr);

    QTest::mouseClick(copy, Qt::LeftButton);
    EXPECT_EQ(QApplication::clipboard()->text(),
              QStringLiteral("13:04:05  info     one\n13:04:05  error    two"));

    QTest::mouseClick(clear, Qt::LeftButton);
    EXPECT_TRUE(panel.text().isEmpty());
    EXPECT_EQ(panel.messageCount(), 0);
    panel.setMinimumLevel(LogPanel::Level::Debug);
    EXPECT_TRUE(panel.text().isEmpty());
}

TEST(LogPanel, KeepsOnlyTheNewestLines) {
    LogPanel panel;
    const int total = LogPanel::kMaxLines + 10;
    for (int i = 0; i < total; ++i) {
        appendAt(panel, LogPanel::Level::Info, QStringLiteral("message %1").arg(i));
    }
    EXPECT_EQ(panel.messageCount(), LogPanel::kMaxLines);
    const QStringList shown = lines(panel);
    ASSERT_EQ(shown.size(), LogPanel::kMaxLines);
    EXPECT_TRUE(shown.first().endsWith(QStringLiteral("message 10")));
    EXPECT_TRUE(shown.last().endsWith(QStringLiteral("message %1").arg(total - 1)));
}

TEST(LogPanel, DestroyedPanelNoLongerReceivesMessages) {
    auto gone = std::make_unique<LogPanel>();
    gone->installSpdlogSink();
    LogPanel kept;
    kept.installSpdlogSink();
    std::thread worker([] { spdlog::warn("before"); });
    worker.join();
    gone.reset();
    std::thread late([] { spdlog::warn("after"); });
    late.join();
    ASSERT_TRUE(QTest::qWaitFor([&] { return kept.messageCount() == 2; }, kWaitMs));
    QApplication::processEvents();
    EXPECT_EQ(kept.messageCount(), 2);
    EXPECT_TRUE(kept.text().endsWith(QStringLiteral("warning  after")));
}

} // namespace
} // namespace densito
