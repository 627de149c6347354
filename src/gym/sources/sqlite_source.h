// Reading SQLite query results into Frames (the seed's DBSource).
//
// Column types come from the values, as SQLite's own types are per value:
//   only integers -> int64; integers and reals -> double; any text (or blob) -> string,
//   with the numbers of that column turned into their text. NULL is a null cell.
// A column with no non-null value takes its declared type when it has one (INT -> int64,
// REAL/FLOA/DOUB -> double, otherwise string), so an empty table still reads with its schema.
// The database is opened read-only and never created: a missing file is NOT_FOUND naming the
// path. An SQL error carries SQLite's message, the query and the database file.
//
//   absl::StatusOr<Frame> clients = ReadSqliteTable("mock.db", "clients");
//   auto reader = SqliteReader::Open("mock.db", "SELECT * FROM transactions", 65536);
//   while (auto chunk = (*reader)->Next(); chunk.ok() && chunk->has_value()) Use(**chunk);
#ifndef GYM_SOURCES_SQLITE_SOURCE_H_
#define GYM_SOURCES_SQLITE_SOURCE_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/sources/query_stream.h"

namespace gym {

// Held by pointer, so this header (part of the installed API) does not include sqlite3.h.
class SqliteConnection;
class SqliteStatement;

// Runs any SELECT and returns every row.
[[nodiscard]] absl::StatusOr<Frame> ReadSqliteQuery(const std::string& db_path,
                                                    const std::string& sql);
// Every row of `table` (a validated identifier).
[[nodiscard]] absl::StatusOr<Frame> ReadSqliteTable(const std::string& db_path,
                                                    const std::string& table);

// Streams a query's rows as Frames of at most `chunk_rows` rows, so memory stays bounded.
// Types are inferred per chunk but never narrow: once a column has been double (or string) in
// one chunk, later chunks keep that type, so a consumer sees int64 -> double -> string at most.
class SqliteReader final : public QueryStream {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SqliteReader>> Open(
      const std::string& db_path, const std::string& sql, size_t chunk_rows = 65536);

  // The next chunk; std::nullopt once the rows are exhausted. A query with no rows yields one
  // empty Frame (with the result's column names and types) before std::nullopt.
  [[nodiscard]] absl::StatusOr<std::optional<Frame>> Next() override;
  ~SqliteReader() override;

 private:
  SqliteReader(std::unique_ptr<SqliteConnection> db, std::unique_ptr<SqliteStatement> stmt,
               std::string sql, size_t chunk_rows);

  std::unique_ptr<SqliteConnection> db_;
  std::unique_ptr<SqliteStatement> stmt_;
  std::string sql_;
  size_t chunk_rows_;
  std::vector<std::string> names_;
  // Type a column has been given by its values in earlier chunks (sticky widening).
  std::vector<std::optional<DataType>> seen_types_;
  bool exhausted_ = false;
  bool produced_ = false;
};

}  // namespace gym

#endif  // GYM_SOURCES_SQLITE_SOURCE_H_
