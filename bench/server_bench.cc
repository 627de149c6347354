// gym serve's hot path without the network: proto -> Frame conversion (events/s), and one
// transaction batch of 200 through validation, the pipeline (category, risk) and the SQLite
// group commit (µs per batch, answered after COMMIT).
#include <unistd.h>

#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "gym/server/ids.h"
#include "gym/server/ingestion_engine.h"
#include "gym/jobs/model_loader.h"
#include "gym/server/proto_frame.h"
#include "gym/server/validation.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

gym_framework_rpc::IngestTransactionsRequest TransactionBatch(int n) {
  gym_framework_rpc::IngestTransactionsRequest r;
  const char* currencies[] = {"BRL", "USD", "EUR"};
  for (int i = 0; i < n; ++i) {
    auto* t = r.add_transactions();
    t->set_id(i + 1);
    t->set_cliente_id(i % 50 + 1);
    t->set_data("2026-11-" + std::to_string(10 + i % 18));
    t->set_valor(10.0 + (i * 37) % 4990);
    t->set_moeda(currencies[i % 3]);
  }
  return r;
}

void BM_ProtoToFrame(benchmark::State& state) {
  const auto request = TransactionBatch(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::vector<std::string> ids;
    std::vector<uint32_t> accepted;
    for (int i = 0; i < request.transactions_size(); ++i) {
      ids.push_back(EventIdFor("", "bench", static_cast<size_t>(i)));
      if (!ValidateTransaction(request.transactions(i))) accepted.push_back(uint32_t(i));
    }
    Frame f = TransactionsToFrame(request.transactions(), accepted,
                                  {"bench", "2026-11-26T00:00:00.000000Z", ids});
    benchmark::DoNotOptimize(f);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ProtoToFrame)->Arg(200)->Arg(10000);

void BM_TransactionBatchCommit(benchmark::State& state) {
  spdlog::set_level(spdlog::level::warn);  // the engine logs one info line per batch
  const std::string dir = "/tmp/gym-server-bench-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  ServerMetrics metrics;
  auto model = LoadOrTrainRiskModel(dir + "/risk_model.json", 10000);
  auto engine = IngestionEngine::Open(
      {.db_path = dir + "/gym.db", .model = *model, .metrics = &metrics});
  if (!engine.ok()) {
    state.SkipWithError("cannot open the engine");
    return;
  }
  auto request = TransactionBatch(200);
  int64_t batch = 0;
  for (auto _ : state) {
    request.set_batch_id(absl::StrCat("b", batch++));
    gym_framework_rpc::BatchIngestionResponse response;
    std::promise<void> done;
    (*engine)->Ingest(request, SystemTime::max(), &response,
                      [&done](const absl::Status&) { done.set_value(); });
    done.get_future().wait();
    if (response.items_processed_successfully() != 200) state.SkipWithError("batch not stored");
  }
  state.SetItemsProcessed(state.iterations() * 200);
  engine->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_TransactionBatchCommit)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace gym

BENCHMARK_MAIN();
