#include "gui/log_panel.h"

#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QMetaObject>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QVBoxLayout>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/spdlog.h>

namespace densito {
namespace {

// Wide enough for the longest level name, so messages line up in the fixed-width font.
constexpr int kLevelWidth = 7;

QString levelName(LogPanel::Level level) {
    switch (level) {
    case LogPanel::Level::Debug:
        return QStringLiteral("debug");
    case LogPanel::Level::Info:
        return QStringLiteral("info");
    case LogPanel::Level::Warning:
        return QStringLiteral("warning");
    case LogPanel::Level::Error:
        return QStringLiteral("error");
    }
    return {};
}

std::optional<LogPanel::Level> panelLevel(spdlog::level::level_enum level) {
    switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
        return LogPanel::Level::Debug;
    case spdlog::level::info:
        return LogPanel::Level::Info;
    case spdlog::level::warn:
        return LogPanel::Level::Warning;
    case spdlog::level::err:
    case spdlog::level::critical:
        return LogPanel::Level::Error;
    default:
        return std::nullopt;
    }
}

/// The one sink added to the default logger; panels come and go behind it. dist_sink guards
/// its list with the same mutex it logs under, unlike the logger's own sink list.
const std::shared_ptr<spdlog::sinks::dist_sink_mt>& panelDistributor() {
    static const auto distributor = std::make_shared<spdlog::sinks::dist_sink_mt>();
    return distributor;
}

} // namespace

/// Forwards each message to its panel's thread. The panel pointer is read and cleared under
/// the sink's mutex, so a message is either queued before the panel detaches (and Qt drops it
/// if the panel is gone by delivery) or never.
class LogPanel::Sink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit Sink(LogPanel* panel) : m_panel(panel) {}

    void detach() {
        const std::lock_guard lock(mutex_);
        m_panel = nullptr;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& message) override {
        const std::optional<Level> level = panelLevel(message.level);
        if (m_panel == nullptr || !level) {
            return;
        }
        const qint64 msecs =
            std::chrono::duration_cast<std::chrono::milliseconds>(message.time.time_since_epoch())
                .count();
        QString text = QString::fromUtf8(message.payload.data(),
                                         static_cast<qsizetype>(message.payload.size()));
        LogPanel* panel = m_panel;
        QMetaObject::invokeMethod(
            panel,
            [panel, level = *level, msecs, text = std::move(text)] {
                panel->appendMessage(level, QDateTime::fromMSecsSinceEpoch(msecs), text);
            },
            Qt::QueuedConnection);
    }

    void flush_() override {}

private:
    LogPanel* m_panel;
};

LogPanel::LogPanel(QWidget* parent)
    : QWidget(parent), m_levelBox(new QComboBox), m_view(new QPlainTextEdit),
      m_sink(std::make_shared<Sink>(this)) {
    m_levelBox->setObjectName(QStringLiteral("levelBox"));
    for (const Level level : {Level::Debug, Level::Info, Level::Warning, Level::Error}) {
        QString name = levelName(level);
        name[0] = name[0].toUpper();
        m_levelBox->addItem(name, static_cast<int>(level));
    }
    m_levelBox->setCurrentIndex(static_cast<int>(m_minimumLevel));
    m_levelBox->setToolTip(tr("Show messages at this level and above"));
    auto* levelLabel = new QLabel(tr("&Show:"));
    levelLabel->setBuddy(m_levelBox);

    auto* clearButton = new QPushButton(tr("Clear"));
    clearButton->setObjectName(QStringLiteral("clearButton"));
    clearButton->setToolTip(tr("Remove all messages"));
    auto* copyButton = new QPushButton(tr("Copy"));
    copyButton->setObjectName(QStringLiteral("copyButton"));
    copyButton->setToolTip(tr("Copy the shown messages to the clipboard"));

    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setReadOnly(true);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setMaximumBlockCount(kMaxLines);
    m_view->setPlaceholderText(tr("Messages from loading and analysis appear here."));

    auto* bar = new QHBoxLayout;
    bar->addWidget(levelLabel);
    bar->addWidget(m_levelBox);
    bar->addStretch();
    bar->addWidget(clearButton);
    bar->addWidget(copyButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_view);

    connect(m_levelBox, &QComboBox::currentIndexChanged, this,
            [this] { setMinimumLevel(static_cast<Level>(m_levelBox->currentData().toInt())); });
    connect(clearButton, &QPushButton::clicked, this, &LogPanel::clear);
    connect(copyButton, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(text()); });
}

LogPanel::~LogPanel() {
    m_sink->detach();
    panelDistributor()->remove_sink(m_sink);
}

void LogPanel::installSpdlogSink() {
    const auto& distributor = panelDistributor();
    const std::shared_ptr<spdlog::logger> logger = spdlog::default_logger();
    std::vector<spdlog::sink_ptr>& sinks = logger->sinks();
    if (std::ranges::find(sinks, distributor) == sinks.end()) {
        // The logger's level was the only filter so far; move it onto the existing sinks so
        // lowering the logger for the panel does not flood the console with debug lines.
        for (const spdlog::sink_ptr& sink : sinks) {
            sink->set_level(std::max(sink->level(), logger->level()));
        }
        sinks.push_back(distributor);
        logger->set_level(std::min(logger->level(), spdlog::level::debug));
    }
    distributor->remove_sink(m_sink);
    distributor->add_sink(m_sink);
}

void LogPanel::appendMessage(Level level, const QDateTime& time, const QString& message) {
    QString text = message;
    while (text.endsWith(QLatin1Char('\n')) || text.endsWith(QLatin1Char('\r'))) {
        text.chop(1);
    }
    m_messages.push_back({level, time, text});
    if (m_messages.size() > static_cast<std::size_t>(kMaxLines)) {
        m_messages.pop_front();
    }
    if (level >= m_minimumLevel) {
        showMessage(m_messages.back());
    }
}

void LogPanel::setMinimumLevel(Level level) {
    if (level == m_minimumLevel) {
        return;
    }
    m_minimumLevel = level;
    m_levelBox->setCurrentIndex(m_levelBox->findData(static_cast<int>(level)));
    showAllMessages();
}

QString LogPanel::text() const {
    return m_view->toPlainText();
}

void LogPanel::clear() {
    m_messages.clear();
    m_view->clear();
}

void LogPanel::showMessage(const Message& message) {
    QScrollBar* scrollBar = m_view->verticalScrollBar();
    const bool isAtBottom = scrollBar->value() == scrollBar->maximum();
    QTextCharFormat format;
    if (message.level == Level::Warning) {
        format.setForeground(QColor(0xc0, 0x5a, 0x00));
    } else if (message.level == Level::Error) {
        format.setForeground(QColor(0xd0, 0x1c, 0x1c));
    }
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    if (!m_view->document()->isEmpty()) {
        cursor.insertBlock();
    }
    cursor.insertText(QStringLiteral("%1  %2  %3")
                          .arg(message.time.toString(QStringLiteral("HH:mm:ss")),
                               levelName(message.level).leftJustified(kLevelWidth), message.text),
                      format);
    // Follow new lines only when the user has not scrolled up to read older ones.
    if (isAtBottom) {
        scrollBar->setValue(scrollBar->maximum());
    }
}

void LogPanel::showAllMessages() {
    m_view->clear();
    for (const Message& message : m_messages) {
        if (message.level >= m_minimumLevel) {
            showMessage(message);
        }
    }
}

} // namespace densito
