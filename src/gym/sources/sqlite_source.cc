// SQLite query results as Frames, whole or in chunks, with types inferred from the values.
#include "gym/sources/sqlite_source.h"

#include <chrono>
#include <limits>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gym/storage/sqlite_connection.h"

namespace gym {
namespace {

// int64 < double < string: the order in which a column may widen.
int Rank(DataType type) {
  switch (type) {
    case DataType::kInt64:
      return 0;
    case DataType::kDouble:
      return 1;
    case DataType::kString:
      return 2;
  }
  return 2;
}

DataType TypeOfCell(int sqlite_type) {
  if (sqlite_type == SQLITE_INTEGER) return DataType::kInt64;
  if (sqlite_type == SQLITE_FLOAT) return DataType::kDouble;
  return DataType::kString;
}

// The type for a column without values, from its declared type (SQLite's affinity rules).
DataType TypeOfDeclaration(const std::string& decl) {
  const std::string upper = absl::AsciiStrToUpper(decl);
  if (absl::StrContains(upper, "INT")) return DataType::kInt64;
  for (const char* real : {"REAL", "FLOA", "DOUB", "NUM", "DEC"}) {
    if (absl::StrContains(upper, real)) return DataType::kDouble;
  }
  return DataType::kString;
}

// Builds one column of a chunk, widening it when a wider value shows up.
class ColumnBuilder {
 public:
  explicit ColumnBuilder(std::optional<DataType> type) : type_(type) {
    if (type_) column_ = Column(*type_);
  }

  void Add(const SqliteStatement& stmt, int i) {
    const int cell = stmt.ColumnType(i);
    if (cell == SQLITE_NULL) {
      if (type_) {
        column_.AppendNull();
      } else {
        ++leading_nulls_;
      }
      return;
    }
    const DataType want = TypeOfCell(cell);
    if (!type_) {
      type_ = want;
      column_ = Column(want);
      for (size_t n = 0; n < leading_nulls_; ++n) column_.AppendNull();
    } else if (Rank(want) > Rank(*type_)) {
      Widen(want);
    }
    switch (*type_) {
      case DataType::kInt64:
        column_.AppendInt64(stmt.ColumnInt64(i));
        break;
      case DataType::kDouble:
        column_.AppendDouble(stmt.ColumnDouble(i));
        break;
      case DataType::kString:
        if (cell == SQLITE_INTEGER || cell == SQLITE_FLOAT) {
          column_.AppendString(ValueToString(stmt.ColumnValue(i)));
        } else {
          column_.AppendString(std::string(stmt.ColumnText(i)));
        }
        break;
    }
  }

  // The type the values gave the column, if any value was seen.
  std::optional<DataType> type() const { return type_; }

  Column Finish(const std::string& declared_type) {
    if (type_) return std::move(column_);
    Column column(TypeOfDeclaration(declared_type));
    for (size_t n = 0; n < leading_nulls_; ++n) column.AppendNull();
    return column;
  }

 private:
  void Widen(DataType to) {
    Column wider(to);
    wider.Reserve(column_.size());
    for (size_t r = 0; r < column_.size(); ++r) {
      if (!column_.IsValid(r)) {
        wider.AppendNull();
      } else if (to == DataType::kDouble) {
        wider.AppendDouble(column_.NumberAt(r));
      } else {
        wider.AppendString(ValueToString(column_.At(r)));
      }
    }
    column_ = std::move(wider);
    type_ = to;
  }

  std::optional<DataType> type_;
  size_t leading_nulls_ = 0;
  Column column_;
};

}  // namespace

SqliteReader::SqliteReader(std::unique_ptr<SqliteConnection> db,
                           std::unique_ptr<SqliteStatement> stmt, std::string sql,
                           size_t chunk_rows)
    : db_(std::move(db)),
      stmt_(std::move(stmt)),
      sql_(std::move(sql)),
      chunk_rows_(chunk_rows == 0 ? 1 : chunk_rows) {
  const int n = stmt_->ColumnCount();
  for (int i = 0; i < n; ++i) names_.push_back(stmt_->ColumnName(i));
  seen_types_.assign(names_.size(), std::nullopt);
}

absl::StatusOr<std::unique_ptr<SqliteReader>> SqliteReader::Open(const std::string& db_path,
                                                                 const std::string& sql,
                                                                 size_t chunk_rows) {
  absl::StatusOr<SqliteConnection> db = SqliteConnection::Open(db_path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.status();
  // Readers of one WAL database can meet briefly (the first one recovers the WAL index while
  // holding a lock); wait for it rather than failing with "database is locked".
  if (absl::Status s = db->SetBusyTimeout(std::chrono::milliseconds(10000)); !s.ok()) return s;
  absl::StatusOr<SqliteStatement> stmt = db->Prepare(sql);
  if (!stmt.ok()) return stmt.status();  // names the database and the SQL
  std::set<std::string> names;
  for (int i = 0; i < stmt->ColumnCount(); ++i) {
    if (!names.insert(stmt->ColumnName(i)).second) {
      return absl::InvalidArgumentError(absl::StrCat("query '", sql, "' on '", db_path,
                                                     "' returns column '", stmt->ColumnName(i),
                                                     "' twice; rename one with AS"));
    }
  }
  return std::unique_ptr<SqliteReader>(
      new SqliteReader(std::make_unique<SqliteConnection>(std::move(*db)),
                       std::make_unique<SqliteStatement>(std::move(*stmt)), sql, chunk_rows));
}

// The statement is finalized (stmt_, declared last, goes first) before its connection closes.
SqliteReader::~SqliteReader() = default;

absl::StatusOr<std::optional<Frame>> SqliteReader::Next() {
  if (exhausted_ && produced_) return std::optional<Frame>();
  std::vector<ColumnBuilder> builders;
  builders.reserve(names_.size());
  for (const auto& seen : seen_types_) builders.emplace_back(seen);

  size_t rows = 0;
  while (!exhausted_ && rows < chunk_rows_) {
    absl::StatusOr<bool> row = stmt_->Step();
    if (!row.ok()) {
      exhausted_ = true;
      produced_ = true;
      return row.status();  // names the database and the SQL
    }
    if (!*row) {
      exhausted_ = true;
      break;
    }
    for (size_t c = 0; c < builders.size(); ++c) builders[c].Add(*stmt_, static_cast<int>(c));
    ++rows;
  }
  if (rows == 0 && produced_) return std::optional<Frame>();

  std::vector<Column> columns;
  columns.reserve(builders.size());
  for (size_t c = 0; c < builders.size(); ++c) {
    seen_types_[c] = builders[c].type();
    columns.push_back(builders[c].Finish(stmt_->ColumnDeclType(static_cast<int>(c))));
  }
  produced_ = true;
  return std::optional<Frame>(Frame(names_, std::move(columns)));
}

absl::StatusOr<Frame> ReadSqliteQuery(const std::string& db_path, const std::string& sql) {
  absl::StatusOr<std::unique_ptr<SqliteReader>> reader =
      SqliteReader::Open(db_path, sql, std::numeric_limits<size_t>::max());
  if (!reader.ok()) return reader.status();
  absl::StatusOr<std::optional<Frame>> frame = (*reader)->Next();
  if (!frame.ok()) return frame.status();
  return std::move(**frame);
}

absl::StatusOr<Frame> ReadSqliteTable(const std::string& db_path, const std::string& table) {
  if (absl::Status s = ValidateIdentifier(table); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", db_path, "': bad table name: ", s.message()));
  }
  return ReadSqliteQuery(db_path, absl::StrCat("SELECT * FROM ", QuoteIdentifier(table)));
}

}  // namespace gym
