#pragma once

#include <QIcon>

namespace densito {

/// The Densito application icon (resources/icons/densito.svg, compiled into densito_gui).
/// Registers the library's Qt resources on first use, as a static library must.
QIcon applicationIcon();

} // namespace densito
