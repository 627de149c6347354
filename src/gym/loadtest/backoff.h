// Backoff: when and how often `gym loadtest` sends a refused batch again.
//
// A server that sheds load answers RESOURCE_EXHAUSTED (admission full) or UNAVAILABLE (not
// reachable, draining, or a commit that failed and may succeed later). Both say "try again
// later": the client waits, then resends the same batch (same batch id, same event ids, so the
// server's deduplication keeps a batch that was in fact stored from being stored twice).
// Waits grow exponentially and are drawn with full jitter (uniform in [0, cap]), so clients
// refused together do not all come back together.
//
//   BackoffPolicy policy;  // 8 retries, 100 ms doubling up to 1 s
//   if (IsRetryable(code) && attempt < policy.retries) wait(policy.Delay(attempt + 1, rng));
#ifndef GYM_LOADTEST_BACKOFF_H_
#define GYM_LOADTEST_BACKOFF_H_

#include <chrono>
#include <random>

namespace gym::loadtest {

struct BackoffPolicy {
  int retries = 8;  // resends after the first attempt; 0: none
  // gRPC's customary first backoff. A refused call costs client and server about half the CPU
  // of an accepted batch, CPU the accepted ones need: against a saturated server a shorter
  // first wait mostly buys more refusals (25 ms measured 4-10% less goodput than 100 ms, in
  // three interleaved rounds, with twice the refusals).
  std::chrono::nanoseconds initial = std::chrono::milliseconds(100);
  std::chrono::nanoseconds max = std::chrono::seconds(1);

  // The cap before retry `retry` (1 for the first): min(max, initial * 2^(retry - 1)).
  // REQUIRES: retry >= 1.
  std::chrono::nanoseconds Cap(int retry) const;
  // The wait before retry `retry`: uniform in [0, Cap(retry)].
  std::chrono::nanoseconds Delay(int retry, std::mt19937_64& rng) const;
};

// RESOURCE_EXHAUSTED and UNAVAILABLE (grpc::StatusCode values).
bool IsRetryable(int grpc_code);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_BACKOFF_H_
