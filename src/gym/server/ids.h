// Event and batch ids (DESIGN.md §3): every event has an event_id that is a unique key in
// every table, so a retried batch maps to the same ids and is stored once.
//
//   std::string batch = ResolveBatchId(request.batch_id());    // echoed, or a new UUID
//   std::string id = EventIdFor(item.event_id(), batch, 3);    // item's own id or "<batch>:3"
//
// A client's own event id may not contain ':', which every derived id does: a client id can
// then never collide with the derived id of another batch (and be dropped as its duplicate).
#ifndef GYM_SERVER_IDS_H_
#define GYM_SERVER_IDS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gym {

inline constexpr size_t kMaxEventIdBytes = 128;
inline constexpr size_t kMaxBatchIdBytes = 128;

// Why a client-chosen event id is refused (nullopt when it is accepted): empty ids are
// accepted (the server derives one), others must be 1-128 bytes of printable ASCII without ':'.
std::optional<std::string> ClientEventIdError(std::string_view id);

// A random (version 4) UUID in its 36-character text form. Thread-safe.
std::string NewUuid();

// The client's batch id when it sent one, else a new UUID.
std::string ResolveBatchId(std::string_view client_batch_id);

// The client's event id when it sent an acceptable one, else "<batch_id>:<index>".
std::string EventIdFor(std::string_view client_event_id, std::string_view batch_id,
                       size_t index);

// Single-event RPCs: the client's event id when it sent an acceptable one, else a new UUID.
std::string ResolveSingleEventId(std::string_view client_event_id);

}  // namespace gym

#endif  // GYM_SERVER_IDS_H_
