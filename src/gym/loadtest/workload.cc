// Planning of one simulated client's batches (see workload.h).
#include "gym/loadtest/workload.h"

#include <algorithm>
#include <cmath>

#include "fmt/format.h"

namespace gym::loadtest {
namespace {

int ScaleCount(int count, double factor) {
  if (count <= 0) return count;
  const long scaled = std::lround(static_cast<double>(count) * factor);
  return scaled < 1 ? 1 : static_cast<int>(scaled);
}

}  // namespace

std::string_view BatchTypeName(BatchType type) {
  switch (type) {
    case BatchType::kClients:
      return "clients";
    case BatchType::kTransactions:
      return "transactions";
    case BatchType::kScores:
      return "scores";
  }
  return "unknown";
}

WorkloadShape WorkloadShape::Scaled(double factor) const {
  WorkloadShape out = *this;
  out.client_batches = ScaleCount(client_batches, factor);
  out.score_batches = ScaleCount(score_batches, factor);
  return out;
}

absl::Status WorkloadShape::Validate() const {
  struct Field {
    const char* name;
    int value;
  };
  for (const Field& f : {Field{"--client-batches", client_batches},
                         Field{"--tx-batches-per-client-batch", tx_batches_per_client_batch},
                         Field{"--score-batches", score_batches}}) {
    if (f.value < 0) {
      return absl::InvalidArgumentError(fmt::format("{} must be >= 0, got {}", f.name, f.value));
    }
  }
  for (const Field& f :
       {Field{"--client-batch-size", client_batch_size}, Field{"--tx-batch-size", tx_batch_size},
        Field{"--score-batch-size", score_batch_size}}) {
    if (f.value <= 0) {
      return absl::InvalidArgumentError(fmt::format("{} must be > 0, got {}", f.name, f.value));
    }
  }
  if (client_batches == 0 && (tx_batches_per_client_batch > 0 || score_batches > 0)) {
    return absl::InvalidArgumentError(
        "--client-batches is 0 but transactions and scores must reference sent clients");
  }
  constexpr int64_t kMaxPerClient = 100'000'000;
  if (ClientsPerSimulatedClient() > kMaxPerClient ||
      TransactionsPerSimulatedClient() > kMaxPerClient) {
    return absl::InvalidArgumentError(
        fmt::format("workload too large: at most {} clients or transactions per simulated client",
                    kMaxPerClient));
  }
  return absl::OkStatus();
}

IdLayout IdLayout::For(const WorkloadShape& shape, int64_t run_base) {
  IdLayout ids;
  ids.run_base = run_base;
  ids.per_client = std::max<int64_t>(
      {1, shape.ClientsPerSimulatedClient(), shape.TransactionsPerSimulatedClient()});
  return ids;
}

int64_t WorkloadShape::ClientsPerSimulatedClient() const {
  return static_cast<int64_t>(client_batches) * client_batch_size;
}

int64_t WorkloadShape::TransactionsPerSimulatedClient() const {
  return static_cast<int64_t>(client_batches) * tx_batches_per_client_batch * tx_batch_size;
}

int64_t WorkloadShape::ScoresPerSimulatedClient() const {
  return static_cast<int64_t>(score_batches) * score_batch_size;
}

int64_t WorkloadShape::BatchesPerSimulatedClient() const {
  return static_cast<int64_t>(client_batches) * (1 + tx_batches_per_client_batch) + score_batches;
}

std::vector<BatchSpec> PlanClientWorkload(const WorkloadShape& shape, const IdLayout& ids,
                                          int client_index) {
  std::vector<BatchSpec> plan;
  plan.reserve(static_cast<size_t>(shape.BatchesPerSimulatedClient()));
  int64_t next_client = 0;
  int64_t next_tx = 0;
  int tx_ordinal = 0;
  for (int c = 0; c < shape.client_batches; ++c) {
    BatchSpec clients;
    clients.type = BatchType::kClients;
    clients.ordinal = c;
    clients.items = shape.client_batch_size;
    clients.first_local = next_client;
    clients.first_id = ids.Id(client_index, next_client);
    plan.push_back(clients);
    for (int t = 0; t < shape.tx_batches_per_client_batch; ++t) {
      BatchSpec tx;
      tx.type = BatchType::kTransactions;
      tx.ordinal = tx_ordinal++;
      tx.items = shape.tx_batch_size;
      tx.first_local = next_tx;
      tx.first_id = ids.Id(client_index, next_tx);
      tx.ref_first_local = next_client;
      tx.ref_count = shape.client_batch_size;
      plan.push_back(tx);
      next_tx += shape.tx_batch_size;
    }
    next_client += shape.client_batch_size;
  }
  int64_t next_score = 0;
  for (int s = 0; s < shape.score_batches; ++s) {
    BatchSpec scores;
    scores.type = BatchType::kScores;
    scores.ordinal = s;
    scores.items = shape.score_batch_size;
    // Scores cycle over the CPFs sent, so every score references a client of this simulated
    // client even when there are more scores than clients.
    scores.first_local = next_client > 0 ? next_score % next_client : 0;
    scores.ref_first_local = 0;
    scores.ref_count = next_client;
    plan.push_back(scores);
    next_score += shape.score_batch_size;
  }
  return plan;
}

std::string BatchId(std::string_view run_id, int client_index, BatchType type, int ordinal) {
  return fmt::format("{}-c{}-{}-{}", run_id, client_index, BatchTypeName(type), ordinal);
}

}  // namespace gym::loadtest
