// Resident memory of `densito-cli analyze` over a long batch. Writes N (default 1000)
// synthetic 1600x1200 16-bit blots: K (default 50) generated from different seeds, the rest
// hard links to them, so the folder is ready in seconds (every file name is still loaded and
// analysed on its own). Then runs `densito-cli -q analyze DIR --out OUT --threads 2`, samples
// the CLI's VmRSS from /proc/<pid>/status every 100 ms and prints it once 10, 100, 250, 500,
// 750 and N images have finished (counted by their overlays in OUT/overlays), with the peak
// (VmHWM). Flat memory means the figures stop growing after the first images, apart from the
// per-image results (a few KB each).
// Run: build/release/bench/densito_batch_memory [images] [distinct] [work folder]
#include "core/io/tiff_writer.h"
#include "core/synth/synthetic_blot.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;

/// A field of /proc/<pid>/status in KiB ("VmRSS", "VmHWM"); 0 when the process is gone.
long statusKib(pid_t pid, const std::string& field) {
    std::ifstream status(fmt::format("/proc/{}/status", pid));
    for (std::string line; std::getline(status, line);) {
        if (line.rfind(field + ":", 0) == 0) {
            return std::atol(line.c_str() + field.size() + 1);
        }
    }
    return 0;
}

/// Images finished so far: overlays renamed into place (temporary files start with a dot).
int finishedImages(const fs::path& overlays) {
    int count = 0;
    std::error_code ec;
    for (fs::directory_iterator it(overlays, ec), end; !ec && it != end; it.increment(ec)) {
        count += it->path().filename().string().front() != '.' ? 1 : 0;
    }
    return count;
}

bool writeBlots(const fs::path& folder, int images, int distinct) {
    fs::create_directories(folder);
    for (int n = 1; n <= images; ++n) {
        const fs::path path = folder / fmt::format("blot_{:04}.tif", n);
        if (n > distinct) {
            std::error_code ec;
            const fs::path source = folder / fmt::format("blot_{:04}.tif", (n - 1) % distinct + 1);
            fs::create_hard_link(source, path, ec);
            if (ec && !fs::copy_file(source, path, ec)) {
                std::fprintf(stderr, "%s: %s\n", path.c_str(), ec.message().c_str());
                return false;
            }
            continue;
        }
        densito::SynthParams params;
        params.seed = static_cast<std::uint64_t>(n);
        params.profile = densito::SynthProfile::Realistic;
        params.widthPx = 1600;
        params.heightPx = 1200;
        const auto blot = densito::generateSyntheticBlot(params);
        if (!blot) {
            std::fprintf(stderr, "%s\n", blot.error().describe().c_str());
            return false;
        }
        if (auto written = densito::writeTiff16(path, blot->raw); !written) {
            std::fprintf(stderr, "%s\n", written.error().describe().c_str());
            return false;
        }
    }
    return true;
}

pid_t startCli(const std::vector<std::string>& argv, const fs::path& errorLog) {
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int errFd = ::open(errorLog.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int nullFd = ::open("/dev/null", O_RDWR);
        if (errFd < 0 || nullFd < 0) {
            ::_exit(127);
        }
        ::dup2(nullFd, STDIN_FILENO);
        ::dup2(nullFd, STDOUT_FILENO);
        ::dup2(errFd, STDERR_FILENO);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

} // namespace

int main(int argc, char** argv) {
    const int images = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1000;
    const int distinct = std::min(images, argc > 2 ? std::max(1, std::atoi(argv[2])) : 50);
    std::string scratch = (fs::temp_directory_path() / "densito-batch-memory-XXXXXX").string();
    const bool isScratch = argc <= 3;
    if (isScratch && ::mkdtemp(scratch.data()) == nullptr) {
        std::perror("mkdtemp");
        return 1;
    }
    const fs::path work = isScratch ? fs::path(scratch) : fs::path(argv[3]);
    const fs::path in = work / "blots";
    const fs::path out = work / "out";
    fs::remove_all(out);

    const auto writeStart = std::chrono::steady_clock::now();
    if (!writeBlots(in, images, distinct)) {
        return 1;
    }
    std::printf(
        "wrote %d 1600x1200 16-bit blots (%d distinct) in %.1f s\n", images, distinct,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - writeStart).count());

    const std::vector<std::string> command{DENSITO_CLI_PATH, "-q",         "analyze",   in.string(),
                                           "--out",          out.string(), "--threads", "2"};
    std::string shown;
    for (const auto& part : command) {
        shown += (shown.empty() ? "" : " ") + part;
    }
    std::printf("%s\n", shown.c_str());
    std::vector<int> milestones;
    for (int m : {10, 100, 250, 500, 750}) {
        if (m < images) {
            milestones.push_back(m);
        }
    }
    milestones.push_back(images);

    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = startCli(command, work / "cli-stderr.txt");
    if (pid < 0) {
        std::perror("fork");
        return 1;
    }
    std::size_t next = 0;
    long peakKib = 0;
    long lastRssKib = 0;
    int status = 0;
    for (;;) {
        const long rssKib = statusKib(pid, "VmRSS");
        lastRssKib = rssKib > 0 ? rssKib : lastRssKib;
        peakKib = std::max(peakKib, statusKib(pid, "VmHWM"));
        const int finished = finishedImages(out / "overlays");
        while (next < milestones.size() && finished >= milestones[next]) {
            std::printf(
                "%5d images finished: RSS %7.1f MiB  (%d done, %.0f s)\n", milestones[next],
                static_cast<double>(lastRssKib) / 1024.0, finished,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            std::fflush(stdout);
            ++next;
        }
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (; next < milestones.size(); ++next) { // finished between the last two samples
        std::printf("%5d images finished: RSS %7.1f MiB at the last sample\n", milestones[next],
                    static_cast<double>(lastRssKib) / 1024.0);
    }
    std::printf("peak RSS (VmHWM) %.1f MiB; densito-cli exit status %d; %.0f s\n",
                static_cast<double>(peakKib) / 1024.0, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (isScratch) {
        fs::remove_all(work);
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
