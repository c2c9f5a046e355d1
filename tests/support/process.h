#pragma once

#include "support/temp_dir.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace densito::test {

struct ProcessResult {
    int exitCode = -1; ///< the process's exit status; 128 + signal number when killed
    std::string out;   ///< everything written to stdout
    std::string err;   ///< everything written to stderr
};

/// A child process running argv[0] with the given arguments (no shell), stdin from
/// /dev/null, stdout and stderr captured in files, so a test can watch it and signal it
/// while it runs. The destructor kills (SIGKILL) and reaps a child that was not waited for,
/// so a failing test leaves no process behind. Use from one thread.
class ChildProcess {
public:
    explicit ChildProcess(const std::vector<std::string>& argv);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return m_pid; }
    /// Sends `signal`; false when the child has already been reaped or kill() fails.
    bool sendSignal(int signal) const;
    /// True once the child has ended (it is then reaped; wait() returns at once).
    bool hasEnded();
    /// Waits for the child to end and returns its exit code and output.
    ProcessResult wait();

private:
    TempDir m_scratch;
    pid_t m_pid = -1;
    bool m_isReaped = false;
    int m_status = 0;
};

/// Runs argv[0] with the given arguments (no shell), waits for it and captures its output.
ProcessResult runProcess(const std::vector<std::string>& argv);

/// Runs the built densito-cli with `args`.
ProcessResult runCli(const std::vector<std::string>& args);

/// argv for the built densito-cli with `args`, for ChildProcess.
std::vector<std::string> cliArgv(const std::vector<std::string>& args);

} // namespace densito::test
