// The densito executable answers --version and --help before it starts Qt, so they work
// where no display exists (packaging checks, CI, ssh).

#include "core/version.h"

#include "support/process.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <string>

namespace densito {
namespace {

/// Runs the built densito with no display of any kind in its environment.
test::ProcessResult runWithoutDisplay(const std::string& argument) {
    ::unsetenv("DISPLAY");
    ::unsetenv("WAYLAND_DISPLAY");
    ::unsetenv("QT_QPA_PLATFORM");
    const test::ProcessResult result = test::runProcess({DENSITO_GUI_PATH, argument});
    ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
    return result;
}

TEST(DensitoApp, VersionWorksWithoutADisplay) {
    const test::ProcessResult result = runWithoutDisplay("--version");
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(result.out, std::string("densito ") + kVersion + "\n");
}

TEST(DensitoApp, HelpWorksWithoutADisplay) {
    const test::ProcessResult result = runWithoutDisplay("--help");
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("Usage: densito"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("--version"), std::string::npos);
}

} // namespace
} // namespace densito
