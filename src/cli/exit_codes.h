#pragma once

namespace densito::cli {

/// Exit codes of densito-cli (ARCHITECTURE.md "Command line").
enum ExitCode : int {
    kExitOk = 0,           ///< every input analysed
    kExitSomeFailed = 1,   ///< some inputs failed; the rest were analysed and written
    kExitUsage = 2,        ///< bad command line
    kExitNothing = 3,      ///< nothing could be analysed (or no output could be written)
    kExitInterrupted = 130 ///< stopped by Ctrl-C / SIGTERM after the images in flight
};

} // namespace densito::cli
