#include "core/io/atomic_file.h"

#include "support/file_io.h"
#include "support/temp_dir.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

namespace densito {
namespace {

using test::TempDir;

std::size_t entriesIn(const std::filesystem::path& folder) {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder)) {
        ++count;
    }
    return count;
}

TEST(AtomicFile, WritesTheContentAndLeavesNoTemporaryFile) {
    TempDir dir;
    const std::string content = std::string("{\"version\": 1}\n") + std::string(100000, 'x');
    ASSERT_TRUE(writeFileAtomically(dir / "run.json", content).has_value());
    EXPECT_EQ(test::readText(dir / "run.json"), content);
    EXPECT_EQ(entriesIn(dir.path()), 1u);
}

TEST(AtomicFile, ReplacesAnExistingFile) {
    TempDir dir;
    std::ofstream(dir / "run.json") << "old content that is longer than the new one";
    ASSERT_TRUE(writeFileAtomically(dir / "run.json", "new").has_value());
    EXPECT_EQ(test::readText(dir / "run.json"), "new");
    EXPECT_EQ(entriesIn(dir.path()), 1u);
}

TEST(AtomicFile, EmptyContent) {
    TempDir dir;
    ASSERT_TRUE(writeFileAtomically(dir / "empty.csv", "").has_value());
    EXPECT_TRUE(std::filesystem::exists(dir / "empty.csv"));
    EXPECT_EQ(std::filesystem::file_size(dir / "empty.csv"), 0u);
}

TEST(AtomicFile, MissingFolderIsAnErrorNamingTheFile) {
    TempDir dir;
    const auto result = writeFileAtomically(dir / "no_such_folder" / "bands.csv", "x");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().describe(), "bands.csv: cannot be written: No such file or directory");
    EXPECT_EQ(entriesIn(dir.path()), 0u);
}

TEST(AtomicFile, FolderInTheWayIsAnErrorAndLeavesNoTemporaryFile) {
    TempDir dir;
    std::filesystem::create_directory(dir / "lanes.csv");
    const auto result = writeFileAtomically(dir / "lanes.csv", "x");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().subject, "lanes.csv");
    EXPECT_EQ(result.error().reason.rfind("cannot be written: ", 0), 0u) << result.error().reason;
    EXPECT_EQ(entriesIn(dir.path()), 1u) << "only the folder itself";
    EXPECT_TRUE(std::filesystem::is_directory(dir / "lanes.csv"));
}

} // namespace
} // namespace densito
