// Executor benchmarks: per-message overhead through a chain of trivial handlers, and the
// speed-up of a chunked node on a CPU-bound handler.
#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gym/pipeline/pipeline.h"

namespace gym {
namespace {

Frame SmallFrame() { return Frame({"n"}, {Column::Ints({1, 2, 3})}); }

std::unique_ptr<Pipeline> Chain(size_t nodes) {
  PipelineBuilder b;
  std::string previous;
  for (size_t i = 0; i < nodes; ++i) {
    std::string name = absl::StrCat("n", i);
    NodeOptions options;
    if (!previous.empty()) options.depends_on = {previous};
    b.Add(name, MakeHandler([](Frame f) { return f; }), options);
    previous = name;
  }
  return *std::move(b).Build({.max_in_flight = 4096});
}

// One message at a time: submit, wait for its token. Latency of a 3-node chain.
void BM_ChainLatency(benchmark::State& state) {
  auto p = Chain(3);
  for (auto _ : state) {
    absl::Status s = (*p->Submit("n0", SmallFrame())).Wait();
    benchmark::DoNotOptimize(s);
  }
  state.counters["us_per_node"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * 3.0 / 1e6,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ChainLatency)->UseRealTime();

// Many messages in flight: the executor's cost per message per node when the graph is busy.
void BM_ChainThroughput(benchmark::State& state) {
  auto p = Chain(3);
  constexpr int kBatch = 1000;
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) benchmark::DoNotOptimize(p->Submit("n0", SmallFrame()));
    p->WaitIdle();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["us_per_node"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kBatch * 3.0 / 1e6,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ChainThroughput)->UseRealTime()->Unit(benchmark::kMillisecond);

// A CPU-bound handler over 200k rows, in `range(0)` chunks. Compare chunks=1 with chunks=2.
void BM_ChunkedCpuBound(benchmark::State& state) {
  PipelineBuilder b;
  b.Add("work",
        MakeHandler([](Frame f) {
          const std::vector<double>& in = f.column("x").doubles();
          std::vector<double> out(in.size());
          for (size_t i = 0; i < in.size(); ++i) {
            double acc = in[i];
            for (int k = 0; k < 200; ++k) acc = std::sin(acc) + 1.0;
            out[i] = acc;
          }
          f.AddColumn("y", Column::Doubles(std::move(out)));
          return f;
        }),
        {.chunks = static_cast<size_t>(state.range(0))});
  auto p = *std::move(b).Build();
  std::vector<double> x(200000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i) * 1e-3;
  Frame input({"x"}, {Column::Doubles(x)});
  for (auto _ : state) {
    // RunOnce waits inside the scheduler, so this thread works on the chunks too.
    absl::Status s = p->RunOnce({{"work", input}});
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(x.size()));
}
BENCHMARK(BM_ChunkedCpuBound)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gym

BENCHMARK_MAIN();
