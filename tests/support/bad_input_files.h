#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace densito::test {

/// One bad image file of the README's "Bad input" table: its name, how to make it, and the
/// reason a load of it must give (the text after "<name>: ").
struct BadInputFile {
    std::string name;
    /// Writes the file at the given path (whose file name is `name`) and returns the reason;
    /// some reasons quote byte offsets of the file written. Writes nothing else.
    std::function<std::string(const std::filesystem::path&)> write;
};

/// One bad samples.csv of the same table: what is wrong, the sheet's text, and the problem
/// reported for it (with "samples.csv:<line>:" in front). The sheet refers to membrane M1,
/// lanes 1 and 2.
struct BadSamplesSheet {
    std::string name;
    std::string samplesCsv;
    std::string problem;
};

/// The table's bad image files, in the README's order: empty, truncated, garbage bytes, text
/// named .tif, absurd dimensions, bad strip offsets.
std::vector<BadInputFile> badInputFiles();

/// The table's bad layout sheets, in the README's order: a missing column, a wrong type.
std::vector<BadSamplesSheet> badSamplesSheets();

} // namespace densito::test
