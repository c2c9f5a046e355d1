#include "core/pipeline/input_files.h"

#include "support/temp_dir.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <vector>

namespace densito {
namespace {

using test::TempDir;

void touch(const std::filesystem::path& path) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << "x";
}

/// The files relative to `root`, as generic strings, in the order given.
std::vector<std::string> relativeTo(const std::filesystem::path& root,
                                    const std::vector<std::filesystem::path>& files) {
    std::vector<std::string> names;
    for (const auto& file : files) {
        names.push_back(file.lexically_relative(root).generic_string());
    }
    return names;
}

class InputFilesTree : public testing::Test {
protected:
    void SetUp() override {
        for (const char* name : {"z.tiff", "b.PNG", "a.tif", "sub/d.jpeg", "sub/c.jpg",
                                 "sub/deeper/e.tif", "notes.txt", "blot.1sc", ".hidden.tif",
                                 ".cache/f.tif", "results/overlays/g.png", "results/h.tif"}) {
            touch(m_dir / name);
        }
    }

    TempDir m_dir;
};

TEST_F(InputFilesTree, FolderIsSearchedRecursivelyAndSorted) {
    const InputFiles inputs = collectInputFiles({m_dir.path()}, m_dir / "results");
    EXPECT_TRUE(inputs.problems.empty());
    EXPECT_EQ(relativeTo(m_dir.path(), inputs.files),
              (std::vector<std::string>{"a.tif", "b.PNG", "sub/c.jpg", "sub/d.jpeg",
                                        "sub/deeper/e.tif", "z.tiff"}));
}

TEST_F(InputFilesTree, WithoutAnExcludedFolderEverythingVisibleIsFound) {
    const InputFiles inputs = collectInputFiles({m_dir.path()});
    EXPECT_EQ(relativeTo(m_dir.path(), inputs.files),
              (std::vector<std::string>{"a.tif", "b.PNG", "results/h.tif", "results/overlays/g.png",
                                        "sub/c.jpg", "sub/d.jpeg", "sub/deeper/e.tif", "z.tiff"}));
}

TEST_F(InputFilesTree, ExcludedFolderGivenByAnotherSpellingIsStillSkipped) {
    const InputFiles inputs =
        collectInputFiles({m_dir.path()}, m_dir / "sub" / ".." / "results" / "");
    for (const auto& file : inputs.files) {
        EXPECT_EQ(file.string().find("results"), std::string::npos) << file;
    }
    EXPECT_EQ(inputs.files.size(), 6u);
}

TEST_F(InputFilesTree, FileIsTakenWhateverItsExtension) {
    const InputFiles inputs = collectInputFiles({m_dir / "notes.txt", m_dir / ".hidden.tif"});
    EXPECT_TRUE(inputs.problems.empty());
    EXPECT_EQ(relativeTo(m_dir.path(), inputs.files),
              (std::vector<std::string>{"notes.txt", ".hidden.tif"}));
}

TEST_F(InputFilesTree, InputsKeepTheirOrderAndDuplicatesAreDropped) {
    const InputFiles inputs =
        collectInputFiles({m_dir / "z.tiff", m_dir / "sub", m_dir.path(), m_dir / "sub/../a.tif"});
    EXPECT_EQ(
        relativeTo(m_dir.path(), inputs.files),
        (std::vector<std::string>{"z.tiff", "sub/c.jpg", "sub/d.jpeg", "sub/deeper/e.tif", "a.tif",
                                  "b.PNG", "results/h.tif", "results/overlays/g.png"}));
}

TEST_F(InputFilesTree, MissingInputIsReportedAndTheRestCollected) {
    const auto missing = m_dir / "no_such_folder";
    const InputFiles inputs = collectInputFiles({missing, m_dir / "a.tif"});
    ASSERT_EQ(inputs.problems.size(), 1u);
    EXPECT_EQ(inputs.problems[0].subject, missing.string());
    EXPECT_EQ(inputs.problems[0].reason, "does not exist");
    EXPECT_EQ(relativeTo(m_dir.path(), inputs.files), (std::vector<std::string>{"a.tif"}));
}

TEST(InputFiles, EmptyFolderGivesNoFilesAndNoProblems) {
    TempDir dir;
    const InputFiles inputs = collectInputFiles({dir.path()});
    EXPECT_TRUE(inputs.files.empty());
    EXPECT_TRUE(inputs.problems.empty());
}

} // namespace
} // namespace densito
