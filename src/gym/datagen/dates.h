// Date: a proleptic Gregorian calendar date without time zone, as the mock data and the
// risk model use them ("YYYY-MM-DD" text, weekday, day arithmetic).
//
//   Date d = *Date::Parse("2026-11-26");
//   d.Weekday();              // 3 (Thursday; 0 is Monday)
//   d.AddDays(-30).ToString();  // "2026-10-27"
#ifndef GYM_DATAGEN_DATES_H_
#define GYM_DATAGEN_DATES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gym {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..days in month

  // "YYYY-MM-DD", zero-padded. REQUIRES: 0 <= year <= 9999.
  std::string ToString() const;
  // Writes the 10 characters of ToString() to `out` (no terminator); for hot loops.
  void WriteTo(char* out) const;
  // Accepts exactly "YYYY-MM-DD" naming a real calendar day (2026-02-29 is rejected).
  static std::optional<Date> Parse(std::string_view text);
  // 0 = Monday .. 6 = Sunday.
  int Weekday() const;
  bool IsWeekend() const { return Weekday() >= 5; }
  Date AddDays(int64_t days) const;
  // Days since 1970-01-01 (negative before it).
  int64_t DaysSinceEpoch() const;
  static Date FromDaysSinceEpoch(int64_t days);
  // True for a real calendar day.
  bool IsValid() const;

  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// Today's date in UTC.
Date Today();

}  // namespace gym

#endif  // GYM_DATAGEN_DATES_H_
