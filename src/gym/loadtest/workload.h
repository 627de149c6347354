// The load-test workload of one simulated client, planned before anything is sent.
//
// The seed's shape: `client_batches` batches of `client_batch_size` clients; after each of them
// `tx_batches_per_client_batch` batches of `tx_batch_size` transactions that reference the
// clients of that batch; then `score_batches` batches of `score_batch_size` scores that
// reference the CPFs this simulated client sent. `--scale F` multiplies the batch counts of
// clients and scores (so every batch count, transactions included, grows by F), never the sizes.
//
//   WorkloadShape shape;                 // the seed's 20 x 100, 5 x 200, 20 x 100
//   shape = shape.Scaled(0.1);           // 2 client batches, 10 tx batches, 2 score batches
//   IdLayout ids = IdLayout::For(shape, /*run_base=*/0);
//   std::vector<BatchSpec> plan = PlanClientWorkload(shape, ids, /*client_index=*/3);
#ifndef GYM_LOADTEST_WORKLOAD_H_
#define GYM_LOADTEST_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace gym::loadtest {

enum class BatchType { kClients, kTransactions, kScores };

// "clients", "transactions" or "scores": the word used in logs and batch ids.
std::string_view BatchTypeName(BatchType type);

struct WorkloadShape {
  int client_batches = 20;
  int client_batch_size = 100;
  int tx_batches_per_client_batch = 5;
  int tx_batch_size = 200;
  int score_batches = 20;
  int score_batch_size = 100;

  // Batch counts of clients and scores times `factor`, rounded to the nearest integer; a count
  // that was positive stays at least 1. REQUIRES: factor > 0.
  WorkloadShape Scaled(double factor) const;
  // INVALID_ARGUMENT naming the first negative count or non-positive size in use.
  absl::Status Validate() const;

  int64_t ClientsPerSimulatedClient() const;
  int64_t TransactionsPerSimulatedClient() const;
  int64_t ScoresPerSimulatedClient() const;
  int64_t BatchesPerSimulatedClient() const;
};

// Where the integer ids of one run live. Simulated client i owns the dense range
// [run_base + i * per_client + 1, run_base + (i + 1) * per_client], for its clients and,
// separately, for its transactions; so no two simulated clients send the same id, and a sweep
// that starts each run at the previous run's end never repeats one. The mock generator's row
// (and so the CPF) of a client is its id minus 1, modulo the generator's CPF capacity.
struct IdLayout {
  int64_t run_base = 0;
  int64_t per_client = 1;  // max(clients, transactions) per simulated client, at least 1

  static IdLayout For(const WorkloadShape& shape, int64_t run_base);
  int64_t Id(int client_index, int64_t local) const {
    return run_base + static_cast<int64_t>(client_index) * per_client + local + 1;
  }
  // The first id after a run of `clients` simulated clients.
  int64_t End(int clients) const { return run_base + static_cast<int64_t>(clients) * per_client; }
};

// One batch a simulated client will send, with the ids it carries.
struct BatchSpec {
  BatchType type = BatchType::kClients;
  int ordinal = 0;  // n-th batch of this type for this simulated client, from 0
  int items = 0;
  // kClients: ids first_id .. first_id + items - 1 (local client numbers first_local ..).
  // kTransactions: transaction ids first_id ..; each references one of the clients
  //   ref_first_local .. ref_first_local + ref_count - 1.
  // kScores: the CPFs of local clients first_local .., modulo the clients sent.
  int64_t first_id = 0;
  int64_t first_local = 0;
  int64_t ref_first_local = 0;
  int64_t ref_count = 0;
};

// The batches of simulated client `client_index`, in sending order.
std::vector<BatchSpec> PlanClientWorkload(const WorkloadShape& shape, const IdLayout& ids,
                                          int client_index);

// "<run>-c<i>-<type>-<n>", e.g. "r42-c3-transactions-17".
std::string BatchId(std::string_view run_id, int client_index, BatchType type, int ordinal);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_WORKLOAD_H_
