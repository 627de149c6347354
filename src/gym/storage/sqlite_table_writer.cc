// Creating, extending and appending to SQLite tables from Frames; WriteSqliteTable.
#include "gym/storage/sqlite_table_writer.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gym {
namespace {

const char* SqlType(DataType type) {
  switch (type) {
    case DataType::kInt64:
      return "INTEGER";
    case DataType::kDouble:
      return "REAL";
    case DataType::kString:
      return "TEXT";
  }
  return "";
}

absl::Status Annotate(const absl::Status& status, const std::string& table) {
  return absl::Status(status.code(), absl::StrCat("table '", table, "': ", status.message()));
}

// Validates the table, every column and the unique key before any of them reaches SQL.
absl::Status ValidateNames(const TableOptions& options, const Frame& frame) {
  if (absl::Status s = ValidateIdentifier(options.table); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("bad table name: ", s.message()));
  }
  for (const std::string& name : frame.column_names()) {
    if (absl::Status s = ValidateIdentifier(name); !s.ok()) {
      return Annotate(absl::InvalidArgumentError(absl::StrCat("bad column name: ", s.message())),
                      options.table);
    }
  }
  if (options.unique_key && !frame.HasColumn(*options.unique_key)) {
    return Annotate(absl::InvalidArgumentError(absl::StrCat(
                        "unique key column '", *options.unique_key, "' is not in the frame")),
                    options.table);
  }
  return absl::OkStatus();
}

// The key-exclusion options need a string unique key and valid table names.
absl::Status ValidateExclusion(const TableOptions& options, const Frame& frame) {
  if (!options.unique_key || !frame.HasColumn(*options.unique_key) ||
      frame.column(*options.unique_key).type() != DataType::kString) {
    return Annotate(absl::InvalidArgumentError(
                        "skip_keys_in and evict_keys_from need a string unique key column"),
                    options.table);
  }
  for (const auto& other : {options.skip_keys_in, options.evict_keys_from}) {
    if (!other) continue;
    if (absl::Status s = ValidateIdentifier(*other); !s.ok()) {
      return Annotate(absl::InvalidArgumentError(absl::StrCat("bad table name: ", s.message())),
                      options.table);
    }
  }
  return absl::OkStatus();
}

// One column's cells, fetched once per frame so the row loop does no lookups.
struct BoundColumn {
  DataType type;
  const uint8_t* valid;
  const int64_t* ints = nullptr;
  const double* doubles = nullptr;
  const std::string* strings = nullptr;
};

std::string UniqueIndexName(const std::string& table, const std::string& key) {
  return absl::StrCat("gym_unique_", table, "_", key);
}

}  // namespace

void SqliteTableWriter::InvalidateSchemaCache() {
  known_tables_.clear();
  insert_statements_.clear();
  other_key_indexed_.clear();
  exclusion_.Invalidate();
}

void SqliteTableWriter::RolledBackTo(size_t mark) {
  keys_.RollbackTo(mark);
  InvalidateSchemaCache();  // the savepoint may have undone a CREATE or ALTER
}

void SqliteTableWriter::RolledBack() {
  keys_.RolledBack();
  InvalidateSchemaCache();
}

absl::StatusOr<bool> SqliteTableWriter::IndexExists(const std::string& name) {
  absl::StatusOr<SqliteStatement> stmt =
      db_.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->BindTextNoCopy(1, name);
  return stmt->Step();
}

bool SqliteTableWriter::KeyIndexed(const TableOptions& options) const {
  if (!options.unique_key) return false;
  auto it = known_tables_.find(absl::AsciiStrToLower(options.table));
  return it != known_tables_.end() &&
         it->second.key_indexed.contains(absl::AsciiStrToLower(*options.unique_key));
}

absl::StatusOr<bool> SqliteTableWriter::OtherKeyIndexed(const std::string& table,
                                                        const std::string& key) {
  const std::string id = absl::StrCat(absl::AsciiStrToLower(table), "\x1f",
                                      absl::AsciiStrToLower(key));
  if (auto it = other_key_indexed_.find(id); it != other_key_indexed_.end()) return it->second;
  absl::StatusOr<bool> exists = db_.TableExists(table);
  if (!exists.ok()) return exists.status();
  bool indexed = false;
  if (*exists) {
    absl::StatusOr<bool> sqlite_unique = IndexExists(UniqueIndexName(table, key));
    if (!sqlite_unique.ok()) return sqlite_unique.status();
    indexed = !*sqlite_unique;
  }
  other_key_indexed_[id] = indexed;
  return indexed;
}

absl::Status SqliteTableWriter::CreateOrLoad(const TableOptions& options, const Frame& frame,
                                             KnownTable& known) {
  const std::string quoted = QuoteIdentifier(options.table);
  absl::StatusOr<SqliteStatement> info =
      db_.Prepare(absl::StrCat("PRAGMA table_info(", quoted, ")"));
  if (!info.ok()) return Annotate(info.status(), options.table);
  while (true) {
    absl::StatusOr<bool> row = info->Step();
    if (!row.ok()) return Annotate(row.status(), options.table);
    if (!*row) break;
    known.columns.insert(absl::AsciiStrToLower(std::string(info->ColumnText(1))));
    if (info->ColumnInt64(5) != 0) known.has_primary_key = true;
  }
  if (!known.columns.empty()) return absl::OkStatus();

  std::string sql = absl::StrCat("CREATE TABLE IF NOT EXISTS ", quoted, " (");
  const Schema schema = frame.schema();
  for (size_t i = 0; i < schema.size(); ++i) {
    absl::StrAppend(&sql, i == 0 ? "" : ", ", QuoteIdentifier(schema.field(i).name), " ",
                    SqlType(schema.field(i).type));
    known.columns.insert(absl::AsciiStrToLower(schema.field(i).name));
  }
  sql += ")";
  if (absl::Status s = db_.Exec(sql); !s.ok()) return Annotate(s, options.table);
  return absl::OkStatus();
}

absl::Status SqliteTableWriter::EnsureTable(const TableOptions& options, const Frame& frame) {
  const std::string key = absl::AsciiStrToLower(options.table);
  auto it = known_tables_.find(key);
  if (it == known_tables_.end()) {
    KnownTable known;
    if (absl::Status s = CreateOrLoad(options, frame, known); !s.ok()) return s;
    it = known_tables_.emplace(key, std::move(known)).first;
  }
  KnownTable& known = it->second;
  const Schema schema = frame.schema();
  for (const Field& field : schema.fields()) {
    std::string lower = absl::AsciiStrToLower(field.name);
    if (known.columns.contains(lower)) continue;
    const std::string sql =
        absl::StrCat("ALTER TABLE ", QuoteIdentifier(options.table), " ADD COLUMN ",
                     QuoteIdentifier(field.name), " ", SqlType(field.type));
    if (absl::Status s = db_.Exec(sql); !s.ok()) {
      return Annotate(
          absl::Status(s.code(), absl::StrCat("adding column '", field.name, "': ", s.message())),
          options.table);
    }
    known.columns.insert(std::move(lower));
  }
  if (options.unique_key) {
    std::string lower = absl::AsciiStrToLower(*options.unique_key);
    if (!known.unique_keys.contains(lower) && !known.key_indexed.contains(lower)) {
      const std::string index = UniqueIndexName(options.table, *options.unique_key);
      // The key index names rows by rowid and takes a statement's rows to have consecutive
      // ones, which holds only for a table without a primary key (an INTEGER PRIMARY KEY is
      // the rowid, set by the rows themselves). gym never creates one; a table made by hand
      // with one keeps SQLite's index.
      bool sqlite_unique = options.unique_index == TableOptions::UniqueIndex::kSqlite ||
                           frame.column(*options.unique_key).type() != DataType::kString ||
                           known.has_primary_key;
      if (!sqlite_unique) {
        // A database written before the key index came keeps its UNIQUE index.
        absl::StatusOr<bool> exists = IndexExists(index);
        if (!exists.ok()) return Annotate(exists.status(), options.table);
        sqlite_unique = *exists;
      }
      if (sqlite_unique) {
        const std::string sql =
            absl::StrCat("CREATE UNIQUE INDEX IF NOT EXISTS ", QuoteIdentifier(index), " ON ",
                         QuoteIdentifier(options.table), " (",
                         QuoteIdentifier(*options.unique_key), ")");
        if (absl::Status s = db_.Exec(sql); !s.ok()) return Annotate(s, options.table);
        known.unique_keys.insert(std::move(lower));
      } else {
        known.key_indexed.insert(std::move(lower));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<SqliteStatement*> SqliteTableWriter::InsertStatement(const TableOptions& options,
                                                                    const Frame& frame,
                                                                    size_t rows) {
  std::string cache_key =
      absl::StrCat(rows, "\x1f", options.table, "\x1f", options.unique_key.value_or(""), "\x1f",
                   static_cast<int>(options.unique_index));
  for (const std::string& name : frame.column_names()) absl::StrAppend(&cache_key, "\x1f", name);
  if (auto it = insert_statements_.find(cache_key); it != insert_statements_.end()) {
    return &it->second;
  }
  if (absl::Status s = ValidateNames(options, frame); !s.ok()) return s;
  if (absl::Status s = EnsureTable(options, frame); !s.ok()) return s;

  std::string sql = absl::StrCat("INSERT INTO ", QuoteIdentifier(options.table), " (");
  for (size_t i = 0; i < frame.num_columns(); ++i) {
    absl::StrAppend(&sql, i == 0 ? "" : ", ", QuoteIdentifier(frame.column_names()[i]));
  }
  absl::StrAppend(&sql, ") VALUES ");
  for (size_t r = 0; r < rows; ++r) {
    absl::StrAppend(&sql, r == 0 ? "(" : ", (");
    for (size_t i = 0; i < frame.num_columns(); ++i) {
      absl::StrAppend(&sql, i == 0 ? "?" : ", ?", r * frame.num_columns() + i + 1);
    }
    sql += ")";
  }
  if (options.unique_key && !KeyIndexed(options)) {
    absl::StrAppend(&sql, " ON CONFLICT (", QuoteIdentifier(*options.unique_key), ") DO NOTHING");
  }
  absl::StatusOr<SqliteStatement> stmt = db_.Prepare(sql);
  if (!stmt.ok()) return Annotate(stmt.status(), options.table);
  auto [it, inserted] = insert_statements_.emplace(std::move(cache_key), std::move(*stmt));
  return &it->second;
}

absl::Status SqliteTableWriter::DeleteWhere(const TableOptions& options) {
  const auto& [column, value] = *options.replace_where;
  if (absl::Status s = ValidateIdentifier(column); !s.ok()) return Annotate(s, options.table);
  absl::StatusOr<bool> exists = db_.TableExists(options.table);
  if (!exists.ok()) return Annotate(exists.status(), options.table);
  if (!*exists) return absl::OkStatus();  // nothing to replace yet
  absl::StatusOr<SqliteStatement> stmt =
      db_.Prepare(absl::StrCat("DELETE FROM ", QuoteIdentifier(options.table), " WHERE ",
                               QuoteIdentifier(column), " = ?"));
  if (!stmt.ok()) return Annotate(stmt.status(), options.table);
  if (absl::Status s = stmt->Bind(1, Value(value)); !s.ok()) return s;
  absl::StatusOr<bool> step = stmt->Step();
  return step.ok() ? absl::OkStatus() : Annotate(step.status(), options.table);
}

absl::StatusOr<WriteResult> SqliteTableWriter::Insert(const TableOptions& options,
                                                      const Frame& frame) {
  if (options.replace_where) {
    if (absl::Status s = DeleteWhere(options); !s.ok()) return s;
  }
  if (!options.skip_keys_in && !options.evict_keys_from) return InsertRows(options, frame);
  if (absl::Status s = ValidateExclusion(options, frame); !s.ok()) return s;
  WriteResult result;
  const Frame* rows = &frame;
  Frame kept;
  if (options.skip_keys_in) {
    absl::StatusOr<bool> key_indexed = OtherKeyIndexed(*options.skip_keys_in, *options.unique_key);
    if (!key_indexed.ok()) return Annotate(key_indexed.status(), options.table);
    absl::StatusOr<std::vector<size_t>> absent =
        *key_indexed ? keys_.RowsAbsent(*options.skip_keys_in, *options.unique_key,
                                        frame.column(*options.unique_key))
                     : exclusion_.RowsAbsentFrom(*options.skip_keys_in, *options.unique_key, frame);
    if (!absent.ok()) return Annotate(absent.status(), options.table);
    if (absent->size() != frame.num_rows()) {
      kept = frame.Take(*absent);
      rows = &kept;
    }
    result.elsewhere = static_cast<int64_t>(frame.num_rows() - absent->size());
  }
  absl::StatusOr<WriteResult> inserted = InsertRows(options, *rows);
  if (!inserted.ok()) return inserted.status();
  result += *inserted;
  if (options.evict_keys_from && inserted->inserted > 0) {
    absl::StatusOr<int64_t> evicted =
        exclusion_.Evict(*options.evict_keys_from, *options.unique_key, *rows);
    if (!evicted.ok()) return Annotate(evicted.status(), options.table);
  }
  return result;
}

absl::StatusOr<WriteResult> SqliteTableWriter::InsertRows(const TableOptions& options,
                                                          const Frame& frame) {
  if (frame.num_columns() == 0) return WriteResult{};
  // Each statement execution costs a VM start, cursor opens and a statement journal; many rows
  // per statement share them. Rows go in power-of-two chunks (64, 32, ... 1: at most seven
  // statements per table and column list), under SQLite's 999-parameter floor.
  size_t max_chunk = 1;
  while (max_chunk < 64 && 2 * max_chunk * frame.num_columns() <= 999) max_chunk *= 2;
  std::array<SqliteStatement*, 7> by_size{};  // [k]: the statement for 2^k rows
  auto statement = [&](size_t k) -> absl::StatusOr<SqliteStatement*> {
    if (by_size[k] == nullptr) {
      absl::StatusOr<SqliteStatement*> prepared = InsertStatement(options, frame, size_t{1} << k);
      if (!prepared.ok()) return prepared.status();
      by_size[k] = *prepared;
    }
    return by_size[k];
  };
  if (absl::StatusOr<SqliteStatement*> single = statement(0); !single.ok()) {
    return single.status();
  }

  WriteResult result;
  // With the key index, the rows whose key is stored (or repeated) are set aside first, and
  // the rest go in with a plain INSERT.
  const Frame* source = &frame;
  Frame fresh_rows;
  std::optional<UniqueKeys::Split> split;
  if (KeyIndexed(options)) {
    absl::StatusOr<UniqueKeys::Split> classified =
        keys_.Classify(options.table, *options.unique_key, frame.column(*options.unique_key));
    if (!classified.ok()) return Annotate(classified.status(), options.table);
    split = *std::move(classified);
    result.ignored = split->duplicates;
    if (split->fresh.size() != frame.num_rows()) {
      fresh_rows = frame.Take(split->fresh);
      source = &fresh_rows;
    }
  }

  std::vector<BoundColumn> columns;
  columns.reserve(source->num_columns());
  for (size_t c = 0; c < source->num_columns(); ++c) {
    const Column& column = source->column(c);
    BoundColumn bound{column.type(), column.validity().data()};
    switch (column.type()) {
      case DataType::kInt64:
        bound.ints = column.ints().data();
        break;
      case DataType::kDouble:
        bound.doubles = column.doubles().data();
        break;
      case DataType::kString:
        bound.strings = column.strings().data();
        break;
    }
    columns.push_back(bound);
  }

  // Binds rows [first, first + count) to `stmt` and runs it once.
  auto run = [&](SqliteStatement& stmt, size_t first, size_t count) {
    int index = 1;
    for (size_t r = first; r < first + count; ++r) {
      for (const BoundColumn& col : columns) {
        if (col.valid[r] == 0) {
          stmt.BindNull(index);
        } else if (col.type == DataType::kInt64) {
          stmt.BindInt64(index, col.ints[r]);
        } else if (col.type == DataType::kDouble) {
          stmt.BindDouble(index, col.doubles[r]);
        } else {
          stmt.BindTextNoCopy(index, col.strings[r]);
        }
        ++index;
      }
    }
    // Every parameter is bound again before the next run, so the bindings need no clearing.
    absl::StatusOr<bool> step = stmt.Step();
    stmt.Reset();
    return step.ok() ? absl::OkStatus() : step.status();
  };

  auto count_changes = [&](size_t first, size_t count) {
    const int64_t changed = db_.Changes();
    if (changed > 0 && result.inserted == 0) exclusion_.NoteWritten(options.table);
    result.inserted += changed;
    result.ignored += static_cast<int64_t>(count) - changed;
    if (split) keys_.Inserted(*split, first, count, db_.LastInsertRowid());
  };
  auto row_error = [&](size_t row, const absl::Status& status) {
    if (source != &frame) row = split->fresh[row];  // the caller's row number
    return Annotate(absl::Status(status.code(), absl::StrCat("row ", row, ": ", status.message())),
                    options.table);
  };
  const size_t rows = source->num_rows();
  size_t r = 0;
  while (r < rows) {
    size_t k = 0;
    while ((size_t{2} << k) <= std::min(max_chunk, rows - r)) ++k;
    const size_t count = size_t{1} << k;
    absl::StatusOr<SqliteStatement*> stmt = statement(k);
    if (!stmt.ok()) return stmt.status();
    if (absl::Status status = run(**stmt, r, count); status.ok()) {
      count_changes(r, count);
      r += count;
      continue;
    } else if (count == 1 || db_.InAutocommit()) {
      return row_error(r, status);
    }
    // The failed statement undid its own rows; redo them one by one to name the bad row.
    for (const size_t end = r + count; r < end; ++r) {
      if (absl::Status status = run(*by_size[0], r, 1); !status.ok()) return row_error(r, status);
      count_changes(r, 1);
    }
  }
  return result;
}

absl::Status WriteSqliteTable(const std::string& db_path, const TableOptions& table,
                              const Frame& frame) {
  absl::StatusOr<SqliteConnection> db = OpenForWriting(db_path);
  if (!db.ok()) return db.status();
  absl::StatusOr<SqliteTransaction> txn =
      SqliteTransaction::Begin(*db, SqliteTransaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  SqliteTableWriter writer(*db);
  absl::StatusOr<WriteResult> result = writer.Insert(table, frame);
  if (!result.ok()) return result.status();  // the transaction rolls back on destruction
  return txn->Commit();  // the writer, and what its key index learnt, end here
}

}  // namespace gym
