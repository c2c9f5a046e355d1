#pragma once

#include <filesystem>

namespace densito::cli {

/// Creates `folder` (and its parents) when missing; on failure logs one error naming the
/// folder and the reason, and returns false.
bool createOutputFolder(const std::filesystem::path& folder);

} // namespace densito::cli
