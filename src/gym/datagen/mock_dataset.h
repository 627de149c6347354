// The seed's whole mock data set (`gym gen all`): generated in parallel, written as
//
//   DIR/mock.db                    SQLite tables clients and transactions
//   DIR/new_transactions.txt       id,cliente_id,data,valor,moeda
//   DIR/scores.csv                 cpf,score,renda_mensal,limite_credito,data_ultima_atualizacao
//   DIR/labeled_transactions.csv   id,cliente_id,data,valor,moeda,suspeita
//
// The text files are byte-identical for the same seed and today; the database holds the
// same table contents (its page layout may differ).
//
//   MockDataOptions options;
//   options.seed = 42;
//   options.today = *Date::Parse("2026-11-26");
//   absl::Status st = GenerateMockDataFiles(options, "/tmp/mock", nullptr);
#ifndef GYM_DATAGEN_MOCK_DATASET_H_
#define GYM_DATAGEN_MOCK_DATASET_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gym/datagen/generator.h"
#include "gym/datagen/rng.h"
#include "gym/domain/dates.h"

namespace gym {

struct MockDataOptions {
  int64_t clients = 100'000;
  int64_t transactions = 500'000;
  int64_t new_transactions = 20'000;
  int64_t labeled = 10'000;
  uint64_t seed = 0;
  Date today;
};

// Names the first bad field: a negative size, too many clients for distinct CPFs, or
// transactions with no clients to belong to.
[[nodiscard]] absl::Status ValidateMockDataOptions(const MockDataOptions& options);

// Client ids are 1..clients, historical transaction ids 1..transactions, new ones continue
// after them (so both fit one table), labeled ids are 1..labeled. Every transaction's
// cliente_id names a generated client. Scores follow the clients, one per CPF.
struct MockDataSet {
  std::vector<MockClient> clients;
  std::vector<MockScore> scores;
  std::vector<MockTransaction> transactions;
  std::vector<MockTransaction> new_transactions;
  std::vector<LabeledTransaction> labeled;
};

// The cliente_id of row `row_id` of a `stream`: uniform over 1..num_clients, a pure function
// of its arguments. REQUIRES: num_clients >= 1.
int64_t PickClienteId(uint64_t seed, MockStream stream, int64_t row_id, int64_t num_clients);

// Generates on every core (oneTBB); the result depends only on `options`.
// REQUIRES: ValidateMockDataOptions(options).ok().
MockDataSet GenerateMockData(const MockDataOptions& options);

// One finished step of GenerateMockDataFiles. Calls are serialized.
struct MockDataProgress {
  std::string step;  // e.g. "wrote /tmp/mock/scores.csv (100000 rows)"
  int done = 0;
  int total = 0;
  double seconds = 0;  // the step's own duration
};
using MockDataProgressFn = std::function<void(const MockDataProgress&)>;

// Creates `dir` if needed, replaces an existing mock.db (and its -wal/-shm), and writes the
// four outputs, the database and the text files concurrently. `progress` may be null.
[[nodiscard]] absl::Status WriteMockData(const MockDataSet& data, const std::string& dir,
                                         const MockDataProgressFn& progress);

// Validate, generate, write.
[[nodiscard]] absl::Status GenerateMockDataFiles(const MockDataOptions& options,
                                                 const std::string& dir,
                                                 const MockDataProgressFn& progress);

}  // namespace gym

#endif  // GYM_DATAGEN_MOCK_DATASET_H_
