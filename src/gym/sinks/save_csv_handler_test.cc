// SaveCsvHandler writes one time-stamped file per frame, never replaces a file, and under
// kWhenCommitted shows a file only once the caller says its message committed.
#include "gym/sinks/save_csv_handler.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/domain/dates.h"
#include "gym/sources/csv_source.h"
#include "gym/testing/status_matchers.h"

namespace gym {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing_util::StatusIs;

std::string FreshDir(const std::string& name) {
  const std::string dir =
      ::testing::TempDir() + "/gym_save_csv_" + std::to_string(::getpid()) + "_" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Names of the files a reader would take for results: not hidden.
std::vector<std::string> VisibleFiles(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.front() != '.') names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Frame Batch(const std::string& batch_id, std::vector<int64_t> ids) {
  return Frame(
      {"id", "batch_id"},
      {Column::Ints(ids), Column::Strings(std::vector<std::string>(ids.size(), batch_id))});
}

// Two runs in the same second used to write the same risk_<stamp>_000000.csv, the second
// replacing the first. Another run's files are planted under the names of this second and the
// next, so the handler meets them whenever it runs.
TEST(SaveCsvHandler, NeverReplacesAnotherRunsFile) {
  const std::string dir = FreshDir("collide");
  const auto now = std::chrono::system_clock::now();
  std::vector<std::string> planted;
  for (auto when : {now, now + std::chrono::seconds(1)}) {
    planted.push_back(dir + "/risk_" + UtcStamp(when) + "_000000.csv");
    std::ofstream(planted.back()) << "another run\n";
  }
  SaveCsvHandler save(dir, "risk");
  ASSERT_OK(save.Handle(Batch("b", {1, 2})));
  ASSERT_EQ(save.written().size(), 1u);
  const std::string mine = save.written()[0];
  for (const std::string& other : planted) {
    EXPECT_NE(mine, other);
    EXPECT_EQ(Slurp(other), "another run\n");
  }
  absl::StatusOr<Frame> back = ReadCsvFile(mine);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->num_rows(), 2u);
}

TEST(SaveCsvHandler, WhenCommittedShowsAFileOnlyAfterCommit) {
  const std::string dir = FreshDir("commit");
  SaveCsvHandler save(dir, "risk", SaveCsvHandler::Publish::kWhenCommitted);
  ASSERT_OK(save.Handle(Batch("kept", {1, 2, 3})));
  ASSERT_OK(save.Handle(Batch("failed", {4})));
  EXPECT_THAT(VisibleFiles(dir), IsEmpty());  // nothing looks like a result yet

  absl::StatusOr<std::string> path = save.Commit("kept");
  ASSERT_TRUE(path.ok()) << path.status();
  save.Abandon("failed");
  EXPECT_THAT(VisibleFiles(dir), ElementsAre(fs::path(*path).filename().string()));
  EXPECT_THAT(save.written(), ElementsAre(*path));
  absl::StatusOr<Frame> back = ReadCsvFile(*path);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->num_rows(), 3u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  EXPECT_EQ(*save.Commit("unknown"), "");
}

TEST(SaveCsvHandler, FilesNeverCommittedAreRemoved) {
  const std::string dir = FreshDir("never");
  {
    SaveCsvHandler save(dir, "risk", SaveCsvHandler::Publish::kWhenCommitted);
    ASSERT_OK(save.Handle(Batch("b", {1})));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 0);
}

// A folder that cannot be made (here a file stands where it should be) must be fixed before a
// retry can succeed: FAILED_PRECONDITION, naming the folder.
TEST(SaveCsvHandler, AFolderThatCannotBeMadeFailsTheMessageNamingIt) {
  const std::string dir = FreshDir("blocked");
  std::ofstream(dir + "/results") << "a file, not a folder\n";
  SaveCsvHandler save(dir + "/results/risk", "risk");
  EXPECT_THAT(save.Handle(Batch("b", {1})),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(dir + "/results/risk: cannot create the folder")));
  EXPECT_THAT(save.written(), IsEmpty());
}

TEST(SaveCsvHandler, WritesOneTimestampedFilePerFrame) {
  const std::string dir = FreshDir("save") + "/results";
  SaveCsvHandler save(dir, "risk");
  Frame frame({"id", "suspeita"}, {Column::Ints({1, 2}), Column::Ints({0, 1})});
  ASSERT_OK_AND_ASSIGN(const Frame passed_on, save.Handle(frame));
  EXPECT_EQ(passed_on, frame);
  ASSERT_OK(save.Handle(frame.Head(1)));
  const std::vector<std::string> written = save.written();
  ASSERT_EQ(written.size(), 2u);
  for (size_t i = 0; i < written.size(); ++i) {
    SCOPED_TRACE(written[i]);
    const std::string name = fs::path(written[i]).filename().string();
    EXPECT_THAT(name, ::testing::MatchesRegex("risk_[0-9]{8}T[0-9]{6}_00000" + std::to_string(i) +
                                              "\\.csv"));
    absl::StatusOr<Frame> back = ReadCsvFile(written[i]);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, frame.Head(i == 0 ? 2 : 1));
  }
}

}  // namespace
}  // namespace gym
