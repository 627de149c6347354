// CSV benchmarks: reading the new-transactions format (id,cliente_id,data,valor,moeda) from
// memory, from a file in one read, and streamed in chunks; and writing it back.
//
// The input is about 20 MB, generated once with a fixed seed. bytes_per_second counts input
// (or output) CSV bytes; the goal for reading is at least 150 MB/s on one core.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "gym/sinks/csv_sink.h"
#include "gym/sources/csv_source.h"

namespace {

constexpr size_t kTargetBytes = 20u << 20;

// Rows like the seed's new-transactions drop: 20 MB is about 450,000 rows.
const std::string& NewTransactionsCsv() {
  static const std::string text = [] {
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<int> client(1, 100000), day(1, 28), month(1, 12);
    std::uniform_int_distribution<int> cents(1000, 500000), currency(0, 9);
    const char* currencies[] = {"BRL", "BRL", "BRL", "BRL", "BRL",
                                "BRL", "USD", "USD", "USD", "EUR"};
    std::string out = "id,cliente_id,data,valor,moeda\n";
    char line[96];
    for (int id = 1; out.size() < kTargetBytes; ++id) {
      const int c = cents(rng);
      const int n =
          std::snprintf(line, sizeof(line), "%d,%d,2024-%02d-%02d,%d.%02d,%s\n", id, client(rng),
                        month(rng), day(rng), c / 100, c % 100, currencies[currency(rng)]);
      out.append(line, static_cast<size_t>(n));
    }
    return out;
  }();
  return text;
}

std::string TempFile() {
  static const std::string path = [] {
    std::string p = "/tmp/gym_csv_bench_" + std::to_string(::getpid()) + ".csv";
    std::ofstream(p, std::ios::binary) << NewTransactionsCsv();
    return p;
  }();
  return path;
}

void BM_ParseCsvFromMemory(benchmark::State& state) {
  const std::string& text = NewTransactionsCsv();
  for (auto _ : state) {
    absl::StatusOr<gym::Frame> frame = gym::ParseCsv(text);
    if (!frame.ok()) state.SkipWithError(frame.status().ToString().c_str());
    benchmark::DoNotOptimize(frame);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseCsvFromMemory)->Unit(benchmark::kMillisecond);

void BM_ReadCsvFile(benchmark::State& state) {
  const std::string path = TempFile();
  for (auto _ : state) {
    absl::StatusOr<gym::Frame> frame = gym::ReadCsvFile(path);
    if (!frame.ok()) state.SkipWithError(frame.status().ToString().c_str());
    benchmark::DoNotOptimize(frame);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * NewTransactionsCsv().size()));
}
BENCHMARK(BM_ReadCsvFile)->Unit(benchmark::kMillisecond);

void BM_CsvReaderChunks(benchmark::State& state) {
  const std::string path = TempFile();
  gym::CsvOptions options;
  options.chunk_rows = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    auto reader = gym::CsvReader::Open(path, options);
    if (!reader.ok()) state.SkipWithError(reader.status().ToString().c_str());
    size_t rows = 0;
    while (reader.ok()) {
      absl::StatusOr<std::optional<gym::Frame>> chunk = (*reader)->Next();
      if (!chunk.ok() || !chunk->has_value()) break;
      rows += (*chunk)->num_rows();
    }
    benchmark::DoNotOptimize(rows);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * NewTransactionsCsv().size()));
}
BENCHMARK(BM_CsvReaderChunks)->Arg(65536)->Unit(benchmark::kMillisecond);

void BM_FormatCsv(benchmark::State& state) {
  const gym::Frame frame = *gym::ParseCsv(NewTransactionsCsv());
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = gym::FormatCsv(frame);
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_FormatCsv)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::remove(TempFile().c_str());
  return 0;
}
