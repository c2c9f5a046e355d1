#pragma once

#include <QString>

#include <filesystem>
#include <string>
#include <string_view>

namespace densito {

/// Core strings are UTF-8 (messages, metadata tags); this is the one place they become Qt text.
QString toQString(std::string_view utf8);
QString toQString(const std::string& utf8);
QString toQString(const char* utf8);

/// A filesystem path as Qt text, decoded the way QFile encodes names on this platform.
QString toQString(const std::filesystem::path& path);

/// The inverse of toQString(path): a Qt file name as a filesystem path for the core.
std::filesystem::path toPath(const QString& fileName);

} // namespace densito
