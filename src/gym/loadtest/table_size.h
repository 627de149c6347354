// How many transactions the server has stored: the load test records it at the start and at
// the end of a run, since the size of the unique index decides how fast new keys go in (random
// keys into 10M rows are another workload than into an empty table).
//
// Read from the database file when the load test knows it (a server it spawned), else from the
// server's GetStats, else unknown:
//   TableSize size = MeasureTransactions(db_path, stats);
//   std::cout << FormatTableSizes(start, size);  // "transactions table at start: 5000 rows, ..."
#ifndef GYM_LOADTEST_TABLE_SIZE_H_
#define GYM_LOADTEST_TABLE_SIZE_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "gym/loadtest/delivery_check.h"

namespace gym::loadtest {

struct TableSize {
  std::optional<int64_t> rows;  // nullopt: unknown
  std::string source;           // "database <path>", "server (GetStats)", or why unknown
};

// SELECT count(*) FROM transactions in `db`, opened read-only; 0 when the table does not exist
// yet. NOT_FOUND when the file does not exist.
absl::StatusOr<int64_t> CountTransactionsInDb(const std::filesystem::path& db);

// From `db` when it is not empty, else from `stats` (a GetStats answer or its failure).
TableSize MeasureTransactions(const std::filesystem::path& db,
                              const absl::StatusOr<CommittedCounts>& stats);

// "transactions table at start: 5000 rows, at end: 5640 rows (database out/run.db)"; "unknown"
// for an unknown size, with the reason.
std::string FormatTableSizes(const TableSize& start, const TableSize& end);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_TABLE_SIZE_H_
