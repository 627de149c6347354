// Domain handler throughput: the normalizer over realistic names and addresses, risk
// prediction per row (goal: at least 5M rows/s), and the whole RiskHandler with date parsing.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "gym/datagen/frames.h"
#include "gym/datagen/generator.h"
#include "gym/handlers/normalizer.h"
#include "gym/handlers/risk_handler.h"
#include "gym/handlers/risk_model.h"

namespace gym {
namespace {

const Date kToday = *Date::Parse("2026-11-26");

Frame Clients(int64_t rows) {
  MockGenerator generator(7, kToday);
  std::vector<MockClient> clients;
  clients.reserve(static_cast<size_t>(rows));
  for (int64_t id = 0; id < rows; ++id) clients.push_back(generator.Client(id));
  return ClientsFrame(clients);
}

Frame NewTransactions(int64_t rows) {
  MockGenerator generator(11, kToday);
  std::vector<MockTransaction> transactions;
  transactions.reserve(static_cast<size_t>(rows));
  for (int64_t id = 0; id < rows; ++id) {
    transactions.push_back(generator.NewTransaction(id, id % 100000));
  }
  return NewTransactionsFrame(transactions);
}

const RiskModel& TrainedModel() {
  static const RiskModel* model = [] {
    MockGenerator generator(42, kToday);
    std::vector<LabeledTransaction> labeled;
    for (int64_t id = 0; id < 10000; ++id) labeled.push_back(generator.Labeled(id, id));
    return new RiskModel(RiskModel::Train(LabeledFrame(labeled), {})->first);
  }();
  return *model;
}

// 100k clients: nome and endereco normalized (cpf, id, data_nascimento skipped).
void BM_NormalizerHandler(benchmark::State& state) {
  const Frame clients = Clients(100000);
  NormalizerHandler normalizer;
  for (auto _ : state) {
    state.PauseTiming();
    Frame input = clients;
    state.ResumeTiming();
    absl::StatusOr<Frame> out = normalizer.Handle(std::move(input));
    if (!out.ok()) {
      state.SkipWithError(out.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(clients.num_rows()));
  state.counters["rows/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(clients.num_rows()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NormalizerHandler)->Unit(benchmark::kMillisecond)->UseRealTime();

// Predict over 1M pre-decoded rows (valor, weekday, month, moeda).
void BM_RiskPredict(benchmark::State& state) {
  const RiskModel& model = TrainedModel();
  const Frame rows = NewTransactions(1000000);
  std::vector<double> valor = rows.column("valor").doubles();
  std::vector<int> weekday(valor.size());
  std::vector<int> month(valor.size());
  const std::vector<std::string>& moeda = rows.column("moeda").strings();
  for (size_t i = 0; i < valor.size(); ++i) {
    const Date date = *Date::Parse(rows.column("data").StringAt(i));
    weekday[i] = date.Weekday();
    month[i] = date.month;
  }
  for (auto _ : state) {
    int64_t suspicious = 0;
    for (size_t i = 0; i < valor.size(); ++i) {
      suspicious += model.Predict(valor[i], weekday[i], month[i], moeda[i]);
    }
    benchmark::DoNotOptimize(suspicious);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(valor.size()));
  state.counters["rows/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(valor.size()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RiskPredict)->Unit(benchmark::kMillisecond)->UseRealTime();

// The RiskHandler on 1M new transactions: date parsing, Predict, the suspeita column.
void BM_RiskHandler(benchmark::State& state) {
  auto model = std::make_shared<const RiskModel>(TrainedModel());
  const Frame rows = NewTransactions(1000000);
  RiskHandler handler(model);
  for (auto _ : state) {
    state.PauseTiming();
    Frame input = rows;
    state.ResumeTiming();
    absl::StatusOr<Frame> out = handler.Handle(std::move(input));
    if (!out.ok()) {
      state.SkipWithError(out.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows.num_rows()));
  state.counters["rows/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(rows.num_rows()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RiskHandler)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace gym

BENCHMARK_MAIN();
