#include "gym/server/log_safe.h"

#include <string>

#include "gtest/gtest.h"

namespace gym {
namespace {

TEST(LogSafe, PlainIdsPassAndOthersAreQuotedAndEscaped) {
  const struct {
    std::string in;
    std::string out;
  } cases[] = {
      {"b-17", "b-17"},
      {"r7-c0-transactions-3", "r7-c0-transactions-3"},
      {"f47ac10b-58cc-4372-a567-0e02b2c3d479:12", "f47ac10b-58cc-4372-a567-0e02b2c3d479:12"},
      {"x\ncommitted=9", "\"x\\ncommitted=9\""},
      {"a b", "\"a b\""},
      {"q\"\\", "\"q\\\"\\\\\""},
      {std::string("n\0l", 3), "\"n\\x00l\""},
      {"", "\"\""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(LogSafe(c.in), c.out);
  }
}

TEST(LogSafe, LongValuesAreCut) {
  const std::string out = LogSafe(std::string(500, 'a'));
  EXPECT_EQ(out, std::string(kMaxLoggedBytes, 'a') + "...(+404 bytes)");
}

TEST(LogSafe, NoNewlineSurvives) {
  const std::string out = LogSafe(std::string(200, '\n'));
  EXPECT_EQ(out.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace gym
