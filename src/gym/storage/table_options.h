// What a write to a table is told (TableOptions) and what it reports (WriteResult), apart from
// the writer itself so that headers which only pass them along do not pull in sqlite3.h.
#ifndef GYM_STORAGE_TABLE_OPTIONS_H_
#define GYM_STORAGE_TABLE_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gym {

struct TableOptions {
  // How a unique key is kept unique.
  enum class UniqueIndex {
    // A string key: gym's key index beside the database (storage/unique_keys.h), whose cost
    // does not grow with random keys. For tables that only grow. Other keys, and tables
    // that already have gym's UNIQUE index, get kSqlite.
    kKeyIndex,
    // A UNIQUE index inside the database: for tables gym deletes rows from.
    kSqlite,
  };

  std::string table;
  // e.g. "event_id": a repeated key is stored once (see unique_index).
  std::optional<std::string> unique_key;
  // With a string unique_key: rows whose key is already stored in this other table are not
  // written, and are counted as `elsewhere` (see key_exclusion.h).
  std::optional<std::string> skip_keys_in;
  // With a string unique_key: rows with the written keys are deleted from this other table
  // in the same transaction, so a key ends up in one of the two tables only.
  std::optional<std::string> evict_keys_from;
  // {column, value}: the table's rows whose `column` holds `value` are deleted first, in the
  // same transaction, so the written rows replace them (a metric's totals of one run).
  std::optional<std::pair<std::string, std::string>> replace_where;
  UniqueIndex unique_index = UniqueIndex::kKeyIndex;
};

struct WriteResult {
  int64_t inserted = 0;
  int64_t ignored = 0;    // key already stored in the table itself
  int64_t elsewhere = 0;  // key stored in TableOptions::skip_keys_in
  // A write of several parts (GroupCommitWriter::WriteAll): each part's own result, in order.
  std::vector<WriteResult> parts;

  WriteResult& operator+=(const WriteResult& other) {
    inserted += other.inserted;
    ignored += other.ignored;
    elsewhere += other.elsewhere;
    return *this;
  }
};

}  // namespace gym

#endif  // GYM_STORAGE_TABLE_OPTIONS_H_
