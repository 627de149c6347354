// Accumulation, locking and printing shared by the metric handlers.
#include "gym/handlers/metric_handler.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "gym/domain/dates.h"
#include "gym/frame/text_table.h"
#include "gym/storage/group_commit_writer.h"
#include "spdlog/spdlog.h"

namespace gym {
std::string FormatMetricTable(std::string_view title, const Frame& frame, size_t max_rows) {
  return FormatTextTable(frame, {.title = std::string(title), .max_rows = max_rows});
}

MetricHandler::MetricHandler(std::string node, std::string title, MetricOptions options)
    : node_(node),
      title_(std::move(title)),
      options_(std::move(options)),
      rejected_(std::move(node), options_.reporter) {}

absl::StatusOr<Frame> MetricHandler::Handle(Frame input) {
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status s = Accumulate(input); !s.ok()) return s;
  result_ = Totals();
  return result_;  // a copy: the totals stay for result() and the next message
}

void MetricHandler::PostMessage(const Frame& output) {
  if (options_.on_totals) {
    // The latest totals, handed over under the lock: two messages finishing at once could
    // otherwise queue their writes in the other order and leave the older totals stored.
    std::lock_guard<std::mutex> lock(mu_);
    options_.on_totals(result_);
  }
  if (options_.quiet) return;
  const std::string table = FormatMetricTable(title_, output, options_.max_printed_rows);
  // One write per table, so tables of metrics running in parallel do not interleave.
  std::fwrite(table.data(), 1, table.size(), stdout);
  std::fflush(stdout);
}

Frame MetricHandler::result() const {
  std::lock_guard<std::mutex> lock(mu_);
  return result_;
}

void MetricHandler::Skip(const Frame& input, size_t row, std::string reason) {
  rejected_.Report(input, row, std::move(reason));
}

absl::Status MetricHandler::RequireColumns(const Frame& input,
                                           std::initializer_list<ColumnNeed> needs) const {
  for (const ColumnNeed& need : needs) {
    if (!input.HasColumn(need.name)) {
      return absl::InvalidArgumentError(
          fmt::format("{}: input has no column '{}'", node_, need.name));
    }
    const DataType type = input.column(need.name).type();
    std::string_view wanted;
    switch (need.kind) {
      case ColumnKind::kAny:
        continue;
      case ColumnKind::kInt64:
        if (type == DataType::kInt64) continue;
        wanted = DataTypeName(DataType::kInt64);
        break;
      case ColumnKind::kString:
        if (type == DataType::kString) continue;
        wanted = DataTypeName(DataType::kString);
        break;
      case ColumnKind::kNumber:
        if (type != DataType::kString) continue;
        wanted = "numeric";
        break;
    }
    return absl::InvalidArgumentError(fmt::format("{}: column '{}' must be {}, not {}", node_,
                                                  need.name, wanted, DataTypeName(type)));
  }
  return absl::OkStatus();
}

namespace {

// Writes a metric's totals to `table`, replacing the rows of this run: what a user of
// `gym run --watch` queries while the run goes on. The write is queued, not waited for: a
// metric does not hold its message for a commit; the command's final flush waits for it.
absl::StatusOr<std::function<void(const Frame&)>> TotalsWriter(const std::string& table,
                                                               const PartContext& context) {
  GroupCommitWriter* writer = context.Get<GroupCommitWriter>();
  if (writer == nullptr) {
    return absl::FailedPreconditionError(
        "table needs a database, which this command does not provide");
  }
  const std::string run_id = context.run_id.empty()
                                 ? "run-" + UtcStamp(std::chrono::system_clock::now())
                                 : context.run_id;
  return [writer, table, run_id](const Frame& totals) {
    const size_t n = totals.num_rows();
    std::vector<std::string> names = {"run_id", "updated_at"};
    std::vector<Column> columns;
    columns.push_back(Column::Strings(std::vector<std::string>(n, run_id)));
    const std::string updated_at = FormatIsoUtc(std::chrono::system_clock::now());
    columns.push_back(Column::Strings(std::vector<std::string>(n, updated_at)));
    for (size_t c = 0; c < totals.num_columns(); ++c) {
      names.push_back(totals.column_names()[c]);
      columns.push_back(totals.column(c));
    }
    writer->Write(TableOptions{.table = table,
                               .replace_where = std::make_pair(std::string("run_id"), run_id)},
                  Frame(std::move(names), std::move(columns)),
                  [table](const absl::Status& s, const WriteResult&) {
                    if (!s.ok()) {
                      spdlog::warn("metric totals not written to {}: {}", table,
                                   std::string(s.message()));
                    }
                  });
  };
}

}  // namespace

PartInfo MetricPart(std::string type, std::string help, std::vector<ColumnRead> reads,
                    std::vector<Field> outputs,
                    std::function<std::unique_ptr<MetricHandler>(const PartOptions&,
                                                                 MetricOptions)>
                        make,
                    std::vector<OptionSpec> own_options) {
  std::vector<OptionSpec> options = std::move(own_options);
  options.push_back({.name = "print_each_message",
                     .type = OptionType::kBool,
                     .help = "print the totals after every message (else the command prints "
                             "them once, at the end)",
                     .default_value = false});
  options.push_back({.name = "max_printed_rows",
                     .type = OptionType::kInt,
                     .help = "rows of the totals printed",
                     .default_value = int64_t{20}});
  options.push_back({.name = "table",
                     .type = OptionType::kString,
                     .help = "a table of the command's database that holds the totals, with "
                             "run_id and updated_at, replaced after each message (empty: none)",
                     .default_value = std::string()});
  return {.type = std::move(type),
          .kind = PartKind::kHandler,
          .help = std::move(help),
          .options = std::move(options),
          .contract =
              [reads = std::move(reads), outputs = std::move(outputs)](const PartOptions&) {
                return ColumnContract{.reads = reads, .adds = outputs, .replaces = true};
              },
          .check =
              [](const PartOptions& o) {
                std::vector<std::string> problems;
                if (o.Int("max_printed_rows") < 0) {
                  problems.push_back("max_printed_rows: must not be negative");
                }
                return problems;
              },
          .make = [make = std::move(make)](const std::string&, const PartOptions& o,
                                           const PartContext& c) -> MadeHandler {
            MetricOptions m{.quiet = !o.Bool("print_each_message"),
                            .max_printed_rows = static_cast<size_t>(o.Int("max_printed_rows")),
                            .reporter = c.rejected};
            if (!o.String("table").empty()) {
              absl::StatusOr<std::function<void(const Frame&)>> writer =
                  TotalsWriter(o.String("table"), c);
              if (!writer.ok()) return writer.status();
              m.on_totals = *std::move(writer);
            }
            return std::unique_ptr<Handler>(make(o, std::move(m)));
          }};
}

}  // namespace gym
