#include "cli/output_folder.h"

#include <spdlog/spdlog.h>

namespace densito::cli {

bool createOutputFolder(const std::filesystem::path& folder) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) {
        spdlog::error("{}: the output folder cannot be created: {}", folder.string(), ec.message());
        return false;
    }
    return true;
}

} // namespace densito::cli
