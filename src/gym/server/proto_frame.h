// Conversion of the wire messages into Frames, the pipeline's unit of work.
//
// Each converter takes the whole repeated field plus the indices of the items that passed
// validation, so a batch is converted in one pass without copying the proto first. Every
// frame ends with the columns event_id, batch_id and ingested_at, stored in every table.
//
//   BatchContext ctx{.batch_id = "b1", .ingested_at = FormatIsoUtc(now), .event_ids = ids};
//   Frame f = TransactionsToFrame(request.transactions(), accepted_rows, ctx);
//   // id, cliente_id, data, valor, moeda, categoria (null when not sent), event_id, ...
#ifndef GYM_SERVER_PROTO_FRAME_H_
#define GYM_SERVER_PROTO_FRAME_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/repeated_ptr_field.h"
#include "gym/frame/frame.h"
#include "gym/proto/event_ingestion_service.pb.h"
#include "gym/server/event_type.h"

namespace gym {

struct BatchContext {
  std::string_view batch_id;
  std::string_view ingested_at;
  // The event id of every item of the request, in item order.
  std::span<const std::string> event_ids;
};

template <typename T>
using Items = google::protobuf::RepeatedPtrField<T>;

// REQUIRES: every index in `rows` is < items.size() and < ctx.event_ids.size().
Frame ClientsToFrame(const Items<gym_framework_rpc::ClientData>& items,
                   std::span<const uint32_t> rows, const BatchContext& ctx);
Frame TransactionsToFrame(const Items<gym_framework_rpc::TransactionData>& items,
                        std::span<const uint32_t> rows, const BatchContext& ctx);
Frame ScoresToFrame(const Items<gym_framework_rpc::ScoreData>& items,
                  std::span<const uint32_t> rows, const BatchContext& ctx);

// One rejected item, as stored in the rejected_events table.
struct RejectedRow {
  uint32_t index = 0;
  std::string reason;
  std::string payload;  // the item as JSON, so it can be inspected and replayed
};

// Columns event_id, batch_id, type, item_index, reason, payload, ingested_at.
Frame RejectedToFrame(EventType type, const std::vector<RejectedRow>& rejected,
                    const BatchContext& ctx);

// rejected_events keeps at most this much of an item: a hostile item must not grow the
// table by its own size.
inline constexpr size_t kMaxPayloadBytes = 2048;

// The item as one line of JSON (proto field names), cut to kMaxPayloadBytes (then it is an
// excerpt, no longer valid JSON, ending with how many bytes were left out).
std::string ItemJson(const google::protobuf::Message& item);

}  // namespace gym

#endif  // GYM_SERVER_PROTO_FRAME_H_
