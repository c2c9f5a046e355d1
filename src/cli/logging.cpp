#include "cli/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace densito::cli {

void configureLogging(bool verbose, bool quiet) {
    auto logger = spdlog::stderr_color_mt("densito");
    logger->set_pattern("%^%l%$: %v");
    logger->set_level(verbose ? spdlog::level::debug
                      : quiet ? spdlog::level::err
                              : spdlog::level::info);
    spdlog::set_default_logger(logger);
}

void logMessage(LogLevel level, const std::string& text) {
    switch (level) {
    case LogLevel::Info:
        spdlog::info("{}", text);
        break;
    case LogLevel::Warning:
        spdlog::warn("{}", text);
        break;
    case LogLevel::Error:
        spdlog::error("{}", text);
        break;
    }
}

} // namespace densito::cli
