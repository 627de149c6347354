// WalCheckpointer: runs the WAL checkpoints of a group-commit writer's database on a thread
// and connection of its own.
//
// SQLite's automatic checkpoint runs inside the COMMIT that pushes the WAL past 1000 pages:
// that commit (and every batch waiting behind it) pays for copying the WAL into the database
// and for two fsyncs. Here the writer's connection only reports the WAL size after each commit
// (sqlite3_wal_hook); past `threshold_pages` a second connection runs a PASSIVE checkpoint,
// which never blocks the writer. Durability is unchanged: commits are appended to the WAL
// exactly as before, and the checkpoint syncs the WAL and the database as SQLite's own does.
// Should the WAL still outgrow 16 times the threshold (a checkpoint that cannot keep up), the
// writer checkpoints inline as SQLite would have.
#ifndef GYM_STORAGE_WAL_CHECKPOINTER_H_
#define GYM_STORAGE_WAL_CHECKPOINTER_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "gym/storage/sqlite_connection.h"

namespace gym {

class WalCheckpointer {
 public:
  // Takes over the checkpoints of `writer`, which must be in WAL mode. nullptr when it is not
  // (an in-memory database) or when the second connection cannot be opened; SQLite's own
  // automatic checkpoint then stays in place. `writer` must outlive the result, and no
  // commit may run on it while the result is being destroyed.
  static std::unique_ptr<WalCheckpointer> Start(SqliteConnection& writer, bool synchronous_full,
                                                int threshold_pages = 1000);

  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;
  // Stops the thread and gives the writer back SQLite's automatic checkpoint.
  ~WalCheckpointer();

 private:
  WalCheckpointer(SqliteConnection& writer, SqliteConnection own, int threshold_pages);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int pages);
  void Run();

  SqliteConnection& writer_;
  SqliteConnection own_;  // used only on thread_
  const int threshold_pages_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after every member above is ready
};

}  // namespace gym

#endif  // GYM_STORAGE_WAL_CHECKPOINTER_H_
