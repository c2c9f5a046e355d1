#include "cli/progress_reporter.h"

#include <cmath>
#include <fmt/format.h>
#include <unistd.h>

namespace densito::cli {

ProgressReporter::ProgressReporter(std::size_t total, bool enabled)
    : m_total(total), m_isEnabled(enabled && total > 0), m_isTerminal(::isatty(STDERR_FILENO) == 1),
      m_start(std::chrono::steady_clock::now()), m_lastPrint(m_start) {}

ProgressReporter::~ProgressReporter() {
    finish();
}

std::string ProgressReporter::line(std::size_t finished) const {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    const double rate = seconds > 0 ? static_cast<double>(finished) / seconds : 0.0;
    const double left = rate > 0 ? static_cast<double>(m_total - finished) / rate : 0.0;
    const std::string counts = fmt::format("{}/{} images  {:.1f}/s  {:.0f} s left", finished,
                                           m_total, rate, std::ceil(left));
    if (!m_isTerminal) {
        return counts;
    }
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = m_total == 0 ? kWidth : kWidth * finished / m_total;
    return fmt::format("[{}{}] {}", std::string(filled, '#'), std::string(kWidth - filled, '.'),
                       counts);
}

void ProgressReporter::update(std::size_t finished) {
    if (!m_isEnabled) {
        return;
    }
    std::lock_guard lock(m_mutex);
    const auto now = std::chrono::steady_clock::now();
    const bool isLast = finished >= m_total;
    if (m_isTerminal) {
        if (now - m_lastPrint < std::chrono::milliseconds(100) && !isLast) {
            return;
        }
        std::fprintf(stderr, "\r%s\033[K", line(finished).c_str());
        m_hasOpenLine = true;
    } else {
        if (now - m_lastPrint < std::chrono::seconds(1) && !isLast) {
            return;
        }
        std::fprintf(stderr, "progress: %s\n", line(finished).c_str());
    }
    std::fflush(stderr);
    m_lastPrint = now;
}

void ProgressReporter::finish() {
    std::lock_guard lock(m_mutex);
    if (m_hasOpenLine) {
        std::fputc('\n', stderr);
        std::fflush(stderr);
        m_hasOpenLine = false;
    }
}

} // namespace densito::cli
