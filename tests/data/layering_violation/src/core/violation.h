#pragma once
// Test fixture: a core header that wrongly includes Qt.
#include <QString>
