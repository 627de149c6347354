// Active clients: the window is fixed when the handler is made, so each transaction is judged
// once, as it arrives, and only the ids in the window are kept.
#include "gym/handlers/active_clients.h"

#include <stdexcept>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "fmt/ranges.h"

namespace gym {
namespace {

constexpr std::string_view kNode = "active_clients";

Column IdColumn(const std::unordered_set<int64_t>& ids) {
  return Column::Ints(std::vector<int64_t>(ids.begin(), ids.end()));
}

}  // namespace

ActiveClientsHandler::ActiveClientsHandler(int64_t days, Date as_of, MetricOptions options)
    : MetricHandler(std::string(kNode),
                    fmt::format("clients active in the {} days to {}", days, as_of.ToString()),
                    std::move(options)),
      first_day_(as_of.DaysSinceEpoch() - (days - 1)),
      last_day_(as_of.DaysSinceEpoch()) {}

absl::Status ActiveClientsHandler::Accumulate(const Frame& input) {
  // A message without rows or columns adds nothing.
  if (input.num_columns() == 0) return absl::OkStatus();
  if (input.HasColumn("cliente_id")) {
    if (absl::Status s = RequireColumns(
            input, {{"cliente_id", ColumnKind::kInt64}, {"data", ColumnKind::kString}});
        !s.ok()) {
      return s;
    }
    const Column& ids = input.column("cliente_id");
    const Column& dates = input.column("data");
    for (size_t row = 0; row < input.num_rows(); ++row) {
      const std::optional<Date> date =
          dates.IsValid(row) ? Date::Parse(dates.StringAt(row)) : std::nullopt;
      if (!ids.IsValid(row)) {
        Skip(input, row, "cliente_id is null");
      } else if (!date) {
        Skip(input, row,
             dates.IsValid(row)
                 ? fmt::format("data '{}' is not a YYYY-MM-DD calendar date", dates.StringAt(row))
                 : std::string("data is null"));
      } else if (const int64_t day = date->DaysSinceEpoch();
                 day >= first_day_ && day <= last_day_) {
        active_ids_.insert(ids.Int64At(row));
      }
    }
  } else if (input.HasColumn("id")) {
    if (absl::Status s = RequireColumns(input, {{"id", ColumnKind::kInt64}}); !s.ok()) return s;
    const Column& ids = input.column("id");
    for (size_t row = 0; row < input.num_rows(); ++row) {
      if (ids.IsValid(row)) {
        clients_.insert(ids.Int64At(row));
      } else {
        Skip(input, row, "client id is null");
      }
    }
  } else {
    return absl::InvalidArgumentError(fmt::format(
        "{}: a message must be clients (id) or transactions (cliente_id, data); this one has "
        "columns {}",
        kNode, fmt::join(input.column_names(), ", ")));
  }
  return absl::OkStatus();
}

Frame ActiveClientsHandler::Totals() const {
  // Active ids whose client has arrived: the join keeps exactly those.
  const Frame clients({"id"}, {IdColumn(clients_)});
  const Frame active({"cliente_id"}, {IdColumn(active_ids_)});
  const auto known = static_cast<int64_t>(clients_.size());
  const auto ativos =
      static_cast<int64_t>(clients.InnerJoin(active, "id", "cliente_id").num_rows());
  Column percentage(DataType::kDouble);
  if (known == 0) {
    percentage.AppendNull();
  } else {
    percentage.AppendDouble(100.0 * static_cast<double>(ativos) / static_cast<double>(known));
  }
  return Frame({"clientes", "ativos", "percentual"},
               {Column::Ints({known}), Column::Ints({ativos}), std::move(percentage)});
}

PartInfo ActiveClientsPart() {
  PartInfo info = MetricPart(
      std::string(kNode),
      "the share of clients with a transaction in the last `days` days up to as_of (both "
      "included), from clients and transactions arriving as separate messages (told apart by "
      "their columns): clientes, ativos, percentual",
      // Clients bring id, transactions cliente_id and data: each input some of them.
      {{"id", DataType::kInt64, true},
       {"cliente_id", DataType::kInt64, true},
       {"data", DataType::kString, true}},
      {{"clientes", DataType::kInt64},
       {"ativos", DataType::kInt64},
       {"percentual", DataType::kDouble}},
      [](const PartOptions& o, MetricOptions m) {
        const std::string& as_of = o.String("as_of");
        const std::optional<Date> day = as_of.empty() ? Today() : Date::Parse(as_of);
        if (!day) {  // `check` refuses such a file; only a caller that skipped it gets here
          throw std::invalid_argument("active_clients: as_of '" + as_of + "' is not a date");
        }
        return std::make_unique<ActiveClientsHandler>(o.Int("days"), *day, std::move(m));
      },
      {{.name = "days",
        .type = OptionType::kInt,
        .help = "the window, in days, ending on as_of",
        .default_value = int64_t{30}},
       {.name = "as_of",
        .type = OptionType::kString,
        .help = "the last day of the window, YYYY-MM-DD (\"\": the day the node is made, UTC)",
        .default_value = std::string()}});
  info.check = [metric_check = info.check](const PartOptions& o) {
    std::vector<std::string> problems = metric_check(o);
    if (o.Int("days") < 1) {
      problems.push_back(fmt::format("days: must be 1 or more, got {}", o.Int("days")));
    }
    const std::string& as_of = o.String("as_of");
    if (!as_of.empty() && !Date::Parse(as_of)) {
      problems.push_back(
          fmt::format("as_of: '{}' is not a YYYY-MM-DD calendar date (or \"\" for today)", as_of));
    }
    return problems;
  };
  return info;
}

}  // namespace gym
