#pragma once
// Test fixture: a clean document header.
#include <QObject>
