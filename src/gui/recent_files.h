#pragma once

#include "gui/setting_key.h"

#include <QObject>
#include <QStringList>

namespace densito {

/// A most-recently-used list of files, newest first, kept in QSettings across sessions under
/// one key; by default the image files the user opened (RecentProjects keeps .densito files).
/// Paths are stored absolute and unique; the list holds at most kMaxCount entries.
class RecentFiles : public QObject {
    Q_OBJECT

public:
    static constexpr int kMaxCount = 10;

    /// The recently opened image files.
    explicit RecentFiles(QObject* parent = nullptr);
    /// A list stored under `key`; two instances with the same key share one list.
    RecentFiles(const SettingKey<QStringList>& key, QObject* parent);

    /// The stored list, without files that no longer exist.
    QStringList files() const;
    /// Puts `fileName` first (moving it up if already listed).
    void add(const QString& fileName);
    void clear();

signals:
    void changed();

private:
    SettingKey<QStringList> m_key;
};

} // namespace densito
