#include "core/pipeline/batch_runner.h"

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

namespace densito {

unsigned effectiveThreadCount(unsigned requested, std::size_t count) {
    unsigned threads =
        requested == 0 ? std::max(1u, std::thread::hardware_concurrency()) : requested;
    return static_cast<unsigned>(
        std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(count, 1)));
}

std::size_t runBatch(std::size_t count, unsigned threads,
                     const std::function<void(std::size_t index)>& job,
                     const BatchProgressFn& progress, const std::atomic<bool>* cancel) {
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> ran{0};
    std::mutex progressMutex;
    std::size_t finished = 0;
    auto worker = [&] {
        while (cancel == nullptr || !cancel->load()) {
            const std::size_t index = next.fetch_add(1);
            if (index >= count) {
                return;
            }
            job(index);
            ran.fetch_add(1);
            std::lock_guard lock(progressMutex);
            ++finished;
            if (progress) {
                progress(finished, count);
            }
        }
    };
    const unsigned workers = effectiveThreadCount(threads, count);
    if (workers == 1) {
        worker();
    } else {
        std::vector<std::jthread> pool;
        pool.reserve(workers);
        for (unsigned i = 0; i < workers; ++i) {
            pool.emplace_back(worker);
        }
    }
    return ran.load();
}

} // namespace densito
