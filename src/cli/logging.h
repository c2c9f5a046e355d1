#pragma once

namespace densito::cli {

/// One-line messages on stderr ("warning: file.tif: ..."), coloured on a terminal.
/// --verbose adds debug lines; --quiet keeps only errors.
void configureLogging(bool verbose, bool quiet);

} // namespace densito::cli
