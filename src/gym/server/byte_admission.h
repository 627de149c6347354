// ByteAdmission: a bound on the bytes of requests being worked on at once.
//
// The event limit (--max-inflight) alone let 16 concurrent 60 MB requests, all of them
// refused, take the server to 768 MB. A request now reserves its size before it is parsed;
// when the reservation would pass the limit it is refused (RESOURCE_EXHAUSTED) without being
// parsed. One request is always admitted when nothing else is in flight, so a request under
// the message-size limit can never be refused forever.
//
//   ByteAdmission bytes(64 << 20);
//   if (!bytes.TryReserve(n)) return ResourceExhausted(...);
//   ... parse, commit, answer ...
//   bytes.Release(n);
#ifndef GYM_SERVER_BYTE_ADMISSION_H_
#define GYM_SERVER_BYTE_ADMISSION_H_

#include <atomic>
#include <cstdint>

namespace gym {

// How --max-inflight-bytes is spent. Bodies being received (gRPC's resource quota, and the
// read slots of --max-message-bytes each) get 3/8; requests being worked on (ByteAdmission)
// get 3/8; a quarter is held back for what no counter sees: pages the allocator keeps after
// a burst, gRPC's own buffers, SQLite's cache. With halves and nothing held back, a burst of
// large requests reached base + 64 MiB of RSS under a 64 MiB limit; with this split the
// limit is the bound on the whole.
struct ByteBudget {
  int64_t receiving = 0;
  int64_t working = 0;
};
inline ByteBudget SplitByteLimit(int64_t limit) {
  return ByteBudget{.receiving = limit / 8 * 3, .working = limit / 8 * 3};
}

class ByteAdmission final {
 public:
  explicit ByteAdmission(int64_t limit) : limit_(limit) {}

  // Reserves `bytes` unless that would pass the limit while something else is in flight.
  [[nodiscard]] bool TryReserve(int64_t bytes) {
    int64_t now = inflight_.load(std::memory_order_relaxed);
    do {
      if (now > 0 && now + bytes > limit_) return false;
    } while (!inflight_.compare_exchange_weak(now, now + bytes, std::memory_order_acq_rel));
    return true;
  }
  void Release(int64_t bytes) { inflight_.fetch_sub(bytes, std::memory_order_acq_rel); }

  int64_t inflight() const { return inflight_.load(std::memory_order_relaxed); }
  int64_t limit() const { return limit_; }

 private:
  const int64_t limit_;
  std::atomic<int64_t> inflight_{0};
};

}  // namespace gym

#endif  // GYM_SERVER_BYTE_ADMISSION_H_
