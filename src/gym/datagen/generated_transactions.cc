#include "gym/datagen/generated_transactions.h"

#include <string>
#include <utility>
#include <vector>

#include "gym/datagen/frames.h"
#include "gym/datagen/generator.h"

namespace gym {
namespace {

// Generated transactions get ids far above any file's, so the two never share an event.
constexpr int64_t kTimerIdBase = 900'000'000;

}  // namespace

Frame TimerTick(int64_t run) { return Frame({"run"}, {Column::Ints({run})}); }

std::string TimerBatchId(int64_t run) { return "timer:" + std::to_string(run); }

Frame TimerTransactions(int64_t run, size_t rows, uint64_t seed) {
  MockGenerator gen(seed + static_cast<uint64_t>(run), Today());
  std::vector<MockTransaction> transactions;
  transactions.reserve(rows);
  const int64_t first = kTimerIdBase + run * 1'000'000;
  for (size_t i = 0; i < rows; ++i) {
    const int64_t id = first + static_cast<int64_t>(i);
    transactions.push_back(gen.NewTransaction(id, 1 + id % 1000));
  }
  Frame frame = NewTransactionsFrame(transactions);
  frame.AddColumn("batch_id",
                  Column::Strings(std::vector<std::string>(rows, TimerBatchId(run))));
  return frame;
}

absl::StatusOr<Frame> GeneratedTransactionsSource::Handle(Frame input) {
  if (input.num_rows() != 1 || !input.HasColumn("run") ||
      input.column("run").type() != DataType::kInt64 || !input.column("run").IsValid(0)) {
    return absl::InvalidArgumentError(
        "generated_transactions: a message must be a tick (one row with `run`)");
  }
  return stamp_.Handle(TimerTransactions(input.column("run").Int64At(0), rows_, seed_));
}

PartInfo GeneratedTransactionsPart() {
  return {.type = "generated_transactions",
          .kind = PartKind::kSource,
          .help = "makes `rows` mock transactions each time a trigger fires (a timer)",
          .options = {{.name = "rows",
                       .type = OptionType::kInt,
                       .help = "transactions per run",
                       .default_value = int64_t{100}},
                      {.name = "seed",
                       .type = OptionType::kInt,
                       .help = "seed of the generator (run r uses seed + r)",
                       .default_value = int64_t{7}}},
          .contract =
              [](const PartOptions&) {
                return ColumnContract{.adds = {{"id", DataType::kInt64},
                                               {"cliente_id", DataType::kInt64},
                                               {"data", DataType::kString},
                                               {"valor", DataType::kDouble},
                                               {"moeda", DataType::kString},
                                               {"batch_id", DataType::kString},
                                               {"event_id", DataType::kString}}};
              },
          .check =
              [](const PartOptions& o) {
                std::vector<std::string> problems;
                if (o.Int("rows") < 1) problems.push_back("rows: must be at least 1");
                if (o.Int("seed") < 0) problems.push_back("seed: must not be negative");
                return problems;
              },
          .make = [](const std::string&, const PartOptions& o, const PartContext&) -> MadeHandler {
            return std::make_unique<GeneratedTransactionsSource>(
                static_cast<size_t>(o.Int("rows")), static_cast<uint64_t>(o.Int("seed")));
          }};
}

}  // namespace gym
