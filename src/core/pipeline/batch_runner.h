#pragma once

#include <atomic>
#include <cstddef>
#include <functional>

namespace densito {

/// Called after each finished item with the number finished so far and the total.
/// Called from worker threads, one call at a time.
using BatchProgressFn = std::function<void(std::size_t finished, std::size_t total)>;

/// Runs job(index) for every index in [0, count) on up to `threads` worker threads
/// (0 = all cores). When `cancel` becomes true no new item starts; items in flight finish.
/// Returns the number of items that ran. Jobs must write only to their own result slot.
std::size_t runBatch(std::size_t count, unsigned threads,
                     const std::function<void(std::size_t index)>& job,
                     const BatchProgressFn& progress = {},
                     const std::atomic<bool>* cancel = nullptr);

/// The worker count runBatch uses for `requested` (0 = hardware concurrency, at least 1).
unsigned effectiveThreadCount(unsigned requested, std::size_t count);

} // namespace densito
