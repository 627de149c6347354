// File drops: delay parsing, the files and their ids, pacing through an injected sleep, and
// that no temporary file is left for a watcher to trip on.
#include "gym/datagen/drops.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "gym/datagen/internal/test_files.h"

namespace gym {
namespace {

using testing_files::ReadFileBytes;
using testing_files::ScratchDir;

DropOptions SmallDrops(const std::string& dir) {
  DropOptions o;
  o.dir = dir;
  o.files = 3;
  o.rows = 50;
  o.min_delay_seconds = 0.5;
  o.max_delay_seconds = 1.5;
  o.seed = 11;
  o.today = Date{2026, 11, 26};
  o.first_id = 1000;
  o.clients = 20;
  return o;
}

TEST(ParseDelayRangeTest, AcceptsRangesAndSingleValues) {
  const struct {
    const char* text;
    bool ok;
    double min;
    double max;
  } cases[] = {
      {"4-10", true, 4, 10},  {"0", true, 0, 0},    {"0.5-1.5", true, 0.5, 1.5},
      {"3", true, 3, 3},      {"2-2", true, 2, 2},  {"10-4", false, 0, 0},
      {"", false, 0, 0},      {"-", false, 0, 0},   {"a-b", false, 0, 0},
      {"4-", false, 0, 0},    {"-4", false, 0, 0},  {"1-2-3", false, 0, 0},
      {"4 -10", false, 0, 0}, {"nan", false, 0, 0}, {"1e9", false, 0, 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const absl::StatusOr<std::pair<double, double>> range = ParseDelayRange(c.text);
    ASSERT_EQ(range.ok(), c.ok) << range.status();
    if (c.ok) {
      EXPECT_EQ(range->first, c.min);
      EXPECT_EQ(range->second, c.max);
    } else {
      EXPECT_NE(range.status().message().find(c.text), std::string::npos);
    }
  }
}

TEST(WriteDropsTest, WritesNumberedFilesWithContinuingIds) {
  const ScratchDir dir("drops");
  std::vector<double> pauses;
  std::vector<std::string> written;
  const DropOptions o = SmallDrops(dir.path());
  ASSERT_TRUE(WriteDrops(
                  o,
                  [&](const std::string& path, int64_t rows) {
                    EXPECT_EQ(rows, 50);
                    EXPECT_TRUE(std::filesystem::exists(path)) << path;
                    written.push_back(path);
                  },
                  [&](double seconds) { pauses.push_back(seconds); })
                  .ok());
  EXPECT_EQ(written, (std::vector<std::string>{dir / "drop_0001.txt", dir / "drop_0002.txt",
                                               dir / "drop_0003.txt"}));
  ASSERT_EQ(pauses.size(), 2u);  // between files, not before the first or after the last
  for (double p : pauses) {
    EXPECT_GE(p, 0.5);
    EXPECT_LE(p, 1.5);
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
  }

  int64_t expected_id = 1000;
  for (const std::string& path : written) {
    SCOPED_TRACE(path);
    std::istringstream lines(ReadFileBytes(path));
    std::string line;
    ASSERT_TRUE(std::getline(lines, line));
    EXPECT_EQ(line, "id,cliente_id,data,valor,moeda");
    int rows = 0;
    while (std::getline(lines, line)) {
      EXPECT_EQ(line.substr(0, line.find(',')), std::to_string(expected_id++)) << line;
      ++rows;
    }
    EXPECT_EQ(rows, 50);
  }
}

// A second `gym gen drops` into the same folder used to write drop_0001.txt again, over the
// first run's file. Files there stay as they are; numbering goes on after the highest.
TEST(WriteDropsTest, NeverReplacesAFileAndContinuesTheNumbering) {
  const ScratchDir dir("drops_again");
  std::filesystem::create_directories(dir.path());
  for (const char* name : {"drop_0001.txt", "drop_0003.txt", "notes.txt"}) {
    std::ofstream(dir / name) << "earlier " << name;
  }
  std::vector<std::string> written;
  ASSERT_TRUE(WriteDrops(
                  SmallDrops(dir.path()),
                  [&](const std::string& path, int64_t) { written.push_back(path); }, [](double) {})
                  .ok());
  EXPECT_EQ(written, (std::vector<std::string>{dir / "drop_0004.txt", dir / "drop_0005.txt",
                                               dir / "drop_0006.txt"}));
  for (const char* name : {"drop_0001.txt", "drop_0003.txt", "notes.txt"}) {
    EXPECT_EQ(ReadFileBytes(dir / name), std::string("earlier ") + name);
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "drop_0002.txt"));  // gaps are not filled
  EXPECT_EQ(NextDropNumber(dir.path()), 7);
}

TEST(WriteDropsTest, SameSeedSameBytes) {
  const ScratchDir a("drops_a");
  const ScratchDir b("drops_b");
  const auto no_sleep = [](double) {};
  ASSERT_TRUE(WriteDrops(SmallDrops(a.path()), nullptr, no_sleep).ok());
  ASSERT_TRUE(WriteDrops(SmallDrops(b.path()), nullptr, no_sleep).ok());
  for (const char* name : {"drop_0001.txt", "drop_0002.txt", "drop_0003.txt"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(ReadFileBytes(a / name), ReadFileBytes(b / name));
  }
  EXPECT_NE(ReadFileBytes(a / "drop_0001.txt"), ReadFileBytes(a / "drop_0002.txt"));
}

TEST(WriteDropsTest, ZeroDelaySleepsForZero) {
  const ScratchDir dir("drops_zero");
  DropOptions o = SmallDrops(dir.path());
  o.min_delay_seconds = o.max_delay_seconds = 0;
  std::vector<double> pauses;
  ASSERT_TRUE(WriteDrops(o, nullptr, [&](double s) { pauses.push_back(s); }).ok());
  EXPECT_EQ(pauses, (std::vector<double>{0, 0}));
}

TEST(WriteDropsTest, RejectsBadOptions) {
  const struct {
    const char* name;
    void (*change)(DropOptions&);
    const char* mentions;
  } cases[] = {
      {"no dir", [](DropOptions& o) { o.dir.clear(); }, "--dir"},
      {"negative files", [](DropOptions& o) { o.files = -1; }, "--files"},
      {"negative rows", [](DropOptions& o) { o.rows = -1; }, "--rows"},
      {"no clients", [](DropOptions& o) { o.clients = 0; }, "--clients"},
      {"inverted delay", [](DropOptions& o) { o.min_delay_seconds = 3; }, "--delay"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    DropOptions o = SmallDrops("/nonexistent-unused");
    c.change(o);
    const absl::Status st = WriteDrops(o, nullptr, [](double) {});
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(st.message().find(c.mentions), std::string::npos) << st.message();
  }
}

TEST(WriteDropsTest, UnwritableDirectoryIsAnError) {
  DropOptions o = SmallDrops("/proc/gym_cannot_create_here");
  EXPECT_FALSE(WriteDrops(o, nullptr, [](double) {}).ok());
}

}  // namespace
}  // namespace gym
