// densito-cli never writes an input: the output folder may not be an input folder, lie inside
// one, or hold an input, and no input is opened for writing (checked under strace).
#include "support/process.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using densito::test::runCli;
using densito::test::TempDir;
namespace fs = std::filesystem;

const fs::path kExperiment = fs::path(DENSITO_SOURCE_DIR) / "sample_blots" / "experiment";

/// Every file below `folder` with its bytes and modification time.
std::map<std::string, std::pair<std::string, fs::file_time_type>> snapshot(const fs::path& folder) {
    std::map<std::string, std::pair<std::string, fs::file_time_type>> files;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        std::ifstream in(entry.path(), std::ios::binary);
        std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        files[entry.path().string()] = {std::move(bytes), entry.last_write_time()};
    }
    return files;
}

/// A folder of two synthetic blots in dir/in.
struct Inputs {
    TempDir dir;
    fs::path in = dir / "in";
    Inputs() { EXPECT_TRUE(densito::test::writeSyntheticBlots(in, 2)); }
};

TEST(CliOutputFolder, EqualToAnInputFolderIsRefused) {
    Inputs inputs;
    const auto before = snapshot(inputs.in);
    const auto result = runCli({"analyze", inputs.in.string(), "--out", inputs.in.string()});
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_NE(result.err.find("is the input folder " + inputs.in.string()), std::string::npos)
        << result.err;
    EXPECT_EQ(snapshot(inputs.in), before);
}

TEST(CliOutputFolder, DeepInsideAnInputFolderIsRefused) {
    Inputs inputs;
    const auto result =
        runCli({"analyze", inputs.in.string(), "--out", (inputs.in / "a" / "b" / "..").string()});
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_NE(result.err.find("is inside the input folder"), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(inputs.in / "a"));
}

TEST(CliOutputFolder, FolderOfAnInputFileIsRefused) {
    Inputs inputs;
    const fs::path file = inputs.in / "blot_1.tif";
    const auto before = snapshot(inputs.in);
    // The same folder written differently ("in/./") is still the input's folder.
    const auto result =
        runCli({"analyze", file.string(), "--out", (inputs.in / ".").string(), "--threads", "1"});
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_NE(result.err.find("holds the input file " + file.string()), std::string::npos)
        << result.err;
    EXPECT_EQ(snapshot(inputs.in), before);
}

TEST(CliOutputFolder, InputFileAsOutputIsRefused) {
    Inputs inputs;
    const fs::path file = inputs.in / "blot_1.tif";
    const auto result = runCli({"analyze", file.string(), "--out", file.string()});
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_NE(result.err.find("is the input file " + file.string()), std::string::npos)
        << result.err;
}

TEST(CliOutputFolder, FolderHoldingAnInputFolderIsRefused) {
    // Images in project/overlays analysed into project would be replaced by their overlays.
    TempDir dir;
    const fs::path images = dir / "project" / "overlays";
    ASSERT_TRUE(densito::test::writeSyntheticBlots(images, 1));
    const auto before = snapshot(dir / "project");
    const auto result = runCli({"analyze", images.string(), "--out", (dir / "project").string()});
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_NE(result.err.find("holds the input folder " + images.string()), std::string::npos)
        << result.err;
    EXPECT_EQ(snapshot(dir / "project"), before);
}

constexpr const char* kWriteFlags[] = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"};

/// The quoted arguments of one strace line ("..." with backslash escapes kept as written).
std::vector<std::string> quotedArguments(const std::string& line) {
    std::vector<std::string> arguments;
    for (std::size_t i = line.find('"'); i != std::string::npos; i = line.find('"', i + 1)) {
        std::string argument;
        for (++i; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] == '\\' && i + 1 < line.size()) {
                argument += line[i++];
            }
            argument += line[i];
        }
        arguments.push_back(argument);
    }
    return arguments;
}

/// The system calls in an `strace -f` log that could change `path` or a file below it:
/// opening for writing, creating, truncating, renaming and unlinking. (Plain string parsing:
/// <regex> trips GCC 12's maybe-uninitialized warning in the sanitizer build.)
std::vector<std::string> writesTo(const std::string& log, const fs::path& path) {
    static const std::set<std::string> changing = {"open",      "openat", "creat",
                                                   "truncate",  "rename", "renameat",
                                                   "renameat2", "unlink", "unlinkat"};
    const std::string prefix = path.string();
    std::vector<std::string> found;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
        const std::size_t open = line.find('(');
        if (open == std::string::npos) {
            continue;
        }
        const std::size_t nameStart = line.find_last_of(' ', open);
        const std::string name =
            line.substr(nameStart == std::string::npos ? 0 : nameStart + 1,
                        open - (nameStart == std::string::npos ? 0 : nameStart + 1));
        if (!changing.contains(name)) {
            continue;
        }
        const bool writes =
            std::any_of(std::begin(kWriteFlags), std::end(kWriteFlags),
                        [&](const char* flag) { return line.find(flag) != std::string::npos; });
        if ((name == "open" || name == "openat") && !writes) {
            continue;
        }
        for (const std::string& argument : quotedArguments(line)) {
            if (argument == prefix || argument.starts_with(prefix + "/")) {
                found.push_back(line);
            }
        }
    }
    return found;
}

/// How strace shows `path` opened read-only: `"<path>", O_RDONLY`.
std::string openedReadOnly(const fs::path& path) {
    std::string text(1, '"');
    text += path.string();
    text += "\", O_RDONLY";
    return text;
}

TEST(CliInputs, AreNeverOpenedForWriting) {
    if (runCli({}).exitCode < 0 ||
        densito::test::runProcess({"/usr/bin/strace", "-o", "/dev/null", "/bin/true"}).exitCode !=
            0) {
        GTEST_SKIP() << "strace is not installed or cannot trace here";
    }
    TempDir dir;
    const fs::path in = dir / "experiment";
    fs::copy(kExperiment, in, fs::copy_options::recursive);
    const auto before = snapshot(in);
    const fs::path log = dir / "strace.log";
    const auto result = densito::test::runProcess(
        {"/usr/bin/strace", "-f", "-s", "4096", "-o", log.string(), "-e",
         "trace=open,openat,creat,truncate,rename,renameat,renameat2,unlink,unlinkat",
         DENSITO_CLI_PATH, "analyze", in.string(), "--out", (dir / "out").string(), "--blots",
         (in / "blots.csv").string(), "--samples", (in / "samples.csv").string()});
    ASSERT_EQ(result.exitCode, 0) << result.err;

    std::ifstream logFile(log);
    const std::string trace{std::istreambuf_iterator<char>(logFile),
                            std::istreambuf_iterator<char>()};
    // The trace does see the inputs being read (so the check below can fail)...
    EXPECT_NE(trace.find(openedReadOnly(in / "membrane1_p-Akt_Ser473.tif")), std::string::npos);
    EXPECT_NE(trace.find(openedReadOnly(in / "samples.csv")), std::string::npos);
    // ... and the outputs being written, but nothing that could change an input.
    EXPECT_FALSE(writesTo(trace, dir / "out").empty());
    const auto writes = writesTo(trace, in);
    EXPECT_TRUE(writes.empty()) << writes.front();
    EXPECT_EQ(snapshot(in), before);
}

} // namespace
