// SqliteCommitBackend: one transaction per group, one savepoint per item.
#include "gym/storage/sqlite_commit_backend.h"

#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gym/storage/sqlite_connection.h"
#include "gym/storage/sqlite_table_writer.h"
#include "gym/storage/wal_checkpointer.h"

namespace gym {

absl::StatusOr<std::unique_ptr<SqliteCommitBackend>> SqliteCommitBackend::Open(
    const std::string& db_path, bool synchronous_full, std::chrono::milliseconds busy_timeout) {
  absl::StatusOr<SqliteConnection> db = OpenForWriting(db_path, synchronous_full, busy_timeout);
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteCommitBackend>(new SqliteCommitBackend(
      std::make_unique<SqliteConnection>(std::move(*db)), synchronous_full));
}

SqliteCommitBackend::SqliteCommitBackend(std::unique_ptr<SqliteConnection> db,
                                         bool synchronous_full)
    : db_(std::move(db)),
      table_writer_(std::make_unique<SqliteTableWriter>(*db_)),
      checkpointer_(WalCheckpointer::Start(*db_, synchronous_full)) {}

SqliteCommitBackend::~SqliteCommitBackend() {
  checkpointer_.reset();  // before the connection it checkpoints
  table_writer_.reset();
}

std::string SqliteCommitBackend::Describe() const { return absl::StrCat("SQLite ", db_->path()); }

absl::Status SqliteCommitBackend::WriteItem(const WriteParts& parts, WriteResult& result) {
  for (size_t p = 0; p < parts.size(); ++p) {
    const auto& [table, frame] = parts[p];
    absl::StatusOr<WriteResult> part;
    try {
      part = table_writer_->Insert(table, frame);
    } catch (const std::exception& e) {
      part = absl::InvalidArgumentError(absl::StrCat("table '", table.table, "': ", e.what()));
    }
    if (!part.ok()) {
      if (parts.size() == 1) return part.status();
      return absl::Status(part.status().code(),
                          absl::StrCat("part ", p, ": ", part.status().message()));
    }
    result += *part;
    if (parts.size() > 1) result.parts.push_back(*std::move(part));
  }
  return absl::OkStatus();
}

absl::Status SqliteCommitBackend::CommitGroup(const std::vector<const WriteParts*>& items,
                                              std::vector<absl::Status>& statuses,
                                              std::vector<WriteResult>& results) {
  absl::Status group_status;
  absl::StatusOr<SqliteTransaction> txn =
      SqliteTransaction::Begin(*db_, SqliteTransaction::Mode::kImmediate);
  if (!txn.ok()) group_status = txn.status();
  for (size_t i = 0; i < items.size() && group_status.ok(); ++i) {
    // The savepoint lets one bad item be undone without failing the rest of the group.
    const size_t mark = table_writer_->SavepointMark();
    if (group_status = db_->ExecCached("SAVEPOINT gym_item"); !group_status.ok()) break;
    absl::Status item_status = WriteItem(*items[i], results[i]);
    if (item_status.ok()) {
      group_status = db_->ExecCached("RELEASE gym_item");
      continue;
    }
    results[i] = WriteResult{};
    if (db_->InAutocommit() || !IsItemLevel(item_status)) {
      group_status = item_status;
      break;
    }
    // The savepoint undoes the item's rows (their keys go from the key index's pending set)
    // and maybe a CREATE or ALTER the table writer remembers.
    table_writer_->RolledBackTo(mark);
    group_status = db_->Exec("ROLLBACK TO gym_item; RELEASE gym_item");
    statuses[i] = std::move(item_status);
  }
  if (group_status.ok()) {
    group_status = txn->Commit();
  } else if (txn.ok()) {
    txn->Rollback();
  }
  if (group_status.ok()) {
    table_writer_->Committed();
  } else {
    table_writer_->RolledBack();
  }
  return group_status;
}

absl::StatusOr<int64_t> SqliteCommitBackend::CountRows(const std::string& table) {
  absl::StatusOr<bool> exists = db_->TableExists(table);
  if (!exists.ok()) return exists.status();
  if (!*exists) return 0;
  absl::StatusOr<SqliteStatement> count =
      db_->Prepare(absl::StrCat("SELECT count(*) FROM ", QuoteIdentifier(table)));
  if (!count.ok()) return count.status();
  absl::StatusOr<bool> row = count->Step();
  if (!row.ok()) return row.status();
  return count->ColumnInt64(0);
}

}  // namespace gym
