// MetricHandler: the base of the metric handlers (average value per client, counts, ...).
//
// A metric accumulates over every message it receives (the pipeline may deliver a data set
// in many frames): Handle() folds the frame into running totals under a mutex and returns the
// totals so far, which result() also returns. A frame it cannot use (a column missing or of
// the wrong type) fails with INVALID_ARGUMENT naming the metric and the column, and leaves
// the totals as they were. After each message, PostMessage prints the
// totals as a titled table on stdout unless the metric is quiet. Rows it cannot use (a null
// key or value) are skipped and reported like any rejected row. Run a metric node without
// chunks: each chunk would otherwise return partial totals.
#ifndef GYM_HANDLERS_METRIC_HANDLER_H_
#define GYM_HANDLERS_METRIC_HANDLER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/handlers/rejected_rows.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/part_registry.h"
#include "gym/pipeline/row_error.h"

namespace gym {

struct MetricOptions {
  bool quiet = false;  // true: do not print after each message
  size_t max_printed_rows = 20;
  RowErrorReporter reporter;  // empty: log a warning per skipped row
  // Called with the latest totals after each message, under the metric's lock, so calls see
  // totals in the order they were reached (a metric part with a `table` queues them there,
  // replacing the run's earlier totals). Must not block.
  std::function<void(const Frame& totals)> on_totals;
};

// `frame` as an aligned text table under `title` (UTF-8 aware; doubles with two decimals).
std::string FormatMetricTable(std::string_view title, const Frame& frame, size_t max_rows);

class MetricHandler : public Handler {
 public:
  absl::StatusOr<Frame> Handle(Frame input) final;
  void PostMessage(const Frame& output) final;
  // The totals after the last message (empty before the first). Thread-safe.
  Frame result() const;
  const std::string& title() const { return title_; }
  uint64_t rejected_rows() const { return rejected_.count(); }

 protected:
  // What a metric needs of a column it reads: to be there and, unless kAny, of a type
  // (kNumber: int64 or double).
  enum class ColumnKind { kAny, kInt64, kString, kNumber };
  struct ColumnNeed {
    std::string_view name;
    ColumnKind kind = ColumnKind::kAny;
  };

  MetricHandler(std::string node, std::string title, MetricOptions options);
  // Both are called with the lock held, so they need no locking of their own. Accumulate
  // folds `input` into the totals, or returns why it cannot (INVALID_ARGUMENT) having
  // changed nothing.
  virtual absl::Status Accumulate(const Frame& input) = 0;
  virtual Frame Totals() const = 0;
  // Reports row `row` of `input` as skipped.
  void Skip(const Frame& input, size_t row, std::string reason);
  // OK when `input` has every column of `needs`, of its kind; else INVALID_ARGUMENT naming
  // the metric and the first column at fault ("count_per_category: input has no column
  // 'categoria'", "active_clients: column 'id' must be int64, not string").
  absl::Status RequireColumns(const Frame& input, std::initializer_list<ColumnNeed> needs) const;

 private:
  const std::string node_;
  const std::string title_;
  const MetricOptions options_;
  RejectedRows rejected_;
  mutable std::mutex mu_;
  Frame result_;
};

// A metric as a part of pipeline files: a handler that reads `reads` and outputs only its
// totals (`outputs`). Every metric part takes the options print_each_message (default false:
// the command prints the totals at the end), max_printed_rows, and table: when set, after each
// message the totals replace this run's rows in that table of the command's database, with
// the columns run_id and updated_at first, so they can be queried while a run goes on.
PartInfo MetricPart(std::string type, std::string help, std::vector<ColumnRead> reads,
                    std::vector<Field> outputs,
                    std::function<std::unique_ptr<MetricHandler>(const PartOptions&,
                                                                 MetricOptions)>
                        make,
                    std::vector<OptionSpec> own_options = {});

}  // namespace gym

#endif  // GYM_HANDLERS_METRIC_HANDLER_H_
