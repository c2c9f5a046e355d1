#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace densito {

/// SHA-256 (FIPS 180-4) of a byte buffer, as 64 lowercase hex digits.
/// Uses the x86 SHA extensions when the processor has them (about ten times faster).
std::string sha256Hex(std::span<const std::uint8_t> bytes);

/// The same digest without processor extensions (tests compare the two paths).
std::string sha256HexPortable(std::span<const std::uint8_t> bytes);

} // namespace densito
