// The batch path without gRPC: ids, validation, rejection storage, idempotency, limits.
#include "gym/server/ingestion_engine.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fmt/core.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/datagen/builtin_parts.h"
#include "gym/pipeline/builtin_pipelines.h"
#include "gym/pipeline/pipeline_spec.h"
#include "gym/server/ingestion_engine_test_util.h"
#include "gym/testing/status_matchers.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_util::BatchIngestionResponse;
using testing_util::EngineTest;
using testing_util::IngestClientsRequest;
using testing_util::IngestScoresRequest;
using testing_util::IngestTransactionsRequest;
using testing_util::NoDeadline;
using testing_util::StatusIs;
using testing_util::Transactions;

TEST_F(EngineTest, CommitsABatchAndAnswersWithIds) {
  BatchIngestionResponse response;
  ASSERT_TRUE(Send(Transactions("b1", 3), &response).ok());
  EXPECT_TRUE(response.success()) << response.message();
  EXPECT_EQ(response.batch_id(), "b1");
  EXPECT_EQ(response.items_received(), 3);
  EXPECT_EQ(response.items_processed_successfully(), 3);
  EXPECT_GT(response.processing_duration_seconds(), 0.0f);
  ASSERT_EQ(response.event_ids_size(), 3);
  EXPECT_EQ(response.event_ids(2), "b1:2");
  Frame rows = Query("SELECT event_id, batch_id, categoria, suspeita FROM transactions ORDER BY id");
  ASSERT_EQ(rows.num_rows(), 3u);
  EXPECT_EQ(rows.column("event_id").StringAt(0), "b1:0");
  EXPECT_EQ(rows.column("batch_id").StringAt(1), "b1");
  EXPECT_FALSE(rows.column("categoria").StringAt(0).empty());
  EXPECT_EQ(rows.column("suspeita").Int64At(0), 0);
  EXPECT_FALSE(Query("SELECT * FROM transactions").HasColumn("ingest_ticket"));
}

TEST_F(EngineTest, RejectsBadItemsAndStoresThemInTheSameCommit) {
  IngestTransactionsRequest request = Transactions("b2", 4);
  request.mutable_transactions(1)->set_moeda("XYZ");
  request.mutable_transactions(3)->set_data("2026-02-30");
  BatchIngestionResponse response;
  ASSERT_TRUE(Send(request, &response).ok());
  EXPECT_TRUE(response.success());
  EXPECT_EQ(response.items_processed_successfully(), 2);
  EXPECT_EQ(response.items_rejected(), 2);
  ASSERT_EQ(response.rejected_size(), 2);
  EXPECT_EQ(response.rejected(0).index(), 1);
  EXPECT_EQ(response.rejected(0).event_id(), "b2:1");
  EXPECT_EQ(response.rejected(0).reason().rfind("moeda: ", 0), 0u);
  EXPECT_EQ(response.rejected(1).index(), 3);
  Frame rejected = Query(
      "SELECT event_id, type, item_index, reason, payload FROM rejected_events ORDER BY item_index");
  ASSERT_EQ(rejected.num_rows(), 2u);
  EXPECT_EQ(rejected.column("type").StringAt(0), "transactions");
  EXPECT_EQ(rejected.column("item_index").Int64At(1), 3);
  EXPECT_NE(rejected.column("payload").StringAt(0).find("\"moeda\":\"XYZ\""), std::string::npos);
  EXPECT_EQ(Query("SELECT COUNT(*) AS n FROM transactions").column("n").Int64At(0), 2);
}

TEST_F(EngineTest, AllRejectedBatchIsStillStored) {
  IngestScoresRequest request;
  request.set_batch_id("s1");
  request.add_scores()->set_cpf("bad");
  BatchIngestionResponse response;
  ASSERT_TRUE(Send(request, &response).ok());
  EXPECT_TRUE(response.success());
  EXPECT_EQ(response.items_processed_successfully(), 0);
  EXPECT_EQ(Query("SELECT COUNT(*) AS n FROM rejected_events").column("n").Int64At(0), 1);
}

TEST_F(EngineTest, RetriedBatchIsStoredOnceAndCountedAsDuplicates) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    SCOPED_TRACE(attempt);
    BatchIngestionResponse response;
    ASSERT_TRUE(Send(Transactions("same", 5), &response).ok());
    EXPECT_TRUE(response.success());
    EXPECT_EQ(response.items_processed_successfully(), attempt == 0 ? 5 : 0);
    EXPECT_EQ(response.items_duplicate(), attempt == 0 ? 0 : 5);
  }
  EXPECT_EQ(Query("SELECT COUNT(*) AS n FROM transactions").column("n").Int64At(0), 5);
}

TEST_F(EngineTest, GeneratesABatchIdWhenNoneIsSent) {
  IngestClientsRequest request;
  auto* c = request.add_clients();
  c->set_id(1);
  c->set_nome("  José   da Silva ");
  c->set_cpf("111.444.777-35");
  c->set_data_nascimento("1990-01-01");
  c->set_endereco("Avenida Paulista, 1000");
  c->set_event_id("client-1");
  BatchIngestionResponse response;
  ASSERT_TRUE(Send(request, &response).ok());
  EXPECT_EQ(response.batch_id().size(), 36u);
  EXPECT_EQ(response.event_ids(0), "client-1");
  Frame rows = Query("SELECT nome, endereco, cpf FROM clients");
  ASSERT_EQ(rows.num_rows(), 1u);
  EXPECT_EQ(rows.column("nome").StringAt(0), "JOSE DA SILVA");
  EXPECT_EQ(rows.column("endereco").StringAt(0), "AV. PAULISTA, 1000");
  EXPECT_EQ(rows.column("cpf").StringAt(0), "111.444.777-35");
}

TEST_F(EngineTest, RefusesWholeRequests) {
  struct Case {
    const char* name;
    int64_t max_inflight;
    size_t max_batch;
    SystemTime deadline;
    absl::StatusCode code;
  };
  const Case cases[] = {
      {"oversize", 100000, 9, NoDeadline(), absl::StatusCode::kInvalidArgument},
      {"inflight", 5, 10000, NoDeadline(), absl::StatusCode::kResourceExhausted},
      {"deadline", 100000, 10000, std::chrono::system_clock::now() - std::chrono::seconds(1),
       absl::StatusCode::kDeadlineExceeded},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    engine_.reset();
    engine_ = Open(c.max_inflight, c.max_batch);
    BatchIngestionResponse response;
    EXPECT_EQ(Send(Transactions(c.name, 10), &response, c.deadline).code(), c.code);
    EXPECT_EQ(engine_->inflight_events(), 0);
  }
  EXPECT_EQ(Query("SELECT COUNT(*) AS n FROM transactions").column("n").Int64At(0), 0);
}

TEST_F(EngineTest, TablesAndUniqueIndexesExistBeforeTheFirstBatch) {
  for (const char* table : {"clients", "transactions", "scores", "rejected_events"}) {
    SCOPED_TRACE(table);
    const Frame index = Query(fmt::format(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = '{}' "
        "AND sql LIKE '%UNIQUE%event_id%'",
        table));
    // The event tables, which only grow, keep event_id unique with gym's key index
    // (storage/unique_keys.h); rejected_events, whose rows are deleted, with SQLite's.
    EXPECT_EQ(index.column("n").Int64At(0), std::string(table) == "rejected_events" ? 1 : 0);
    EXPECT_EQ(Query(fmt::format("SELECT COUNT(*) AS n FROM {}", table)).column("n").Int64At(0), 0);
  }
  // The schema the first real batch finds is the one it would have created.
  BatchIngestionResponse response;
  ASSERT_TRUE(Send(Transactions("first", 3), &response).ok());
  EXPECT_EQ(response.items_processed_successfully(), 3);
}

TEST_F(EngineTest, StatsCountRowsAndDrainRefuses) {
  BatchIngestionResponse response;
  ASSERT_TRUE(Send(Transactions("st", 7), &response).ok());
  auto stats = engine_->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->transactions(), 7);
  EXPECT_EQ(stats->clients(), 0);
  EXPECT_EQ(stats->events_received(), 7);
  EXPECT_EQ(stats->events_committed(), 7);
  engine_->Drain();
  BatchIngestionResponse late;
  EXPECT_EQ(Send(Transactions("late", 1), &late).code(), absl::StatusCode::kUnavailable);
}

// What a handler's status becomes for the client, by batch: the `verdict` handler below fails
// the batch whose id is `batch_id` with `status`.
struct Verdict {
  std::string batch_id;
  absl::Status status;
  absl::StatusCode client;  // the code the client gets
  bool retry;               // whether the answer says to retry
};

const std::vector<Verdict>& Verdicts() {
  static const auto* const kVerdicts = new std::vector<Verdict>{
      {"bad-batch", absl::InvalidArgumentError("verdict: column 'valor' must be numeric"),
       absl::StatusCode::kInvalidArgument, false},
      {"out-of-range", absl::OutOfRangeError("verdict: valor above the limit"),
       absl::StatusCode::kOutOfRange, false},
      {"no-rates", absl::FailedPreconditionError("verdict: no exchange rates loaded"),
       absl::StatusCode::kFailedPrecondition, false},
      {"a-bug", absl::InternalError("verdict: a broken invariant"), absl::StatusCode::kInternal,
       false},
      {"rates-down", absl::UnavailableError("verdict: rates service unreachable"),
       absl::StatusCode::kUnavailable, true},
      {"busy", absl::ResourceExhaustedError("verdict: rates service busy"),
       absl::StatusCode::kUnavailable, true},
      {"file-gone", absl::NotFoundError("verdict: rates.csv: No such file or directory"),
       absl::StatusCode::kUnavailable, true},
  };
  return *kVerdicts;
}

// A handler of the test's own (as a user registers one): it fails the batches Verdicts()
// names and passes every other (and a batch without rows, whose items were all rejected).
PartInfo VerdictPart() {
  return {.type = "verdict",
          .kind = PartKind::kHandler,
          .help = "fails the batches the test names, with the status it names",
          .make = [](const std::string&, const PartOptions&, const PartContext&) -> MadeHandler {
            return MakeHandler([](Frame rows) -> absl::StatusOr<Frame> {
              if (rows.num_rows() == 0) return rows;
              const std::string& batch = rows.column("batch_id").StringAt(0);
              for (const Verdict& v : Verdicts()) {
                if (v.batch_id == batch) return v.status;
              }
              return rows;
            });
          }};
}

// The built-in serve.toml with the verdict between risk and the store of transactions, or ""
// when serve.toml no longer stores transactions right after risk.
std::string ServeWithVerdict() {
  std::string text(*BuiltinPipelineText("serve"));
  const std::string store = "[sinks.store_transactions]\ntype = \"sqlite\"\ninputs = [\"risk\"]";
  const size_t at = text.find(store);
  if (at == std::string::npos) return {};
  text.replace(at, store.size(),
               "[nodes.verdict]\ntype = \"verdict\"\ninputs = [\"risk\"]\n\n"
               "[sinks.store_transactions]\ntype = \"sqlite\"\ninputs = [\"verdict\"]");
  return text;
}

// A status code survives from a handler to the client when it says a retry of the same batch
// cannot help (the batch is bad, the server must be fixed, a bug); a failure that may pass
// becomes UNAVAILABLE with the advice to retry. Nothing of a failed batch is stored, and the
// batches around it are not affected.
TEST_F(EngineTest, AHandlersStatusReachesTheClientWithACodeThatSaysWhetherToRetry) {
  static const PartRegistry* const kParts = [] {
    auto* parts = new PartRegistry(BuiltinParts());
    EXPECT_OK(parts->Add(VerdictPart()));
    return parts;
  }();
  const std::string text = ServeWithVerdict();
  ASSERT_FALSE(text.empty()) << "serve.toml no longer stores transactions right after risk";
  PipelineLoad load = ParsePipeline(text, "verdict.toml", *kParts);
  ASSERT_TRUE(load.ok()) << load.errors.front();
  engine_.reset();
  engine_ = Open(
      100000, 10000,
      {.pipeline = std::make_shared<const PipelineSpec>(std::move(*load.spec)), .parts = kParts});
  ASSERT_NE(engine_, nullptr);
  for (const Verdict& v : Verdicts()) {
    SCOPED_TRACE(v.batch_id);
    BatchIngestionResponse response;
    const absl::Status status = Send(Transactions(v.batch_id, 3), &response);
    EXPECT_THAT(status, StatusIs(v.client, HasSubstr("batch not committed: node 'verdict': " +
                                                     std::string(v.status.message()))));
    if (v.retry) {
      EXPECT_THAT(std::string(status.message()), HasSubstr("; retry with the same event ids"));
    } else {
      EXPECT_THAT(std::string(status.message()), Not(HasSubstr("retry")));
    }
    EXPECT_FALSE(response.success());
    EXPECT_EQ(response.message(), status.message());
    EXPECT_EQ(response.items_processed_successfully(), 0);
    EXPECT_EQ(engine_->inflight_events(), 0);
  }
  EXPECT_EQ(Count("transactions"), 0);
  BatchIngestionResponse passed;
  ASSERT_OK(Send(Transactions("passes", 3), &passed));
  EXPECT_EQ(passed.items_processed_successfully(), 3);
  EXPECT_EQ(Count("transactions"), 3);
}

}  // namespace
}  // namespace gym
