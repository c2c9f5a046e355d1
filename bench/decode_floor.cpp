// The floor for a whole-process analysis: decodes TIFF files with bare libtiff (no Densito
// code between the file and the pixels) and prints the time of each decode. Linked like
// densito-cli, with the core, so that the process loads the same libraries; run as a whole
// process by bench/compare_imagej.sh beside `densito-cli analyze` on the same files.
// With --loader the files go through Densito's loader instead (loadImage: whole-file read,
// SHA-256, metadata, decode), to show what it adds to the bare decode.
//
//   densito_decode_floor [--loader] FILE...
#include "core/image/image_loader.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <tiffio.h>
#include <vector>

namespace {

/// Decodes every strip of the first page into one buffer; the bytes decoded, or -1.
std::int64_t decodeTiff(const char* path) {
    TIFF* tif = TIFFOpen(path, "r");
    if (tif == nullptr) {
        return -1;
    }
    const tstrip_t strips = TIFFNumberOfStrips(tif);
    const tmsize_t stripSize = TIFFStripSize(tif);
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height);
    // The whole image in one buffer, as a reader that keeps the pixels must hold it.
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(stripSize) * strips);
    std::int64_t total = 0;
    for (tstrip_t s = 0; s < strips; ++s) {
        const tmsize_t read = TIFFReadEncodedStrip(
            tif, s, pixels.data() + static_cast<std::size_t>(stripSize) * s, stripSize);
        if (read < 0) {
            TIFFClose(tif);
            return -1;
        }
        total += read;
    }
    TIFFClose(tif);
    return total;
}

} // namespace

int main(int argc, char** argv) {
    const bool isLoader = argc > 1 && std::strcmp(argv[1], "--loader") == 0;
    const int first = isLoader ? 2 : 1;
    if (argc <= first) {
        std::fprintf(stderr, "usage: densito_decode_floor [--loader] FILE...\n");
        return 2;
    }
    for (int i = first; i < argc; ++i) {
        const auto start = std::chrono::steady_clock::now();
        std::int64_t bytes = -1;
        if (isLoader) {
            const auto image = densito::loadImage(argv[i]);
            if (image) {
                bytes = static_cast<std::int64_t>(image->raw.total() * image->raw.elemSize());
            }
        } else {
            bytes = decodeTiff(argv[i]);
        }
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (bytes < 0) {
            std::fprintf(stderr, "%s: cannot be decoded\n", argv[i]);
            return 1;
        }
        std::printf("%s  %lld bytes  %.4f s\n", argv[i], static_cast<long long>(bytes), seconds);
    }
    return 0;
}
