#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace densito {

/// SHA-256 (FIPS 180-4) of a byte buffer, as 64 lowercase hex digits.
std::string sha256Hex(std::span<const std::uint8_t> bytes);

} // namespace densito
