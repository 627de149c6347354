#include "gym/server/timestamps.h"

#include <chrono>
#include <string>

#include "gtest/gtest.h"

namespace gym {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ParseIsoTimestamp, OffsetsAndFractions) {
  const SystemTime base = SystemTime(seconds(1795714200));  // 2026-11-26T17:30:00Z
  struct Case {
    const char* text;
    SystemTime expected;
  };
  const Case cases[] = {
      {"2026-11-26T17:30:00Z", base},
      {"2026-11-26T17:30:00+00:00", base},
      {"2026-11-26T17:30:00.123+00:00", base + milliseconds(123)},
      {"2026-11-26T14:30:00-03:00", base},
      {"2026-11-26T20:00:00+0230", base},
      {"2026-11-26 17:30:00", base},
      {"2026-11-26T17:30:00.5", base + milliseconds(500)},
      {"2026-11-26T17:30:00.123456789Z",
       base + std::chrono::duration_cast<SystemTime::duration>(std::chrono::nanoseconds(123456789))},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<SystemTime> t = ParseIsoTimestamp(c.text);
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(*t, c.expected);
  }
}

TEST(ParseIsoTimestamp, RejectsMalformed) {
  for (const char* text :
       {"", "yesterday", "2026-11-26", "2026-11-26T25:00:00Z", "2026-11-26T17:30Z",
        "2026-02-30T10:00:00Z", "2026-11-26T17:30:00+5", "2026-11-26T17:30:00Zjunk",
        "2026-11-26T17:30:00.Z", "2026-11-26X17:30:00Z"}) {
    SCOPED_TRACE(text);
    absl::StatusOr<SystemTime> t = ParseIsoTimestamp(text);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(std::string(t.status().message()).find("timestamp"), std::string::npos);
  }
}

TEST(FormatIsoUtc, RoundTripsThroughTheParser) {
  const SystemTime t = SystemTime(seconds(1795714200)) + std::chrono::microseconds(42);
  EXPECT_EQ(FormatIsoUtc(t), "2026-11-26T17:30:00.000042Z");
  EXPECT_EQ(*ParseIsoTimestamp(FormatIsoUtc(t)), t);
  EXPECT_EQ(FormatIsoUtc(SystemTime(seconds(0))), "1970-01-01T00:00:00.000000Z");
}

}  // namespace
}  // namespace gym
