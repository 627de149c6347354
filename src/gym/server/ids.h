// Event and batch ids (DESIGN.md §3): every event has an event_id that is a unique key in
// every table, so a retried batch maps to the same ids and is stored once.
//
//   std::string batch = ResolveBatchId(request.batch_id());    // echoed, or a new UUID
//   std::string id = EventIdFor(item.event_id(), batch, 3);    // item's own id or "<batch>:3"
#ifndef GYM_SERVER_IDS_H_
#define GYM_SERVER_IDS_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace gym {

// A random (version 4) UUID in its 36-character text form. Thread-safe.
std::string NewUuid();

// The client's batch id when it sent one, else a new UUID.
std::string ResolveBatchId(std::string_view client_batch_id);

// The client's event id when it sent one, else "<batch_id>:<index>".
std::string EventIdFor(std::string_view client_event_id, std::string_view batch_id,
                       size_t index);

// Single-event RPCs: the client's event id when it sent one, else a new UUID.
std::string ResolveSingleEventId(std::string_view client_event_id);

}  // namespace gym

#endif  // GYM_SERVER_IDS_H_
