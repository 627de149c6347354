// Exponential backoff with full jitter (see backoff.h).
#include "gym/loadtest/backoff.h"

#include <algorithm>

#include "grpcpp/support/status.h"

namespace gym::loadtest {

std::chrono::nanoseconds BackoffPolicy::Cap(int retry) const {
  std::chrono::nanoseconds cap = initial;
  // Doubling stops at max, so a large retry count cannot overflow.
  for (int i = 1; i < retry && cap < max; ++i) cap *= 2;
  return std::min(cap, max);
}

std::chrono::nanoseconds BackoffPolicy::Delay(int retry, std::mt19937_64& rng) const {
  std::uniform_int_distribution<int64_t> wait(0, Cap(retry).count());
  return std::chrono::nanoseconds(wait(rng));
}

bool IsRetryable(int grpc_code) {
  return grpc_code == grpc::StatusCode::RESOURCE_EXHAUSTED ||
         grpc_code == grpc::StatusCode::UNAVAILABLE;
}

}  // namespace gym::loadtest
