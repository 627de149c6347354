// Counting and routing of rejected rows.
#include "gym/handlers/rejected_rows.h"

#include <utility>
#include <variant>

#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

// The row's own columns: the ids are in the RowError already.
std::string RowJson(const Frame& frame, size_t row) {
  nlohmann::json object = nlohmann::json::object();
  for (const std::string& name : frame.column_names()) {
    if (name == "event_id" || name == "batch_id") continue;
    const Value value = frame.column(name).At(row);
    if (const auto* i = std::get_if<int64_t>(&value)) {
      object[name] = *i;
    } else if (const auto* d = std::get_if<double>(&value)) {
      object[name] = *d;  // nan and inf become null, which JSON lacks anyway
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      object[name] = *text;
    } else {
      object[name] = nullptr;
    }
  }
  // Replace, not throw, on invalid UTF-8: a rejected row is often a malformed one.
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void RejectedRows::Report(const Frame& frame, size_t row, std::string reason) {
  count_.fetch_add(1, std::memory_order_relaxed);
  RowError error{.node = node_, .row = row, .event_id = {}, .reason = std::move(reason)};
  if (frame.HasColumn("event_id")) error.event_id = ValueToString(frame.column("event_id").At(row));
  if (frame.HasColumn("batch_id")) error.batch_id = ValueToString(frame.column("batch_id").At(row));
  if (reporter_) {
    error.payload = RowJson(frame, row);
    reporter_(error);
    return;
  }
  spdlog::warn("{}: row {} (event_id '{}') rejected: {}", error.node, error.row, error.event_id,
               error.reason);
}

Frame WithoutRows(Frame frame, const std::vector<size_t>& rejected) {
  if (rejected.empty()) return frame;
  std::vector<size_t> kept;
  kept.reserve(frame.num_rows() - rejected.size());
  size_t next = 0;
  for (size_t row = 0; row < frame.num_rows(); ++row) {
    if (next < rejected.size() && rejected[next] == row) {
      ++next;
      continue;
    }
    kept.push_back(row);
  }
  return frame.Take(kept);
}

}  // namespace gym
