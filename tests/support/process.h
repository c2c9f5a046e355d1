#pragma once

#include <string>
#include <vector>

namespace densito::test {

struct ProcessResult {
    int exitCode = -1; ///< the process's exit status; 128 + signal number when killed
    std::string out;   ///< everything written to stdout
    std::string err;   ///< everything written to stderr
};

/// Runs argv[0] with the given arguments (no shell), waits for it and captures its output.
ProcessResult runProcess(const std::vector<std::string>& argv);

/// Runs the built densito-cli with `args`.
ProcessResult runCli(const std::vector<std::string>& args);

} // namespace densito::test
