// Tests for committing on the caller's thread when the writer is idle
// (WriterOptions::commit_on_caller_when_idle): who runs the commit, and that writes arriving
// meanwhile still queue, keep their order and share the next group.
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "gym/storage/group_commit_writer.h"
#include "gym/storage/sqlite_test_util.h"

namespace gym {
namespace {

using testing_util::DoneLog;
using testing_util::TempDb;
using testing_util::Transactions;

constexpr auto kWait = std::chrono::seconds(20);

std::unique_ptr<GroupCommitWriter> OpenInlineWriter(const std::string& path) {
  absl::StatusOr<std::unique_ptr<GroupCommitWriter>> writer =
      GroupCommitWriter::Open(path, WriterOptions{.commit_on_caller_when_idle = true});
  EXPECT_TRUE(writer.ok()) << writer.status();
  return writer.ok() ? std::move(*writer) : nullptr;
}

TEST(GroupCommitWriterInline, IdleWriterCommitsOnTheCallerBeforeWriteReturns) {
  TempDb db;
  auto writer = OpenInlineWriter(db.path());
  ASSERT_NE(writer, nullptr);
  bool returned = false;
  bool done_before_return = false;
  std::thread::id done_thread;
  int64_t inserted = -1;
  writer->Write({"transactions", "id"}, Transactions(0, 10),
                [&](const absl::Status& status, const WriteResult& result) {
                  EXPECT_TRUE(status.ok()) << status;
                  done_before_return = !returned;
                  done_thread = std::this_thread::get_id();
                  inserted = result.inserted;
                });
  returned = true;
  EXPECT_TRUE(done_before_return);
  EXPECT_EQ(done_thread, std::this_thread::get_id());
  EXPECT_EQ(inserted, 10);
  EXPECT_EQ(db.CountFromOtherConnection("transactions"), 10);
  EXPECT_EQ(writer->stats().groups, 1);
}

TEST(GroupCommitWriterInline, WritesDuringACommitQueueAndShareTheNextGroup) {
  TempDb db;
  auto writer = OpenInlineWriter(db.path());
  ASSERT_NE(writer, nullptr);
  // The first commit (on `holder`) stops in the observer until released.
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::mutex mu;
  std::vector<size_t> group_sizes;
  writer->SetCommitObserver([&](size_t frames, size_t, std::chrono::nanoseconds) {
    std::lock_guard<std::mutex> lock(mu);
    group_sizes.push_back(frames);
    if (group_sizes.size() == 1) {
      entered.set_value();
      released.wait_for(std::chrono::seconds(30));  // bounded if the test fails early
    }
  });
  std::thread holder([&] {
    writer->Write({"transactions", "id"}, Transactions(0, 5), nullptr);
  });
  const std::thread::id holder_id = holder.get_id();
  if (entered.get_future().wait_for(kWait) != std::future_status::ready) {
    release.set_value();
    holder.join();
    FAIL() << "the first commit never reached the observer";
  }

  constexpr size_t kQueued = 3;
  DoneLog log(kQueued);
  std::thread::id done_thread;
  for (size_t i = 0; i < kQueued; ++i) {
    writer->Write({"transactions", "id"}, Transactions(100 + static_cast<int64_t>(i) * 10, 10),
                  [&, slot = log.Slot(i)](const absl::Status& s, const WriteResult& r) {
                    done_thread = std::this_thread::get_id();
                    slot(s, r);
                  });
  }
  // Queued behind the commit in progress: nothing of theirs has run yet.
  EXPECT_FALSE(log.WaitAll(std::chrono::milliseconds(50)));
  release.set_value();
  holder.join();
  ASSERT_TRUE(log.WaitAll(kWait));
  for (size_t i = 0; i < kQueued; ++i) EXPECT_TRUE(log.status(i).ok()) << log.status(i);
  // The writer thread, not this one nor the holder, committed them, as one group.
  EXPECT_NE(done_thread, std::this_thread::get_id());
  EXPECT_NE(done_thread, holder_id);
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(group_sizes, (std::vector<size_t>{1, kQueued}));
  }
  EXPECT_EQ(*writer->CountRows("transactions"), 5 + static_cast<int64_t>(kQueued) * 10);
}

TEST(GroupCommitWriterInline, ConcurrentWritersLoseNothingAndFlushWaitsForAll) {
  TempDb db;
  auto writer = OpenInlineWriter(db.path());
  ASSERT_NE(writer, nullptr);
  constexpr size_t kThreads = 4;
  constexpr size_t kWritesPerThread = 50;
  constexpr size_t kRows = 7;
  DoneLog log(kThreads * kWritesPerThread);
  std::vector<std::thread> producers;
  for (size_t t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      for (size_t w = 0; w < kWritesPerThread; ++w) {
        const size_t slot = t * kWritesPerThread + w;
        writer->Write({"transactions", "id"},
                      Transactions(static_cast<int64_t>(slot * kRows), kRows), log.Slot(slot));
      }
    });
  }
  for (std::thread& p : producers) p.join();
  writer->Flush();
  ASSERT_TRUE(log.WaitAll(std::chrono::seconds(0)));
  for (size_t i = 0; i < kThreads * kWritesPerThread; ++i) {
    ASSERT_TRUE(log.status(i).ok()) << i << ": " << log.status(i);
  }
  EXPECT_EQ(*writer->CountRows("transactions"),
            static_cast<int64_t>(kThreads * kWritesPerThread * kRows));
  EXPECT_EQ(writer->stats().frames, static_cast<int64_t>(kThreads * kWritesPerThread));
}

}  // namespace
}  // namespace gym
