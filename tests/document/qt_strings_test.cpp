#include "document/qt_strings.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <string>

namespace densito {
namespace {

TEST(QtStrings, Utf8TextKeepsEveryCharacter) {
    const std::string text = "Blot µ-2 — Anti-Aktin (Größe)";
    EXPECT_EQ(toQString(text).toStdString(), text);
    EXPECT_EQ(toQString(text).size(), 29);
}

TEST(QtStrings, PathsRoundTrip) {
    const std::filesystem::path path = "/tmp/blöts/antiActin 2024 µ.tif";
    EXPECT_EQ(toPath(toQString(path)), path);
    EXPECT_EQ(toQString(path), QStringLiteral("/tmp/blöts/antiActin 2024 µ.tif"));
}

} // namespace
} // namespace densito
