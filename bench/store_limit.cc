// store_limit: the fastest this machine inserts gym serve's transaction rows into gym serve's
// transactions schema with its unique key on event_id, with nothing of gym in the way: one
// writer, prepared statements of 64 rows as gym's, rows built before the clock starts, WAL and
// synchronous=NORMAL as the server opens its database, each transaction size tried and the
// best one kept. gym's closed-loop figures are reported as a ratio to this
// (scripts/perf-compare.sh); DESIGN.md §7 asks for at least 0.8.
//
//   store_limit --keys derived|uuid|sequential [--prefill N] [--rows N] [--txn-rows 2000,...]
//               [--dedup index|gym|keyfile|bucketfile|bucketmap|keylog] [--pragma P]...
//               [--sort-txn]
//               [--db PATH] [--json] [--backend sqlite|postgres [--connections N]]
//
// Keys as the load test sends them (see `gym loadtest run --event-ids`): derived
// "<batch_id>:<index>" with the load test's batch ids (a batch's 200 keys are neighbours, and
// so are a client's batches), uuid (random v4, one per
// row), sequential (a growing counter, always appended at the end of the index). --prefill
// first brings the table to N rows with keys of the same mode (untimed; each 500,000 rows go
// in key order to be quick), so the figure holds for a table that no longer fits any cache.
// --dedup index is SQLite's UNIQUE index (gym before its key index, and gym's rejected
// table); --dedup gym is gym's own key index (storage/key_index.h, what gym serve keeps its
// event tables unique with), without the rest of gym. --dedup keyfile|bucketfile|bucketmap|
// keylog (prototypes of a key index outside SQLite's WAL, store_limit_prototypes.h), --pragma
// and --sort-txn try a layout or setting before gym adopts it; docs/architecture.md ("Stored
// once") has what they measured.
#include <sqlite3.h>
#include "gym/storage/key_index.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "store_limit_pg.h"
#include "store_limit_prototypes.h"
#include "store_limit_rows.h"

namespace store_limit {
void Fail(const std::string& what) {
  std::fprintf(stderr, "store_limit: %s\n", what.c_str());
  std::exit(1);
}
}  // namespace store_limit

namespace {

using store_limit::KeyMaker;
using store_limit::MakeRows;
using store_limit::Row;

[[noreturn]] void Die(const std::string& what, sqlite3* db = nullptr) {
  std::fprintf(stderr, "store_limit: %s%s%s\n", what.c_str(), db ? ": " : "",
               db ? sqlite3_errmsg(db) : "");
  std::exit(1);
}

void Exec(sqlite3* db, const std::string& sql) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) Die(sql, db);
}

struct Options {
  std::string keys = "derived";
  int64_t prefill = 0;
  int64_t rows = 200'000;
  std::vector<int64_t> txn_rows = {200, 2000, 10000};
  std::string db;  // a fresh temporary file when empty
  bool json = false;
  std::vector<std::string> pragmas;  // extra PRAGMAs, to try a setting before gym adopts it
  // "index": a UNIQUE index on event_id, as gym stores today; otherwise no index, and a
  // prototype of store_limit_prototypes.h decides what is a duplicate.
  std::string dedup = "index";
  bool sort_txn = false;  // each transaction's rows in key order (as a commit group could be)
  std::string backend = "sqlite";  // or "postgres": --db is then a libpq connection string
  int connections = 1;  // postgres: transactions spread over this many connections
};

store_limit::KeyIndexPrototype* g_prototype = nullptr;  // set with --dedup other than index

// gym's key index as gym serve's writer uses it: a key with no candidate row is new (gym
// then reads the candidates' rows to compare keys; at this size 64-bit hashes of distinct
// keys never meet, so a candidate here is the key itself). Keys are added at once, where
// gym adds them after COMMIT: the same work, a little earlier.
class GymKeys final : public store_limit::KeyIndexPrototype {
 public:
  explicit GymKeys(const std::string& dir) {
    absl::StatusOr<std::unique_ptr<gym::KeyIndex>> index = gym::KeyIndex::Create({.dir = dir});
    if (!index.ok()) Die(std::string(index.status().message()));
    index_ = *std::move(index);
  }
  bool Insert(std::string_view key) override {
    const uint64_t hash = gym::KeyHash(key);
    candidates_.clear();
    if (absl::Status s = index_->Find(hash, candidates_); !s.ok()) {
      Die(std::string(s.message()));
    }
    if (!candidates_.empty()) return false;
    if (absl::Status s = index_->Add(hash, ++rowid_); !s.ok()) Die(std::string(s.message()));
    return true;
  }

 private:
  std::unique_ptr<gym::KeyIndex> index_;
  std::vector<int64_t> candidates_;
  int64_t rowid_ = 0;
};

// Rows per multi-row INSERT: gym's writer sends up to 64 (under SQLite's 999 parameters),
// sharing one statement run among them.
constexpr size_t kRowsPerStatement = 64;

struct Statements {
  sqlite3_stmt* one = nullptr;   // one row
  sqlite3_stmt* many = nullptr;  // kRowsPerStatement rows
};

void Bind(sqlite3_stmt* stmt, int first, const Row& r, const std::string& ingested_at) {
  sqlite3_bind_int64(stmt, first + 1, r.id);
  sqlite3_bind_int64(stmt, first + 2, r.cliente_id);
  sqlite3_bind_text(stmt, first + 3, r.data.data(), static_cast<int>(r.data.size()),
                    SQLITE_STATIC);
  sqlite3_bind_double(stmt, first + 4, r.valor);
  sqlite3_bind_text(stmt, first + 5, r.moeda, 3, SQLITE_STATIC);
  sqlite3_bind_text(stmt, first + 6, r.categoria, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, first + 7, r.event_id.data(), static_cast<int>(r.event_id.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(stmt, first + 8, r.batch_id.data(), static_cast<int>(r.batch_id.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(stmt, first + 9, ingested_at.data(), static_cast<int>(ingested_at.size()),
                    SQLITE_STATIC);
  sqlite3_bind_int64(stmt, first + 10, r.suspeita);
}

void Step(sqlite3* db, sqlite3_stmt* stmt) {
  if (sqlite3_step(stmt) != SQLITE_DONE) Die("insert", db);
  sqlite3_reset(stmt);
}

void Insert(sqlite3* db, const Statements& stmts, const std::vector<Row>& rows, size_t begin,
            size_t end, const std::string& ingested_at) {
  std::vector<const Row*> kept;  // the prototypes' duplicates left out
  kept.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    const Row& r = rows[i];
    if (g_prototype != nullptr && !g_prototype->Insert(r.event_id)) {
      continue;
    }
    kept.push_back(&r);
  }
  size_t i = 0;
  for (; i + kRowsPerStatement <= kept.size(); i += kRowsPerStatement) {
    for (size_t k = 0; k < kRowsPerStatement; ++k) {
      Bind(stmts.many, static_cast<int>(10 * k), *kept[i + k], ingested_at);
    }
    Step(db, stmts.many);
  }
  for (; i < kept.size(); ++i) {
    Bind(stmts.one, 0, *kept[i], ingested_at);
    Step(db, stmts.one);
  }
}

// Inserts `rows` in transactions of `txn_rows`; returns the seconds it took.
double InsertAll(sqlite3* db, const Statements& stmt, const std::vector<Row>& rows,
                 int64_t txn_rows) {
  const std::string ingested_at = "2026-12-02T00:00:00Z";
  const auto start = std::chrono::steady_clock::now();
  for (size_t begin = 0; begin < rows.size(); begin += static_cast<size_t>(txn_rows)) {
    Exec(db, "BEGIN IMMEDIATE");
    Insert(db, stmt, rows, begin, std::min(rows.size(), begin + static_cast<size_t>(txn_rows)),
           ingested_at);
    Exec(db, "COMMIT");
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The process's peak resident set (VmHWM), in MiB; -1 when unknown.
double PeakRssMib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return -1;
}

int64_t CountRows(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM transactions", -1, &stmt, nullptr) !=
      SQLITE_OK) {
    Die("count", db);
  }
  sqlite3_step(stmt);
  const int64_t n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return n;
}

std::vector<int64_t> ParseList(const std::string& text) {
  std::vector<int64_t> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t comma = std::min(text.find(',', pos), text.size());
    out.push_back(std::atoll(text.substr(pos, comma - pos).c_str()));
    if (out.back() <= 0) Die("--txn-rows takes positive counts: " + text);
    pos = comma + 1;
  }
  return out;
}

Options ParseFlags(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die(std::string(a) + " needs a value");
      return argv[++i];
    };
    if (a == "--keys") {
      o.keys = value();
      if (o.keys != "derived" && o.keys != "uuid" && o.keys != "sequential") {
        Die("--keys is derived, uuid or sequential, not " + o.keys);
      }
    } else if (a == "--prefill") {
      o.prefill = std::atoll(value().c_str());
      if (o.prefill < 0) Die("--prefill must be 0 or more");
    } else if (a == "--rows") {
      o.rows = std::atoll(value().c_str());
      if (o.rows <= 0) Die("--rows must be positive");
    } else if (a == "--txn-rows") {
      o.txn_rows = ParseList(value());
    } else if (a == "--db") {
      o.db = value();
    } else if (a == "--pragma") {
      o.pragmas.push_back(value());
    } else if (a == "--dedup") {
      o.dedup = value();
      if (o.dedup != "index" && o.dedup != "gym" && o.dedup != "keyfile" &&
          o.dedup != "bucketfile" && o.dedup != "bucketmap" && o.dedup != "keylog") {
        Die("--dedup is index, gym, keyfile, bucketfile, bucketmap or keylog");
      }
    } else if (a == "--backend") {
      o.backend = value();
      if (o.backend != "sqlite" && o.backend != "postgres") {
        Die("--backend is sqlite or postgres, not " + o.backend);
      }
    } else if (a == "--connections") {
      o.connections = std::atoi(value().c_str());
      if (o.connections < 1 || o.connections > 64) Die("--connections is 1 to 64");
    } else if (a == "--sort-txn") {
      o.sort_txn = true;
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--help" || a == "-h") {
      std::printf(
          "store_limit: rows/s of gym serve's transactions rows into its schema (unique "
          "event_id), one writer, no gym\n"
          "  --keys derived|uuid|sequential  event ids as the load test sends them (derived)\n"
          "  --prefill N     first bring the table to N rows with such keys (untimed; 0)\n"
          "  --rows N        rows timed per transaction size (200000)\n"
          "  --txn-rows A,B  transaction sizes to try; the best is reported (200,2000,10000)\n"
          "  --db PATH       database file (default: a new temporary file, removed after)\n"
          "  --pragma P      also run PRAGMA P after gym's own (repeatable), to try a setting\n"
          "  --dedup index|gym|keyfile|bucketfile|bucketmap|keylog  SQLite's unique index on "
          "event_id, gym's key index (what gym serve uses) or a prototype\n"
          "  --sort-txn      insert each transaction's rows in key order\n"
          "  --backend sqlite|postgres  postgres: gym's PostgreSQL statement (sorted unnest ... ON "
          "CONFLICT), --db is then a connection string (postgresql://...)\n"
          "  --connections N  postgres: transactions spread over N connections, each on a thread "
          "of its own, as gym serve commits on 2 (1)\n"
          "  --json          one JSON object on stdout\n");
      std::exit(0);
    } else {
      Die("unknown flag " + std::string(a) + " (see --help)");
    }
  }
  if (o.backend == "postgres" && o.db.empty()) {
    Die("--backend postgres needs --db postgresql://... (a database it may create a table in)");
  }
  if (o.backend != "postgres" && o.connections != 1) {
    Die("--connections is PostgreSQL's; SQLite has one writer");
  }
  if (o.backend == "postgres" && o.dedup != "index") {
    Die("--dedup is SQLite's; PostgreSQL keeps its unique index");
  }
  return o;
}

// The PostgreSQL run: its own statement, the same rows and keys, the same report.
int MainPostgres(const Options& o) {
  KeyMaker keys(o.keys, /*seed=*/0x5eed + static_cast<uint64_t>(::getpid()), 0);
  const store_limit::PgRun run =
      store_limit::RunPostgres(o.db, keys, o.prefill, o.rows, o.txn_rows, o.connections);
  if (o.json) {
    std::printf(
        "{\"backend\": \"postgres\", \"keys\": \"%s\", \"rows_per_s\": %.0f, "
        "\"txn_rows\": %lld, \"connections\": %d, \"table_rows_before\": %lld, "
        "\"table_rows_after\": %lld}\n",
        o.keys.c_str(), run.best_rows_per_s, static_cast<long long>(run.best_txn_rows),
        o.connections,
        static_cast<long long>(run.rows_before), static_cast<long long>(run.rows_after));
  } else {
    std::printf(
        "store_limit backend=postgres keys=%s: %.0f rows/s (best of rows per transaction %s; "
        "table %lld -> %lld rows)\n",
        o.keys.c_str(), run.best_rows_per_s, run.tried.c_str(),
        static_cast<long long>(run.rows_before), static_cast<long long>(run.rows_after));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseFlags(argc, argv);
  if (o.backend == "postgres") return MainPostgres(o);
  const bool temporary = o.db.empty();
  const std::string path =
      temporary ? (std::filesystem::temp_directory_path() /
                   ("store_limit_" + std::to_string(::getpid()) + ".db"))
                      .string()
                : o.db;
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) Die("open " + path, db);
  // As gym serve opens its database (storage/sqlite_connection.cc: OpenForWriting) and
  // creates its table (serve.toml's schema, unique index on event_id).
  // Before WAL: a page size can be set only while the file is new and not yet in WAL mode.
  for (const std::string& pragma : o.pragmas) Exec(db, "PRAGMA " + pragma);
  Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY");
  Exec(db,
       "CREATE TABLE IF NOT EXISTS transactions (id INTEGER, cliente_id INTEGER, data TEXT, "
       "valor REAL, moeda TEXT, categoria TEXT, event_id TEXT, batch_id TEXT, ingested_at "
       "TEXT, suspeita INTEGER)");
  std::unique_ptr<store_limit::KeyIndexPrototype> prototype;
  if (o.dedup == "index") {
    Exec(db,
         "CREATE UNIQUE INDEX IF NOT EXISTS gym_unique_transactions_event_id ON "
         "transactions (event_id)");
  } else {
    const uint64_t total = static_cast<uint64_t>(o.prefill + o.rows *
                                                 static_cast<int64_t>(o.txn_rows.size()));
    const std::string keys_path = path + ".keys";
    if (o.dedup == "gym") {
      prototype = std::make_unique<GymKeys>(std::filesystem::path(path).parent_path().string());
    } else if (o.dedup == "keyfile") {
      prototype = std::make_unique<store_limit::KeyFile>(keys_path, 2 * total);
    } else if (o.dedup == "keylog") {
      prototype = std::make_unique<store_limit::KeyLog>(keys_path, total, 1'000'000);
    } else {
      prototype = std::make_unique<store_limit::BucketFile>(keys_path, 2 * total,
                                                            o.dedup == "bucketmap");
    }
    g_prototype = prototype.get();
  }
  auto prepare = [&](size_t rows) {
    std::string sql =
        "INSERT INTO transactions (id, cliente_id, data, valor, moeda, categoria, event_id, "
        "batch_id, ingested_at, suspeita) VALUES ";
    for (size_t r = 0; r < rows; ++r) sql += r == 0 ? "(?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?)";
    if (o.dedup == "index") sql += " ON CONFLICT(event_id) DO NOTHING";
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK) {
      Die("prepare", db);
    }
    return stmt;
  };
  const Statements stmt{prepare(1), prepare(kRowsPerStatement)};
  const int64_t start_rows = CountRows(db);
  // A prototype's key file starts empty: on a table that has rows it would see none of them.
  if (o.dedup != "index" && start_rows > 0) {
    Die("--dedup " + o.dedup + " needs a fresh database: " + path + " holds rows already");
  }
  KeyMaker keys(o.keys, /*seed=*/0x5eed + static_cast<uint64_t>(::getpid()), start_rows);
  for (int64_t have = start_rows; have < o.prefill;) {
    const int64_t chunk = std::min<int64_t>(o.prefill - have, 500'000);
    std::vector<Row> rows = MakeRows(chunk, keys);
    // In key order: the index ends up holding the same keys, built in a fraction of the time
    // random order takes (the prefill is not what is measured).
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.event_id < b.event_id; });
    InsertAll(db, stmt, rows, 10'000);
    have += chunk;
    std::fprintf(stderr, "store_limit: prefilled %lld of %lld rows\n",
                 static_cast<long long>(have), static_cast<long long>(o.prefill));
  }
  const int64_t before = CountRows(db);
  double best_rate = 0;
  int64_t best_txn = 0;
  std::string tried;
  for (int64_t txn : o.txn_rows) {
    std::vector<Row> rows = MakeRows(o.rows, keys);
    if (o.sort_txn) {
      for (size_t b = 0; b < rows.size(); b += static_cast<size_t>(txn)) {
        std::sort(rows.begin() + static_cast<std::ptrdiff_t>(b),
                  rows.begin() + static_cast<std::ptrdiff_t>(
                                     std::min(rows.size(), b + static_cast<size_t>(txn))),
                  [](const Row& x, const Row& y) { return x.event_id < y.event_id; });
      }
    }
    // Rows stored, not rows sent: a key already stored (a table reused with --db) is not an
    // insert, and must not count as one.
    const int64_t rows_before = CountRows(db);
    const double seconds = InsertAll(db, stmt, rows, txn);
    const double rate = static_cast<double>(CountRows(db) - rows_before) / seconds;
    tried += (tried.empty() ? "" : ", ") + std::to_string(txn) + ": " +
             std::to_string(static_cast<int64_t>(rate));
    if (rate > best_rate) {
      best_rate = rate;
      best_txn = txn;
    }
  }
  const int64_t after = CountRows(db);
  sqlite3_finalize(stmt.one);
  sqlite3_finalize(stmt.many);
  sqlite3_close(db);
  g_prototype = nullptr;
  prototype.reset();
  if (temporary) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  const double peak_rss_mib = PeakRssMib();
  if (o.json) {
    std::printf(
        "{\"keys\": \"%s\", \"dedup\": \"%s\", \"rows_per_s\": %.0f, \"txn_rows\": %lld, "
        "\"table_rows_before\": %lld, \"table_rows_after\": %lld, \"peak_rss_mib\": %.1f}\n",
        o.keys.c_str(), o.dedup.c_str(), best_rate, static_cast<long long>(best_txn),
        static_cast<long long>(before), static_cast<long long>(after), peak_rss_mib);
  } else {
    std::printf(
        "store_limit keys=%s dedup=%s: %.0f rows/s (best of rows per transaction %s; table "
        "%lld -> %lld rows; peak RSS %.0f MiB)\n",
        o.keys.c_str(), o.dedup.c_str(), best_rate, tried.c_str(),
        static_cast<long long>(before), static_cast<long long>(after), peak_rss_mib);
  }
  return 0;
}
