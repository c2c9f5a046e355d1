#include "gui/recent_files.h"

#include <QFileInfo>

namespace densito {
namespace {

const SettingKey<QStringList> kRecentFiles{"files/recent", {}};

} // namespace

RecentFiles::RecentFiles(QObject* parent) : RecentFiles(kRecentFiles, parent) {}

RecentFiles::RecentFiles(const SettingKey<QStringList>& key, QObject* parent)
    : QObject(parent), m_key(key) {}

QStringList RecentFiles::files() const {
    QStringList existing;
    for (const QString& file : m_key.value()) {
        if (QFileInfo::exists(file)) {
            existing.append(file);
        }
    }
    return existing;
}

void RecentFiles::add(const QString& fileName) {
    const QString absolute = QFileInfo(fileName).absoluteFilePath();
    QStringList list = m_key.value();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxCount) {
        list.removeLast();
    }
    m_key.setValue(list);
    emit changed();
}

void RecentFiles::clear() {
    m_key.remove();
    emit changed();
}

} // namespace densito
