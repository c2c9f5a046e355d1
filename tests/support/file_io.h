#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace densito::test {

/// The whole file as bytes in a string (empty when it cannot be read).
std::string readText(const std::filesystem::path& path);

/// The whole file as bytes; throws std::runtime_error when it cannot be read.
std::vector<std::uint8_t> readFileBytes(const std::filesystem::path& path);

/// Writes `bytes` as the whole file; throws std::runtime_error when it cannot be written.
void writeFileBytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);

/// Writes `text` byte for byte as the whole file; throws std::runtime_error when it cannot be
/// written.
void writeText(const std::filesystem::path& path, const std::string& text);

/// The file's lines, without their line ends.
std::vector<std::string> readLines(const std::filesystem::path& path);

/// The file parsed as JSON (throws on bad JSON, which fails the test).
nlohmann::json readJson(const std::filesystem::path& path);

} // namespace densito::test
