// The `sqlite` sink: a pipeline leaf that commits each message through a shared
// GroupCommitWriter (storage/group_commit_writer.h), which owns the threads, the transactions
// and their failure semantics; this file adds what a message brings (its context's rejected
// items, expected rows and report).
//
//   SqliteSink sink(*writer, {"transactions", "event_id"}, "rejected_events");
#ifndef GYM_SINKS_SQLITE_SINK_H_
#define GYM_SINKS_SQLITE_SINK_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "gym/frame/frame.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/part_registry.h"
#include "gym/storage/group_commit_writer.h"
#include "gym/storage/table_options.h"

namespace gym {

// A pipeline leaf that writes each message's Frame to one table through a shared writer;
// the message's branch finishes with the commit status. REQUIRES: `writer` outlives every
// message handed to this sink.
//
// With a unique key and a rejected table (`rejected_events`), it is also the storing sink of
// a gRPC batch: the items the message's context says were rejected before the pipeline are
// committed in the same transaction (an item whose key is already stored in `table` is not
// recorded: the event exists), a stored key leaves the rejected table, and what was stored
// goes to the context's report. A message that arrives with fewer rows than its context's
// expected_rows, or (with a declared schema) without one of its columns, fails without
// writing anything.
class SqliteSink final : public AsyncHandler {
 public:
  // `schema`: the table's declared columns (empty: the table takes the columns of the first
  // rows, and grows with new ones).
  SqliteSink(GroupCommitWriter& writer, TableOptions table,
             std::optional<std::string> rejected_table = std::nullopt,
             std::vector<Field> schema = {});
  void HandleAsync(Frame input, const MessageContext& context, Done done) override;
  // With a declared schema: creates the table (and its unique index) when absent, adds the
  // declared columns it lacks; waits for that commit.
  absl::Status Open() override;

  // Totals over every committed message so far.
  WriteResult totals() const;

 private:
  struct Counters {
    std::atomic<int64_t> inserted{0};
    std::atomic<int64_t> ignored{0};
  };
  GroupCommitWriter& writer_;
  TableOptions table_;
  std::optional<TableOptions> rejected_;  // where a context's rejected items go
  std::vector<Field> schema_;
  // Shared with pending callbacks, which may run after this sink is gone.
  std::shared_ptr<Counters> counters_ = std::make_shared<Counters>();
};

// The `sqlite` sink of pipeline files: a SqliteSink on the GroupCommitWriter that the
// command provides through PartContext (every sqlite sink of a pipeline shares it). Its
// `schema` option (["id:int64", "nome:string", ...]) declares the table: gym validate checks
// it against the columns arriving along every path, and the table is created from it at start.
PartInfo SqliteSinkPart();

}  // namespace gym

#endif  // GYM_SINKS_SQLITE_SINK_H_
