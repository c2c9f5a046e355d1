#include "core/pipeline/input_files.h"

#include "core/image/image_loader.h"

#include <algorithm>
#include <set>

namespace densito {
namespace {

bool isHidden(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    return !name.empty() && name.front() == '.';
}

std::filesystem::path normalised(const std::filesystem::path& path) {
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(path, ec);
    return ec ? std::filesystem::absolute(path).lexically_normal() : canonical;
}

} // namespace

bool isWithinFolder(const std::filesystem::path& inner, const std::filesystem::path& folder) {
    const auto relative = normalised(inner).lexically_relative(normalised(folder));
    return !relative.empty() && *relative.begin() != "..";
}

InputFiles collectInputFiles(const std::vector<std::filesystem::path>& inputs,
                             const std::filesystem::path& excludedFolder) {
    InputFiles result;
    std::set<std::filesystem::path> seen;
    const std::filesystem::path excluded =
        excludedFolder.empty() ? excludedFolder : normalised(excludedFolder);
    auto add = [&](const std::filesystem::path& file) {
        if (seen.insert(normalised(file)).second) {
            result.files.push_back(file);
        }
    };
    for (const auto& input : inputs) {
        std::error_code ec;
        const auto status = std::filesystem::status(input, ec);
        if (ec || !std::filesystem::exists(status)) {
            result.problems.push_back({input.string(), "does not exist"});
            continue;
        }
        if (!std::filesystem::is_directory(status)) {
            add(input);
            continue;
        }
        std::vector<std::filesystem::path> found;
        std::filesystem::recursive_directory_iterator it(
            input, std::filesystem::directory_options::skip_permission_denied, ec);
        if (ec) {
            result.problems.push_back({input.string(), "cannot be listed: " + ec.message()});
            continue;
        }
        for (; it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
            if (ec) {
                result.problems.push_back({input.string(), "cannot be listed: " + ec.message()});
                break;
            }
            const auto& entry = *it;
            if (isHidden(entry.path()) || (entry.is_directory() && !excluded.empty() &&
                                           normalised(entry.path()) == excluded)) {
                if (entry.is_directory()) {
                    it.disable_recursion_pending();
                }
                continue;
            }
            if (entry.is_regular_file() && hasImageExtension(entry.path())) {
                found.push_back(entry.path());
            }
        }
        std::sort(found.begin(), found.end());
        for (const auto& file : found) {
            add(file);
        }
    }
    return result;
}

} // namespace densito
