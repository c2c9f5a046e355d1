#include "core/io/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <random>
#include <unistd.h>

namespace densito {

std::expected<void, Error> writeFileAtomically(const std::filesystem::path& path,
                                               std::string_view content) {
    const std::string name = path.filename().string();
    std::random_device entropy;
    const std::filesystem::path temporary =
        path.parent_path() / fmt::format(".{}.{:08x}.tmp", name, entropy());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        return std::unexpected(
            Error{name, fmt::format("cannot be written: {}", std::strerror(errno))});
    }
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const int error = errno;
            ::close(fd);
            std::filesystem::remove(temporary);
            return std::unexpected(
                Error{name, fmt::format("cannot be written: {}", std::strerror(error))});
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int error = errno;
        std::filesystem::remove(temporary);
        return std::unexpected(
            Error{name, fmt::format("cannot be written: {}", std::strerror(error))});
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        std::filesystem::remove(temporary);
        return std::unexpected(
            Error{name, fmt::format("cannot be written: {}", std::strerror(error))});
    }
    return {};
}

std::expected<std::string, std::string> readWholeFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::unexpected(std::string("cannot be opened for reading"));
    }
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) {
        return std::unexpected(std::string("cannot be read"));
    }
    return bytes;
}

} // namespace densito
