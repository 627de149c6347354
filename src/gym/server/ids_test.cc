#include "gym/server/ids.h"

#include <regex>
#include <set>
#include <string>

#include "gtest/gtest.h"

namespace gym {
namespace {

TEST(NewUuid, Version4TextFormAndDistinct) {
  const std::regex form("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewUuid();
    ASSERT_TRUE(std::regex_match(id, form)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(ResolveBatchId, EchoesOrGenerates) {
  EXPECT_EQ(ResolveBatchId("b-7"), "b-7");
  const std::string generated = ResolveBatchId("");
  EXPECT_EQ(generated.size(), 36u);
  EXPECT_NE(generated, ResolveBatchId(""));
}

TEST(EventIdFor, ClientIdWinsElseBatchAndIndex) {
  struct Case {
    const char* client;
    const char* batch;
    size_t index;
    const char* expected;
  };
  const Case cases[] = {
      {"", "b1", 0, "b1:0"},
      {"", "b1", 199, "b1:199"},
      {"mine", "b1", 3, "mine"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expected);
    EXPECT_EQ(EventIdFor(c.client, c.batch, c.index), c.expected);
  }
  // A retried batch maps to the same ids.
  EXPECT_EQ(EventIdFor("", "retry", 5), EventIdFor("", "retry", 5));
}

TEST(ResolveSingleEventId, ClientIdOrUuid) {
  EXPECT_EQ(ResolveSingleEventId("e1"), "e1");
  EXPECT_EQ(ResolveSingleEventId("").size(), 36u);
  EXPECT_EQ(ResolveSingleEventId("b:1").size(), 36u);
}

TEST(ClientEventIdError, AcceptsPrintableAsciiWithoutTheDerivedSeparator) {
  const struct {
    std::string id;
    bool ok;
  } cases[] = {
      {"", true},
      {"f47ac10b-58cc-4372-a567-0e02b2c3d479", true},
      {"order/17.v2_x+y=z@a~", true},
      {std::string(kMaxEventIdBytes, 'a'), true},
      {std::string(kMaxEventIdBytes + 1, 'a'), false},
      {"b1:0", false},
      {"has space", false},
      {"new\nline", false},
      {std::string("nul\0", 4), false},
      {"\xc3\xa9", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(!ClientEventIdError(c.id).has_value(), c.ok);
  }
}

TEST(EventIdFor, RefusedClientIdFallsBackToTheDerivedId) {
  EXPECT_EQ(EventIdFor("a:0", "b", 4), "b:4");
  EXPECT_EQ(EventIdFor(std::string(200, 'x'), "b", 0), "b:0");
}

}  // namespace
}  // namespace gym
