#include "gym/cli/flag_checks.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gym::flag {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ParseWholeNumber, AcceptsPlainDecimalInRangeOnly) {
  const struct {
    const char* text;
    int64_t min, max;
    std::optional<int64_t> want;
  } cases[] = {
      {"0", 0, 10, 0},
      {"10", 0, 10, 10},
      {"007", 0, 10, 7},
      {"11", 0, 10, {}},
      {"-1", 0, 10, {}},
      {"-1", -5, 5, -1},
      {"+1", 0, 10, {}},
      {"1.0", 0, 10, {}},
      {"0x10", 0, 100, {}},
      {"", 0, 10, {}},
      {"-", -5, 5, {}},
      {" 1", 0, 10, {}},
      {"9223372036854775807", 0, std::numeric_limits<int64_t>::max(),
       std::numeric_limits<int64_t>::max()},
      {"9223372036854775808", 0, std::numeric_limits<int64_t>::max(), {}},
      {"-9223372036854775808", std::numeric_limits<int64_t>::min(), 0,
       std::numeric_limits<int64_t>::min()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(ParseWholeNumber(c.text, c.min, c.max), c.want);
  }
}

// CLI11 reads "010" as octal 8; the check hands it the canonical decimal.
TEST(WholeNumber, CanonicalizesAndNamesTheRule) {
  CLI::Validator v = WholeNumber(1, 64);
  std::string text = "010";
  EXPECT_THAT(v(text), IsEmpty());
  EXPECT_EQ(text, "10");
  text = "100";
  EXPECT_EQ(v(text), "must be a whole number from 1 to 64, got '100'");
}

// CLI11 reads "-1" into an unsigned flag as 2^64-1.
TEST(Seed, TakesTheWholeUnsignedRangeAndNoSign) {
  CLI::Validator v = Seed();
  std::string text = "18446744073709551615";
  EXPECT_THAT(v(text), IsEmpty());
  for (std::string bad : {"-1", "18446744073709551616", "1e3", "seven"}) {
    SCOPED_TRACE(bad);
    EXPECT_THAT(v(bad), HasSubstr("must be a whole number from 0 to 18446744073709551615"));
  }
}

TEST(CountOrWord, MapsTheWordAndRefusesNegatives) {
  CLI::Validator v = CountOrWord(100, "unlimited", -1);
  std::string text = "unlimited";
  EXPECT_THAT(v(text), IsEmpty());
  EXPECT_EQ(text, "-1");
  text = "-1";
  EXPECT_EQ(v(text), "must be a whole number from 0 to 100 or 'unlimited', got '-1'");
  text = "0";
  EXPECT_THAT(v(text), IsEmpty());
}

TEST(Seconds, FiniteAndPositiveUnlessZeroIsAllowed) {
  CLI::Validator positive = Seconds(/*allow_zero=*/false, 60);
  CLI::Validator any = Seconds(/*allow_zero=*/true, 60);
  for (std::string ok : {"0.5", "60", "1e1"}) {
    SCOPED_TRACE(ok);
    EXPECT_THAT(positive(ok), IsEmpty());
  }
  for (std::string bad : {"0", "-1", "61", "nan", "inf", "x"}) {
    SCOPED_TRACE(bad);
    EXPECT_THAT(positive(bad), HasSubstr("must be a number of seconds > 0 and at most 60, got"));
  }
  std::string zero = "0";
  EXPECT_THAT(any(zero), IsEmpty());
}

// Items are counted from 1, as a person counts them.
TEST(WholeNumberList, NamesTheBadItemByPosition) {
  auto good = ParseWholeNumberList("1,2,20", 1, 100);
  ASSERT_TRUE(std::holds_alternative<std::vector<int64_t>>(good));
  EXPECT_EQ(std::get<std::vector<int64_t>>(good), (std::vector<int64_t>{1, 2, 20}));
  const struct {
    const char* text;
    const char* says;
  } cases[] = {
      {"1,x,3", "item 2 of 3 must be a whole number from 1 to 100, got 'x'"},
      {"0", "item 1 of 1 must be a whole number from 1 to 100, got '0'"},
      {"1,2,", "item 3 of 3 must be a whole number from 1 to 100, got ''"},
      {"5,-1", "item 2 of 2 must be a whole number from 1 to 100, got '-1'"},
      {"", "item 1 of 1 must be a whole number from 1 to 100, got ''"},
  };
  CLI::Validator v = WholeNumberList(1, 100);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::string text = c.text;
    EXPECT_EQ(v(text), c.says);
  }
}

// A factor or a rate reads as a number, not as seconds.
TEST(Number, BoundsWithoutSeconds) {
  CLI::Validator positive = Number(/*allow_zero=*/false, 1000);
  std::string text = "0.5";
  EXPECT_THAT(positive(text), IsEmpty());
  for (const char* bad : {"0", "-1", "1001", "nan", "inf", "2x", ""}) {
    SCOPED_TRACE(bad);
    text = bad;
    EXPECT_EQ(positive(text), "must be a number > 0 and at most 1000, got '" + text + "'");
  }
  CLI::Validator rate = Number(/*allow_zero=*/true, 1e6);
  text = "0";
  EXPECT_THAT(rate(text), IsEmpty());
}

// "--deadline 2" would be two seconds to one reader and two milliseconds to another.
TEST(Duration, WantsAUnit) {
  CLI::Validator v = Duration(3600);
  for (const char* good : {"500ms", "60s", "1m30s", "0.5s", "1h"}) {
    SCOPED_TRACE(good);
    std::string text = good;
    EXPECT_THAT(v(text), IsEmpty());
  }
  for (const char* bad : {"2", "0s", "-1s", "2 s", "2x", "", "2h"}) {
    SCOPED_TRACE(bad);
    std::string text = bad;
    EXPECT_THAT(v(text), HasSubstr("must be a duration with a unit (e.g. 500ms, 60s, 2m)"));
    EXPECT_THAT(v(text), HasSubstr("got '" + text + "'"));
  }
  EXPECT_EQ(DurationValue("1m30s"), std::chrono::seconds(90));
  EXPECT_EQ(DurationValue("500ms"), std::chrono::milliseconds(500));
}

}  // namespace
}  // namespace gym::flag
