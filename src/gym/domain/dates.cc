// Calendar arithmetic is delegated to <chrono>'s civil calendar; only the text form is ours.
#include "gym/domain/dates.h"

#include <chrono>
#include <cstdio>

namespace gym {
namespace {

std::chrono::year_month_day ToYmd(const Date& d) {
  return std::chrono::year_month_day{std::chrono::year{d.year},
                                     std::chrono::month{static_cast<unsigned>(d.month)},
                                     std::chrono::day{static_cast<unsigned>(d.day)}};
}

Date FromYmd(const std::chrono::year_month_day& ymd) {
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

}  // namespace

void Date::WriteTo(char* out) const {
  const int parts[3] = {year, month, day};
  const int widths[3] = {4, 2, 2};
  size_t pos = 0;
  for (int p = 0; p < 3; ++p) {
    if (p > 0) out[pos++] = '-';
    int value = parts[p];
    for (int w = widths[p] - 1; w >= 0; --w) {
      out[pos + static_cast<size_t>(w)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    pos += static_cast<size_t>(widths[p]);
  }
}

std::string Date::ToString() const {
  std::string text(10, '0');
  WriteTo(text.data());
  return text;
}

std::optional<Date> Date::Parse(std::string_view text) {
  // Every item of every batch the server takes goes through here (and the risk handler's
  // rows): one pass over the ten characters, no calls.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int digits[8];
  constexpr size_t kDigitAt[8] = {0, 1, 2, 3, 5, 6, 8, 9};
  for (int i = 0; i < 8; ++i) {
    const unsigned d = static_cast<unsigned>(text[kDigitAt[i]] - '0');
    if (d > 9) return std::nullopt;
    digits[i] = static_cast<int>(d);
  }
  const Date date{digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3],
                  digits[4] * 10 + digits[5], digits[6] * 10 + digits[7]};
  // Year 0000 is a real year of the proleptic calendar but not a text date (see dates.h).
  if (date.year < 1 || date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > DaysInMonth(date.year, date.month)) {
    return std::nullopt;
  }
  return date;
}

bool Date::IsValid() const {
  // By hand rather than chrono's year_month_day::ok(): the server checks every item's date,
  // and this took measurably less time per batch (server_bench BM_ProtoToFrame). The two agree
  // on every date of years -32767..32767 (a unit test compares them).
  return year >= -32767 && year <= 32767 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

int Date::Weekday() const {
  const std::chrono::weekday wd{std::chrono::sys_days{ToYmd(*this)}};
  return static_cast<int>(wd.iso_encoding()) - 1;
}

int64_t Date::DaysSinceEpoch() const {
  return std::chrono::sys_days{ToYmd(*this)}.time_since_epoch().count();
}

Date Date::FromDaysSinceEpoch(int64_t days) {
  const std::chrono::sys_days point{std::chrono::days{days}};
  return FromYmd(std::chrono::year_month_day{point});
}

Date Date::AddDays(int64_t days) const { return FromDaysSinceEpoch(DaysSinceEpoch() + days); }

Date Today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return FromYmd(std::chrono::year_month_day{now});
}

std::string UtcStamp(std::chrono::system_clock::time_point when) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(when);
  const auto day = std::chrono::floor<std::chrono::days>(seconds);
  const Date date = FromYmd(std::chrono::year_month_day{day});
  const std::chrono::hh_mm_ss<std::chrono::seconds> time{seconds - day};
  char text[32];
  std::snprintf(text, sizeof(text), "%04d%02d%02dT%02d%02d%02d", date.year, date.month, date.day,
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return text;
}

std::string FormatIsoUtc(std::chrono::system_clock::time_point when) {
  const int64_t micros =
      std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch()).count();
  int64_t secs = micros / 1000000;
  int64_t frac = micros % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const Date date = Date::FromDaysSinceEpoch(days);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", date.year, date.month,
                date.day, static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60), static_cast<int>(frac));
  return buf;
}

bool IsCalendarDate(std::string_view text) { return Date::Parse(text).has_value(); }

}  // namespace gym
