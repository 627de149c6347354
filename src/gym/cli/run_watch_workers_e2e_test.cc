// Several `gym run --watch` workers on one drop folder and one database: each file claimed
// and stored by one of them (FileClaims), on SQLite and on PostgreSQL; a worker killed
// mid-run, or a claim held by a worker that then goes away, leaves its files to the others.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "gym/sources/file_digest.h"
#include "gym/storage/file_claims.h"
#include "gym/storage/sqlite_connection.h"
#include "gym/testing/pg_test.h"
#include "gym/testing/run_gym.h"
#include "gym/testing/server_process.h"
#include "pqxx/pqxx"

namespace gym {
namespace {

using gym::testing::CommandResult;
using gym::testing::RunGym;
using gym::testing::TempDir;

constexpr int kFiles = 10;
constexpr int kRows = 3000;

// `gym gen drops`: kFiles files of kRows transactions in dir/in, all there before any worker.
void DropFiles(const TempDir& dir) {
  const CommandResult gen =
      RunGym({"gen", "drops", "--dir", dir.File("in"), "--files", std::to_string(kFiles),
              "--rows", std::to_string(kRows), "--delay", "0", "--seed", "7"},
             "", std::chrono::seconds(120));
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
}

std::vector<std::string> WorkerArgs(const TempDir& dir, const std::string& db,
                                    double idle_timeout_s) {
  // No timer rows: the files' rows alone, to compare with an --once run of the same files.
  return {"--log-level", "info", "run", "--watch", dir.File("in"), "--out-db", db,
          "--out-csv", dir.File("out"), "--model", dir.File("risk_model.json"),
          "--idle-timeout", absl::StrCat(idle_timeout_s), "--timer-runs", "0"};
}

// The "<path>: claimed by <worker>" lines of a worker's log, by path.
std::vector<std::string> ClaimedFiles(const std::string& log) {
  std::vector<std::string> files;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    const size_t at = line.find(": claimed by ");
    if (at == absl::string_view::npos) continue;
    const size_t start = line.rfind("drop_", at);
    if (start != absl::string_view::npos) files.emplace_back(line.substr(start, at - start));
  }
  return files;
}

// Two workers started together: every file claimed by exactly one of them.
void ExpectEachFileClaimedOnce(const CommandResult& a, const CommandResult& b) {
  std::vector<std::string> claimed = ClaimedFiles(a.err);
  const std::vector<std::string> by_b = ClaimedFiles(b.err);
  claimed.insert(claimed.end(), by_b.begin(), by_b.end());
  std::sort(claimed.begin(), claimed.end());
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kFiles)) << a.err << b.err;
  EXPECT_EQ(std::adjacent_find(claimed.begin(), claimed.end()), claimed.end())
      << "a file claimed twice:\n" << a.err << b.err;
}

TEST(RunWatchWorkersE2E, TwoWorkersOnOneSqliteFileStoreEachFileOnce) {
  TempDir dir;
  DropFiles(dir);
  const std::string db = dir.File("shared.db");
  CommandResult a, b;
  std::thread first([&] { a = RunGym(WorkerArgs(dir, db, 3), "", std::chrono::seconds(180)); });
  b = RunGym(WorkerArgs(dir, db, 3), "", std::chrono::seconds(180));
  first.join();
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  ExpectEachFileClaimedOnce(a, b);
  absl::StatusOr<SqliteConnection> conn = SqliteConnection::Open(db, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(conn.ok()) << conn.status();
  absl::StatusOr<SqliteStatement> q = conn->Prepare(
      "SELECT (SELECT count(*) FROM gym_files), (SELECT count(DISTINCT worker) FROM gym_files "
      "WHERE worker <> ''), count(*), count(DISTINCT event_id) FROM transactions");
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->ColumnInt64(0), kFiles);
  EXPECT_GE(q->ColumnInt64(1), 1);
  EXPECT_EQ(q->ColumnInt64(2), q->ColumnInt64(3));  // no event stored twice
  EXPECT_GT(q->ColumnInt64(2), kFiles * kRows / 2);  // most rows are valid ones
}

// A file whose store fails for now (here: the database locked by another process past the
// busy timeout) is let go and asked for again, and stored once the database is free.
TEST(RunWatchWorkersE2E, AFileWhoseStoreFailedForNowIsTriedAgainAndStored) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("in"));
  const std::string db = dir.File("shared.db");
  CommandResult worker;
  std::thread run([&] { worker = RunGym(WorkerArgs(dir, db, 6), "", std::chrono::seconds(120)); });
  // The worker is up once its claims file exists (FileClaims::Open, before it watches).
  for (int i = 0; i < 600 && !std::filesystem::exists(db + "-claims"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  absl::StatusOr<SqliteConnection> locker = OpenForWriting(db);
  ASSERT_TRUE(locker.ok()) << locker.status();
  ASSERT_TRUE(locker->Exec("BEGIN IMMEDIATE").ok());  // past the writer's 5 s busy timeout
  const CommandResult gen =
      RunGym({"gen", "drops", "--dir", dir.File("in"), "--files", "1", "--rows", "500", "--delay",
              "0", "--seed", "3"},
             "", std::chrono::seconds(60));
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  // Held over two busy timeouts: whichever stage reaches the database first, the file's rows
  // meet the lock for longer than the writer waits.
  std::this_thread::sleep_for(std::chrono::seconds(12));
  ASSERT_TRUE(locker->Exec("COMMIT").ok());
  run.join();
  EXPECT_NE(worker.err.find("not stored; asked for again"), std::string::npos) << worker.err;
  absl::StatusOr<SqliteStatement> q = locker->Prepare(
      "SELECT (SELECT count(*) FROM gym_files), count(*), count(DISTINCT event_id) "
      "FROM transactions");
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->ColumnInt64(0), 1) << worker.err;  // stored, and recorded, in the end
  EXPECT_GT(q->ColumnInt64(1), 0);
  EXPECT_EQ(q->ColumnInt64(1), q->ColumnInt64(2));
}

class RunWatchWorkersPgE2E : public gym::testing::PgTest {
 protected:
  TempDir dir_;
};

// A worker killed -9 in the middle of its files (two files of 150,000 rows: each takes it
// more than a second, and it is killed 200 ms after its first claim) leaves them to the next
// worker: its claims end with its session, and the next worker stores each file once.
TEST_F(RunWatchWorkersPgE2E, AWorkerKilledMidFileLeavesItsFilesToTheNext) {
  const CommandResult gen =
      RunGym({"gen", "drops", "--dir", dir_.File("in"), "--files", "2", "--rows", "150000",
              "--delay", "0", "--seed", "5"},
             "", std::chrono::seconds(120));
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const CommandResult killed = gym::testing::RunGymInterrupted(
      WorkerArgs(dir_, uri(), 60), {"claimed by", std::chrono::milliseconds(200), SIGKILL},
      std::chrono::seconds(120));
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.err;
  EXPECT_FALSE(ClaimedFiles(killed.err).empty()) << killed.err;
  // Killed mid-file: it recorded none.
  EXPECT_EQ(Query("SELECT count(*) FROM gym_files"), "0");

  const CommandResult next = RunGym(WorkerArgs(dir_, uri(), 3), "", std::chrono::seconds(240));
  ASSERT_EQ(next.exit_code, 0) << next.err;
  // Both files, the one the dead worker held among them, claimed and recorded by the next.
  EXPECT_EQ(ClaimedFiles(next.err).size(), 2u) << next.err;
  EXPECT_EQ(Query("SELECT count(*), count(DISTINCT content_sha256), count(DISTINCT worker) "
                  "FROM gym_files"),
            "2|2|1");
  const std::string stored =
      Query("SELECT count(*), count(DISTINCT event_id) FROM transactions");
  EXPECT_EQ(stored.substr(0, stored.find('|')), stored.substr(stored.find('|') + 1));
  // As many rows as one worker alone stores from the same files on a fresh database.
  const CommandResult alone = RunGym(
      {"run", "--once", "--data", dir_.File("in"), "--out-db", dir_.File("alone.db"), "--out-csv",
       dir_.File("alone_out"), "--model", dir_.File("risk_model.json")}, "",
      std::chrono::seconds(240));
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  absl::StatusOr<SqliteConnection> conn =
      SqliteConnection::Open(dir_.File("alone.db"), SQLITE_OPEN_READONLY);
  ASSERT_TRUE(conn.ok()) << conn.status();
  absl::StatusOr<SqliteStatement> q = conn->Prepare("SELECT count(*) FROM transactions");
  ASSERT_TRUE(q.ok() && *q->Step());
  EXPECT_EQ(stored.substr(0, stored.find('|')), absl::StrCat(q->ColumnInt64(0)));
}

// Two workers started together on PostgreSQL: every file claimed by exactly one of them.
TEST_F(RunWatchWorkersPgE2E, TwoWorkersStoreEachFileOnce) {
  DropFiles(dir_);
  CommandResult a, b;
  std::thread first([&] { a = RunGym(WorkerArgs(dir_, uri(), 3), "", std::chrono::seconds(180)); });
  b = RunGym(WorkerArgs(dir_, uri(), 3), "", std::chrono::seconds(180));
  first.join();
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  ExpectEachFileClaimedOnce(a, b);
  EXPECT_EQ(Query("SELECT count(*) FROM gym_files"), absl::StrCat(kFiles));
  const std::string stored =
      Query("SELECT count(*), count(DISTINCT event_id) FROM transactions");
  EXPECT_EQ(stored.substr(0, stored.find('|')), stored.substr(stored.find('|') + 1));
}

// A claim held by another session (a worker in the middle of the file) keeps the file from
// this worker until that session ends; then the worker takes it. The wait outlasts the
// worker's idle timeout: a file held elsewhere is work still expected, and a worker that
// stopped would leave it to a holder that may die.
TEST_F(RunWatchWorkersPgE2E, AFileHeldElsewhereIsTakenOnceItsHolderIsGone) {
  DropFiles(dir_);
  const std::string held = dir_.File("in/drop_0001.txt");
  absl::StatusOr<std::string> sha = FileSha256Hex(held);
  ASSERT_TRUE(sha.ok()) << sha.status();
  auto holder = std::make_unique<pqxx::connection>(uri());
  {
    pqxx::nontransaction tx(*holder);
    tx.exec_params("SELECT pg_advisory_lock($1)", FileClaimKey(*sha));
  }
  constexpr double kIdleTimeoutS = 2;
  CommandResult worker;
  std::thread run([&] {
    worker = RunGym(WorkerArgs(dir_, uri(), kIdleTimeoutS), "", std::chrono::seconds(240));
  });
  // Every other file is stored while the held one waits (gym_files exists once the worker
  // has started).
  std::string count;
  for (int i = 0; i < 1200 && count != absl::StrCat(kFiles - 1); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (Query("SELECT to_regclass('gym_files') IS NOT NULL") != "t") continue;
    count = Query("SELECT count(*) FROM gym_files");
  }
  EXPECT_EQ(count, absl::StrCat(kFiles - 1));
  // Longer than the idle timeout: retries, all refused, and the worker stays.
  std::this_thread::sleep_for(std::chrono::duration<double>(kIdleTimeoutS + 1.5));
  EXPECT_EQ(Query(absl::StrCat("SELECT count(*) FROM gym_files WHERE content_sha256 = '",
                               *sha, "'")),
            "0");
  holder.reset();  // the holder goes away: its lock with it
  run.join();  // the worker takes the file, then ends on its idle timeout
  EXPECT_EQ(worker.exit_code, 0) << worker.err;
  EXPECT_NE(worker.err.find("drop_0001.txt: held by another worker"), std::string::npos)
      << worker.err;
  EXPECT_EQ(Query("SELECT count(*) FROM gym_files"), absl::StrCat(kFiles));
  const std::string stored =
      Query("SELECT count(*), count(DISTINCT event_id) FROM transactions");
  EXPECT_EQ(stored.substr(0, stored.find('|')), stored.substr(stored.find('|') + 1));
}

}  // namespace
}  // namespace gym
