// DatabaseReader: what a reader of a gym database needs (its tables, their columns and
// sizes, a query's rows as Frames), the same over a SQLite file and a PostgreSQL database.
// `gym report` reads through it, so it works on what `gym serve` and `gym run` write to
// either.
//
//   auto db = DatabaseReader::Open("gym.db");   // or "postgresql://host/db"
//   auto rows = (*db)->CountRows("transactions");
//   auto stream = (*db)->Stream("SELECT * FROM transactions", 65536);
#ifndef GYM_SOURCES_DATABASE_READER_H_
#define GYM_SOURCES_DATABASE_READER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/sources/query_stream.h"

namespace gym {

class DatabaseReader {
 public:
  // A SQLite file (opened read-only, never created: a missing one is NOT_FOUND), or a
  // PostgreSQL connection string (UNAVAILABLE when it cannot be reached).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<DatabaseReader>> Open(
      const std::string& db);
  virtual ~DatabaseReader() = default;

  // The user tables (not the database's own), by name.
  [[nodiscard]] virtual absl::StatusOr<std::vector<std::string>> Tables() = 0;
  [[nodiscard]] virtual absl::StatusOr<bool> HasTable(const std::string& table) = 0;
  // Rows of `table`; 0 when it does not exist.
  [[nodiscard]] virtual absl::StatusOr<int64_t> CountRows(const std::string& table) = 0;
  // Column names of `table`, in order; none when it does not exist.
  [[nodiscard]] virtual absl::StatusOr<std::vector<std::string>> Columns(
      const std::string& table) = 0;
  // The rows of `sql` (a SELECT), at most `chunk_rows` at a time.
  [[nodiscard]] virtual absl::StatusOr<std::unique_ptr<QueryStream>> Stream(
      const std::string& sql, size_t chunk_rows) = 0;
  // The database, for messages (a PostgreSQL password is hidden).
  virtual std::string Describe() const = 0;
};

}  // namespace gym

#endif  // GYM_SOURCES_DATABASE_READER_H_
