// The ids of --event-ids: their text form, their version and variant bits, their uniqueness,
// and that an id depends only on (key, prefix, ordinal), so a rebuilt batch keeps its ids.
#include "gym/loadtest/event_ids.h"

#include <cstdint>
#include <regex>
#include <string>
#include <unordered_set>
#include <vector>

#include "gtest/gtest.h"

namespace gym::loadtest {
namespace {

// RFC 4122 text form, lower case, version 4, variant 10xx.
const std::regex kUuidV4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");

TEST(EventIdModeTest, NamesRoundTripAndOthersAreRefused) {
  for (EventIdMode m : {EventIdMode::kDerived, EventIdMode::kUuid, EventIdMode::kSequential}) {
    SCOPED_TRACE(EventIdModeName(m));
    EXPECT_EQ(ParseEventIdMode(EventIdModeName(m)), m);
  }
  EXPECT_EQ(EventIdModeName(EventIdMode::kUuid), "uuid");
  EXPECT_FALSE(ParseEventIdMode("UUID").has_value());
  EXPECT_FALSE(ParseEventIdMode("").has_value());
}

TEST(FormatUuidV4Test, SetsVersionAndVariantWhateverTheBits) {
  const struct {
    uint64_t hi;
    uint64_t lo;
    const char* want;
  } cases[] = {
      {0, 0, "00000000-0000-4000-8000-000000000000"},
      {~uint64_t{0}, ~uint64_t{0}, "ffffffff-ffff-4fff-bfff-ffffffffffff"},
      {0x0123456789abcdefULL, 0xfedcba9876543210ULL, "01234567-89ab-4def-bedc-ba9876543210"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.want);
    const std::string id = FormatUuidV4(c.hi, c.lo);
    EXPECT_EQ(id, c.want);
    EXPECT_TRUE(std::regex_match(id, kUuidV4)) << id;
  }
}

TEST(EventIdSourceTest, UuidsAreWellFormedAndUniqueOver100kIdsOfTwoClients) {
  const uint64_t run_key = 0x1234;
  const EventIdSource a = EventIdSource::ForClient(EventIdMode::kUuid, run_key, "r1", 0);
  const EventIdSource b = EventIdSource::ForClient(EventIdMode::kUuid, run_key, "r1", 1);
  std::unordered_set<std::string> seen;
  for (uint64_t n = 0; n < 50'000; ++n) {
    for (const EventIdSource* s : {&a, &b}) {
      const std::string id = s->For(n);
      ASSERT_TRUE(std::regex_match(id, kUuidV4)) << n << ": " << id;
      ASSERT_TRUE(seen.insert(id).second) << "duplicate at ordinal " << n << ": " << id;
    }
  }
  EXPECT_EQ(seen.size(), 100'000u);
}

TEST(EventIdSourceTest, AnIdDependsOnlyOnKeyPrefixAndOrdinal) {
  const EventIdSource first = EventIdSource::ForClient(EventIdMode::kUuid, 99, "r1", 3);
  const EventIdSource again = EventIdSource::ForClient(EventIdMode::kUuid, 99, "r1", 3);
  const EventIdSource other_run = EventIdSource::ForClient(EventIdMode::kUuid, 100, "r1", 3);
  // Out of order and twice: a batch rebuilt (or resent) carries the ids it had.
  for (uint64_t n : {7u, 0u, 7u, 123456u}) {
    SCOPED_TRACE(n);
    EXPECT_EQ(first.For(n), again.For(n));
    EXPECT_NE(first.For(n), other_run.For(n));
  }
}

TEST(EventIdSourceTest, FreshKeysDifferSoRunsDoNotRepeatIds) {
  const uint64_t k1 = NewEventIdKey();
  const uint64_t k2 = NewEventIdKey();
  EXPECT_NE(k1, k2);
  EXPECT_NE(EventIdSource(EventIdMode::kUuid, k1, "").For(0),
            EventIdSource(EventIdMode::kUuid, k2, "").For(0));
}

TEST(EventIdSourceTest, SequentialIdsSortInSendingOrder) {
  const EventIdSource s = EventIdSource::ForClient(EventIdMode::kSequential, 1, "r42", 3);
  EXPECT_EQ(s.For(17), "r42-c3-000000000017");
  const std::vector<uint64_t> ordinals = {0, 9, 10, 99, 100, 999'999, 1'000'000, 999'999'999'999};
  for (size_t i = 1; i < ordinals.size(); ++i) {
    SCOPED_TRACE(ordinals[i]);
    EXPECT_LT(s.For(ordinals[i - 1]), s.For(ordinals[i]));
  }
  // The server refuses ':' in a client id (it marks derived ids) and anything unprintable.
  for (char c : s.For(12345)) EXPECT_TRUE(c > 0x20 && c < 0x7f && c != ':') << c;
}

TEST(SortedUuidV4Test, AscendingWellFormedAndSpreadOverTheKeySpace) {
  const uint64_t total = 100'000;
  std::string previous;
  for (uint64_t n = 0; n < total; ++n) {
    const std::string id = SortedUuidV4(/*key=*/7, n, total);
    ASSERT_TRUE(std::regex_match(id, kUuidV4)) << n << ": " << id;
    ASSERT_LT(previous, id) << "at ordinal " << n;
    previous = id;
  }
  // The first and last slices reach both ends of the space, as random UUIDs would.
  EXPECT_EQ(SortedUuidV4(7, 0, total).substr(0, 3), "000");
  EXPECT_EQ(previous.substr(0, 3), "fff");
  // Another key, other ids in the same slices.
  EXPECT_NE(SortedUuidV4(8, 500, total), SortedUuidV4(7, 500, total));
}

TEST(EventIdSourceTest, DerivedModeSendsNoId) {
  const EventIdSource s = EventIdSource::ForClient(EventIdMode::kDerived, 1, "r1", 0);
  EXPECT_EQ(s.For(0), "");
  EXPECT_EQ(s.For(5), "");
}

}  // namespace
}  // namespace gym::loadtest
