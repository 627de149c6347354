// Test fixture of the ingestion engine (test-only): an engine on a fresh database, a blocking
// Send, and queries on the database it writes.
#ifndef GYM_SERVER_INGESTION_ENGINE_TEST_UTIL_H_
#define GYM_SERVER_INGESTION_ENGINE_TEST_UTIL_H_

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "gym/server/ingestion_engine.h"
#include "gym/jobs/model_loader.h"
#include "gym/sources/sqlite_source.h"
#include "gym/testing/server_process.h"

namespace gym::testing_util {

using gym_framework_rpc::BatchIngestionResponse;
using gym_framework_rpc::IngestClientsRequest;
using gym_framework_rpc::IngestScoresRequest;
using gym_framework_rpc::IngestTransactionsRequest;

inline SystemTime NoDeadline() { return SystemTime::max(); }

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { engine_ = Open(100000, 10000); }

  std::unique_ptr<IngestionEngine> Open(int64_t max_inflight, size_t max_batch,
                                        EngineOptions options = {}) {
    static std::shared_ptr<const RiskModel> model = *LoadOrTrainRiskModel(dir_.File("m.json"), 500);
    options.db_path = dir_.File("gym.db");
    options.model = model;
    options.max_batch = max_batch;
    options.max_inflight_events = max_inflight;
    options.metrics = &metrics_;
    auto engine = IngestionEngine::Open(std::move(options));
    EXPECT_TRUE(engine.ok()) << engine.status();
    return engine.ok() ? std::move(*engine) : nullptr;
  }

  int64_t Count(const std::string& table) {
    return Query("SELECT COUNT(*) AS n FROM " + table).column("n").Int64At(0);
  }

  template <typename Request>
  absl::Status Send(const Request& request, BatchIngestionResponse* response,
                    SystemTime deadline = NoDeadline()) {
    std::promise<absl::Status> done;
    engine_->Ingest(request, deadline, response,
                    [&done](const absl::Status& s) { done.set_value(s); });
    return done.get_future().get();
  }

  Frame Query(const std::string& sql) {
    auto frame = ReadSqliteQuery(dir_.File("gym.db"), sql);
    EXPECT_TRUE(frame.ok()) << frame.status();
    return frame.ok() ? *frame : Frame();
  }

  gym::testing::TempDir dir_;
  ServerMetrics metrics_;
  std::unique_ptr<IngestionEngine> engine_;
};

inline IngestTransactionsRequest Transactions(const std::string& batch_id, int n) {
  IngestTransactionsRequest r;
  r.set_batch_id(batch_id);
  for (int i = 0; i < n; ++i) {
    auto* t = r.add_transactions();
    t->set_id(i + 1);
    t->set_cliente_id(i % 3 + 1);
    t->set_data("2026-11-25");  // a Wednesday
    t->set_valor(100.0 + i);
    t->set_moeda("BRL");
  }
  return r;
}

}  // namespace gym::testing_util

#endif  // GYM_SERVER_INGESTION_ENGINE_TEST_UTIL_H_
