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

IngestSink::IngestSink(GroupCommitWriter& writer, BatchBoard& board, TableOptions table)
    : writer_(writer), board_(board), table_(std::move(table)) {}

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
  const auto row_count = static_cast<int64_t>(rows.num_rows());

  std::vector<std::pair<TableOptions, Frame>> parts;
  parts.emplace_back(table_, std::move(rows));
  if (batch != nullptr && batch->rejected.has_value()) {
    parts.emplace_back(RejectedTableOptions(), std::move(*batch->rejected));
    batch->rejected.reset();
  }
  writer_.WriteAll(std::move(parts), [batch, row_count, done = std::move(done)](
                                         const absl::Status& status, const WriteResult&) {
    if (status.ok() && batch != nullptr) {
      batch->committed_rows.store(row_count, std::memory_order_relaxed);
    }
    done(status);
  });
}

TableOptions RejectedTableOptions() {
  return TableOptions{std::string(kRejectedTable), std::string("event_id")};
}

}  // namespace gym

