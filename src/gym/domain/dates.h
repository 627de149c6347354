// Date: a proleptic Gregorian calendar date without time zone, the one calendar of gym: the
// server's date fields and timestamps, the mock data and the risk model all use it ("YYYY-MM-DD"
// text, weekday, day arithmetic).
//
// Text dates run from 0001-01-01 to 9999-12-31: Parse and IsCalendarDate refuse year 0000. The
// server refused it and the mock data's Date::Parse accepted it, so a file row could be scored
// that the wire would have rejected; we chose the server's range because it is the contract
// clients already see, and because the seed's clients write dates with Python's datetime.date,
// whose years start at 1 (ISO 8601 itself allows 0000 only by agreement between the parties).
// Arithmetic (AddDays, FromDaysSinceEpoch) is not limited to that range; IsValid says whether a
// Date is a real day of the calendar at all.
//
//   Date d = *Date::Parse("2026-11-26");
//   d.Weekday();              // 3 (Thursday; 0 is Monday)
//   d.AddDays(-30).ToString();  // "2026-10-27"
//   IsCalendarDate("0000-01-01");  // false
//   UtcStamp(now);                 // "20261126T173244"
#ifndef GYM_DOMAIN_DATES_H_
#define GYM_DOMAIN_DATES_H_

#include <chrono>
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
  // Accepts exactly "YYYY-MM-DD" naming a real calendar day from 0001-01-01 to 9999-12-31
  // (2026-02-29 and 0000-01-01 are rejected).
  static std::optional<Date> Parse(std::string_view text);
  // 0 = Monday .. 6 = Sunday.
  int Weekday() const;
  bool IsWeekend() const { return Weekday() >= 5; }
  Date AddDays(int64_t days) const;
  // Days since 1970-01-01 (negative before it).
  int64_t DaysSinceEpoch() const;
  static Date FromDaysSinceEpoch(int64_t days);
  // True for a real calendar day, of any year from -32767 to 32767 (arithmetic may leave the
  // range of text dates).
  bool IsValid() const;

  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// Today's date in UTC.
Date Today();

// A compact UTC time stamp ("20261126T173244") for generated batch ids and file names.
std::string UtcStamp(std::chrono::system_clock::time_point when);

// ISO 8601 in UTC with microseconds and a 'Z' ("2026-11-26T17:30:00.123456Z"): the stamp of
// stored rows (ingested_at, a metric table's updated_at).
std::string FormatIsoUtc(std::chrono::system_clock::time_point when);

// True when `text` is exactly YYYY-MM-DD and names a real day (years 0001-9999): the same test
// as Date::Parse, for callers that only validate.
bool IsCalendarDate(std::string_view text);

}  // namespace gym

#endif  // GYM_DOMAIN_DATES_H_
