// Reading a SQLite database from an end-to-end test, through a fresh read-only connection, as
// a user would after the command ended.
//
//   EXPECT_EQ(QueryInt(db, "SELECT COUNT(*) FROM transactions"), 300);
#ifndef GYM_TESTING_QUERY_DB_H_
#define GYM_TESTING_QUERY_DB_H_

#include <cstdint>
#include <string>
#include <vector>

namespace gym::testing {

// The first column of the first row as an integer; -1 on any error or no row.
int64_t QueryInt(const std::string& db_path, const std::string& sql);

// The first column of every row as text (NULL as ""); empty on any error.
std::vector<std::string> QueryStrings(const std::string& db_path, const std::string& sql);

// Runs `sql` (one or more statements) on the database, creating it when missing; false when
// it fails.
bool ExecSql(const std::string& db_path, const std::string& sql);

}  // namespace gym::testing

#endif  // GYM_TESTING_QUERY_DB_H_
