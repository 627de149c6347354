// store_limit on PostgreSQL (see store_limit_pg.h).
#include "store_limit_pg.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "fmt/format.h"
#include "gym/frame/column.h"
#include "gym/storage/pg_text.h"
#include "pqxx/pqxx"

namespace store_limit {
namespace {

// gym serve's transactions table as its PostgreSQL backend creates it from the rows' types.
constexpr char kCreate[] =
    "CREATE TABLE IF NOT EXISTS transactions (id bigint, cliente_id bigint, data text, valor "
    "double precision, moeda text, categoria text, event_id text, batch_id text, ingested_at "
    "text, suspeita bigint); CREATE UNIQUE INDEX IF NOT EXISTS "
    "gym_unique_transactions_event_id ON transactions (event_id)";
constexpr char kInsert[] =
    "INSERT INTO transactions (id, cliente_id, data, valor, moeda, categoria, event_id, "
    "batch_id, ingested_at, suspeita) SELECT * FROM unnest($1::bigint[], $2::bigint[], "
    "$3::text[], $4::double precision[], $5::text[], $6::text[], $7::text[], $8::text[], "
    "$9::text[], $10::bigint[]) ON CONFLICT (event_id) DO NOTHING RETURNING event_id";

// The ten array parameters of one transaction's rows, in key order.
std::vector<std::string> Arrays(std::vector<const Row*> rows) {
  std::sort(rows.begin(), rows.end(),
            [](const Row* a, const Row* b) { return a->event_id < b->event_id; });
  std::vector<int64_t> id, cliente, suspeita;
  std::vector<double> valor;
  std::vector<std::string> data, moeda, categoria, event, batch, ingested;
  for (const Row* r : rows) {
    id.push_back(r->id);
    cliente.push_back(r->cliente_id);
    data.push_back(r->data);
    valor.push_back(r->valor);
    moeda.push_back(r->moeda);
    categoria.push_back(r->categoria);
    event.push_back(r->event_id);
    batch.push_back(r->batch_id);
    ingested.push_back("2026-12-02T00:00:00Z");
    suspeita.push_back(r->suspeita);
  }
  std::vector<size_t> all(rows.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  using gym::Column;
  return {gym::PgArray(Column::Ints(id), all),        gym::PgArray(Column::Ints(cliente), all),
          gym::PgArray(Column::Strings(data), all),   gym::PgArray(Column::Doubles(valor), all),
          gym::PgArray(Column::Strings(moeda), all),  gym::PgArray(Column::Strings(categoria), all),
          gym::PgArray(Column::Strings(event), all),  gym::PgArray(Column::Strings(batch), all),
          gym::PgArray(Column::Strings(ingested), all), gym::PgArray(Column::Ints(suspeita), all)};
}

int64_t Count(pqxx::connection& c) {
  pqxx::nontransaction n(c);
  return n.exec("SELECT count(*) FROM transactions")[0][0].as<int64_t>();
}

// A connection as gym's backend sets one up: synchronous commit, the table there, the
// statement prepared.
std::unique_ptr<pqxx::connection> Connect(const std::string& conninfo) {
  auto c = std::make_unique<pqxx::connection>(conninfo);
  {
    pqxx::nontransaction n(*c);
    n.exec("SET synchronous_commit = on");
    n.exec(kCreate);  // before the statement that names it
  }
  c->prepare("insert", kInsert);
  return c;
}

// Inserts `rows` in transactions of `txn_rows`, transaction t on connection t % N (each
// connection on a thread of its own); the seconds the timed part took.
double InsertAll(const std::vector<std::unique_ptr<pqxx::connection>>& conns,
                 const std::vector<Row>& rows, int64_t txn_rows) {
  std::vector<std::vector<std::string>> params;
  for (size_t b = 0; b < rows.size(); b += static_cast<size_t>(txn_rows)) {
    std::vector<const Row*> txn;
    for (size_t i = b; i < std::min(rows.size(), b + static_cast<size_t>(txn_rows)); ++i) {
      txn.push_back(&rows[i]);
    }
    params.push_back(Arrays(std::move(txn)));
  }
  std::exception_ptr failure;
  std::mutex failure_mu;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (size_t k = 0; k < conns.size(); ++k) {
    threads.emplace_back([&, k] {
      try {
        for (size_t t = k; t < params.size(); t += conns.size()) {
          pqxx::work w(*conns[k]);
          w.exec_prepared("insert", pqxx::prepare::make_dynamic_params(params[t]));
          w.commit();
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mu);
        if (!failure) failure = std::current_exception();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

PgRun RunPostgres(const std::string& conninfo, KeyMaker& keys, int64_t prefill, int64_t rows,
                  const std::vector<int64_t>& txn_rows, int connections) {
  PgRun run;
  try {
    std::vector<std::unique_ptr<pqxx::connection>> conns;
    for (int k = 0; k < connections; ++k) conns.push_back(Connect(conninfo));
    pqxx::connection& c = *conns[0];
    for (int64_t have = Count(c); have < prefill;) {
      const int64_t chunk = std::min<int64_t>(prefill - have, 500'000);
      InsertAll(conns, MakeRows(chunk, keys), 10'000);
      have += chunk;
      std::fprintf(stderr, "store_limit: prefilled %lld of %lld rows\n",
                   static_cast<long long>(have), static_cast<long long>(prefill));
    }
    run.rows_before = Count(c);
    for (int64_t txn : txn_rows) {
      const int64_t before = Count(c);
      const double seconds = InsertAll(conns, MakeRows(rows, keys), txn);
      const double rate = static_cast<double>(Count(c) - before) / seconds;
      run.tried += fmt::format("{}{}: {:.0f}", run.tried.empty() ? "" : ", ", txn, rate);
      if (rate > run.best_rows_per_s) {
        run.best_rows_per_s = rate;
        run.best_txn_rows = txn;
      }
    }
    run.rows_after = Count(c);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "store_limit: PostgreSQL: %s\n", e.what());
    std::exit(1);
  }
  return run;
}

}  // namespace store_limit
