#pragma once

#include "core/error.h"

#include <filesystem>
#include <vector>

namespace densito {

/// The image files named by the command line or a batch dialog, in a stable order.
struct InputFiles {
    std::vector<std::filesystem::path> files;
    std::vector<Error> problems; ///< inputs that do not exist or cannot be listed
};

/// Expands each input: a file is taken as it is (whatever its extension, so that a
/// mis-named file gets a clear error from the loader); a folder contributes the files below
/// it with an image extension, recursively, skipping hidden entries and `excludedFolder`.
/// Folder contents are sorted by path; duplicates are dropped.
InputFiles collectInputFiles(const std::vector<std::filesystem::path>& inputs,
                             const std::filesystem::path& excludedFolder = {});

/// True when `inner` is `folder` or lies below it (paths compared after resolving links and
/// `..`, for paths that need not exist yet).
bool isWithinFolder(const std::filesystem::path& inner, const std::filesystem::path& folder);

} // namespace densito
