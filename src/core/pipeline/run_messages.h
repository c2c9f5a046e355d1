#pragma once

#include "core/error.h"
#include "core/pipeline/analysis_run.h"

#include <functional>
#include <string>
#include <vector>

namespace densito {

/// What a run (analyze, quantify) tells the person as it goes, and the problems that stop it,
/// collected into the run's report.
class RunMessages {
public:
    RunMessages(const std::function<void(LogLevel, const std::string&)>& message,
                std::vector<Error>& problems)
        : m_message(message), m_problems(problems) {}

    void tell(LogLevel level, const std::string& text) const {
        if (m_message) {
            m_message(level, text);
        }
    }
    /// Reports a problem that stops the run; returns `status` for the caller to end with.
    AnalysisRunStatus stop(AnalysisRunStatus status, Error problem) {
        tell(LogLevel::Error, problem.describe());
        m_problems.push_back(std::move(problem));
        return status;
    }
    /// Reports each problem and that nothing was written; true when there are none.
    bool acceptsLayout(std::vector<Error> problems) {
        for (Error& problem : problems) {
            stop(AnalysisRunStatus::Refused, std::move(problem));
        }
        if (!problems.empty()) {
            stop(AnalysisRunStatus::Refused, {"", "the layout does not fit: nothing was written"});
        }
        return problems.empty();
    }

private:
    const std::function<void(LogLevel, const std::string&)>& m_message;
    std::vector<Error>& m_problems;
};

} // namespace densito
