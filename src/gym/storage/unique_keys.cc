// Stored once without a UNIQUE index: the key index kept in step with its table
// (unique_keys.h).
#include "gym/storage/unique_keys.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

// Catch-ups longer than this many rows say so on the log, with their progress.
constexpr int64_t kReportRows = 1'000'000;

std::string RunDirFor(const std::string& db_path) {
  if (db_path.empty() || db_path == ":memory:" || absl::StartsWith(db_path, "file:")) return "";
  std::filesystem::path dir = std::filesystem::path(db_path).parent_path();
  return dir.empty() ? "." : dir.string();
}

}  // namespace

struct UniqueKeys::Table {
  std::string name;  // as the caller spells them
  std::string key;
  std::unique_ptr<KeyIndex> index;
  int64_t indexed_through = 0;  // every row with a rowid up to this one is in `index`
  uint64_t caught_up_in = 0;    // the transaction of the last catch-up
  bool stale = false;           // the index failed: build it anew at the next catch-up
  // Keys written by the open transaction, with their rowids.
  absl::flat_hash_map<uint64_t, int64_t> pending;
  std::vector<KeyIndex::Entry> pending_collisions;
  std::optional<SqliteStatement> key_at;    // the key of a rowid
  std::optional<SqliteStatement> last_row;  // max(rowid)
};

UniqueKeys::UniqueKeys(SqliteConnection& db) : db_(db), run_dir_(RunDirFor(db.path())) {}

UniqueKeys::~UniqueKeys() = default;

absl::StatusOr<UniqueKeys::Table*> UniqueKeys::Current(const std::string& table,
                                                       const std::string& key) {
  const std::string id = absl::StrCat(absl::AsciiStrToLower(table), "\x1f",
                                      absl::AsciiStrToLower(key));
  std::unique_ptr<Table>& slot = tables_[id];
  if (!slot) {
    slot = std::make_unique<Table>();
    slot->name = table;
    slot->key = key;
  }
  Table& t = *slot;
  if (t.caught_up_in == transaction_) return &t;
  if (!t.last_row) {
    absl::StatusOr<SqliteStatement> last =
        db_.Prepare(absl::StrCat("SELECT coalesce(max(rowid), 0) FROM ", QuoteIdentifier(table)));
    if (!last.ok()) return last.status();
    t.last_row.emplace(std::move(*last));
    absl::StatusOr<SqliteStatement> key_at = db_.Prepare(absl::StrCat(
        "SELECT ", QuoteIdentifier(key), " FROM ", QuoteIdentifier(table), " WHERE rowid = ?1"));
    if (!key_at.ok()) return key_at.status();
    t.key_at.emplace(std::move(*key_at));
  }
  absl::StatusOr<bool> row = t.last_row->Step();
  const int64_t last = row.ok() && *row ? t.last_row->ColumnInt64(0) : 0;
  t.last_row->Reset();
  if (!row.ok()) return row.status();
  if (absl::Status s = CatchUp(t, last); !s.ok()) {
    t.stale = true;
    return s;
  }
  t.caught_up_in = transaction_;
  return &t;
}

absl::Status UniqueKeys::CatchUp(Table& t, int64_t last_rowid) {
  if (t.index && !t.stale && last_rowid == t.indexed_through) return absl::OkStatus();
  if (!t.index || t.stale || last_rowid < t.indexed_through) {
    if (t.index && !t.stale) {
      spdlog::warn("table '{}' ends at row {}, below the {} rows its key index knew: indexing "
                   "its keys anew",
                   t.name, last_rowid, t.indexed_through);
    }
    t.index.reset();  // its merge thread and run files go first
    absl::StatusOr<std::unique_ptr<KeyIndex>> index = KeyIndex::Create(
        {.dir = run_dir_, .expected_keys = static_cast<uint64_t>(last_rowid) * 5 / 4});
    if (!index.ok()) return index.status();
    t.index = *std::move(index);
    t.indexed_through = 0;
    t.stale = false;
  }
  absl::StatusOr<SqliteStatement> scan = db_.Prepare(
      absl::StrCat("SELECT rowid, ", QuoteIdentifier(t.key), " FROM ", QuoteIdentifier(t.name),
                   " WHERE rowid > ?1 AND rowid <= ?2 ORDER BY rowid"));
  if (!scan.ok()) return scan.status();
  scan->BindInt64(1, t.indexed_through);
  scan->BindInt64(2, last_rowid);
  const int64_t todo = last_rowid - t.indexed_through;
  const auto start = std::chrono::steady_clock::now();
  if (todo >= kReportRows) {
    spdlog::info("indexing the keys of table '{}': up to {} rows", t.name, todo);
  }
  int64_t seen = 0;
  while (true) {
    absl::StatusOr<bool> row = scan->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (++seen % (10 * kReportRows) == 0) {
      spdlog::info("indexing the keys of table '{}': {} of up to {} rows", t.name, seen, todo);
    }
    if (scan->ColumnIsNull(1)) continue;
    if (absl::Status s = t.index->Add(KeyHash(scan->ColumnText(1)), scan->ColumnInt64(0));
        !s.ok()) {
      return s;
    }
  }
  if (todo >= kReportRows) {
    spdlog::info("indexed the keys of table '{}': {} rows in {:.1f} s", t.name, seen,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  t.indexed_through = last_rowid;
  return absl::OkStatus();
}

absl::StatusOr<bool> UniqueKeys::IsStored(Table& t, uint64_t hash, std::string_view key) {
  candidates_.clear();
  if (auto it = t.pending.find(hash); it != t.pending.end()) candidates_.push_back(it->second);
  for (const KeyIndex::Entry& e : t.pending_collisions) {
    if (e.hash == hash) candidates_.push_back(e.rowid);
  }
  if (absl::Status s = t.index->Find(hash, candidates_); !s.ok()) {
    t.stale = true;
    return s;
  }
  for (const int64_t rowid : candidates_) {
    t.key_at->BindInt64(1, rowid);
    absl::StatusOr<bool> row = t.key_at->Step();
    const bool same = row.ok() && *row && !t.key_at->ColumnIsNull(0) &&
                      t.key_at->ColumnText(0) == key;
    t.key_at->Reset();
    if (!row.ok()) return row.status();
    if (same) return true;
  }
  return false;
}

absl::StatusOr<UniqueKeys::Split> UniqueKeys::Classify(const std::string& table,
                                                      const std::string& key,
                                                      const Column& keys) {
  absl::StatusOr<Table*> t = Current(table, key);
  if (!t.ok()) return t.status();
  Split split;
  split.table = *t;
  const size_t rows = keys.size();
  split.fresh.reserve(rows);
  split.hashes.reserve(rows);
  split.has_key.reserve(rows);
  // The first row of each hash in this column; rows whose hash matched a different key.
  absl::flat_hash_map<uint64_t, size_t> first_of;
  first_of.reserve(rows);
  std::vector<size_t> collided;
  const std::vector<std::string>& values = keys.strings();
  // Every hash first, each key's index lines asked for as it is found: by the time the loop
  // below probes them, most are in the cache.
  std::vector<uint64_t> hashes(rows, 0);
  for (size_t r = 0; r < rows; ++r) {
    if (keys.validity()[r] == 0) continue;
    hashes[r] = KeyHash(values[r]);
    (*t)->index->Prefetch(hashes[r]);
  }
  for (size_t r = 0; r < rows; ++r) {
    if (keys.validity()[r] == 0) {
      split.fresh.push_back(r);
      split.hashes.push_back(0);
      split.has_key.push_back(0);
      continue;
    }
    const uint64_t hash = hashes[r];
    auto [it, first] = first_of.try_emplace(hash, r);
    if (!first) {
      bool repeated = values[it->second] == values[r];
      for (size_t i = 0; !repeated && i < collided.size(); ++i) {
        repeated = values[collided[i]] == values[r];
      }
      if (repeated) {
        ++split.duplicates;
        continue;
      }
    }
    absl::StatusOr<bool> stored = IsStored(**t, hash, values[r]);
    if (!stored.ok()) return stored.status();
    if (*stored) {
      ++split.duplicates;
      continue;
    }
    if (!first) collided.push_back(r);
    split.fresh.push_back(r);
    split.hashes.push_back(hash);
    split.has_key.push_back(1);
  }
  return split;
}

void UniqueKeys::Inserted(const Split& split, size_t first, size_t count, int64_t last_rowid) {
  Table* t = split.table;
  for (size_t i = 0; i < count; ++i) {
    if (split.has_key[first + i] == 0) continue;
    const uint64_t hash = split.hashes[first + i];
    const int64_t rowid = last_rowid - static_cast<int64_t>(count - 1 - i);
    if (auto [it, inserted] = t->pending.try_emplace(hash, rowid); !inserted) {
      t->pending_collisions.push_back({hash, rowid});
    }
    log_.push_back({t, hash, rowid});
  }
}

absl::StatusOr<std::vector<size_t>> UniqueKeys::RowsAbsent(const std::string& table,
                                                           const std::string& key,
                                                           const Column& keys) {
  absl::StatusOr<Table*> t = Current(table, key);
  if (!t.ok()) return t.status();
  std::vector<size_t> absent;
  absent.reserve(keys.size());
  for (size_t r = 0; r < keys.size(); ++r) {
    if (keys.validity()[r] == 0) {
      absent.push_back(r);
      continue;
    }
    absl::StatusOr<bool> stored = IsStored(**t, KeyHash(keys.strings()[r]), keys.strings()[r]);
    if (!stored.ok()) return stored.status();
    if (!*stored) absent.push_back(r);
  }
  return absent;
}

void UniqueKeys::RollbackTo(size_t mark) {
  for (size_t i = log_.size(); i > mark; --i) {
    const Pending& p = log_[i - 1];
    if (auto it = p.table->pending.find(p.hash);
        it != p.table->pending.end() && it->second == p.rowid) {
      p.table->pending.erase(it);
    } else {
      std::erase_if(p.table->pending_collisions, [&](const KeyIndex::Entry& e) {
        return e.hash == p.hash && e.rowid == p.rowid;
      });
    }
  }
  log_.resize(std::min(mark, log_.size()));
}

void UniqueKeys::Committed() {
  // The Bloom line and memtable slot of the key a few places ahead, as in Classify.
  constexpr size_t kAhead = 8;
  for (size_t i = 0; i < log_.size(); ++i) {
    if (i + kAhead < log_.size() && !log_[i + kAhead].table->stale) {
      log_[i + kAhead].table->index->Prefetch(log_[i + kAhead].hash);
    }
    const Pending& p = log_[i];
    Table& t = *p.table;
    if (t.stale) continue;
    if (absl::Status s = t.index->Add(p.hash, p.rowid); !s.ok()) {
      spdlog::warn("the key index of table '{}' failed ({}); it will be built anew", t.name,
                   std::string(s.message()));
      t.stale = true;
      continue;
    }
    // The transaction held the write lock: every row after the catch-up is one of its own.
    t.indexed_through = std::max(t.indexed_through, p.rowid);
  }
  RolledBack();
}

void UniqueKeys::RolledBack() {
  for (auto& [id, t] : tables_) {
    t->pending.clear();
    t->pending_collisions.clear();
  }
  log_.clear();
  ++transaction_;
}

}  // namespace gym
