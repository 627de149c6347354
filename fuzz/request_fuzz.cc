// libFuzzer target for the server's request path: bytes -> request message -> triage
// (ids, in-batch duplicates, validation) -> Frame of the accepted rows and of the rejected
// ones. Nothing on that path may crash on any bytes a client sends, and its counts must add
// up: every item is accepted, rejected or a duplicate, and each Frame has as many rows as
// items it was built from.
//
// Byte 0 picks the request type (clients, transactions, scores); the rest is the body.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "google/protobuf/stubs/logging.h"
#include "gym/server/batch_triage.h"
#include "gym/server/proto_frame.h"

namespace {

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "request_fuzz: %s\n", what);
  std::abort();
}

template <typename Request, typename Items, typename Convert>
void Run(const uint8_t* data, size_t size, gym::EventType type,
         const Items& (Request::*items)() const, Convert convert) {
  Request request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  const Items& list = (request.*items)();
  const gym::ValidationLimits limits{.earliest_date = "1900-01-01", .latest_date = "2100-01-01"};
  const std::string batch_id = gym::ResolveBatchId(request.batch_id());
  gym::Triage t = gym::TriageBatch(list, batch_id, limits);
  Check(t.accepted.size() + t.rejected.size() + static_cast<size_t>(t.duplicates) ==
            static_cast<size_t>(list.size()),
        "accepted + rejected + duplicates != items");
  Check(t.event_ids.size() == static_cast<size_t>(list.size()), "an item without an event id");
  const std::string ingested_at = "2026-12-02T00:00:00Z";
  const gym::BatchContext ctx{batch_id, ingested_at, t.event_ids};
  Check(convert(list, t.accepted, ctx).num_rows() == t.accepted.size(), "rows lost converting");
  Check(gym::RejectedToFrame(type, t.rejected, ctx).num_rows() == t.rejected.size(),
        "rejected rows lost converting");
  for (const gym::RejectedRow& r : t.rejected) {
    Check(r.payload.size() <= gym::kMaxPayloadBytes + 64, "payload excerpt over its bound");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Invalid UTF-8 makes protobuf log a line per input; the parse result is what counts.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  namespace rpc = gym_framework_rpc;
  switch (data[0] % 3) {
    case 0:
      Run(data + 1, size - 1, gym::EventType::kClients, &rpc::IngestClientsRequest::clients,
          gym::ClientsToFrame);
      break;
    case 1:
      Run(data + 1, size - 1, gym::EventType::kTransactions,
          &rpc::IngestTransactionsRequest::transactions, gym::TransactionsToFrame);
      break;
    default:
      Run(data + 1, size - 1, gym::EventType::kScores, &rpc::IngestScoresRequest::scores,
          gym::ScoresToFrame);
  }
  return 0;
}
