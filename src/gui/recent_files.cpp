#include "gui/recent_files.h"

#include "gui/setting_key.h"

#include <QFileInfo>

namespace densito {
namespace {

const SettingKey<QStringList> kRecentFiles{"files/recent", {}};

} // namespace

RecentFiles::RecentFiles(QObject* parent) : QObject(parent) {}

QStringList RecentFiles::files() const {
    QStringList existing;
    for (const QString& file : kRecentFiles.value()) {
        if (QFileInfo::exists(file)) {
            existing.append(file);
        }
    }
    return existing;
}

void RecentFiles::add(const QString& fileName) {
    const QString absolute = QFileInfo(fileName).absoluteFilePath();
    QStringList list = kRecentFiles.value();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxCount) {
        list.removeLast();
    }
    kRecentFiles.setValue(list);
    emit changed();
}

void RecentFiles::clear() {
    kRecentFiles.remove();
    emit changed();
}

} // namespace densito
