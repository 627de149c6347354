// Reading a PostgreSQL database (the one `gym serve` replicas share) as DatabaseReader does:
// query results into Frames through a cursor, a chunk at a time, in one read-only
// transaction. Types come from the result's columns: integers (and booleans, as 0/1) are
// int64, float and numeric double, anything else string; NULL is a null cell.
#ifndef GYM_SOURCES_PG_SOURCE_H_
#define GYM_SOURCES_PG_SOURCE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gym/sources/database_reader.h"

namespace gym {

// UNAVAILABLE when `conninfo` cannot be reached.
[[nodiscard]] absl::StatusOr<std::unique_ptr<DatabaseReader>> OpenPgDatabaseReader(
    const std::string& conninfo);

}  // namespace gym

#endif  // GYM_SOURCES_PG_SOURCE_H_
