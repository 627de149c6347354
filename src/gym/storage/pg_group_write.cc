// One group on PostgreSQL (see pg_group_write.h).
#include "gym/storage/pg_group_write.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gym/storage/identifiers.h"
#include "gym/storage/pg_text.h"

namespace gym {

bool IsPgDataError(const pqxx::sql_error& e) {
  const std::string& state = e.sqlstate();
  return absl::StartsWith(state, "22") || absl::StartsWith(state, "23") ||
         absl::StartsWith(state, "42");
}

namespace {

// An item's names, checked before any of them reaches SQL text.
absl::Status CheckNames(const WriteParts& parts) {
  for (const auto& [options, frame] : parts) {
    std::vector<std::string> names = frame.column_names();
    names.push_back(options.table);
    if (options.skip_keys_in) names.push_back(*options.skip_keys_in);
    if (options.evict_keys_from) names.push_back(*options.evict_keys_from);
    if (options.replace_where) names.push_back(options.replace_where->first);
    for (const std::string& name : names) {
      if (absl::Status s = ValidateIdentifier(name); !s.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("table '", options.table, "': ", s.message()));
      }
    }
    if (options.unique_key && !frame.HasColumn(*options.unique_key)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "table '", options.table, "': unique key column '", *options.unique_key,
          "' is not in the frame"));
    }
    const bool excludes = options.skip_keys_in || options.evict_keys_from;
    if (excludes && (!options.unique_key ||
                     frame.column(*options.unique_key).type() != DataType::kString)) {
      return absl::InvalidArgumentError(
          absl::StrCat("table '", options.table,
                       "': skip_keys_in and evict_keys_from need a string unique key column"));
    }
  }
  return absl::OkStatus();
}

bool TableExists(pqxx::transaction_base& txn, const std::string& table) {
  return !txn.exec_params("SELECT to_regclass($1)", QuoteIdentifier(table))[0][0].is_null();
}

// One row of one part of one item, and the frame (of its statement's `frames`) it is in.
struct Entry {
  size_t item;
  size_t part;
  size_t row;
  size_t frame;
};

// The rows of a group that go to one table through one statement.
struct Statement {
  const TableOptions* options = nullptr;
  std::vector<std::string> columns;
  std::vector<DataType> types;
  std::vector<const Frame*> frames;  // each part's frame once: columns are found once per part
  std::vector<Entry> entries;

  void AddPart(size_t item, size_t part, const Frame& frame) {
    const size_t f = frames.size();
    frames.push_back(&frame);
    for (size_t r = 0; r < frame.num_rows(); ++r) entries.push_back({item, part, r, f});
  }
};

// `column` of each of the statement's frames.
std::vector<const Column*> ColumnOf(const Statement& st, const std::string& column) {
  std::vector<const Column*> out;
  out.reserve(st.frames.size());
  for (const Frame* frame : st.frames) out.push_back(&frame->column(column));
  return out;
}

// The array literal of `column` over `entries`, each cell from its own frame.
std::string ArrayOf(const Statement& st, const std::vector<Entry>& entries,
                    const std::string& column) {
  const std::vector<const Column*> cells = ColumnOf(st, column);
  std::string out;
  out.reserve(2 + entries.size() * 16);
  out.push_back('{');
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendPgCell(out, *cells[entries[i].frame], entries[i].row);
  }
  out.push_back('}');
  return out;
}

// The key of each entry as text (the form RETURNING gives back); nullopt for a null key.
// String keys are views of their frame's cells; others are written to `owned`, reserved up
// front so that no view moves.
std::vector<std::optional<std::string_view>> KeysOf(const Statement& st, const std::string& key,
                                                    std::vector<std::string>& owned) {
  const std::vector<const Column*> cells = ColumnOf(st, key);
  std::vector<std::optional<std::string_view>> keys;
  keys.reserve(st.entries.size());
  owned.reserve(st.entries.size());
  for (const Entry& e : st.entries) {
    const Column& c = *cells[e.frame];
    if (!c.IsValid(e.row)) {
      keys.emplace_back(std::nullopt);
    } else if (c.type() == DataType::kString) {
      keys.emplace_back(c.StringAt(e.row));
    } else {
      std::string& text = owned.emplace_back();
      AppendPgCell(text, c, e.row);  // a number's text, as PostgreSQL writes it back
      keys.emplace_back(text);
    }
  }
  return keys;
}

// The first column of `result`'s rows, as views into it (null cells left out).
absl::flat_hash_set<std::string_view> FirstColumn(const pqxx::result& result) {
  absl::flat_hash_set<std::string_view> out;
  out.reserve(result.size());
  for (pqxx::result::size_type i = 0; i < result.size(); ++i) {
    const pqxx::field f = result[i][0];
    if (!f.is_null()) out.emplace(f.c_str(), f.size());
  }
  return out;
}

// Adds `delta` to item `e.item`'s result, and to its part's when it has several.
void Count(std::vector<WriteResult>& results, const std::vector<const WriteParts*>& items,
           const Entry& e, const WriteResult& delta) {
  WriteResult& r = results[e.item];
  r += delta;
  if (items[e.item]->size() > 1) r.parts[e.part] += delta;
}

// Writes one statement's rows: keys sorted (one lock order for every replica), repeats within
// the group ignored, keys stored in skip_keys_in counted elsewhere, then one INSERT.
void WriteStatement(pqxx::dbtransaction& txn, PgTables& tables,
                    const std::vector<const WriteParts*>& items, Statement& st,
                    std::vector<WriteResult>& results) {
  const TableOptions& options = *st.options;
  const std::string table = QuoteIdentifier(options.table);
  std::vector<Entry>& entries = st.entries;
  std::vector<std::string> owned_keys;  // the text of keys that are not strings
  std::vector<std::optional<std::string_view>> keys;
  if (options.unique_key) {
    std::vector<std::pair<std::optional<std::string_view>, Entry>> keyed;
    keyed.reserve(entries.size());
    std::vector<std::optional<std::string_view>> all = KeysOf(st, *options.unique_key, owned_keys);
    for (size_t i = 0; i < entries.size(); ++i) keyed.emplace_back(all[i], entries[i]);
    // Stable: of the same key sent twice in a group, the earlier item's row is the one kept.
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    entries.clear();
    for (size_t i = 0; i < keyed.size(); ++i) {
      if (i > 0 && keyed[i].first && keyed[i].first == keyed[i - 1].first) {
        Count(results, items, keyed[i].second, WriteResult{.ignored = 1});
        continue;
      }
      keys.push_back(keyed[i].first);
      entries.push_back(keyed[i].second);
    }
  }
  if (options.skip_keys_in && tables.Exists(txn, *options.skip_keys_in)) {
    const std::string key = QuoteIdentifier(*options.unique_key);
    const pqxx::result present = txn.exec_params(
        absl::StrCat("SELECT ", key, " FROM ", QuoteIdentifier(*options.skip_keys_in), " WHERE ",
                     key, " = ANY($1::text[])"),
        ArrayOf(st, entries, *options.unique_key));
    const absl::flat_hash_set<std::string_view> elsewhere = FirstColumn(present);
    if (!elsewhere.empty()) {
      std::vector<Entry> kept;
      std::vector<std::optional<std::string_view>> kept_keys;
      for (size_t i = 0; i < entries.size(); ++i) {
        if (keys[i] && elsewhere.contains(*keys[i])) {
          Count(results, items, entries[i], WriteResult{.elsewhere = 1});
        } else {
          kept.push_back(entries[i]);
          kept_keys.push_back(keys[i]);
        }
      }
      entries = std::move(kept);
      keys = std::move(kept_keys);
    }
  }
  if (entries.empty()) return;

  std::vector<std::string> quoted, unnest;
  for (size_t c = 0; c < st.columns.size(); ++c) {
    quoted.push_back(QuoteIdentifier(st.columns[c]));
    unnest.push_back(absl::StrCat("$", c + 1, "::", PgTypeOf(st.types[c]), "[]"));
  }
  std::string sql = absl::StrCat("INSERT INTO ", table, " (", absl::StrJoin(quoted, ", "),
                                 ") SELECT * FROM unnest(", absl::StrJoin(unnest, ", "), ")");
  if (options.unique_key) {
    const std::string key = QuoteIdentifier(*options.unique_key);
    absl::StrAppend(&sql, " ON CONFLICT (", key, ") DO NOTHING RETURNING ", key);
    // The keys this statement stored leave evict_keys_from in the same statement (a key
    // already stored was never there: skip_keys_in keeps it out of that table).
    if (options.evict_keys_from && tables.Exists(txn, *options.evict_keys_from)) {
      sql = absl::StrCat("WITH stored AS (", sql, "), evicted AS (DELETE FROM ",
                         QuoteIdentifier(*options.evict_keys_from), " WHERE ", key,
                         " IN (SELECT ", key, " FROM stored)) SELECT ", key, " FROM stored");
    }
  }
  std::vector<std::string> arrays;
  arrays.reserve(st.columns.size());
  for (const std::string& column : st.columns) arrays.push_back(ArrayOf(st, entries, column));
  const pqxx::result stored =
      txn.exec_prepared(tables.Prepared(txn, sql), pqxx::prepare::make_dynamic_params(arrays));

  // Without a unique key every row goes in. With one, RETURNING gives one row per row
  // inserted (a null key's too): as many rows as entries means all of them, the common case,
  // with no key to look up.
  if (!options.unique_key || stored.size() == entries.size()) {
    for (const Entry& e : entries) Count(results, items, e, WriteResult{.inserted = 1});
    return;
  }
  const absl::flat_hash_set<std::string_view> stored_keys = FirstColumn(stored);
  for (size_t i = 0; i < entries.size(); ++i) {
    // A null key is never a duplicate: its row was inserted.
    const bool is_new = !keys[i] || stored_keys.contains(*keys[i]);
    Count(results, items, entries[i],
          is_new ? WriteResult{.inserted = 1} : WriteResult{.ignored = 1});
  }
}

// The statement a part's rows join: same table, options and columns.
std::string StatementKey(const TableOptions& o, const Frame& frame) {
  return absl::StrCat(o.table, "|", o.unique_key.value_or(""), "|", o.skip_keys_in.value_or(""),
                      "|", o.evict_keys_from.value_or(""), "|",
                      absl::StrJoin(frame.column_names(), ","));
}

}  // namespace

bool PgTables::Exists(pqxx::transaction_base& txn, const std::string& table) {
  if (known_.count(table) > 0 || existing_.count(table) > 0) return true;
  if (!TableExists(txn, table)) return false;
  existing_.insert(table);
  return true;
}

const std::string& PgTables::Prepared(pqxx::transaction_base& txn, const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  const std::string name = absl::StrCat("gym_", prepared_.size());
  txn.conn().prepare(name, sql);
  return prepared_.emplace(sql, name).first->second;
}

absl::Status PgTables::Prepare(pqxx::connection_base& conn,
                               const std::vector<const WriteParts*>& items,
                               std::vector<absl::Status>& statuses) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (!statuses[i].ok()) continue;
    if (absl::Status s = CheckNames(*items[i]); !s.ok()) {
      statuses[i] = s;
      continue;
    }
    for (const auto& [options, frame] : *items[i]) {
      auto known = known_.find(options.table);
      bool ready = known != known_.end();
      for (size_t c = 0; ready && c < frame.num_columns(); ++c) {
        ready = known->second.columns.count(frame.column_names()[c]) > 0;
      }
      if (ready && options.unique_key) {
        ready = known->second.unique_keys.count(*options.unique_key) > 0;
      }
      if (ready) continue;
      try {
        Ensure(conn, options.table, frame, options.unique_key);
      } catch (const pqxx::sql_error& e) {
        if (!IsPgDataError(e)) throw;
        statuses[i] = absl::InvalidArgumentError(
            absl::StrCat("table '", options.table, "': ", PgFirstLine(e.what())));
        break;
      }
    }
  }
  return absl::OkStatus();
}

void PgTables::Ensure(pqxx::connection_base& conn, const std::string& table, const Frame& frame,
                      const std::optional<std::string>& unique_key) {
  const std::string quoted = QuoteIdentifier(table);
  pqxx::work txn(conn);
  txn.exec_params("SELECT pg_advisory_xact_lock($1)", schema_lock_);
  std::vector<std::string> columns;
  for (size_t c = 0; c < frame.num_columns(); ++c) {
    columns.push_back(absl::StrCat(QuoteIdentifier(frame.column_names()[c]), " ",
                                   PgTypeOf(frame.column(c).type())));
  }
  txn.exec(absl::StrCat("CREATE TABLE IF NOT EXISTS ", quoted, " (",
                        absl::StrJoin(columns, ", "), ")"));
  Table& known = known_[table];
  known.columns.clear();
  for (const auto& row : txn.exec_params(
           "SELECT column_name FROM information_schema.columns "
           "WHERE table_schema = current_schema() AND table_name = $1",
           table)) {
    known.columns.insert(row[0].as<std::string>());
  }
  for (size_t c = 0; c < frame.num_columns(); ++c) {
    const std::string& name = frame.column_names()[c];
    if (known.columns.count(name) > 0) continue;
    txn.exec(absl::StrCat("ALTER TABLE ", quoted, " ADD COLUMN ", QuoteIdentifier(name), " ",
                          PgTypeOf(frame.column(c).type())));
    known.columns.insert(name);
  }
  if (unique_key) {
    txn.exec(absl::StrCat("CREATE UNIQUE INDEX IF NOT EXISTS ",
                          QuoteIdentifier(absl::StrCat("gym_unique_", table, "_", *unique_key)),
                          " ON ", quoted, " (", QuoteIdentifier(*unique_key), ")"));
    known.unique_keys.insert(*unique_key);
  }
  txn.commit();
}

void LockGroupTables(pqxx::dbtransaction& txn, PgTables& tables,
                     const std::vector<const WriteParts*>& items,
                     const std::vector<absl::Status>& statuses) {
  // table -> whether a refusal of this group checks it. Ordered by name: every group of
  // every replica takes its table locks in this one order, before any row lock.
  std::map<std::string, bool> locks;
  bool refusals = false;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!statuses[i].ok()) continue;
    for (const auto& [options, frame] : *items[i]) {
      locks.try_emplace(options.table, false);
      if (options.skip_keys_in) {
        locks[*options.skip_keys_in] = true;
        refusals = true;
      }
      if (options.evict_keys_from) refusals = true;  // another replica's refusal may wait
    }
  }
  // Groups that neither refuse nor evict (a pipeline without rejected_events) race no one.
  if (!refusals) return;
  std::string sql;
  for (const auto& [table, checked] : locks) {
    if (!ValidateIdentifier(table).ok() || !tables.Exists(txn, table)) continue;
    absl::StrAppend(&sql, "LOCK TABLE ", QuoteIdentifier(table), " IN ",
                    checked ? "SHARE ROW EXCLUSIVE" : "ROW EXCLUSIVE", " MODE;");
  }
  if (!sql.empty()) txn.exec(sql);  // one round trip for all of them
}

absl::Status WriteGroup(pqxx::dbtransaction& txn, PgTables& tables,
                        const std::vector<const WriteParts*>& items,
                        const std::vector<absl::Status>& statuses,
                        std::vector<WriteResult>& results) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i]->size() > 1) results[i].parts.assign(items[i]->size(), WriteResult{});
  }
  try {
    // replace_where deletes a table's rows before the item's own: such parts go in item order,
    // each on its own, after the deletes of the items before them.
    std::map<std::string, Statement> statements;  // ordered by table: one lock order
    for (size_t i = 0; i < items.size(); ++i) {
      if (!statuses[i].ok()) continue;
      for (size_t p = 0; p < items[i]->size(); ++p) {
        const auto& [options, frame] = (*items[i])[p];
        if (options.replace_where) {
          const auto& [column, value] = *options.replace_where;
          txn.exec_params(absl::StrCat("DELETE FROM ", QuoteIdentifier(options.table), " WHERE ",
                                       QuoteIdentifier(column), " = $1"),
                          value);
          Statement single{&options, frame.column_names(), {}, {}, {}};
          for (size_t c = 0; c < frame.num_columns(); ++c) single.types.push_back(frame.column(c).type());
          single.AddPart(i, p, frame);
          WriteStatement(txn, tables, items, single, results);
          continue;
        }
        Statement& st = statements[StatementKey(options, frame)];
        if (st.options == nullptr) {
          st.options = &options;
          st.columns = frame.column_names();
          for (size_t c = 0; c < frame.num_columns(); ++c) st.types.push_back(frame.column(c).type());
        }
        st.AddPart(i, p, frame);
      }
    }
    for (auto& [key, st] : statements) WriteStatement(txn, tables, items, st, results);
  } catch (const pqxx::sql_error& e) {
    if (!IsPgDataError(e)) throw;
    return absl::InvalidArgumentError(PgFirstLine(e.what()));
  }
  return absl::OkStatus();
}

void WriteItemByItem(pqxx::dbtransaction& txn, PgTables& tables,
                     const std::vector<const WriteParts*>& items,
                     std::vector<absl::Status>& statuses, std::vector<WriteResult>& results) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (!statuses[i].ok()) continue;
    const std::vector<const WriteParts*> one = {items[i]};
    const std::vector<absl::Status> ok = {absl::OkStatus()};
    std::vector<WriteResult> result(1);
    txn.exec("SAVEPOINT gym_item");
    absl::Status s = WriteGroup(txn, tables, one, ok, result);
    if (s.ok()) {
      txn.exec("RELEASE SAVEPOINT gym_item");
      results[i] = std::move(result[0]);
    } else {
      txn.exec("ROLLBACK TO SAVEPOINT gym_item");
      statuses[i] = std::move(s);
    }
  }
}

int64_t PgCountRows(pqxx::connection_base& conn, const std::string& table) {
  if (!ValidateIdentifier(table).ok()) return 0;
  pqxx::nontransaction txn(conn);
  if (!TableExists(txn, table)) return 0;
  return txn.exec(absl::StrCat("SELECT count(*) FROM ", QuoteIdentifier(table)))[0][0]
      .as<int64_t>();
}

}  // namespace gym
