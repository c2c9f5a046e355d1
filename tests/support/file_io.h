#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace densito::test {

/// The whole file as bytes in a string (empty when it cannot be read).
std::string readText(const std::filesystem::path& path);

/// The file's lines, without their line ends.
std::vector<std::string> readLines(const std::filesystem::path& path);

/// The file parsed as JSON (throws on bad JSON, which fails the test).
nlohmann::json readJson(const std::filesystem::path& path);

} // namespace densito::test
