#include "support/process.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace densito::test {
namespace {

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
    const auto outPath = m_scratch / "stdout";
    const auto errPath = m_scratch / "stderr";
    // Everything the child needs is prepared before fork(): after it, only async-signal-safe
    // calls are allowed in a possibly multi-threaded parent.
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    m_pid = ::fork();
    if (m_pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (m_pid == 0) {
        const int outFd = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int errFd = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int nullFd = ::open("/dev/null", O_RDONLY);
        if (outFd < 0 || errFd < 0 || nullFd < 0) {
            ::_exit(127);
        }
        ::dup2(nullFd, STDIN_FILENO);
        ::dup2(outFd, STDOUT_FILENO);
        ::dup2(errFd, STDERR_FILENO);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
}

ChildProcess::~ChildProcess() {
    if (!m_isReaped) {
        ::kill(m_pid, SIGKILL);
        while (::waitpid(m_pid, &m_status, 0) < 0 && errno == EINTR) {
        }
    }
}

bool ChildProcess::sendSignal(int signal) const {
    return !m_isReaped && ::kill(m_pid, signal) == 0;
}

bool ChildProcess::hasEnded() {
    if (!m_isReaped && ::waitpid(m_pid, &m_status, WNOHANG) == m_pid) {
        m_isReaped = true;
    }
    return m_isReaped;
}

ProcessResult ChildProcess::wait() {
    while (!m_isReaped) {
        if (::waitpid(m_pid, &m_status, 0) == m_pid) {
            m_isReaped = true;
        } else if (errno != EINTR) {
            throw std::runtime_error("waitpid failed");
        }
    }
    ProcessResult result;
    result.exitCode = WIFEXITED(m_status) ? WEXITSTATUS(m_status) : 128 + WTERMSIG(m_status);
    result.out = slurp(m_scratch / "stdout");
    result.err = slurp(m_scratch / "stderr");
    return result;
}

ProcessResult runProcess(const std::vector<std::string>& argv) {
    return ChildProcess(argv).wait();
}

std::vector<std::string> cliArgv(const std::vector<std::string>& args) {
    std::vector<std::string> argv{DENSITO_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

ProcessResult runCli(const std::vector<std::string>& args) {
    return runProcess(cliArgv(args));
}

} // namespace densito::test
