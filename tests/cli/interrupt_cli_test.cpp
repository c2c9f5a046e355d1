// An interrupted densito-cli batch (SIGINT or SIGTERM) leaves only complete files and a
// run.json that says what finished.
#include "support/process.h"
#include "support/run_folder_check.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <thread>

namespace {

using densito::test::ChildProcess;
using densito::test::TempDir;
namespace fs = std::filesystem;

constexpr std::size_t kImages = 30;
constexpr int kExitInterrupted = 130; // src/cli/exit_codes.h: for SIGINT and SIGTERM alike

/// True once an image's overlay has been renamed into place, i.e. one image has finished.
bool hasFinishedImage(const fs::path& out) {
    std::error_code ec;
    for (fs::directory_iterator it(out / "overlays", ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".png" && it->path().filename().string().front() != '.') {
            return true;
        }
    }
    return false;
}

/// Starts a one-thread batch, sends `signal` once an image has finished and checks what the
/// run left behind. The signal may arrive after any number of images, including all of them
/// (a slow machine, or a fast one): the checks then hold for that outcome.
void interruptBatchWith(int signal) {
    TempDir dir;
    ASSERT_TRUE(densito::test::writeSyntheticBlots(dir / "in", static_cast<int>(kImages)));
    const fs::path out = dir / "out";
    ChildProcess cli(densito::test::cliArgv(
        {"analyze", (dir / "in").string(), "--out", out.string(), "--threads", "1"}));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while (!hasFinishedImage(out) && !cli.hasEnded() &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(hasFinishedImage(out)) << "no image finished in two minutes";
    cli.sendSignal(signal);
    const auto result = cli.wait();

    const auto check = densito::test::checkRunFolder(out, kImages);
    EXPECT_TRUE(check.problems.empty()) << describeProblems(check) << result.err;
    EXPECT_FALSE(check.finished.empty());
    if (check.isInterrupted) {
        EXPECT_EQ(result.exitCode, kExitInterrupted) << result.err;
        EXPECT_NE(result.err.find("interrupted: " + std::to_string(check.notStarted) + " image"),
                  std::string::npos)
            << result.err;
    } else {
        // The run had ended before the signal came: it either exited normally or was
        // stopped by the signal's default action while printing its summary.
        EXPECT_EQ(check.finished.size(), kImages);
        EXPECT_TRUE(result.exitCode == 0 || result.exitCode == 128 + signal)
            << result.exitCode << "\n"
            << result.err;
    }
}

TEST(CliInterrupt, SigintLeavesOnlyCompleteFilesAndRunJson) {
    interruptBatchWith(SIGINT);
}

TEST(CliInterrupt, SigtermLeavesOnlyCompleteFilesAndRunJson) {
    interruptBatchWith(SIGTERM);
}

} // namespace
