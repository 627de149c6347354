// Event and batch ids (see ids.h).
#include "gym/server/ids.h"

#include <charconv>
#include <cstdint>
#include <random>

#include "fmt/core.h"

namespace gym {

std::string NewUuid() {
  // One generator per thread: no lock on the request path, and seeding from random_device
  // keeps ids of concurrent servers (and restarts) apart.
  thread_local std::mt19937_64 rng([] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }());
  uint64_t hi = rng();
  uint64_t lo = rng();
  hi = (hi & ~uint64_t{0xF000}) | uint64_t{0x4000};                 // version 4
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);       // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t pos = 0;
  auto put = [&](uint64_t word, int nibbles_from, int nibbles_to) {
    for (int i = nibbles_from; i < nibbles_to; ++i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      out[pos++] = kHex[(word >> (60 - 4 * i)) & 0xF];
    }
  };
  put(hi, 0, 16);
  put(lo, 0, 16);
  return out;
}

std::optional<std::string> ClientEventIdError(std::string_view id) {
  if (id.size() > kMaxEventIdBytes) {
    return fmt::format("{} bytes, longer than the limit of {}", id.size(), kMaxEventIdBytes);
  }
  for (size_t i = 0; i < id.size(); ++i) {
    const auto c = static_cast<unsigned char>(id[i]);
    if (c == ':') {
      return fmt::format("':' at byte {} is reserved for ids the server derives "
                         "(<batch_id>:<index>)", i);
    }
    if (c < 0x21 || c > 0x7e) {
      return fmt::format("byte 0x{:02x} at {} is not printable ASCII", c, i);
    }
  }
  return std::nullopt;
}

std::string ResolveBatchId(std::string_view client_batch_id) {
  return client_batch_id.empty() ? NewUuid() : std::string(client_batch_id);
}

std::string EventIdFor(std::string_view client_event_id, std::string_view batch_id,
                       size_t index) {
  if (!client_event_id.empty() && !ClientEventIdError(client_event_id)) {
    return std::string(client_event_id);
  }
  // Built by hand: this runs once per item on the request path.
  char digits[20];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, index);
  std::string id;
  id.reserve(batch_id.size() + 1 + static_cast<size_t>(end - digits));
  id.append(batch_id);
  id.push_back(':');
  id.append(digits, end);
  return id;
}

std::string ResolveSingleEventId(std::string_view client_event_id) {
  if (client_event_id.empty() || ClientEventIdError(client_event_id)) return NewUuid();
  return std::string(client_event_id);
}

}  // namespace gym
