// The rows store_limit inserts, as gym serve stores the load test's transactions, and their
// event ids in the load test's modes (derived, uuid, sequential). Shared by the SQLite and
// PostgreSQL runs of store_limit.
#ifndef GYM_BENCH_STORE_LIMIT_ROWS_H_
#define GYM_BENCH_STORE_LIMIT_ROWS_H_

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace store_limit {

struct Row {
  int64_t id;
  int64_t cliente_id;
  std::string data;
  double valor;
  const char* moeda;
  const char* categoria;
  std::string event_id;
  std::string batch_id;
  int64_t suspeita;
};

class KeyMaker {
 public:
  // `first` numbers the first sequential key: the rows a reused table already holds.
  KeyMaker(std::string mode, uint64_t seed, int64_t first)
      : mode_(std::move(mode)),
        rng_(seed),
        counter_(first),
        run_(1'700'000'000'000 + seed % 100'000'000'000) {}

  std::string Uuid() {
    const uint64_t hi = (rng_() & ~0xF000ULL) | 0x4000ULL;                      // version 4
    const uint64_t lo = (rng_() & ~(3ULL << 62)) | (2ULL << 62);                // variant 10
    char out[37];
    std::snprintf(out, sizeof out, "%08x-%04x-%04x-%04x-%012llx",
                  static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xFFFF),
                  static_cast<unsigned>(hi & 0xFFFF), static_cast<unsigned>(lo >> 48),
                  static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
    return out;
  }

  // The id of the next batch of 200, as the load test names them ("r<run>-c<client>-
  // transactions-<n>"), its 20 closed-loop clients taking turns.
  std::string NextBatchId() {
    const int64_t client = batches_ % 20;
    const int64_t ordinal = batches_++ / 20;
    char out[64];
    std::snprintf(out, sizeof out, "r%llu-c%lld-transactions-%lld",
                  static_cast<unsigned long long>(run_), static_cast<long long>(client),
                  static_cast<long long>(ordinal));
    return out;
  }

  // The key of row `index` of a batch of 200 whose id is `batch`.
  std::string Key(const std::string& batch, int64_t index) {
    if (mode_ == "uuid") return Uuid();
    if (mode_ == "sequential") {
      char out[32];
      std::snprintf(out, sizeof out, "seq-%016lld", static_cast<long long>(counter_++));
      return out;
    }
    return batch + ":" + std::to_string(index);
  }

 private:
  std::string mode_;
  std::mt19937_64 rng_;
  int64_t counter_;
  uint64_t run_;
  int64_t batches_ = 0;
};

inline std::vector<Row> MakeRows(int64_t count, KeyMaker& keys) {
  static const char* kMoedas[] = {"BRL", "USD", "EUR"};
  static const char* kCategorias[] = {"baixo", "medio", "alto"};
  std::vector<Row> rows;
  rows.reserve(static_cast<size_t>(count));
  std::string batch;
  for (int64_t i = 0; i < count; ++i) {
    if (i % 200 == 0) batch = keys.NextBatchId();
    const int64_t n = static_cast<int64_t>(rows.size());
    rows.push_back({n + 1, n % 5000, "2026-11-" + std::to_string(10 + n % 19),
                    static_cast<double>(n % 100000) / 7.0, kMoedas[n % 3], kCategorias[n % 3],
                    keys.Key(batch, i % 200), batch, n % 2});
  }
  return rows;
}

}  // namespace store_limit

#endif  // GYM_BENCH_STORE_LIMIT_ROWS_H_
