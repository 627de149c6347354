// Gives the memory that large requests freed back to the operating system, while memory is
// short.
//
// Why: jemalloc keeps freed pages for ten seconds (its dirty decay) in the arena of the thread
// that freed them, and gRPC's threads spread over eight arenas on two cores. Under a burst of
// large requests, retained pages stack on top of live ones: measured base + 88-98 MiB of peak
// RSS under a 64 MiB --max-inflight-bytes. Purging on every free (dirty_decay_ms:0) holds the
// peak but halves closed-loop throughput; purging after every large request cost about 15% of
// throughput with 10,000-item batches. So the pages are given back only after a large request
// and only while the server is refusing or queueing calls for lack of memory: then nothing is
// lost by it, since throughput is already capped by the limit.
#ifndef GYM_SERVER_MEMORY_RETURN_H_
#define GYM_SERVER_MEMORY_RETURN_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>

namespace gym {

// Requests of at least this many bytes on the wire count as large.
inline constexpr int64_t kLargeRequestBytes = 1 << 20;

// Returns freed memory to the OS: jemalloc's purge of every arena when gym runs on jemalloc,
// glibc's malloc_trim otherwise. At most one runs at a time; a call while another runs returns.
void ReturnFreedMemory();

class MemoryPressure final {
 public:
  using Clock = std::chrono::steady_clock;
  // How long after the last refusal memory still counts as short.
  static constexpr std::chrono::seconds kWindow{1};

  // A call was refused, or made to wait, for lack of memory.
  void Note(Clock::time_point now = Clock::now()) {
    last_note_ns_.store(now.time_since_epoch().count(), std::memory_order_relaxed);
  }
  bool Short(Clock::time_point now = Clock::now()) const {
    const int64_t last = last_note_ns_.load(std::memory_order_relaxed);
    return last != kNever && now.time_since_epoch().count() - last <
                                 std::chrono::duration_cast<Clock::duration>(kWindow).count();
  }
  // After a large request is gone: gives its pages back if memory is short. True if it did.
  bool ReturnIfShort(Clock::time_point now = Clock::now()) {
    if (!Short(now)) return false;
    ReturnFreedMemory();
    return true;
  }

 private:
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::min();
  std::atomic<int64_t> last_note_ns_{kNever};
};

// Calls pressure.ReturnIfShort() when destroyed, if `large`. Declare it as the first member of
// a request's state, so it runs after the other members are gone.
class ReturnMemoryWhenDone final {
 public:
  ReturnMemoryWhenDone(bool large, MemoryPressure& pressure)
      : pressure_(large ? &pressure : nullptr) {}
  ~ReturnMemoryWhenDone() {
    if (pressure_ != nullptr) pressure_->ReturnIfShort();
  }
  ReturnMemoryWhenDone(const ReturnMemoryWhenDone&) = delete;
  ReturnMemoryWhenDone& operator=(const ReturnMemoryWhenDone&) = delete;

 private:
  MemoryPressure* pressure_;
};

}  // namespace gym

#endif  // GYM_SERVER_MEMORY_RETURN_H_
