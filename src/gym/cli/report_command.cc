// `gym report`: the seed's metrics over everything a gym database holds (read-only).
//
//   gym report --db gym.db                 # aligned tables
//   gym report --db gym.db --format json   # one JSON object
//
// Sections: rows per table; then the metric parts of pipeline files (suspicious_percentage,
// value_per_currency, count_per_category, most_transactions_client,
// average_value_per_client, the top 10 by average) run over the stored transactions, streamed
// in chunks. They are the same definitions gym run's pipeline prints, not a second copy in
// SQL, so the two agree on one database. A metric whose columns the table lacks is named as
// not reported, with the reason.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "fmt/core.h"
#include "gym/cli/commands.h"
#include "gym/cli/frame_json.h"
#include "gym/frame/text_table.h"
#include "gym/handlers/metric_handler.h"
#include "gym/sources/database_reader.h"
#include "nlohmann/json.hpp"

namespace gym {
namespace {

using nlohmann::json;

struct ReportFlags {
  std::string db;
  std::string format = "table";
};

// A metric section of the report: a metric part of pipeline files, by type.
struct Section {
  const char* key;
  const char* type;
  size_t top = 0;  // > 0: only the first `top` rows by the metric's first double column
  bool single = false;  // one row, reported as a JSON object rather than a list
};
constexpr Section kSections[] = {
    {"suspicious", "suspicious_percentage", 0, true},
    {"per_currency", "value_per_currency"},
    {"per_category", "count_per_category"},
    {"most_transactions", "most_transactions_client"},
    {"average_per_client", "average_value_per_client", 10},
};

struct Metric {
  const Section* section;
  std::string title;
  std::unique_ptr<Handler> handler;
  std::shared_ptr<std::atomic<int64_t>> skipped = std::make_shared<std::atomic<int64_t>>(0);
};

// The first `n` rows by the first double column, highest first (ties keep their order).
Frame Top(const Frame& frame, size_t n) {
  for (size_t c = 0; c < frame.num_columns(); ++c) {
    if (frame.column(c).type() != DataType::kDouble) continue;
    std::vector<size_t> order(frame.num_rows());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    const Column& key = frame.column(c);
    std::stable_sort(order.begin(), order.end(), [&key](size_t a, size_t b) {
      const double x = key.IsValid(a) ? key.DoubleAt(a) : -1e308;
      const double y = key.IsValid(b) ? key.DoubleAt(b) : -1e308;
      return x > y;
    });
    order.resize(std::min(n, order.size()));
    return frame.Take(order);
  }
  return frame.Head(n);
}

// The report: rows per table, then each metric's totals (and their titles) over the
// transactions table.
struct Report {
  json doc;
  std::vector<std::pair<std::string, Frame>> tables;  // (title, totals) in section order
};

absl::StatusOr<Report> Collect(DatabaseReader& db, const PartRegistry& parts) {
  Report report;
  json counts = json::object();
  std::vector<std::string> names;
  std::vector<int64_t> rows;
  for (const char* table : {"clients", "transactions", "scores", "rejected_events"}) {
    absl::StatusOr<int64_t> count = db.CountRows(table);
    if (!count.ok()) return count.status();
    const int64_t n = *count;
    counts[table] = n;
    names.push_back(table);
    rows.push_back(n);
  }
  report.doc["rows"] = counts;
  report.tables.emplace_back("rows per table",
                             Frame({"table", "rows"}, {Column::Strings(std::move(names)),
                                                       Column::Ints(std::move(rows))}));
  if (counts["transactions"].get<int64_t>() == 0) return report;

  absl::StatusOr<std::vector<std::string>> columns = db.Columns("transactions");
  if (!columns.ok()) return columns.status();
  const std::set<std::string> have(columns->begin(), columns->end());

  // Each metric is made by its part, with its default options; one whose columns the table
  // lacks (by the part's own column contract) is named instead of failing the report.
  std::vector<Metric> metrics;
  json missing = json::object();
  for (const Section& s : kSections) {
    const PartInfo* info = parts.Find(s.type);
    if (info == nullptr || !info->make) {
      missing[s.key] = fmt::format("no part '{}' is registered", s.type);
      continue;
    }
    const PartOptions options = DefaultOptions(*info);
    std::string absent;
    if (info->contract) {
      for (const ColumnRead& read : info->contract(options).reads) {
        if (!have.contains(read.name)) absent += (absent.empty() ? "" : ", ") + read.name;
      }
    }
    if (!absent.empty()) {
      missing[s.key] = "transactions has no column " + absent;
      continue;
    }
    Metric metric{.section = &s};
    PartContext context;
    context.will_run = true;
    context.rejected = [skipped = metric.skipped](const RowError&) { skipped->fetch_add(1); };
    absl::StatusOr<std::unique_ptr<Handler>> handler = info->make(s.key, options, context);
    if (!handler.ok()) return handler.status();
    auto* as_metric = dynamic_cast<MetricHandler*>(handler->get());
    if (as_metric == nullptr) return absl::InternalError(fmt::format("'{}' is not a metric", s.type));
    metric.title = as_metric->title();
    metric.handler = *std::move(handler);
    metrics.push_back(std::move(metric));
  }
  if (!metrics.empty()) {
    // Streamed: a table of millions of rows is read a chunk at a time.
    auto reader = db.Stream("SELECT * FROM transactions", 65536);
    if (!reader.ok()) return reader.status();
    while (true) {
      absl::StatusOr<std::optional<Frame>> chunk = (*reader)->Next();
      if (!chunk.ok()) return chunk.status();
      if (!chunk->has_value()) break;
      for (Metric& m : metrics) {
        // The totals are kept by the metric (result() below), not taken from each chunk.
        // A table the metric cannot read is the state of the database, not of the command.
        if (absl::StatusOr<Frame> totals = m.handler->Handle(**chunk); !totals.ok()) {
          return absl::FailedPreconditionError(
              fmt::format("{}: {}", m.section->type, std::string(totals.status().message())));
        }
      }
    }
  }
  json skipped = json::object();
  for (Metric& m : metrics) {
    Frame totals = dynamic_cast<MetricHandler&>(*m.handler).result();
    if (m.section->top > 0) totals = Top(totals, m.section->top);
    const json rows_json = FrameRowsJson(totals);
    report.doc[m.section->key] =
        m.section->single && rows_json.size() == 1 ? rows_json[0] : rows_json;
    report.tables.emplace_back(
        m.section->top > 0 ? fmt::format("{} (top {})", m.title, m.section->top) : m.title,
        std::move(totals));
    if (m.skipped->load() > 0) skipped[m.section->key] = m.skipped->load();
  }
  if (!missing.empty()) report.doc["not_reported"] = missing;
  if (!skipped.empty()) report.doc["skipped_rows"] = skipped;
  return report;
}

void PrintReport(const Report& report) {
  for (const auto& [title, frame] : report.tables) {
    std::printf("%s\n", FormatTextTable(frame, {.title = title, .max_rows = 20}).c_str());
  }
  if (report.doc["rows"]["transactions"].get<int64_t>() == 0) {
    std::printf("No transactions stored: nothing more to report.\n");
    return;
  }
  if (report.doc.contains("skipped_rows")) {
    std::printf("Rows a metric could not use (null or empty keys and values)\n");
    for (const auto& [section, n] : report.doc["skipped_rows"].items()) {
      std::printf("  %s: %lld\n", section.c_str(), static_cast<long long>(n.get<int64_t>()));
    }
  }
  if (report.doc.contains("not_reported")) {
    std::printf("Not reported\n");
    for (const auto& [section, why] : report.doc["not_reported"].items()) {
      std::printf("  %s: %s\n", section.c_str(), why.get<std::string>().c_str());
    }
  }
}

int RunReport(const ReportFlags& flags, const PartRegistry& parts) {
  absl::StatusOr<std::unique_ptr<DatabaseReader>> db = DatabaseReader::Open(flags.db);
  if (!db.ok()) {  // the message names the database already
    std::fprintf(stderr, "gym report: %s\n", std::string(db.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<Report> report = Collect(**db, parts);
  if (!report.ok()) {
    std::fprintf(stderr, "gym report: %s: %s\n", (*db)->Describe().c_str(),
                 std::string(report.status().message()).c_str());
    return 1;
  }
  if (flags.format == "json") {
    std::printf("%s\n", report->doc.dump(2).c_str());
  } else {
    PrintReport(*report);
  }
  return 0;
}

}  // namespace

void RegisterReportCommand(CLI::App& app, CommandRegistry& registry) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* sub = app.add_subcommand(
      "report", "metrics over a gym database: rows, suspicious %, currencies, categories, clients");
  sub->add_option("--db", flags->db,
                  "database written by gym serve or gym run: a SQLite file or a PostgreSQL\n"
                  "connection string")
      ->required();
  sub->add_option("--format", flags->format, "table or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  registry.Add(sub, [flags, &registry] { return RunReport(*flags, registry.parts()); });
}

}  // namespace gym
