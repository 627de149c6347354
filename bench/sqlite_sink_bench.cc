// Group-commit SQLite sink throughput: two producer threads queue six-column transaction
// frames of 200 rows (id, cliente_id, data, valor, moeda, categoria) into one
// GroupCommitWriter (WAL, synchronous=NORMAL). Goal: at least 500,000 rows/s.
//
//   producer 0 ─┐
//               ├─> queue ─> writer thread: BEGIN IMMEDIATE; INSERT x every waiting frame; COMMIT
//   producer 1 ─┘
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <atomic>
#include <thread>
#include <vector>

#include "gym/storage/group_commit_writer.h"
#include "gym/storage/sqlite_test_util.h"

namespace gym {
namespace {

constexpr size_t kRowsPerFrame = 200;
constexpr size_t kProducers = 2;
constexpr size_t kFramesPerProducer = 250;  // 100,000 rows per iteration

// CPU seconds used by every thread of the process (the writer thread does most of the work).
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Arguments: unique key on "id" (0/1), synchronous=FULL (0/1).
void BM_GroupCommit(benchmark::State& state) {
  const bool unique = state.range(0) != 0;
  testing_util::TempDb db;
  WriterOptions options;
  options.synchronous_full = state.range(1) != 0;
  auto writer = GroupCommitWriter::Open(db.path(), options);
  if (!writer.ok()) {
    state.SkipWithError(writer.status().ToString().c_str());
    return;
  }
  const TableOptions table{"transactions",
                           unique ? std::optional<std::string>("id") : std::nullopt};
  std::atomic<int64_t> failures{0};
  int64_t next_id = 0;
  double cpu_seconds = 0;
  for (auto _ : state) {
    // Frames are built before timing starts: the producers' cost here is only the queueing.
    state.PauseTiming();
    std::vector<std::vector<Frame>> frames(kProducers);
    for (auto& list : frames) {
      for (size_t f = 0; f < kFramesPerProducer; ++f) {
        list.push_back(testing_util::Transactions(next_id, kRowsPerFrame));
        next_id += static_cast<int64_t>(kRowsPerFrame);
      }
    }
    state.ResumeTiming();
    const double cpu_start = ProcessCpuSeconds();
    std::vector<std::thread> producers;
    for (size_t p = 0; p < kProducers; ++p) {
      producers.emplace_back([&, p] {
        for (Frame& frame : frames[p]) {
          (*writer)->Write(table, std::move(frame),
                           [&failures](const absl::Status& s, const WriteResult&) {
                             if (!s.ok()) failures.fetch_add(1);
                           });
        }
      });
    }
    for (std::thread& t : producers) t.join();
    (*writer)->Flush();
    cpu_seconds += ProcessCpuSeconds() - cpu_start;
  }
  if (failures.load() > 0) state.SkipWithError("some writes failed");
  const WriterStats stats = (*writer)->stats();
  const double rows =
      static_cast<double>(state.iterations()) * kProducers * kFramesPerProducer * kRowsPerFrame;
  state.counters["rows_per_s"] = benchmark::Counter(rows, benchmark::Counter::kIsRate);
  // On a shared machine wall time depends on the other load; rows per CPU second does not.
  state.counters["rows_per_cpu_s"] = cpu_seconds > 0 ? rows / cpu_seconds : 0.0;
  state.counters["frames_per_group"] =
      stats.groups == 0 ? 0.0
                        : static_cast<double>(stats.frames) / static_cast<double>(stats.groups);
}
BENCHMARK(BM_GroupCommit)
    ->ArgNames({"unique", "full"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace gym

BENCHMARK_MAIN();
