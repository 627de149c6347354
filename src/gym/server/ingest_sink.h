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

// What the sink needs from a batch besides its rows.
struct PendingBatch {
  // Rows of the rejected_events table; empty when every item was accepted.
  std::optional<Frame> rejected;
  // Rows of the batch's table that were committed (inserted or already stored); set by the
  // sink before the batch's branch finishes, read after the token resolves.
  std::atomic<int64_t> committed_rows{0};
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
  IngestSink(GroupCommitWriter& writer, BatchBoard& board, TableOptions table);
  // Fails the message (FrameError) when it has no ticket column or an unknown ticket.
  void HandleAsync(Frame input, Done done) override;

 private:
  GroupCommitWriter& writer_;
  BatchBoard& board_;
  TableOptions table_;
};

// The table options of rejected_events (unique event_id, like every table).
TableOptions RejectedTableOptions();

}  // namespace gym

#endif  // GYM_SERVER_INGEST_SINK_H_
