#include "gym/cli/run_job.h"

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "fmt/format.h"
#include "gym/datagen/frames.h"
#include "gym/datagen/generator.h"
#include "gym/handlers/category_classifier.h"
#include "gym/handlers/client_metrics.h"
#include "gym/handlers/normalizer.h"
#include "gym/handlers/producer.h"
#include "gym/handlers/risk_handler.h"
#include "gym/handlers/save_csv_handler.h"
#include "gym/handlers/transaction_metrics.h"
#include "gym/server/model_loader.h"
#include "gym/sources/csv_source.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace fs = std::filesystem;

namespace {

// Timer transactions get ids far above any file's, so the two never share an event.
constexpr int64_t kTimerIdBase = 900'000'000;

}  // namespace

absl::StatusOr<RunJob> BuildRunJob(const RunJobOptions& options,
                                   std::shared_ptr<const RiskModel> model) {
  RunJob job;
  absl::StatusOr<std::unique_ptr<GroupCommitWriter>> writer =
      GroupCommitWriter::Open(options.out_db);
  if (!writer.ok()) return writer.status();
  job.writer = *std::move(writer);

  const MetricOptions quiet{.quiet = true};
  auto after = [](std::vector<std::string> deps, size_t chunks = 1) {
    return NodeOptions{.depends_on = std::move(deps), .chunks = chunks};
  };
  auto sink = [&](const char* table) {
    return std::make_unique<SqliteSink>(*job.writer, TableOptions{table, "event_id"});
  };

  PipelineBuilder b;
  // Dropped files must have the seed's layout: a CSV of other columns is refused (naming the
  // file) rather than turned into a `scores` table of those columns.
  using T = DataType;
  const std::vector<std::pair<const char*, std::vector<Field>>> producers = {
      {"scores_csv",
       {{"cpf", T::kString},
        {"score", T::kInt64},
        {"renda_mensal", T::kDouble},
        {"limite_credito", T::kDouble},
        {"data_ultima_atualizacao", T::kString}}},
      {"clients_db", {}},
      {"historical_db", {}},
      {"new_txt",
       {{"id", T::kInt64},
        {"cliente_id", T::kInt64},
        {"data", T::kString},
        {"valor", T::kDouble},
        {"moeda", T::kString}}},
      {"timer_tx", {}}};
  for (const auto& [name, columns] : producers) {
    b.Add(name, std::make_unique<ProducerHandler>(ProducerOptions{.required_columns = columns}));
  }
  b.Add("save_scores_db", sink("scores"), after({"scores_csv"}));
  b.Add("normalizer", std::make_unique<NormalizerHandler>(), after({"clients_db"}, options.chunks));
  b.Add("save_clients_db", sink("clients"), after({"normalizer"}));
  job.metrics.push_back(b.Add("most_transactions",
                              std::make_unique<MostTransactionsClientHandler>(quiet),
                              after({"historical_db"})));
  b.Add("category", std::make_unique<CategoryHandler>(), after({"new_txt", "timer_tx"}));
  b.Add("risk", std::make_unique<RiskHandler>(std::move(model)),
        after({"new_txt"}, options.chunks));
  b.Add("save_csv", std::make_unique<SaveCsvHandler>(options.out_csv_dir, "risk"), after({"risk"}));
  b.Add("save_db", sink("transactions"), after({"category"}));
  job.metrics.push_back(b.Add("average_value",
                              std::make_unique<AverageValuePerClientHandler>(std::nullopt, quiet),
                              after({"category"})));
  job.metrics.push_back(b.Add(
      "count_per_category", std::make_unique<CountPerCategoryHandler>(quiet), after({"category"})));
  job.metrics.push_back(b.Add(
      "suspicious_pct", std::make_unique<SuspiciousPercentageHandler>(quiet), after({"risk"})));
  job.metrics.push_back(b.Add("value_per_currency",
                              std::make_unique<ValuePerCurrencyHandler>(quiet), after({"risk"})));

  absl::StatusOr<std::unique_ptr<Pipeline>> pipeline =
      std::move(b).Build({.max_in_flight = options.max_in_flight});
  if (!pipeline.ok()) return pipeline.status();
  job.pipeline = *std::move(pipeline);
  return job;
}

std::vector<std::string> ProducerNodesFor(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  if (name.ends_with(".txt")) return {"new_txt"};
  if (name.ends_with(".csv")) {
    if (name.starts_with("labeled")) return {};  // training data, not an input
    return {"scores_csv"};
  }
  if (name.ends_with(".db")) return {"clients_db", "historical_db"};
  return {};
}

Frame RequestFor(const std::string& node, const std::string& path) {
  Frame request = node == "clients_db"      ? SqliteTableRequest(path, "clients")
                  : node == "historical_db" ? SqliteTableRequest(path, "transactions")
                                            : FileRequest(path);
  request.AddColumn("batch_id", Column::Strings({node + ":" + fs::path(path).filename().string()}));
  return request;
}

Frame TimerTransactions(int run, size_t rows, uint64_t seed) {
  MockGenerator gen(seed + static_cast<uint64_t>(run), Today());
  std::vector<MockTransaction> transactions;
  transactions.reserve(rows);
  const int64_t first = kTimerIdBase + static_cast<int64_t>(run) * 1'000'000;
  for (size_t i = 0; i < rows; ++i) {
    const int64_t id = first + static_cast<int64_t>(i);
    transactions.push_back(gen.NewTransaction(id, 1 + id % 1000));
  }
  Frame frame = NewTransactionsFrame(transactions);
  frame.AddColumn("batch_id",
                  Column::Strings(std::vector<std::string>(rows, "timer:" + std::to_string(run))));
  return frame;
}

absl::StatusOr<std::shared_ptr<const RiskModel>> LoadOrTrainModel(const std::string& model_path,
                                                                  const std::string& labeled_csv) {
  if (fs::exists(model_path) || labeled_csv.empty() || !fs::exists(labeled_csv)) {
    return LoadOrTrainRiskModel(model_path, /*train_rows=*/10000);
  }
  absl::StatusOr<Frame> labeled = ReadCsvFile(labeled_csv);
  if (!labeled.ok()) return labeled.status();
  auto trained = RiskModel::Train(*labeled, TrainOptions{});
  if (!trained.ok()) return trained.status();
  const TrainReport& report = trained->second;
  spdlog::info("no model at {}: trained one from {} ({} rows, holdout accuracy {:.4f})", model_path,
               labeled_csv, report.train_rows + report.test_rows, report.accuracy);
  if (absl::Status saved = trained->first.Save(model_path); !saved.ok()) return saved;
  return std::make_shared<const RiskModel>(std::move(trained->first));
}

std::string FormatNodeSummary(const std::vector<NodeStats>& stats) {
  std::string out = fmt::format("{:<20} {:>9} {:>10} {:>7} {:>11}\n", "node", "messages", "rows",
                                "errors", "busy ms");
  for (const NodeStats& s : stats) {
    out += fmt::format("{:<20} {:>9} {:>10} {:>7} {:>11.1f}\n", s.name, s.messages, s.rows,
                       s.errors, static_cast<double>(s.busy.count()) / 1e6);
  }
  return out;
}

}  // namespace gym
