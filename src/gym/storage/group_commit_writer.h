// GroupCommitWriter: one writer per database that shares each commit among many frames.
//
// GroupCommitWriter owns one connection (a CommitBackend: SQLite by default, PostgreSQL for a
// libpq URI), a writer thread and a delivery thread. Producers
// queue frames; the writer thread takes every item waiting (up to max_group_frames), writes
// them all inside one BEGIN IMMEDIATE ... COMMIT, and only then are their `done` callbacks
// called, in commit order, by the delivery thread while the next group commits. Under load
// each commit (and its fsync) is shared by many frames, so throughput rises with concurrency.
//
// Failure semantics ("nothing half-written, nothing silently dropped"):
// - Each queued item (one Write, or one WriteAll with all its parts) runs inside its own
//   SAVEPOINT. An item-level failure (a bad identifier, a constraint violation, an SQL error
//   while creating or altering its table) rolls back just that item and fails its `done`;
//   the other items of the group still commit. One malformed batch therefore cannot fail the
//   batches of unrelated clients that happened to share its group.
// - A transaction-level failure (BEGIN or COMMIT fails, the database is locked or busy past
//   busy_timeout, disk full, I/O error, SQLite rolled back on its own) rolls back the whole
//   group and every `done` in it gets that error.
// Tables are created and extended as described in sqlite_table_writer.h (new columns are
// added with ALTER TABLE ADD COLUMN), or pg_commit_backend.h.
//
//   auto writer = GroupCommitWriter::Open("gym.db");   // or "postgresql://host/db"
//   (*writer)->Write({"transactions", "event_id"}, std::move(frame),
//                    [](const absl::Status& s, const WriteResult& r) { Ack(s, r.inserted); });
#ifndef GYM_STORAGE_GROUP_COMMIT_WRITER_H_
#define GYM_STORAGE_GROUP_COMMIT_WRITER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/storage/table_options.h"

namespace gym {

// Held by pointer, so this header (part of the installed API) includes no database client.
class CommitBackend;

struct WriterOptions {
  // Default synchronous=NORMAL with WAL: a commit survives a process crash; FULL also
  // survives power loss, at the cost of an fsync per commit.
  bool synchronous_full = false;
  // Most items (Write/WriteAll calls) committed in one transaction.
  size_t max_group_frames = 4096;
  // How long a commit waits for another connection's lock before failing with UNAVAILABLE.
  std::chrono::milliseconds busy_timeout{5000};
  // When a write arrives while nothing is queued or committing, commit it on the calling
  // thread instead of waking the writer thread: an idle server saves a thread hand-off per
  // request, while under load writes still queue and share group commits. `done` then runs
  // before Write returns, so callers must not hold a lock that `done` takes.
  bool commit_on_caller_when_idle = false;
  // Groups committed side by side, each on a connection of its own; 0: the backend's default.
  // On PostgreSQL (default 2) a COMMIT waits for its WAL flush, and with two connections the
  // next group is written meanwhile (117k rows/s with one, 168k with two, measured for
  // issue 14). SQLite has one writer: always 1.
  size_t connections = 0;
};

struct WriterStats {
  int64_t groups = 0;        // transactions committed
  int64_t frames = 0;        // items committed
  int64_t rows = 0;          // rows inserted or ignored by committed items
  int64_t failed_items = 0;  // items whose done got an error
};

// OK when `db` (a SQLite file or a PostgreSQL connection string, as GroupCommitWriter::Open
// takes) can be opened for writing now; the error names the database otherwise. A check
// before slow start-up work, so that a bad --db fails at once.
[[nodiscard]] absl::Status CheckWritableDatabase(const std::string& db);

class GroupCommitWriter final {
 public:
  using Done = std::function<void(const absl::Status&, const WriteResult&)>;
  using CommitObserver =
      std::function<void(size_t frames_in_group, size_t rows, std::chrono::nanoseconds)>;

  // Opens the database and starts the writer thread. `db`: a SQLite file (created if needed,
  // in WAL mode), or a PostgreSQL connection string (`postgresql://...`, `host=... dbname=...`;
  // see IsPostgresTarget).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<GroupCommitWriter>> Open(
      const std::string& db, WriterOptions options = {});
  // A writer over `backends` (tests, and backends of one's own): one committing thread each,
  // all on the same database. REQUIRES: at least one.
  GroupCommitWriter(std::vector<std::unique_ptr<CommitBackend>> backends, WriterOptions options);

  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;
  // Drains the queue (everything queued is committed or failed), then closes.
  ~GroupCommitWriter();

  // Queues `frame` for `table`. `done` runs after the COMMIT of the group containing it, or
  // with the error after the rollback: on the writer's delivery thread (in commit order, while
  // the writer thread goes on to the next group; with several connections, in the order the
  // groups committed), or on this thread before Write returns under
  // WriterOptions::commit_on_caller_when_idle.
  void Write(TableOptions table, Frame frame, Done done);
  // Several (table, frame) parts committed atomically together, with one `done` for all.
  void WriteAll(std::vector<std::pair<TableOptions, Frame>> parts, Done done);
  // Blocks until everything queued before the call is committed (or failed) and its done ran.
  // REQUIRES: not called from a done callback or the commit observer (the writer thread).
  void Flush();
  // Rows in `table` as seen by the writer's connection, after everything queued before the
  // call; 0 when the table does not exist. INVALID_ARGUMENT for a bad identifier.
  // REQUIRES: not called from the writer thread, like Flush.
  [[nodiscard]] absl::StatusOr<int64_t> CountRows(const std::string& table);

  WriterStats stats() const;
  // Called on the committing thread after each successful COMMIT (before that group's done
  // callbacks) with the group's item count, row count and BEGIN-to-COMMIT time.
  void SetCommitObserver(CommitObserver observer);

 private:
  struct Item {
    std::vector<std::pair<TableOptions, Frame>> parts;
    Done done;
    // When set, the item is not a write but work to run on the writer's connection after
    // every write queued before it has committed.
    std::function<void(CommitBackend&)> task;
    uint64_t seq = 0;  // its place in the queue, from 0
  };

  // A committed (or failed) group whose done callbacks have not run yet.
  struct Delivery {
    std::vector<Item> items;
    std::vector<absl::Status> statuses;
    std::vector<WriteResult> results;
    size_t handled = 0;  // queue entries it settles, tasks included
    uint64_t first_seq = 0;  // they are the entries first_seq .. first_seq + handled - 1
  };

  void Enqueue(Item item);
  void Run(size_t connection);
  // Entries [first, first + count) are settled: done_below_ moves past every settled prefix.
  void SettledLocked(uint64_t first, uint64_t count);
  void RunDeliveries();
  // Writes `delivery.items` in one transaction and fills its statuses and results.
  void CommitGroup(CommitBackend& backend, Delivery& delivery, const CommitObserver& observer);
  void Deliver(Delivery& delivery);

  // One per committing thread; backends_[0] also serves a caller committing while idle.
  std::vector<std::unique_ptr<CommitBackend>> backends_;
  const std::string description_;  // backends_[0]->Describe(), for log lines
  WriterOptions options_;

  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable drained_cv_;
  std::deque<Item> queue_;
  uint64_t enqueued_ = 0;  // items ever queued
  // Every entry below it is settled (its done has run); settled ranges past a gap wait in
  // done_ranges_ (first -> end). With several connections groups settle out of queue order.
  uint64_t done_below_ = 0;
  std::map<uint64_t, uint64_t> done_ranges_;
  bool stopping_ = false;
  int active_ = 0;                  // committing threads, and a caller committing while idle
  bool caller_committing_ = false;  // a caller is committing on backends_[0]
  // Groups committed by the writer thread whose callbacks the delivery thread has yet to run
  // (the one it is running included). The done callbacks (a server's replies) took a tenth
  // of the writer thread's time; this way the next group commits meanwhile.
  std::deque<Delivery> deliveries_;
  size_t undelivered_ = 0;
  bool delivery_stopping_ = false;
  std::condition_variable delivery_cv_;
  CommitObserver observer_;

  std::atomic<int64_t> groups_{0};
  std::atomic<int64_t> frames_{0};
  std::atomic<int64_t> rows_{0};
  std::atomic<int64_t> failed_items_{0};

  // Last: they start after every member above is ready.
  std::thread delivery_thread_;
  std::vector<std::thread> threads_;
};

}  // namespace gym

#endif  // GYM_STORAGE_GROUP_COMMIT_WRITER_H_
