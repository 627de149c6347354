// Test-only helpers for the datagen tests: a scratch directory that removes itself, whole
// file contents, and a SQLite table dumped as text for comparing database contents.
#ifndef GYM_DATAGEN_INTERNAL_TEST_FILES_H_
#define GYM_DATAGEN_INTERNAL_TEST_FILES_H_

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gym::testing_files {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class ScratchDir final {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("gym_datagen_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string path() const { return path_.string(); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The whole file, or "<missing PATH>" so a comparison failure says which file was absent.
inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "<missing " + path + ">";
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every row of `table` ordered by `order_by`, one line per row, cells separated by '|' and
// written with their storage class (so 5 and "5" differ), or "<error ...>".
inline std::string DumpSqliteTable(const std::string& db_path, const std::string& table,
                                   const std::string& order_by) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "<error opening " + db_path + ">";
  }
  const std::string sql = "SELECT * FROM \"" + table + "\" ORDER BY " + order_by;
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    out = "<error " + std::string(sqlite3_errmsg(db)) + ">";
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        // The type first: reading the text may convert the value in place.
        const int type = sqlite3_column_type(stmt, i);
        const unsigned char* text = sqlite3_column_text(stmt, i);
        out += std::to_string(type) + ":" + (text ? reinterpret_cast<const char*>(text) : "") + "|";
      }
      out += "\n";
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

}  // namespace gym::testing_files

#endif  // GYM_DATAGEN_INTERNAL_TEST_FILES_H_
