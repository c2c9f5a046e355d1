#pragma once

#include "core/error.h"

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace densito {

/// Writes `content` to `path` so that readers see either the old file or the complete new
/// one: a temporary file in the same folder is written, flushed to disk and renamed over.
std::expected<void, Error> writeFileAtomically(const std::filesystem::path& path,
                                               std::string_view content);

/// The whole file as bytes; the reason ("cannot be opened for reading", "cannot be read")
/// when it cannot be read.
std::expected<std::string, std::string> readWholeFile(const std::filesystem::path& path);

} // namespace densito
