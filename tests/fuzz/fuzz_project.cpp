// Fuzz target for the project-file reader: the input is the file's bytes. A document that
// reads must also write and read back to the same project (the save/open round trip), and
// its layout must parse without crashing. Image files are not looked at (fromJson).
#include "core/io/project_file.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // No exceptions: a parse error gives a discarded value (readProject reports it).
    const auto json = nlohmann::json::parse(data, data + size, nullptr, false);
    if (json.is_discarded()) {
        return 0;
    }
    const std::filesystem::path folder = "/nonexistent/fuzz";
    const auto project = densito::fromJson(json, folder, "fuzz.densito");
    if (!project) {
        (void)project.error().describe();
        return 0;
    }
    const auto reread =
        densito::fromJson(densito::toJson(*project, folder), folder, "fuzz.densito");
    if (!reread || *reread != *project) {
        std::cerr << "a project that reads does not read back the same after writing: "
                  << (reread ? "different" : reread.error().describe()) << '\n';
        std::abort();
    }
    if (project->layout) {
        (void)densito::parseProjectLayout(*project->layout);
    }
    return 0;
}
