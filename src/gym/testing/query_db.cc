#include "gym/testing/query_db.h"

#include <sqlite3.h>

namespace gym::testing {
namespace {

// Runs `sql` and calls `row(stmt)` for each row; false when it could not run.
template <typename Row>
bool ForEachRow(const std::string& db_path, const std::string& sql, Row row) {
  sqlite3* db = nullptr;
  bool ok = false;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      int rc;
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
      ok = rc == SQLITE_DONE;
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return ok;
}

}  // namespace

int64_t QueryInt(const std::string& db_path, const std::string& sql) {
  int64_t value = -1;
  bool first = true;
  const bool ok = ForEachRow(db_path, sql, [&](sqlite3_stmt* stmt) {
    if (first) value = sqlite3_column_int64(stmt, 0);
    first = false;
  });
  return ok ? value : -1;
}

std::vector<std::string> QueryStrings(const std::string& db_path, const std::string& sql) {
  std::vector<std::string> values;
  const bool ok = ForEachRow(db_path, sql, [&](sqlite3_stmt* stmt) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    values.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
  });
  return ok ? values : std::vector<std::string>{};
}

bool ExecSql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  bool ok = sqlite3_open(db_path.c_str(), &db) == SQLITE_OK &&
            sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

}  // namespace gym::testing
