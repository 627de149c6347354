#include "gym/loadtest/backoff.h"

#include "grpcpp/support/status.h"
#include "gtest/gtest.h"

namespace gym::loadtest {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, CapDoublesUpToTheMaximum) {
  BackoffPolicy p;
  p.initial = milliseconds(10);
  p.max = milliseconds(100);
  EXPECT_EQ(p.Cap(1), milliseconds(10));
  EXPECT_EQ(p.Cap(2), milliseconds(20));
  EXPECT_EQ(p.Cap(4), milliseconds(80));
  EXPECT_EQ(p.Cap(5), milliseconds(100));
  EXPECT_EQ(p.Cap(1000), milliseconds(100));
}

TEST(BackoffTest, DelayIsFullJitterWithinTheCap) {
  BackoffPolicy p;
  p.initial = milliseconds(10);
  p.max = milliseconds(40);
  std::mt19937_64 rng(7);
  for (int retry = 1; retry <= 6; ++retry) {
    SCOPED_TRACE(retry);
    std::chrono::nanoseconds lo = p.Cap(retry), hi{0};
    for (int i = 0; i < 2000; ++i) {
      const std::chrono::nanoseconds d = p.Delay(retry, rng);
      ASSERT_GE(d.count(), 0);
      ASSERT_LE(d, p.Cap(retry));
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    // Spread over the whole range, not bunched at the cap.
    EXPECT_LT(lo, p.Cap(retry) / 10);
    EXPECT_GT(hi, p.Cap(retry) * 9 / 10);
  }
}

TEST(BackoffTest, OnlyOverloadAndUnavailableAreRetried) {
  EXPECT_TRUE(IsRetryable(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_TRUE(IsRetryable(grpc::StatusCode::UNAVAILABLE));
  for (int code : {0, 1, 3, 4, 13, 16}) {
    SCOPED_TRACE(code);
    EXPECT_FALSE(IsRetryable(code));
  }
}

}  // namespace
}  // namespace gym::loadtest
