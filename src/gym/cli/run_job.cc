#include "gym/cli/run_job.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <system_error>
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
#include "gym/handlers/transaction_check.h"
#include "gym/handlers/transaction_metrics.h"
#include "gym/server/model_loader.h"
#include "gym/sources/csv_source.h"
#include "gym/sources/file_digest.h"
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
  job.rejections = std::make_unique<RejectionLog>(*job.writer);
  const RowErrorReporter rejected = job.rejections->Reporter();

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
  b.Add("normalizer",
        std::make_unique<NormalizerHandler>(
            std::vector<std::string>{"id", "cpf", "event_id", "batch_id", "data_nascimento"},
            rejected),
        after({"clients_db"}, options.chunks));
  b.Add("save_clients_db", sink("clients"), after({"normalizer"}));
  job.metrics.push_back(b.Add("most_transactions",
                              std::make_unique<MostTransactionsClientHandler>(quiet),
                              after({"historical_db"})));
  // Both branches of new_txt see the rows check_tx kept; it applies their rules once.
  b.Add("check_tx", std::make_unique<TransactionCheckHandler>(rejected), after({"new_txt"}));
  b.Add("category", std::make_unique<CategoryHandler>(rejected), after({"check_tx", "timer_tx"}));
  b.Add("risk", std::make_unique<RiskHandler>(std::move(model), rejected),
        after({"check_tx"}, options.chunks));
  job.risk_csv = b.Add("save_csv",
                       std::make_unique<SaveCsvHandler>(options.out_csv_dir, "risk",
                                                        SaveCsvHandler::Publish::kWhenCommitted),
                       after({"risk"}));
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

std::string ContentBatchId(const std::string& node, const std::string& content_sha256) {
  // 128 bits: no two different files meet by chance, and event ids stay short.
  return node + ":" + content_sha256.substr(0, 32);
}

Frame RequestFor(const std::string& node, const std::string& path,
                 const std::string& content_sha256) {
  Frame request = node == "clients_db"      ? SqliteTableRequest(path, "clients")
                  : node == "historical_db" ? SqliteTableRequest(path, "transactions")
                                            : FileRequest(path);
  request.AddColumn("batch_id", Column::Strings({ContentBatchId(node, content_sha256)}));
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
  std::string out = fmt::format("{:<20} {:>9} {:>10} {:>10} {:>7} {:>11}\n", "node", "messages",
                                "rows in", "rows out", "errors", "time ms");
  for (const NodeStats& s : stats) {
    // A sink produces no rows; its time runs until its commit.
    const std::string rows_out = s.sink ? "-" : std::to_string(s.rows_out);
    out += fmt::format("{:<20} {:>9} {:>10} {:>10} {:>7} {:>11.1f}\n", s.name, s.messages, s.rows,
                       rows_out, s.errors, static_cast<double>(s.busy.count()) / 1e6);
  }
  return out;
}

namespace {

// The follow-up of a new-transactions file: its risk CSV appears only when every branch of the
// message committed, and is removed otherwise.
MessageLog::FollowUp PublishRiskCsv(SaveCsvHandler& risk_csv, const std::string& batch) {
  return [&risk_csv, batch](const absl::Status& s) -> absl::Status {
    if (!s.ok()) {
      risk_csv.Abandon(batch);
      return absl::OkStatus();
    }
    absl::StatusOr<std::string> path = risk_csv.Commit(batch);
    if (!path.ok()) return path.status();
    if (!path->empty()) spdlog::info("wrote {}", *path);
    return absl::OkStatus();
  };
}

}  // namespace

void SubmitFile(RunJob& job, const std::string& path, const std::string& out_db, MessageLog& log) {
  std::error_code ec;
  if (fs::equivalent(path, out_db, ec)) return;  // our own output, in a watched folder
  const std::vector<std::string> nodes = ProducerNodesFor(path);
  if (nodes.empty()) return;
  // The content, not the name, is the file's identity (see RequestFor).
  absl::StatusOr<std::string> sha = FileSha256Hex(path);
  if (!sha.ok()) {
    log.Fail(sha.status(), path);
    return;
  }
  for (const std::string& node : nodes) {
    const std::string batch = ContentBatchId(node, *sha);
    spdlog::info("{} -> {} (batch {})", path, node, batch);
    log.Track(job.pipeline->Submit(node, RequestFor(node, path, *sha)), node + " " + path,
              node == "new_txt" ? PublishRiskCsv(*job.risk_csv, batch) : nullptr);
  }
}

// The input files of --data, in name order; an error message when there are none. Listed
// before the job opens its output database, which may live in the same folder.
absl::StatusOr<std::vector<std::string>> ListInputs(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && !ProducerNodesFor(it->path().string()).empty()) {
      files.push_back(it->path().string());
    }
  }
  if (ec) return absl::NotFoundError("cannot read " + dir + ": " + ec.message());
  if (files.empty()) {
    return absl::NotFoundError("no .txt, .csv or .db input in " + dir +
                               " (try `gym gen all --out " + dir + "`)");
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace gym
