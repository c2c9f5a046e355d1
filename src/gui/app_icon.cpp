#include "gui/app_icon.h"

#include <QtGlobal>

#include <mutex>

// Q_INIT_RESOURCE must be called from the global namespace.
static void registerDensitoResources() {
    Q_INIT_RESOURCE(densito);
}

namespace densito {

QIcon applicationIcon() {
    static std::once_flag once;
    std::call_once(once, registerDensitoResources);
    return QIcon(QStringLiteral(":/icons/densito.svg"));
}

} // namespace densito
