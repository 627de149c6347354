// store_limit on PostgreSQL: the fastest `connections` connections (1 by default; gym serve
// commits on 2) store gym serve's transaction rows with the statement gym's PostgreSQL
// backend sends (pg_group_write.cc): each transaction's
// rows sorted by event_id, one `INSERT ... SELECT * FROM unnest(...) ON CONFLICT (event_id)
// DO NOTHING RETURNING event_id`, synchronous_commit on. The array parameters are built
// before the clock starts; gym builds them during its commit.
#ifndef GYM_BENCH_STORE_LIMIT_PG_H_
#define GYM_BENCH_STORE_LIMIT_PG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "store_limit_rows.h"

namespace store_limit {

struct PgRun {
  double best_rows_per_s = 0;
  int64_t best_txn_rows = 0;
  std::string tried;  // "2000: 117000, 10000: ..."
  int64_t rows_before = 0;
  int64_t rows_after = 0;
};

// Creates gym's transactions table in `conninfo` when absent, tops it up to `prefill` rows
// (untimed), then times `rows` new rows at each transaction size, the transactions dealt
// out to `connections` connections on threads of their own. Exits on an error.
PgRun RunPostgres(const std::string& conninfo, KeyMaker& keys, int64_t prefill, int64_t rows,
                  const std::vector<int64_t>& txn_rows, int connections = 1);

}  // namespace store_limit

#endif  // GYM_BENCH_STORE_LIMIT_PG_H_
