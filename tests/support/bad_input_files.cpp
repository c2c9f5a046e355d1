#include "support/bad_input_files.h"

#include "support/file_io.h"
#include "support/hand_built_tiff.h"
#include "support/synthetic_blot.h"
#include "support/tiff_writer.h"

#include <cstdint>
#include <fmt/format.h>
#include <random>
#include <string>

namespace densito::test {

std::vector<BadInputFile> badInputFiles() {
    return {
        {"empty.tif",
         [](const std::filesystem::path& path) {
             writeFileBytes(path, {});
             return std::string("the file is empty");
         }},
        {"half.tif",
         [](const std::filesystem::path& path) {
             TiffEncoding lzw;
             lzw.compression = 5;
             writeTiff(path, {makeSyntheticBlot({})}, lzw);
             auto bytes = readFileBytes(path);
             std::uint32_t directory = 0; // little-endian offset at bytes 4-7
             for (int i = 7; i >= 4; --i) {
                 directory = (directory << 8) | bytes[static_cast<std::size_t>(i)];
             }
             bytes.resize(bytes.size() / 2); // a copy cut off half-way
             writeFileBytes(path, bytes);
             return fmt::format("the file is truncated: its TIFF directory starts at byte {}, but "
                                "the file has {} bytes",
                                directory, bytes.size());
         }},
        {"garbage.tif",
         [](const std::filesystem::path& path) {
             std::vector<std::uint8_t> bytes(4096);
             std::mt19937 random(42);
             for (auto& byte : bytes) {
                 byte = static_cast<std::uint8_t>(random());
             }
             bytes[0] = 0x00; // a control byte: never text, never an image signature
             writeFileBytes(path, bytes);
             return std::string(
                 "not an image: unrecognised file signature (Densito reads TIFF, PNG and JPEG)");
         }},
        {"notes.tif",
         [](const std::filesystem::path& path) {
             writeText(path, "lane,volume\n1,234.5\n2,345.6\n");
             return std::string("not an image: the file holds text, not TIFF, PNG or JPEG data");
         }},
        {"huge.tif",
         [](const std::filesystem::path& path) {
             writeFileBytes(path,
                            handBuiltTiff(200000, 200000, 8, 5, std::vector<std::uint8_t>(16, 0)));
             return std::string("the image is 200000x200000 = 40000000000 pixels, above the limit "
                                "of 200000000 pixels");
         }},
        {"offsets.tif",
         [](const std::filesystem::path& path) {
             const std::vector<std::uint8_t> pixels(64 * 64 * 2, 0x7F);
             const auto size =
                 static_cast<std::uint32_t>(handBuiltTiff(64, 64, 16, 1, pixels).size());
             writeFileBytes(path, handBuiltTiff(64, 64, 16, 1, pixels, size + 1000));
             return "strip 0 (rows 0-63) lies past the end of the file (bytes " +
                    std::to_string(size + 1000) + " to " +
                    std::to_string(size + 1000 + pixels.size() - 1) + " of a " +
                    std::to_string(size) + "-byte file)";
         }},
    };
}

std::vector<BadSamplesSheet> badSamplesSheets() {
    return {
        {"missing column",
         "membrane,lane,sample,replicate\n"
         "M1,1,a,1\n"
         "M1,2,b,1\n",
         "samples.csv:1: missing required column \"condition\" (columns found: membrane, lane, "
         "sample, replicate)"},
        {"wrong type",
         "membrane,lane,sample,condition,replicate\n"
         "M1,1,a,control,1\n"
         "M1,two,b,insulin,1\n",
         "samples.csv:3: column \"lane\": \"two\" is not a whole number"},
    };
}

} // namespace densito::test
