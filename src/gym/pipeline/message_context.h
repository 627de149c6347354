// MessageContext: what travels beside a message's Frame, from Submit to every node.
//
// Data stays in the Frame; what is about the message goes here, typed, never as hidden columns
// in it. The gRPC server submits a batch with its id, the items it rejected before the
// pipeline (the sink that stores the batch commits them beside its rows, in the same
// transaction), how many rows must reach that sink, and a report the sink fills in:
//
//   auto context = std::make_shared<MessageContext>();
//   context->batch_id = "b-17";
//   context->rejected = RejectedToFrame(...);
//   context->expected_rows = rows.num_rows();
//   CompletionToken t = *pipeline->Submit("transactions", std::move(rows), context);
//   t.OnDone([context](absl::Status s) { ... context->report->inserted ... });
//
// Fan-out shares one context; handlers see it read-only (only the report's atomics change).
#ifndef GYM_PIPELINE_MESSAGE_CONTEXT_H_
#define GYM_PIPELINE_MESSAGE_CONTEXT_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "gym/frame/frame.h"

namespace gym {

// What the sink that stores a message found while committing it.
struct StoreReport {
  std::atomic<bool> stored{false};         // set before the sink's branch finishes
  std::atomic<int64_t> inserted{0};        // new rows
  std::atomic<int64_t> duplicates{0};      // rows whose key was already stored
  std::atomic<int64_t> rejected_known{0};  // rejected items whose key is already stored
};

struct MessageContext {
  std::string batch_id;
  // Facts about the message for the parts that care ("event_type" = "transactions").
  std::map<std::string, std::string> attributes;
  // Items rejected before the pipeline (rows of the rejected_events table): the storing sink
  // commits them with the message's rows, in one transaction, so a batch is stored whole or
  // not at all.
  std::optional<Frame> rejected;
  // Rows that must reach the storing sink; a part that drops a row validation accepted is a
  // bug, and storing the rest would answer a count that is not what the client sent.
  std::optional<int64_t> expected_rows;
  // Filled in by the storing sink; read after the message's token resolves.
  std::shared_ptr<StoreReport> report = std::make_shared<StoreReport>();
};

}  // namespace gym

#endif  // GYM_PIPELINE_MESSAGE_CONTEXT_H_
