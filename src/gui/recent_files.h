#pragma once

#include <QObject>
#include <QStringList>

namespace densito {

/// The most recently opened image files, newest first, kept in QSettings across sessions.
/// Paths are stored absolute and unique; the list holds at most kMaxCount entries.
class RecentFiles : public QObject {
    Q_OBJECT

public:
    static constexpr int kMaxCount = 10;

    explicit RecentFiles(QObject* parent = nullptr);

    /// The stored list, without files that no longer exist.
    QStringList files() const;
    /// Puts `fileName` first (moving it up if already listed).
    void add(const QString& fileName);
    void clear();

signals:
    void changed();
};

} // namespace densito
