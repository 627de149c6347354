// The three kinds of event the server ingests, and what is fixed per kind: table name and
// metrics label ("clients", "transactions", "scores").
#ifndef GYM_SERVER_EVENT_TYPE_H_
#define GYM_SERVER_EVENT_TYPE_H_

#include <array>
#include <cstddef>
#include <string_view>

#include "gym/sinks/rejected_events.h"  // kRejectedTable, beside the event tables

namespace gym {

enum class EventType { kClients = 0, kTransactions = 1, kScores = 2 };

inline constexpr std::array<EventType, 3> kEventTypes = {
    EventType::kClients, EventType::kTransactions, EventType::kScores};

// Also the name of the table the events of that kind are stored in.
inline constexpr std::string_view EventTypeName(EventType type) {
  constexpr std::array<std::string_view, 3> kNames = {"clients", "transactions", "scores"};
  return kNames[static_cast<size_t>(type)];
}

}  // namespace gym

#endif  // GYM_SERVER_EVENT_TYPE_H_
