#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>

namespace densito::cli {

/// Batch progress on stderr: a bar with count, rate and time left that redraws in place
/// on a terminal; plain lines (at most one a second, and the last) when stderr is not one.
class ProgressReporter {
public:
    /// `enabled` false prints nothing (--quiet).
    ProgressReporter(std::size_t total, bool enabled);
    ~ProgressReporter();
    ProgressReporter(const ProgressReporter&) = delete;
    ProgressReporter& operator=(const ProgressReporter&) = delete;

    /// Thread-safe; called after each finished item.
    void update(std::size_t finished);

    /// Ends the bar's line so later messages start on a fresh one.
    void finish();

private:
    std::string line(std::size_t finished) const;

    std::size_t m_total;
    bool m_isEnabled;
    bool m_isTerminal;
    bool m_hasOpenLine = false;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_lastPrint;
    std::mutex m_mutex;
};

} // namespace densito::cli
