// The event ids a load-test client sends (`--event-ids`). Real producers send their own ids,
// usually random UUIDs, and where a key lands in the server's unique index decides how fast it
// is stored; the load test can therefore send:
//   derived     no id: the server derives "<batch_id>:<index>", so the keys of a batch are
//               neighbours in the index (the load test's behaviour before this flag);
//   uuid        a random version 4 UUID per event, as most producers do;
//   sequential  "<prefix>-<12-digit counter>": a client id that grows in sending order.
//
// An id is a pure function of (key, prefix, event ordinal), not a draw made when it is sent:
// a batch that is built twice, or resent after UNAVAILABLE, carries the same ids, so the
// server stores it once.
//
//   EventIdSource ids(EventIdMode::kUuid, NewEventIdKey(), "r42-c3");
//   std::string id = ids.For(17);  // e.g. "0b6f3c1e-8d2a-4c7e-9f13-5a2b7d9e0c41", always
#ifndef GYM_LOADTEST_EVENT_IDS_H_
#define GYM_LOADTEST_EVENT_IDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gym::loadtest {

enum class EventIdMode { kDerived, kUuid, kSequential };

// "derived", "uuid" or "sequential".
std::string_view EventIdModeName(EventIdMode mode);
// The inverse of EventIdModeName; nullopt for any other text.
std::optional<EventIdMode> ParseEventIdMode(std::string_view name);

// A key for EventIdSource that differs from run to run (std::random_device, once): two runs
// against one database must never send the same UUID, whatever their --seed.
uint64_t NewEventIdKey();

// The 36-character lower-case text form of a version 4, RFC 4122 variant UUID whose other
// 122 bits come from `hi` and `lo`.
std::string FormatUuidV4(uint64_t hi, uint64_t lo);

// The `ordinal`-th of `total` UUIDs v4 in ascending order: slot `ordinal` of `total` equal
// slices of the 64 high bits, random within its slice (from `key`), the low bits random. The
// set is spread over the key space as random UUIDs are, but sending it in this order builds
// an index in key order, which is much faster for a large prefill (see prefill.h).
// Unique for distinct ordinals below `total`. REQUIRES: 0 < total < 2^48.
std::string SortedUuidV4(uint64_t key, uint64_t ordinal, uint64_t total);

class EventIdSource final {
 public:
  // `key` seeds the UUIDs (give each client its own: see ForClient); `prefix` starts the
  // sequential ids and must hold no ':' (the server reserves it for derived ids).
  EventIdSource(EventIdMode mode, uint64_t key, std::string prefix);

  // The source of simulated client `client_index` of a run: its own key and the prefix
  // "<run_id>-c<client_index>".
  static EventIdSource ForClient(EventIdMode mode, uint64_t run_key, std::string_view run_id,
                                 int client_index);

  EventIdMode mode() const { return mode_; }
  // The id of the client's event number `ordinal` (from 0, in sending order); "" in derived
  // mode. A counter-based SplitMix64 stream gives the UUIDs: two multiply-xorshifts an id, and
  // any ordinal is reachable without drawing the ones before it.
  std::string For(uint64_t ordinal) const;

 private:
  EventIdMode mode_;
  uint64_t key_;
  std::string prefix_;
};

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_EVENT_IDS_H_
