// The pipeline leaf of the ingestion server: commits a batch's accepted rows and its
// rejected items together, in one atomic GroupCommitWriter::WriteAll.
//
// A Frame is all that travels through a pipeline, so the batch's side data (the rejected
// items, and the place to record how many rows reached the database) waits on a BatchBoard
// under a ticket number, and the frame carries that number in a column the sink removes
// before writing:
//
//   uint64_t ticket = board.Post(std::make_shared<PendingBatch>(...));
//   frame.AddColumn(std::string(kTicketColumn), Column::Ints(std::vector<int64_t>(n, ticket)));
//   pipeline.Submit("normalize", std::move(frame), Admission::kRefuse);
//   ... the sink commits; the token resolves; board.Take(ticket) gives the batch back.
#ifndef GYM_SERVER_INGEST_SINK_H_
#define GYM_SERVER_INGEST_SINK_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "gym/frame/frame.h"
#include "gym/pipeline/handler.h"
#include "gym/server/event_type.h"
#include "gym/sinks/sqlite_sink.h"

namespace gym {

inline constexpr std::string_view kTicketColumn = "ingest_ticket";

// What the sink needs from a batch besides its rows, and what it found out while storing it.
struct PendingBatch {
  // Rows of the rejected_events table; empty when every item was accepted.
  std::optional<Frame> rejected;
  // Rows the pipeline was given: the sink must receive as many.
  int64_t accepted_rows = 0;
  // Set by the sink before the batch's branch finishes, read after the token resolves.
  std::atomic<bool> stored{false};
  std::atomic<int64_t> inserted_rows{0};   // new rows in the batch's table
  std::atomic<int64_t> duplicate_rows{0};  // rows whose event id was already stored
  // Rejected items not recorded because their event id is stored in the batch's table: the
  // event exists, so the item counts as a duplicate.
  std::atomic<int64_t> rejected_already_stored{0};
};

// Batches waiting on their pipeline, by ticket. Thread-safe.
class BatchBoard final {
 public:
  uint64_t Post(std::shared_ptr<PendingBatch> batch);
  // The batch, or null when the ticket is unknown. Leaves it on the board.
  std::shared_ptr<PendingBatch> Find(uint64_t ticket) const;
  // Removes and returns the batch (null when unknown).
  std::shared_ptr<PendingBatch> Take(uint64_t ticket);

 private:
  mutable std::mutex mu_;
  uint64_t next_ticket_ = 1;
  std::unordered_map<uint64_t, std::shared_ptr<PendingBatch>> batches_;
};

class IngestSink final : public AsyncHandler {
 public:
  // REQUIRES: `writer` and `board` outlive every message handed to this sink.
  IngestSink(GroupCommitWriter& writer, BatchBoard& board, EventType type);
  // Fails the message (FrameError) when it has no ticket column or an unknown ticket.
  void HandleAsync(Frame input, Done done) override;

 private:
  GroupCommitWriter& writer_;
  BatchBoard& board_;
  EventType type_;
  TableOptions table_;
};

// The table of `type`'s events: unique event_id, and a stored event leaves rejected_events.
TableOptions EventTableOptions(EventType type);
// rejected_events for items of `type`: unique event_id, and an item whose event is already
// stored in `type`'s table is not recorded as rejected.
TableOptions RejectedTableOptions(EventType type);
// Records what a committed write of a batch (rows, then rejected items when any) stored.
void RecordStored(PendingBatch& batch, const WriteResult& result, bool has_rejected_part);

}  // namespace gym

#endif  // GYM_SERVER_INGEST_SINK_H_
