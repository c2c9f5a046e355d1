#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace densito::test {

/// What an analysis run left in its output folder, read back from the files.
struct RunFolderCheck {
    std::vector<std::string> finished; ///< image file names run.json lists as analysed
    bool isInterrupted = false;        ///< run.json's summary says so
    std::size_t notStarted = 0;
    std::vector<std::string> problems; ///< what is incomplete or unexpected, one line each
};

/// Reads back the output folder of a run without layout sheets, with overlays, in which no
/// image failed, and checks that it holds only complete files: run.json parses and accounts
/// for all `total` input images; lanes.csv and bands.csv have their header, whole lines of
/// the header's width, and rows for exactly the images run.json lists; overlays/<stem>.png
/// exist and decode for exactly those images; nothing else (no temporary file) is there.
RunFolderCheck checkRunFolder(const std::filesystem::path& out, std::size_t total);

/// The problems joined one per line, for a test's failure message.
std::string describeProblems(const RunFolderCheck& check);

} // namespace densito::test
