#include "core/io/sha256.h"

#include <gtest/gtest.h>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace densito {
namespace {

/// The digest of `text` by both paths (processor extensions when present, and portable);
/// a mismatch between them is reported and returned as an empty string.
std::string sha256Of(std::string_view text) {
    const std::vector<std::uint8_t> bytes(text.begin(), text.end());
    const std::string fast = sha256Hex(bytes);
    const std::string portable = sha256HexPortable(bytes);
    EXPECT_EQ(fast, portable) << text.size() << " bytes";
    return fast == portable ? fast : std::string();
}

// FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf", SHA2 additional examples).
TEST(Sha256, EmptyMessage) {
    EXPECT_EQ(sha256Of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Abc) {
    EXPECT_EQ(sha256Of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, TwoBlockMessageOf448Bits) {
    EXPECT_EQ(sha256Of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, MessageOf896Bits) {
    EXPECT_EQ(
        sha256Of("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmno"
                 "pqklmnopqrlmnopqrsmnopqrstnopqrstu"),
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, OneMillionLetterA) {
    EXPECT_EQ(sha256Of(std::string(1'000'000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths around the padding boundaries (55/56 bytes: length fits or spills into a second
// block; 64: exactly one block). Expected values from Python's hashlib.
TEST(Sha256, PaddingBoundaries) {
    const std::vector<std::pair<std::size_t, std::string>> cases = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
    };
    for (const auto& [length, expected] : cases) {
        EXPECT_EQ(sha256Of(std::string(length, 'a')), expected) << length << " bytes";
    }
}

TEST(Sha256, BothPathsAgreeOnEveryLength) {
    std::vector<std::uint8_t> bytes(70'000);
    std::mt19937 random(3);
    for (auto& b : bytes) {
        b = static_cast<std::uint8_t>(random());
    }
    for (std::size_t length = 0; length <= 300; ++length) {
        const std::span<const std::uint8_t> prefix(bytes.data(), length);
        ASSERT_EQ(sha256Hex(prefix), sha256HexPortable(prefix)) << length << " bytes";
    }
    EXPECT_EQ(sha256Hex(bytes), sha256HexPortable(bytes));
}

} // namespace
} // namespace densito
