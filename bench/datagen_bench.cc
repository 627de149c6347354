// Mock-data generation at the seed's sizes (100k clients, 500k transactions, 20k new, 10k
// labeled): generation alone, generation plus conversion to Frames, and the whole of
// `gym gen all` (generation and every output file). Goal: the whole run in at most 5 s,
// about 2 s aimed for. items_per_second counts generated rows of every kind.
#include <cstdint>
#include <filesystem>
#include <string>

#include "benchmark/benchmark.h"
#include "gym/datagen/frames.h"
#include "gym/datagen/mock_dataset.h"

namespace gym {
namespace {

MockDataOptions SeedSizes() {
  MockDataOptions options;  // the defaults are the seed's sizes
  options.seed = 42;
  options.today = Date{2026, 11, 26};
  return options;
}

int64_t RowsOf(const MockDataOptions& o) {
  return 2 * o.clients + o.transactions + o.new_transactions + o.labeled;
}

void BM_GenerateMockData(benchmark::State& state) {
  const MockDataOptions options = SeedSizes();
  for (auto _ : state) {
    MockDataSet data = GenerateMockData(options);
    benchmark::DoNotOptimize(data);
  }
  state.SetItemsProcessed(state.iterations() * RowsOf(options));
}
BENCHMARK(BM_GenerateMockData)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GenerateMockDataAsFrames(benchmark::State& state) {
  const MockDataOptions options = SeedSizes();
  for (auto _ : state) {
    const MockDataSet data = GenerateMockData(options);
    Frame clients = ClientsFrame(data.clients);
    Frame transactions = TransactionsFrame(data.transactions);
    benchmark::DoNotOptimize(clients);
    benchmark::DoNotOptimize(transactions);
  }
  state.SetItemsProcessed(state.iterations() * (options.clients + options.transactions));
}
BENCHMARK(BM_GenerateMockDataAsFrames)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GenAllFiles(benchmark::State& state) {
  const MockDataOptions options = SeedSizes();
  const std::string dir = (std::filesystem::temp_directory_path() / "gym_datagen_bench").string();
  for (auto _ : state) {
    const absl::Status st = GenerateMockDataFiles(options, dir, nullptr);
    if (!st.ok()) {
      state.SkipWithError(std::string(st.message()).c_str());
      break;
    }
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations() * RowsOf(options));
}
BENCHMARK(BM_GenAllFiles)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace gym

BENCHMARK_MAIN();
