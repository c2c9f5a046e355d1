#include "gui/recent_projects.h"

namespace densito {
namespace {

const SettingKey<QStringList> kRecentProjects{"projects/recent", {}};

} // namespace

RecentProjects::RecentProjects(QObject* parent) : RecentFiles(kRecentProjects, parent) {}

} // namespace densito
