#include "core/image/image_loader.h"

#include "core/image/png_jpeg_reader.h"
#include "core/image/tiff_reader.h"
#include "core/io/sha256.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <memory>
#include <vector>

namespace densito {
namespace {

bool startsWith(std::span<const std::uint8_t> bytes, std::initializer_list<std::uint8_t> magic) {
    return bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin());
}

/// Classic TIFF or BigTIFF, either byte order.
bool isTiffSignature(std::span<const std::uint8_t> bytes) {
    return startsWith(bytes, {'I', 'I', 42, 0}) || startsWith(bytes, {'M', 'M', 0, 42}) ||
           startsWith(bytes, {'I', 'I', 43, 0}) || startsWith(bytes, {'M', 'M', 0, 43});
}

bool looksLikeText(std::span<const std::uint8_t> bytes) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), 512);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t c = bytes[i];
        if (c < 0x09 || (c > 0x0D && c < 0x20)) {
            return false;
        }
    }
    return true;
}

} // namespace

const char* toString(FileFormat format) {
    switch (format) {
    case FileFormat::Tiff:
        return "TIFF";
    case FileFormat::Png:
        return "PNG";
    case FileFormat::Jpeg:
        return "JPEG";
    }
    return "?";
}

const char* toString(Photometric photometric) {
    switch (photometric) {
    case Photometric::MinIsBlack:
        return "min-is-black";
    case Photometric::MinIsWhite:
        return "min-is-white";
    case Photometric::Rgb:
        return "RGB";
    case Photometric::Palette:
        return "palette";
    case Photometric::Other:
        return "other";
    }
    return "?";
}

double typeMaximum(const cv::Mat& raw) {
    switch (raw.depth()) {
    case CV_8U:
        return 255.0;
    case CV_16U:
        return 65535.0;
    default:
        return std::numeric_limits<double>::infinity();
    }
}

bool hasImageExtension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".tif" || ext == ".tiff" || ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

std::expected<Image, Error> decodeImage(std::span<const std::uint8_t> bytes,
                                        const std::string& name, const LoadOptions& options) {
    auto fail = [&](std::string reason) {
        return std::unexpected(Error{name, std::move(reason)});
    };
    if (bytes.empty()) {
        return fail("the file is empty");
    }
    if (bytes.size() < 8) {
        return fail(fmt::format("the file is too short to be an image ({} bytes)", bytes.size()));
    }

    std::expected<Image, std::string> decoded = std::unexpected(std::string());
    if (isTiffSignature(bytes)) {
        decoded = detail::readTiff(bytes, options.pageIndex, options.maxPixels);
    } else if (startsWith(bytes, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
        decoded = options.pageIndex == 0
                      ? detail::readPng(bytes, options.maxPixels)
                      : std::unexpected(fmt::format("page {} requested, but a PNG has 1 page",
                                                    options.pageIndex + 1));
    } else if (startsWith(bytes, {0xFF, 0xD8, 0xFF})) {
        decoded = options.pageIndex == 0
                      ? detail::readJpeg(bytes, options.maxPixels)
                      : std::unexpected(fmt::format("page {} requested, but a JPEG has 1 page",
                                                    options.pageIndex + 1));
    } else if (looksLikeText(bytes)) {
        return fail("not an image: the file holds text, not TIFF, PNG or JPEG data");
    } else {
        return fail("not an image: unrecognised file signature (Densito reads TIFF, PNG and JPEG)");
    }
    if (!decoded) {
        return fail(decoded.error());
    }
    const Photometric photometric = decoded->metadata.photometric;
    if (decoded->raw.depth() == CV_8U &&
        (photometric == Photometric::MinIsBlack || photometric == Photometric::MinIsWhite)) {
        // Colour and palette files already carry a warning that they are exported pictures.
        decoded->warnings.emplace_back(kEightBitWarning);
    }
    decoded->metadata.fileSizeBytes = bytes.size();
    decoded->metadata.sha256 = sha256Hex(bytes);
    return std::move(*decoded);
}

std::expected<int, Error> countPages(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    std::ifstream in(path, std::ios::binary | std::ios::in);
    std::array<std::uint8_t, 8> head{};
    in.read(reinterpret_cast<char*>(head.data()), head.size());
    if (!in) {
        return std::unexpected(Error{name, "the file is missing, unreadable or too short"});
    }
    if (!isTiffSignature(head)) {
        return 1;
    }
    auto pages = detail::countTiffPages(path);
    if (!pages) {
        return std::unexpected(Error{name, pages.error()});
    }
    return *pages;
}

std::expected<Image, Error> loadImage(const std::filesystem::path& path,
                                      const LoadOptions& options) {
    const std::string name = path.filename().string();
    auto fail = [&](std::string reason) {
        return std::unexpected(Error{name, std::move(reason)});
    };
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        return fail("the file does not exist");
    }
    if (std::filesystem::is_directory(status)) {
        return fail("this is a folder, not an image file");
    }
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) {
        return fail("the file size cannot be read: " + ec.message());
    }
    if (size > kMaxFileBytes) {
        return fail(
            fmt::format("the file is {} bytes, above the limit of {} bytes", size, kMaxFileBytes));
    }
    std::ifstream in(path, std::ios::binary | std::ios::in);
    if (!in) {
        return fail(fmt::format("the file cannot be opened for reading: {}", std::strerror(errno)));
    }
    // Not zero-filled first (a vector would be): the read overwrites every byte, and a blot
    // file is tens of megabytes.
    const auto bytes =
        std::make_unique_for_overwrite<std::uint8_t[]>(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.get()), static_cast<std::streamsize>(size));
    if (static_cast<std::uintmax_t>(in.gcount()) != size) {
        return fail("the file could not be read completely");
    }
    return decodeImage(std::span<const std::uint8_t>(bytes.get(), static_cast<std::size_t>(size)),
                       name, options);
}

} // namespace densito
