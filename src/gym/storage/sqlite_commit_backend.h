// SqliteCommitBackend: a GroupCommitWriter's groups on one SQLite database (WAL).
//
// Each group is one BEGIN IMMEDIATE ... COMMIT; each item runs inside its own SAVEPOINT, so
// an item whose data or schema is at fault is rolled back alone. Tables are created and
// extended by SqliteTableWriter; string unique keys go through the key index
// (unique_keys.h), which hears of every savepoint, commit and rollback. A WalCheckpointer
// keeps checkpoints off the commit path.
#ifndef GYM_STORAGE_SQLITE_COMMIT_BACKEND_H_
#define GYM_STORAGE_SQLITE_COMMIT_BACKEND_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gym/storage/commit_backend.h"

namespace gym {

class SqliteConnection;
class SqliteTableWriter;
class WalCheckpointer;

class SqliteCommitBackend final : public CommitBackend {
 public:
  // Opens (creating if needed) the database and sets WAL mode.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SqliteCommitBackend>> Open(
      const std::string& db_path, bool synchronous_full, std::chrono::milliseconds busy_timeout);
  ~SqliteCommitBackend() override;

  absl::Status CommitGroup(const std::vector<const WriteParts*>& items,
                           std::vector<absl::Status>& statuses,
                           std::vector<WriteResult>& results) override;
  absl::StatusOr<int64_t> CountRows(const std::string& table) override;
  std::string Describe() const override;

 private:
  SqliteCommitBackend(std::unique_ptr<SqliteConnection> db, bool synchronous_full);
  [[nodiscard]] absl::Status WriteItem(const WriteParts& parts, WriteResult& result);

  std::unique_ptr<SqliteConnection> db_;
  std::unique_ptr<SqliteTableWriter> table_writer_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // null: SQLite checkpoints inline
};

}  // namespace gym

#endif  // GYM_STORAGE_SQLITE_COMMIT_BACKEND_H_
