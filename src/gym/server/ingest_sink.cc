// Commit of a batch's rows and rejected items in one transaction (see ingest_sink.h).
#include "gym/server/ingest_sink.h"

#include <string>
#include <utility>
#include <vector>

#include "fmt/core.h"

namespace gym {

uint64_t BatchBoard::Post(std::shared_ptr<PendingBatch> batch) {
  std::lock_guard<std::mutex> lock(mu_);
  const uint64_t ticket = next_ticket_++;
  batches_.emplace(ticket, std::move(batch));
  return ticket;
}

std::shared_ptr<PendingBatch> BatchBoard::Find(uint64_t ticket) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = batches_.find(ticket);
  return it == batches_.end() ? nullptr : it->second;
}

std::shared_ptr<PendingBatch> BatchBoard::Take(uint64_t ticket) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = batches_.find(ticket);
  if (it == batches_.end()) return nullptr;
  std::shared_ptr<PendingBatch> batch = std::move(it->second);
  batches_.erase(it);
  return batch;
}

IngestSink::IngestSink(GroupCommitWriter& writer, BatchBoard& board, EventType type)
    : writer_(writer), board_(board), type_(type), table_(EventTableOptions(type)) {}

void IngestSink::HandleAsync(Frame input, Done done) {
  const size_t ticket_index = input.ColumnIndex(kTicketColumn);
  std::shared_ptr<PendingBatch> batch;
  if (!input.empty()) {
    batch = board_.Find(static_cast<uint64_t>(input.column(ticket_index).Int64At(0)));
  }
  if (batch == nullptr && !input.empty()) {
    throw FrameError(fmt::format("ingest sink '{}': unknown batch ticket", table_.table));
  }
  // Rebuild without the ticket column by moving the other columns: no row is copied.
  std::vector<std::string> names;
  std::vector<Column> columns;
  for (size_t i = 0; i < input.num_columns(); ++i) {
    if (i == ticket_index) continue;
    names.push_back(input.column_names()[i]);
    columns.push_back(std::move(input.mutable_column(input.column_names()[i])));
  }
  Frame rows(std::move(names), std::move(columns));
  if (batch != nullptr && static_cast<int64_t>(rows.num_rows()) != batch->accepted_rows) {
    // Validation turns away what the handlers would drop; a row lost on the way is a bug, and
    // storing the rest would answer a count that is not what the client sent.
    done(absl::InternalError(fmt::format("{} of {} accepted rows reached the {} sink",
                                         rows.num_rows(), batch->accepted_rows, table_.table)));
    return;
  }

  std::vector<std::pair<TableOptions, Frame>> parts;
  parts.emplace_back(table_, std::move(rows));
  const bool has_rejected = batch != nullptr && batch->rejected.has_value();
  if (has_rejected) {
    parts.emplace_back(RejectedTableOptions(type_), std::move(*batch->rejected));
    batch->rejected.reset();
  }
  writer_.WriteAll(std::move(parts), [batch, has_rejected, done = std::move(done)](
                                         const absl::Status& status, const WriteResult& result) {
    if (status.ok() && batch != nullptr) RecordStored(*batch, result, has_rejected);
    done(status);
  });
}

TableOptions EventTableOptions(EventType type) {
  return TableOptions{.table = std::string(EventTypeName(type)),
                      .unique_key = std::string("event_id"),
                      .evict_keys_from = std::string(kRejectedTable)};
}

TableOptions RejectedTableOptions(EventType type) {
  return TableOptions{.table = std::string(kRejectedTable),
                      .unique_key = std::string("event_id"),
                      .skip_keys_in = std::string(EventTypeName(type))};
}

void RecordStored(PendingBatch& batch, const WriteResult& result, bool has_rejected_part) {
  // A write of one part reports it directly; WriteAll of two reports each in `parts`.
  const WriteResult& rows = has_rejected_part ? result.parts.front() : result;
  batch.inserted_rows.store(rows.inserted, std::memory_order_relaxed);
  batch.duplicate_rows.store(rows.ignored, std::memory_order_relaxed);
  if (has_rejected_part) {
    batch.rejected_already_stored.store(result.parts.back().elsewhere, std::memory_order_relaxed);
  }
  batch.stored.store(true, std::memory_order_release);
}

}  // namespace gym

