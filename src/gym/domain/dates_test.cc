// Date: weekdays of known days, strict parsing, the range of text dates, arithmetic across
// month, year and leap days, and the compact UTC stamp.
#include "gym/domain/dates.h"

#include <chrono>
#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace gym {
namespace {

TEST(DateTest, WeekdayOfKnownDates) {
  struct Case {
    const char* date;
    int weekday;  // 0 = Monday
  };
  const Case cases[] = {
      {"1970-01-01", 3},  // the Unix epoch was a Thursday
      {"2000-01-01", 5},  // Saturday
      {"2024-02-29", 3},  // Thursday
      {"2026-11-26", 3},  // Thursday
      {"2026-11-28", 5},  // Saturday
      {"2026-11-29", 6},  // Sunday
      {"2026-11-30", 0},  // Monday
      {"1822-09-07", 5},  // Brazil's independence, a Saturday
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.date);
    const std::optional<Date> d = Date::Parse(c.date);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->Weekday(), c.weekday);
    EXPECT_EQ(d->IsWeekend(), c.weekday >= 5);
  }
}

TEST(DateTest, ParseAcceptsOnlyRealDaysInTheExactForm) {
  const struct {
    const char* text;
    bool ok;
  } cases[] = {
      {"2026-11-26", true},  {"2024-02-29", true},  {"0001-01-01", true},   {"2026-02-29", false},
      {"2026-13-01", false}, {"2026-00-10", false}, {"2026-04-31", false},  {"2026-1-26", false},
      {"26-11-2026", false}, {"2026/11/26", false}, {"2026-11-26 ", false}, {"2026-11-2x", false},
      {"", false},           {"+026-11-26", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(Date::Parse(c.text).has_value(), c.ok);
  }
}

TEST(IsCalendarDate, AcceptsRealDaysOnly) {
  struct Case {
    const char* text;
    bool valid;
  };
  const Case cases[] = {
      {"2024-02-29", true},  {"2023-02-29", false}, {"1900-02-29", false},
      {"2000-02-29", true},  {"2026-04-31", false}, {"2026-12-31", true},
      {"2026-13-01", false}, {"2026-00-10", false}, {"2026-01-00", false},
      {"2026-1-01", false},  {"26-01-01", false},   {"2026/01/01", false},
      {"", false},           {"2026-01-01 ", false}, {"0000-01-01", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(IsCalendarDate(c.text), c.valid);
  }
}

// One calendar: the server's date check refused year 0000 while Date::Parse accepted it (0000
// is a leap year of the proleptic calendar), so a file row could be scored that the wire would
// have rejected. Both now take years 0001-9999.
TEST(DateTest, ParseAndIsCalendarDateAgreeThatYearZeroIsNotADate) {
  const struct {
    const char* text;
    bool ok;
  } cases[] = {
      {"0000-01-01", false}, {"0000-02-29", false}, {"0000-12-31", false},
      {"0001-01-01", true},  {"9999-12-31", true},  {"-001-01-01", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(Date::Parse(c.text).has_value(), c.ok);
    EXPECT_EQ(IsCalendarDate(c.text), c.ok);
  }
}

TEST(DateTest, ToStringPadsAndRoundTrips) {
  EXPECT_EQ((Date{987, 3, 4}).ToString(), "0987-03-04");
  EXPECT_EQ(Date::Parse("2026-11-26")->ToString(), "2026-11-26");
}

TEST(DateTest, AddDaysCrossesMonthsYearsAndLeapDays) {
  const struct {
    const char* from;
    int days;
    const char* to;
  } cases[] = {
      {"2026-11-26", 0, "2026-11-26"},    {"2026-11-26", 5, "2026-12-01"},
      {"2026-12-31", 1, "2027-01-01"},    {"2024-02-28", 1, "2024-02-29"},
      {"2023-02-28", 1, "2023-03-01"},    {"2026-11-26", -365, "2025-11-26"},
      {"2025-03-01", -366, "2024-02-29"}, {"1970-01-01", -1, "1969-12-31"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.from) + " + " + std::to_string(c.days));
    EXPECT_EQ(Date::Parse(c.from)->AddDays(c.days).ToString(), c.to);
  }
}

TEST(DateTest, DaysSinceEpochRoundTrips) {
  EXPECT_EQ((Date{1970, 1, 1}).DaysSinceEpoch(), 0);
  EXPECT_EQ((Date{2000, 3, 1}).DaysSinceEpoch(), 11017);
  for (int64_t days = -800'000; days <= 3'000'000; days += 997) {
    ASSERT_EQ(Date::FromDaysSinceEpoch(days).DaysSinceEpoch(), days);
  }
}

TEST(DateTest, UtcStampIsCompactUtcTruncatedToTheSecond) {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  using std::chrono::system_clock;
  const struct {
    system_clock::time_point when;
    const char* stamp;
  } cases[] = {
      {system_clock::time_point(seconds(1795714200)), "20261126T173000"},
      {system_clock::time_point(seconds(1795714200) + milliseconds(999)), "20261126T173000"},
      {system_clock::time_point(seconds(0)), "19700101T000000"},
      {system_clock::time_point(seconds(-1)), "19691231T235959"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.stamp);
    EXPECT_EQ(UtcStamp(c.when), c.stamp);
  }
}

TEST(DateTest, TodayIsAValidRecentDate) {
  const Date today = Today();
  EXPECT_TRUE(today.IsValid());
  EXPECT_GE(today.year, 2024);
}

}  // namespace
}  // namespace gym

namespace gym {
namespace {

TEST(DateTest, IsValidAgreesWithChronoOnEveryDayOfManyYears) {
  // IsValid counts days by hand for speed; chrono's civil calendar is the reference.
  for (int year : {-32767, -400, -1, 0, 1, 4, 100, 1582, 1900, 2000, 2023, 2024, 2100, 9999,
                   32767}) {
    for (int month = 0; month <= 13; ++month) {
      for (int day = 0; day <= 32; ++day) {
        const bool by_hand = Date{year, month, day}.IsValid();
        const bool by_chrono =
            month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
            std::chrono::year_month_day{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}}
                .ok();
        EXPECT_EQ(by_hand, by_chrono) << year << "-" << month << "-" << day;
      }
    }
  }
}

}  // namespace
}  // namespace gym
