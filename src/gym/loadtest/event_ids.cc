// Client-chosen event ids of the load test (see event_ids.h).
#include "gym/loadtest/event_ids.h"

#include <random>
#include <utility>

#include "fmt/format.h"
#include "gym/datagen/rng.h"

namespace gym::loadtest {
namespace {

constexpr uint64_t kGamma = 0x9e3779b97f4a7c15ULL;  // SplitMix64's increment

}  // namespace

std::string_view EventIdModeName(EventIdMode mode) {
  switch (mode) {
    case EventIdMode::kUuid:
      return "uuid";
    case EventIdMode::kSequential:
      return "sequential";
    case EventIdMode::kDerived:
      break;
  }
  return "derived";
}

std::optional<EventIdMode> ParseEventIdMode(std::string_view name) {
  for (EventIdMode m : {EventIdMode::kDerived, EventIdMode::kUuid, EventIdMode::kSequential}) {
    if (EventIdModeName(m) == name) return m;
  }
  return std::nullopt;
}

uint64_t NewEventIdKey() {
  std::random_device device;
  return MockMix64((static_cast<uint64_t>(device()) << 32) ^ device());
}

std::string FormatUuidV4(uint64_t hi, uint64_t lo) {
  hi = (hi & ~uint64_t{0xF000}) | uint64_t{0x4000};            // version 4
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);  // variant 10xx
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t pos = 0;
  for (uint64_t word : {hi, lo}) {
    for (int i = 0; i < 16; ++i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      out[pos++] = kHex[(word >> (60 - 4 * i)) & 0xF];
    }
  }
  return out;
}

std::string SortedUuidV4(uint64_t key, uint64_t ordinal, uint64_t total) {
  // Slices of at least 2^16: the version nibble (bits 12-15 of the high word) that
  // FormatUuidV4 overwrites lies below the slice number, so order and uniqueness survive it.
  const uint64_t slice = ~uint64_t{0} / total;
  const uint64_t state = key + (2 * ordinal + 1) * kGamma;
  const uint64_t hi = ordinal * slice + MockMix64(state) % slice;
  return FormatUuidV4(hi, MockMix64(state + kGamma));
}

EventIdSource::EventIdSource(EventIdMode mode, uint64_t key, std::string prefix)
    : mode_(mode), key_(key), prefix_(std::move(prefix)) {}

EventIdSource EventIdSource::ForClient(EventIdMode mode, uint64_t run_key, std::string_view run_id,
                                       int client_index) {
  // Hashing the index spreads the clients' streams far apart in SplitMix64's sequence, so two
  // clients never walk the same states.
  const uint64_t key = MockMix64(run_key ^ MockMix64(static_cast<uint64_t>(client_index) + 1));
  return EventIdSource(mode, key, fmt::format("{}-c{}", run_id, client_index));
}

std::string EventIdSource::For(uint64_t ordinal) const {
  switch (mode_) {
    case EventIdMode::kDerived:
      return {};
    case EventIdMode::kSequential:
      // Zero-padded so that text order is sending order, as with a producer's own counter.
      return fmt::format("{}-{:012d}", prefix_, ordinal);
    case EventIdMode::kUuid:
      break;
  }
  // States 2n+1 and 2n+2 of the stream: distinct for distinct ordinals, and MockMix64 is a
  // bijection, so a client's ids differ in `hi` unless the four version bits alone collide.
  const uint64_t state = key_ + (2 * ordinal + 1) * kGamma;
  return FormatUuidV4(MockMix64(state), MockMix64(state + kGamma));
}

}  // namespace gym::loadtest
