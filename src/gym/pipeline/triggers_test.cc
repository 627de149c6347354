#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/pipeline/directory_watcher.h"
#include "gym/pipeline/timer_trigger.h"

namespace gym {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

TEST(TimerTrigger, FiresUpToMaxRunsInOrder) {
  std::vector<int> runs;
  std::mutex mu;
  TimerTrigger timer(std::chrono::milliseconds(5), 4, [&](int run) {
    std::lock_guard<std::mutex> lock(mu);
    runs.push_back(run);
  });
  timer.Start();
  timer.Wait();
  EXPECT_THAT(runs, ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(timer.runs(), 4);
}

// Zero runs is none (it once meant no limit: `gym run --timer-runs 0` fired forever).
TEST(TimerTrigger, ZeroRunsNeverFires) {
  std::atomic<int> fired{0};
  TimerTrigger timer(std::chrono::milliseconds(1), 0, [&](int) { fired.fetch_add(1); });
  timer.Start();
  timer.Wait();  // returns: there is nothing to wait for
  EXPECT_EQ(timer.runs(), 0);
  EXPECT_EQ(fired.load(), 0);
}

TEST(TimerTrigger, StopEndsAnUnlimitedTimer) {
  std::atomic<int> fired{0};
  TimerTrigger timer(std::chrono::milliseconds(2), TimerTrigger::kUnlimited,
                     [&](int) { fired.fetch_add(1); });
  timer.Start();
  for (int i = 0; i < 2000 && fired.load() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  timer.Stop();
  int after_stop = fired.load();
  EXPECT_GE(after_stop, 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(fired.load(), after_stop);
}

class DirectoryWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gym_watch_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  fs::path dir_;
};

TEST_F(DirectoryWatcherTest, DeliversEachWantedFileOnceWhenStable) {
  std::vector<std::string> got;
  DirectoryWatcher w({.dir = dir_.string(), .suffixes = {".txt"}},
                     [&](const std::string& p) { got.push_back(fs::path(p).filename()); });
  Write("a.txt", "x");
  Write("b.csv", "ignored suffix");
  Write(".hidden.txt", "hidden");
  Write("c.txt.tmp", "being written");
  EXPECT_EQ(w.ScanOnce(), 0u);  // first sight: not yet known to be stable
  EXPECT_EQ(w.ScanOnce(), 1u);
  EXPECT_EQ(w.ScanOnce(), 0u);  // never twice
  fs::rename(dir_ / "c.txt.tmp", dir_ / "c.txt");  // rename into place
  w.ScanOnce();
  w.ScanOnce();
  EXPECT_THAT(got, ElementsAre("a.txt", "c.txt"));
  EXPECT_EQ(w.files_seen(), 2u);
}

// A name is not an identity: a file dropped again under a delivered name is handed over again
// (the callback decides from the content whether it is a retry).
TEST_F(DirectoryWatcherTest, DeliversAFileDroppedAgainUnderTheSameName) {
  std::vector<std::string> got;
  DirectoryWatcher w({.dir = dir_.string(), .suffixes = {".txt"}},
                     [&](const std::string& p) { got.push_back(fs::path(p).filename()); });
  Write("drop.txt", "id\n1\n");
  w.ScanOnce();
  ASSERT_EQ(w.ScanOnce(), 1u);
  EXPECT_EQ(w.ScanOnce(), 0u);
  // Renamed over the old one, as `gym gen drops` and most uploaders do: same size, new inode.
  Write(".drop.txt.tmp", "id\n2\n");
  fs::rename(dir_ / ".drop.txt.tmp", dir_ / "drop.txt");
  w.ScanOnce();
  EXPECT_EQ(w.ScanOnce(), 1u);
  // Rewritten in place with other content.
  Write("drop.txt", "id\n3\n4\n");
  w.ScanOnce();
  EXPECT_EQ(w.ScanOnce(), 1u);
  EXPECT_EQ(w.ScanOnce(), 0u);
  EXPECT_THAT(got, ElementsAre("drop.txt", "drop.txt", "drop.txt"));
}

TEST_F(DirectoryWatcherTest, WaitsForAGrowingFileToHoldStill) {
  std::vector<std::string> got;
  DirectoryWatcher w({.dir = dir_.string(), .suffixes = {".txt"}},
                     [&](const std::string& p) { got.push_back(p); });
  Write("grow.txt", "1");
  w.ScanOnce();
  Write("grow.txt", "12345");  // changed size since the last scan
  EXPECT_EQ(w.ScanOnce(), 0u);
  EXPECT_EQ(w.ScanOnce(), 1u);
  EXPECT_EQ(got.size(), 1u);
}

TEST_F(DirectoryWatcherTest, BackgroundThreadPicksUpADroppedFileExactlyOnce) {
  std::atomic<int> calls{0};
  DirectoryWatcher w({.dir = dir_.string(), .suffixes = {".txt"},
                      .poll_interval = std::chrono::milliseconds(5)},
                     [&](const std::string&) { calls.fetch_add(1); });
  w.Start();
  Write(".drop.txt.tmp", "id\n1\n");
  fs::rename(dir_ / ".drop.txt.tmp", dir_ / "drop.txt");
  for (int i = 0; i < 2000 && calls.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // several more scans
  w.Stop();
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(DirectoryWatcherTest, MissingDirectoryIsNotFatal) {
  DirectoryWatcher w({.dir = (dir_ / "nope").string()}, [](const std::string&) {});
  EXPECT_EQ(w.ScanOnce(), 0u);
}

}  // namespace
}  // namespace gym
