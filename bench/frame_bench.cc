// Frame benchmarks: hash group-by, hash join and filter at the sizes issue 2 asks for.
//
// Inputs are built once per benchmark outside the timed loop with a fixed-seed generator, so
// runs are comparable. items_per_second counts input rows (for the join: left + right rows).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "gym/frame/frame.h"

namespace {

// `rows` rows: key uniform in [0, groups), value uniform in [0, 1000).
gym::Frame KeyValueFrame(size_t rows, int64_t groups, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> key(0, groups - 1);
  std::uniform_real_distribution<double> value(0.0, 1000.0);
  std::vector<int64_t> keys(rows);
  std::vector<double> values(rows);
  for (size_t i = 0; i < rows; ++i) {
    keys[i] = key(rng);
    values[i] = value(rng);
  }
  return gym::Frame({"key", "value"},
                    {gym::Column::Ints(std::move(keys)), gym::Column::Doubles(std::move(values))});
}

void BM_GroupBySum(benchmark::State& state) {
  const auto rows = static_cast<size_t>(state.range(0));
  const gym::Frame frame = KeyValueFrame(rows, 1000, 1);
  for (auto _ : state) {
    gym::Frame sums = frame.GroupBy({"key"}, {{"value", gym::Agg::kSum, "total"}});
    benchmark::DoNotOptimize(sums);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_GroupBySum)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_InnerJoin(benchmark::State& state) {
  const auto left_rows = static_cast<size_t>(state.range(0));
  const auto right_rows = static_cast<size_t>(state.range(1));
  // Left: transactions pointing at a client id; right: one row per client id (a unique key),
  // the shape of the seed's transactions-by-client join.
  const gym::Frame left = KeyValueFrame(left_rows, static_cast<int64_t>(right_rows), 2);
  std::vector<int64_t> ids(right_rows);
  std::vector<double> scores(right_rows);
  for (size_t i = 0; i < right_rows; ++i) {
    ids[i] = static_cast<int64_t>(right_rows - 1 - i);
    scores[i] = static_cast<double>(i % 1000);
  }
  const gym::Frame right({"id", "score"}, {gym::Column::Ints(std::move(ids)),
                                           gym::Column::Doubles(std::move(scores))});
  for (auto _ : state) {
    gym::Frame joined = left.InnerJoin(right, "key", "id");
    benchmark::DoNotOptimize(joined);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * (left_rows + right_rows)));
}
BENCHMARK(BM_InnerJoin)->Args({500'000, 100'000})->Unit(benchmark::kMillisecond);

void BM_Filter(benchmark::State& state) {
  const auto rows = static_cast<size_t>(state.range(0));
  const gym::Frame frame = KeyValueFrame(rows, 1000, 3);
  for (auto _ : state) {
    gym::Frame kept =
        frame.Filter([](const gym::RowView& row) { return row.Double("value") > 500.0; });
    benchmark::DoNotOptimize(kept);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_Filter)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
