// What the PostgreSQL backend writes for one group (see pg_commit_backend.h): the tables it
// needs (PgTables), then one merged, key-sorted statement per table (WriteGroup), or the
// items one by one in savepoints when a merged statement hits bad data (WriteItemByItem).
// Internal to the backend: it includes libpqxx.
#ifndef GYM_STORAGE_PG_GROUP_WRITE_H_
#define GYM_STORAGE_PG_GROUP_WRITE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gym/storage/commit_backend.h"
#include "pqxx/pqxx"

namespace gym {

// SQLSTATE classes 22 (data exception), 23 (integrity constraint) and 42 (syntax, undefined
// column, wrong type): the item's doing, not the server's.
bool IsPgDataError(const pqxx::sql_error& e);

// The tables and columns a connection has made sure of.
class PgTables final {
 public:
  // `schema_lock`: the advisory lock that serializes schema changes among replicas.
  explicit PgTables(int64_t schema_lock) : schema_lock_(schema_lock) {}

  // Forgets everything (a new connection may find a changed database, and has no prepared
  // statements).
  void Forget() {
    known_.clear();
    existing_.clear();
    prepared_.clear();
  }
  // Makes sure every table, column and unique index the items write exists: created when
  // absent, in short transactions of their own under the advisory lock. An item whose names
  // are invalid, or whose table cannot take its columns, gets INVALID_ARGUMENT in `statuses`.
  // Throws libpqxx's errors for anything else (connection lost, ...).
  absl::Status Prepare(pqxx::connection_base& conn, const std::vector<const WriteParts*>& items,
                       std::vector<absl::Status>& statuses);
  // Whether `table` exists; once it does, that is remembered (gym does not drop tables).
  bool Exists(pqxx::transaction_base& txn, const std::string& table);
  // The name of `sql` prepared on `txn`'s connection (prepared the first time it is asked
  // for): each group's statements are then planned once per connection, not once a group.
  const std::string& Prepared(pqxx::transaction_base& txn, const std::string& sql);

 private:
  struct Table {
    std::set<std::string> columns;
    std::set<std::string> unique_keys;
  };
  // Creates or extends `table` for `frame`'s columns and `unique_key`.
  void Ensure(pqxx::connection_base& conn, const std::string& table, const Frame& frame,
              const std::optional<std::string>& unique_key);

  const int64_t schema_lock_;
  std::map<std::string, Table> known_;
  std::set<std::string> existing_;
  std::map<std::string, std::string> prepared_;  // SQL -> statement name
};

// Takes, at the start of `txn`, the table locks of every table the group writes, in one
// order (by name) for every group of every replica, before any row lock: SHARE ROW EXCLUSIVE
// on a table whose keys a refusal of this group checks (TableOptions::skip_keys_in), ROW
// EXCLUSIVE on the others. So a refusal and an acceptance of one event on two replicas never
// overlap: the second waits for the first's COMMIT, and its statements, each with a snapshot
// taken after the wait (READ COMMITTED, which the backend sets), see the first's rows (the
// refusal finds the event stored; the acceptance evicts the refusal). Taking every table
// lock up front, in one order, keeps a group from waiting for a table lock while it holds
// row locks that the lock's holder waits for (a deadlock). Acceptances do not wait for each
// other (ROW EXCLUSIVE does not conflict with itself). Groups that neither refuse nor evict
// refusals take no lock here.
void LockGroupTables(pqxx::dbtransaction& txn, PgTables& tables,
                     const std::vector<const WriteParts*>& items,
                     const std::vector<absl::Status>& statuses);

// Writes the items whose status is OK in `txn`: rows merged per table and sorted by their
// unique key, one statement per table, results counted from RETURNING. INVALID_ARGUMENT when
// a statement failed on bad data: `txn` is then aborted in PostgreSQL and must be rolled
// back. Throws libpqxx's errors for anything else.
absl::Status WriteGroup(pqxx::dbtransaction& txn, PgTables& tables,
                        const std::vector<const WriteParts*>& items,
                        const std::vector<absl::Status>& statuses,
                        std::vector<WriteResult>& results);

// Writes the items one by one, each in a savepoint: an item whose data a statement refuses
// gets INVALID_ARGUMENT in `statuses` and writes nothing; the others are written.
void WriteItemByItem(pqxx::dbtransaction& txn, PgTables& tables,
                     const std::vector<const WriteParts*>& items,
                     std::vector<absl::Status>& statuses, std::vector<WriteResult>& results);

// Rows in `table`; 0 when it does not exist.
int64_t PgCountRows(pqxx::connection_base& conn, const std::string& table);

}  // namespace gym

#endif  // GYM_STORAGE_PG_GROUP_WRITE_H_
