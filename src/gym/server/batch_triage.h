// TriageBatch: sorts the items of one request into accepted, rejected and duplicate before
// anything is stored (DESIGN.md §3, and the counting rule of the batch response):
// - every item gets its event id (the client's, or "<batch_id>:<index>");
// - an item whose event id appeared earlier in the same batch is a duplicate: the first
//   occurrence is the event, later ones are neither validated nor stored;
// - a client event id the server cannot accept, or a field that breaks a rule of
//   validation.h, rejects the item with its index and reason;
// - the rest is accepted.
//
//   Triage t = TriageBatch(request.transactions(), batch_id, limits);
//   // t.accepted.size() + t.rejected.size() + t.duplicates == items
#ifndef GYM_SERVER_BATCH_TRIAGE_H_
#define GYM_SERVER_BATCH_TRIAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gym/server/ids.h"
#include "gym/server/proto_frame.h"
#include "gym/server/validation.h"

namespace gym {

struct Triage {
  std::vector<std::string> event_ids;  // of every item, in item order
  std::vector<uint32_t> accepted;      // item indices
  std::vector<RejectedRow> rejected;
  std::vector<std::string> reject_fields;  // parallel to `rejected`: the field at fault
  int64_t duplicates = 0;
};

inline std::optional<ItemError> ValidateItem(const gym_framework_rpc::ClientData& item,
                                             const ValidationLimits& limits) {
  return ValidateClient(item, limits);
}
inline std::optional<ItemError> ValidateItem(const gym_framework_rpc::TransactionData& item,
                                             const ValidationLimits& limits) {
  return ValidateTransaction(item, limits);
}
inline std::optional<ItemError> ValidateItem(const gym_framework_rpc::ScoreData& item,
                                             const ValidationLimits& limits) {
  return ValidateScore(item, limits);
}

template <typename Item>
Triage TriageBatch(const Items<Item>& items, std::string_view batch_id,
                   const ValidationLimits& limits) {
  const auto n = static_cast<size_t>(items.size());
  Triage t;
  t.event_ids.reserve(n);
  t.accepted.reserve(n);
  // Derived ids are distinct by construction; only client ids can repeat, so the set is
  // filled only when the batch carries some.
  absl::flat_hash_set<std::string_view> client_ids;
  for (size_t i = 0; i < n; ++i) {
    const Item& item = items.Get(static_cast<int>(i));
    t.event_ids.push_back(EventIdFor(item.event_id(), batch_id, i));
    std::optional<ItemError> error;
    if (!item.event_id().empty()) {
      if (std::optional<std::string> bad = ClientEventIdError(item.event_id())) {
        error = ItemError{"event_id", std::move(*bad)};
      } else if (!client_ids.insert(item.event_id()).second) {
        ++t.duplicates;
        continue;
      }
    }
    if (!error) error = ValidateItem(item, limits);
    if (error) {
      t.rejected.push_back({static_cast<uint32_t>(i), error->Reason(), ItemJson(item)});
      t.reject_fields.push_back(std::move(error->field));
    } else {
      t.accepted.push_back(static_cast<uint32_t>(i));
    }
  }
  return t;
}

}  // namespace gym

#endif  // GYM_SERVER_BATCH_TRIAGE_H_
