#pragma once

#include "gui/recent_files.h"

namespace densito {

/// The most recently opened or saved project files (.densito), newest first, kept in QSettings
/// apart from the recent image files; same rules as RecentFiles (absolute, unique, at most
/// kMaxCount, missing files left out of files()).
class RecentProjects : public RecentFiles {
    Q_OBJECT

public:
    explicit RecentProjects(QObject* parent = nullptr);
};

} // namespace densito
