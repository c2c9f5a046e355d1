#pragma once

#include <QDateTime>
#include <QString>
#include <QWidget>

#include <deque>
#include <memory>

class QComboBox;
class QPlainTextEdit;

namespace densito {

/// The Log panel: spdlog messages as "HH:MM:SS  level  message" lines, warnings in dark orange
/// and errors in red, with a minimum-level filter and Clear and Copy buttons. It keeps the
/// newest kMaxLines messages; the filter only hides lines, so lowering it shows them again.
///
/// Messages reach the panel only after installSpdlogSink(). They may be logged from any
/// thread: the sink queues each one to the panel's thread, so they appear once that thread's
/// event loop runs. A destroyed panel detaches its sink first, so later messages are dropped.
class LogPanel : public QWidget {
    Q_OBJECT

public:
    enum class Level { Debug, Info, Warning, Error };

    static constexpr int kMaxLines = 5000;

    explicit LogPanel(QWidget* parent = nullptr);
    ~LogPanel() override;

    /// Attaches this panel to spdlog's default logger until the panel is destroyed. The first
    /// call in a process adds one shared sink to that logger and lowers the logger to debug so
    /// the panel can offer debug lines; its other sinks keep showing what they showed before.
    /// Call that first time on the GUI thread before worker threads log (spdlog's sink list is
    /// not guarded); later calls and panel destruction are safe at any time.
    void installSpdlogSink();

    /// Adds a message (trailing line breaks removed); call on the panel's thread.
    void appendMessage(Level level, const QDateTime& time, const QString& message);

    Level minimumLevel() const { return m_minimumLevel; }
    /// Shows only messages at `level` or above (also what the level box selects).
    void setMinimumLevel(Level level);

    /// The lines shown, as Copy puts them on the clipboard.
    QString text() const;
    /// How many messages are kept, shown or not.
    int messageCount() const { return static_cast<int>(m_messages.size()); }
    void clear();

private:
    class Sink;
    struct Message {
        Level level;
        QDateTime time;
        QString text;
    };

    void showMessage(const Message& message);
    void showAllMessages();

    std::deque<Message> m_messages;
    Level m_minimumLevel = Level::Info;
    QComboBox* m_levelBox = nullptr;
    QPlainTextEdit* m_view = nullptr;
    std::shared_ptr<Sink> m_sink;
};

} // namespace densito
