#pragma once

#include "core/pipeline/analysis_run.h"

#include <string>

namespace densito::cli {

/// One-line messages on stderr ("warning: file.tif: ..."), coloured on a terminal.
/// --verbose adds debug lines; --quiet keeps only errors.
void configureLogging(bool verbose, bool quiet);

/// A core run's message on stderr at its level.
void logMessage(LogLevel level, const std::string& text);

} // namespace densito::cli
