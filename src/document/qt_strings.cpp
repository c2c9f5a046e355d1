#include "document/qt_strings.h"

#include <QFile>

namespace densito {

QString toQString(std::string_view utf8) {
    return QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size()));
}

QString toQString(const std::string& utf8) {
    return toQString(std::string_view(utf8));
}

QString toQString(const char* utf8) {
    return toQString(std::string_view(utf8 == nullptr ? "" : utf8));
}

QString toQString(const std::filesystem::path& path) {
    return QFile::decodeName(QByteArray::fromStdString(path.native()));
}

std::filesystem::path toPath(const QString& fileName) {
    return std::filesystem::path(QFile::encodeName(fileName).toStdString());
}

} // namespace densito
