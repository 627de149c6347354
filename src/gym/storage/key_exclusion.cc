// One key, one table (see key_exclusion.h).
#include "gym/storage/key_exclusion.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gym {

void KeyExclusion::NoteWritten(const std::string& table) {
  may_hold_rows_[absl::AsciiStrToLower(table)] = true;
}

void KeyExclusion::Invalidate() {
  may_hold_rows_.clear();
  statements_.clear();
}

absl::StatusOr<bool> KeyExclusion::MayHoldRows(const std::string& table) {
  const std::string lower = absl::AsciiStrToLower(table);
  if (auto it = may_hold_rows_.find(lower); it != may_hold_rows_.end()) return it->second;
  absl::StatusOr<bool> exists = db_.TableExists(table);
  if (!exists.ok()) return exists.status();
  bool holds = false;
  if (*exists) {
    absl::StatusOr<SqliteStatement> any =
        db_.Prepare(absl::StrCat("SELECT EXISTS (SELECT 1 FROM ", QuoteIdentifier(table), ")"));
    if (!any.ok()) return any.status();
    absl::StatusOr<bool> row = any->Step();
    if (!row.ok()) return row.status();
    holds = *row && any->ColumnInt64(0) != 0;
  }
  may_hold_rows_[lower] = holds;
  return holds;
}

absl::StatusOr<SqliteStatement*> KeyExclusion::Statement(const std::string& sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) return &it->second;
  absl::StatusOr<SqliteStatement> stmt = db_.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  return &statements_.emplace(sql, std::move(*stmt)).first->second;
}

absl::StatusOr<std::vector<size_t>> KeyExclusion::RowsAbsentFrom(const std::string& table,
                                                                 const std::string& key,
                                                                 const Frame& frame) {
  std::vector<size_t> absent;
  absent.reserve(frame.num_rows());
  absl::StatusOr<bool> holds = MayHoldRows(table);
  if (!holds.ok()) return holds.status();
  if (!*holds) {
    for (size_t r = 0; r < frame.num_rows(); ++r) absent.push_back(r);
    return absent;
  }
  absl::StatusOr<SqliteStatement*> probe =
      Statement(absl::StrCat("SELECT 1 FROM ", QuoteIdentifier(table), " WHERE ",
                             QuoteIdentifier(key), " = ?1 LIMIT 1"));
  if (!probe.ok()) return probe.status();
  const Column& keys = frame.column(key);
  for (size_t r = 0; r < frame.num_rows(); ++r) {
    (*probe)->BindTextNoCopy(1, keys.strings()[r]);
    absl::StatusOr<bool> found = (*probe)->Step();
    (*probe)->Reset();
    if (!found.ok()) return found.status();
    if (!*found) absent.push_back(r);
  }
  return absent;
}

absl::StatusOr<int64_t> KeyExclusion::Evict(const std::string& table, const std::string& key,
                                            const Frame& frame) {
  absl::StatusOr<bool> holds = MayHoldRows(table);
  if (!holds.ok()) return holds.status();
  if (!*holds) return 0;
  absl::StatusOr<SqliteStatement*> erase = Statement(
      absl::StrCat("DELETE FROM ", QuoteIdentifier(table), " WHERE ", QuoteIdentifier(key), " = ?1"));
  if (!erase.ok()) return erase.status();
  const Column& keys = frame.column(key);
  int64_t deleted = 0;
  for (size_t r = 0; r < frame.num_rows(); ++r) {
    (*erase)->BindTextNoCopy(1, keys.strings()[r]);
    absl::StatusOr<bool> step = (*erase)->Step();
    (*erase)->Reset();
    if (!step.ok()) return step.status();
    deleted += db_.Changes();
  }
  return deleted;
}

}  // namespace gym
