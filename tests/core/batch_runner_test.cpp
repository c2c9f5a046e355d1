#include "core/pipeline/batch_runner.h"

#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <thread>
#include <vector>

namespace densito {
namespace {

TEST(BatchRunner, EveryIndexRunsExactlyOnce) {
    for (const unsigned threads : {0u, 1u, 2u, 4u, 16u}) {
        SCOPED_TRACE(threads);
        constexpr std::size_t kCount = 200;
        std::vector<std::atomic<int>> runs(kCount);
        const std::size_t ran =
            runBatch(kCount, threads, [&](std::size_t index) { runs[index].fetch_add(1); });
        EXPECT_EQ(ran, kCount);
        for (std::size_t i = 0; i < kCount; ++i) {
            EXPECT_EQ(runs[i].load(), 1) << "index " << i;
        }
    }
}

TEST(BatchRunner, ProgressCountsEachFinishedItemInOrder) {
    constexpr std::size_t kCount = 50;
    std::vector<std::size_t> finishedSeen;
    std::vector<std::size_t> totalsSeen;
    std::atomic<int> concurrentCalls{0};
    bool overlapped = false;
    runBatch(
        kCount, 4, [](std::size_t) {},
        [&](std::size_t finished, std::size_t total) {
            overlapped = overlapped || concurrentCalls.fetch_add(1) != 0;
            finishedSeen.push_back(finished);
            totalsSeen.push_back(total);
            concurrentCalls.fetch_sub(1);
        });
    EXPECT_FALSE(overlapped) << "progress must be called one call at a time";
    ASSERT_EQ(finishedSeen.size(), kCount);
    for (std::size_t i = 0; i < kCount; ++i) {
        EXPECT_EQ(finishedSeen[i], i + 1);
        EXPECT_EQ(totalsSeen[i], kCount);
    }
}

TEST(BatchRunner, CancelStopsNewWork) {
    constexpr std::size_t kCount = 1000;
    constexpr unsigned kThreads = 3;
    std::atomic<bool> cancel{false};
    std::atomic<std::size_t> started{0};
    std::atomic<std::size_t> startedAfterCancel{0};
    const std::size_t ran = runBatch(
        kCount, kThreads,
        [&](std::size_t index) {
            ++started;
            if (cancel.load()) {
                ++startedAfterCancel;
            }
            if (index == 10) {
                cancel = true;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        },
        {}, &cancel);
    EXPECT_EQ(ran, started.load());
    EXPECT_GE(ran, 11u);
    EXPECT_LT(ran, kCount);
    // A worker that checked the flag just before it was set may still take one item.
    EXPECT_LE(startedAfterCancel.load(), kThreads - 1);
}

TEST(BatchRunner, CancelledBeforeTheStartRunsNothing) {
    std::atomic<bool> cancel{true};
    std::atomic<int> runs{0};
    EXPECT_EQ(runBatch(
                  10, 2, [&](std::size_t) { ++runs; }, {}, &cancel),
              0u);
    EXPECT_EQ(runs.load(), 0);
}

TEST(BatchRunner, NothingToDo) {
    bool called = false;
    EXPECT_EQ(runBatch(0, 4, [&](std::size_t) { called = true; }), 0u);
    EXPECT_FALSE(called);
}

TEST(BatchRunner, ThreadCountIsBoundedByTheWork) {
    EXPECT_EQ(effectiveThreadCount(8, 3), 3u);
    EXPECT_EQ(effectiveThreadCount(2, 100), 2u);
    EXPECT_EQ(effectiveThreadCount(4, 0), 1u);
    EXPECT_GE(effectiveThreadCount(0, 100), 1u);
}

} // namespace
} // namespace densito
