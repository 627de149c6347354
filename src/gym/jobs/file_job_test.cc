// FileJob without the command line: a pipeline file of the library run on files, its rows
// committed, its rejections recorded once, its CSV files shown only after a commit.
#include "gym/jobs/file_job.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/datagen/builtin_parts.h"
#include "gym/jobs/file_inputs.h"
#include "gym/testing/query_db.h"
#include "gym/testing/server_process.h"

namespace gym {
namespace {
namespace fs = std::filesystem;
using ::gym::testing::ExecSql;
using ::gym::testing::QueryInt;
using ::gym::testing::QueryStrings;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// check_tx rejects a row without an id; the rest are categorized, counted and stored.
std::string PipelineText(const std::string& results) {
  return R"([pipeline]
name = "job_test"
[sources.new_txt]
type = "file"
match = ["*.txt"]
columns = { id = "int64", cliente_id = "int64", data = "string", valor = "double", moeda = "string" }
[nodes.check_tx]
type = "check_transactions"
inputs = ["new_txt"]
[nodes.category]
type = "category"
inputs = ["check_tx"]
[nodes.count]
type = "count_per_category"
inputs = ["category"]
[sinks.save_csv]
type = "csv"
inputs = ["category"]
folder = ")" + results + R"("
prefix = "tx"
publish = "when_committed"
[sinks.save_db]
type = "sqlite"
inputs = ["category"]
table = "transactions"
[triggers.files]
type = "files"
)";
}

class FileJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.File("in"));
    std::ofstream(dir_.File("in/a.txt")) << "id,cliente_id,data,valor,moeda\n"
                                            "1,5,2026-11-23,10.5,BRL\n"
                                            ",5,2026-11-24,30,USD\n"
                                            "3,6,2026-11-25,40,EUR\n";
    std::ofstream(dir_.File("in/b.txt")) << "id,cliente_id,data,valor,moeda\n"
                                            "4,7,2026-11-26,99,BRL\n";
    std::ofstream(dir_.File("in/notes.md")) << "not an input\n";
    PipelineLoad load = ParsePipeline(PipelineText(dir_.File("results")), "job_test.toml", parts_);
    ASSERT_TRUE(load.spec.has_value());
    ASSERT_THAT(AllErrors(load, parts_), ::testing::IsEmpty());
    spec_ = *load.spec;
  }

  std::unique_ptr<FileJob> Build() {
    absl::StatusOr<std::unique_ptr<FileJob>> job =
        FileJob::Build({.out_db = db()}, spec_, parts_);
    EXPECT_TRUE(job.ok()) << job.status();
    return job.ok() ? *std::move(job) : nullptr;
  }
  std::string db() const { return dir_.File("out.db"); }
  size_t ResultFiles() const {
    if (!fs::exists(dir_.File("results"))) return 0;
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir_.File("results"))) n += e.is_regular_file();
    return n;
  }

  testing::TempDir dir_;
  PartRegistry parts_ = BuiltinParts();
  PipelineSpec spec_;
};

TEST_F(FileJobTest, ListsOnlyTheFilesItsSourcesTake) {
  absl::StatusOr<std::vector<std::string>> inputs = ListInputs(spec_, dir_.File("in"));
  ASSERT_TRUE(inputs.ok()) << inputs.status();
  EXPECT_THAT(*inputs, ElementsAre(dir_.File("in/a.txt"), dir_.File("in/b.txt")));
  absl::StatusOr<std::vector<std::string>> none = ListInputs(spec_, dir_.path());
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(none.status().message(), HasSubstr("takes *.txt"));
}

TEST_F(FileJobTest, StoresEachFileOnceAndItsRejectionsOnce) {
  for (int run = 0; run < 2; ++run) {
    SCOPED_TRACE(run);
    std::unique_ptr<FileJob> job = Build();
    ASSERT_NE(job, nullptr);
    job->RunOnce(*ListInputs(spec_, dir_.File("in")), /*with_timers=*/false);
    job->Finish();
    EXPECT_EQ(job->log().failures(), 0) << job->log().first_failure();
    EXPECT_THAT(job->StoredRows(),
                ElementsAre(std::pair<std::string, int64_t>("transactions", 3),
                            std::pair<std::string, int64_t>("rejected_events", 1)));
    ASSERT_THAT(job->metrics(), SizeIs(1));
    EXPECT_GT(job->metrics()[0].second->result().num_rows(), 0u);
    // A CSV file per message and run (its name carries the time), published after commit.
    EXPECT_EQ(ResultFiles(), 2u * static_cast<size_t>(run + 1));
  }
  EXPECT_THAT(QueryStrings(db(), "SELECT id FROM transactions ORDER BY id"),
              ElementsAre("1", "3", "4"));
  EXPECT_THAT(QueryStrings(db(), "SELECT reason FROM rejected_events"),
              ElementsAre(HasSubstr("id")));
}

TEST_F(FileJobTest, AFailedCommitIsAFailureAndLeavesNoCsv) {
  ASSERT_TRUE(ExecSql(db(),
                      "CREATE TABLE transactions (event_id TEXT PRIMARY KEY);"
                      "CREATE TRIGGER refuse BEFORE INSERT ON transactions "
                      "BEGIN SELECT RAISE(ABORT, 'the disk is full, say'); END;"));
  std::unique_ptr<FileJob> job = Build();
  ASSERT_NE(job, nullptr);
  job->RunOnce({dir_.File("in/b.txt")}, /*with_timers=*/false);
  job->Finish();
  EXPECT_EQ(job->log().failures(), 1);
  EXPECT_THAT(job->log().first_failure(), HasSubstr("the disk is full, say"));
  EXPECT_EQ(ResultFiles(), 0u);
}

// A claimed file is recorded as stored only once the rows it rejected are stored as well:
// a rejection record that fails leaves the file unrecorded, to be read again.
TEST_F(FileJobTest, AClaimedFileWhoseRejectionIsNotStoredIsNotRecorded) {
  ASSERT_TRUE(ExecSql(db(),
                      "CREATE TABLE rejected_events (event_id TEXT);"
                      "CREATE TRIGGER refuse BEFORE INSERT ON rejected_events "
                      "BEGIN SELECT RAISE(ABORT, 'no room for rejections'); END;"));
  absl::StatusOr<std::unique_ptr<FileJob>> job =
      FileJob::Build({.out_db = db(), .claim_files = true}, spec_, parts_);
  ASSERT_TRUE(job.ok()) << job.status();
  (*job)->RunOnce({dir_.File("in/a.txt"), dir_.File("in/b.txt")}, /*with_timers=*/false);
  (*job)->Finish();
  EXPECT_EQ((*job)->log().failures(), 1);
  EXPECT_THAT((*job)->log().first_failure(), HasSubstr("no room for rejections"));
  // a.txt's good rows are stored, but not a.txt itself; b.txt, which rejected nothing, is.
  EXPECT_THAT(QueryStrings(db(), "SELECT id FROM transactions ORDER BY id"),
              ElementsAre("1", "3", "4"));
  EXPECT_THAT(QueryStrings(db(), "SELECT path FROM gym_files"),
              ElementsAre(dir_.File("in/b.txt")));
}

TEST_F(FileJobTest, StopEndsAWatchAndTheDroppedFileIsStored) {
  std::unique_ptr<FileJob> job = Build();
  ASSERT_NE(job, nullptr);
  fs::create_directories(dir_.File("watch"));
  std::thread dropper([&] {
    fs::copy_file(dir_.File("in/b.txt"), dir_.File("watch/b.txt"));
    // Bounded: stop once the file's row is in, or after 30 s.
    for (int i = 0; i < 300 && QueryInt(db(), "SELECT COUNT(*) FROM transactions") != 1; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    job->Stop();
  });
  const auto start = std::chrono::steady_clock::now();
  job->Watch(dir_.File("watch"), /*idle_timeout=*/std::chrono::seconds(120));
  dropper.join();
  // Stop ended it, not the idle timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  job->Finish();
  EXPECT_EQ(job->log().failures(), 0) << job->log().first_failure();
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM transactions"), 1);
}

// A job dropped without Finish() still ends its messages before its parts go: the row is
// committed and its CSV put in place by the time the destructor returns.
TEST_F(FileJobTest, ADroppedJobEndsItsMessagesFirst) {
  {
    std::unique_ptr<FileJob> job = Build();
    ASSERT_NE(job, nullptr);
    job->SubmitFile(dir_.File("in/b.txt"));
  }
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM transactions"), 1);
  EXPECT_EQ(ResultFiles(), 1u);
}

// Two jobs of one process within a second name different runs, so the second does not
// replace the first one's rows in the metric tables.
TEST_F(FileJobTest, EachJobNamesItsOwnRun) {
  std::unique_ptr<FileJob> first = Build();
  std::unique_ptr<FileJob> second = Build();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(first->run_id(), second->run_id());
  EXPECT_THAT(first->run_id(), ::testing::StartsWith("run-"));
}

TEST_F(FileJobTest, ADrawnJobWritesNothing) {
  absl::StatusOr<std::unique_ptr<FileJob>> job =
      FileJob::Build({.out_db = db(), .will_run = false}, spec_, parts_);
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_THAT((*job)->pipeline().DescribeText(), HasSubstr("save_db <- category"));
  EXPECT_FALSE(fs::exists(db()));
}

}  // namespace
}  // namespace gym
