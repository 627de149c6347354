// Exact parsing of dates and ISO 8601 timestamps (see timestamps.h).
#include "gym/server/timestamps.h"

#include <cstdint>
#include <cstdio>

#include "absl/status/status.h"
#include "fmt/core.h"
#include "gym/server/log_safe.h"

namespace gym {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads `n` digits at `pos`; false when any is not a digit or the text is too short.
bool ReadDigits(std::string_view text, size_t pos, size_t n, int* out) {
  if (pos + n > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(text[i])) return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool ValidYmd(int y, int m, int d) {
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe + era * 400 + (*m <= 2 ? 1 : 0));
}

absl::Status Malformed(std::string_view text, std::string_view what) {
  return absl::InvalidArgumentError(
      fmt::format("timestamp {}: {} (want ISO 8601 such as 2026-11-26T17:30:00.123+00:00)",
                  LogSafe(text), what));
}

}  // namespace

bool IsCalendarDate(std::string_view text) {
  int y = 0, m = 0, d = 0;
  return text.size() == 10 && text[4] == '-' && text[7] == '-' && ReadDigits(text, 0, 4, &y) &&
         ReadDigits(text, 5, 2, &m) && ReadDigits(text, 8, 2, &d) && ValidYmd(y, m, d);
}

absl::StatusOr<SystemTime> ParseIsoTimestamp(std::string_view text) {
  if (text.size() < 19 || !IsCalendarDate(text.substr(0, 10))) {
    return Malformed(text, "no valid YYYY-MM-DD date at the start");
  }
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') {
    return Malformed(text, "expected 'T' after the date");
  }
  int hh = 0, mi = 0, ss = 0;
  if (!ReadDigits(text, 11, 2, &hh) || text[13] != ':' || !ReadDigits(text, 14, 2, &mi) ||
      text[16] != ':' || !ReadDigits(text, 17, 2, &ss) || hh > 23 || mi > 59 || ss > 60) {
    return Malformed(text, "time is not HH:MM:SS");
  }
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    const size_t start = pos;
    int64_t scale = 100000000;
    while (pos < text.size() && IsDigit(text[pos])) {
      nanos += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return Malformed(text, "empty fraction of a second");
  }
  int64_t offset_minutes = 0;
  if (pos < text.size()) {
    const char sign = text[pos];
    if ((sign == 'Z' || sign == 'z') && pos + 1 == text.size()) {
      pos = text.size();
    } else if (sign == '+' || sign == '-') {
      int oh = 0, om = 0;
      const bool colon = pos + 3 < text.size() && text[pos + 3] == ':';
      const size_t minutes_at = pos + (colon ? 4 : 3);
      if (!ReadDigits(text, pos + 1, 2, &oh) || !ReadDigits(text, minutes_at, 2, &om) ||
          minutes_at + 2 != text.size() || oh > 23 || om > 59) {
        return Malformed(text, "offset is not +HH:MM");
      }
      offset_minutes = (oh * 60 + om) * (sign == '-' ? -1 : 1);
      pos = text.size();
    } else {
      return Malformed(text, "unexpected text after the time");
    }
  }
  int y = 0, m = 0, d = 0;
  ReadDigits(text, 0, 4, &y);
  ReadDigits(text, 5, 2, &m);
  ReadDigits(text, 8, 2, &d);
  const int64_t seconds = DaysFromCivil(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss -
                          offset_minutes * 60;
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(
      std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos)));
}

std::string FormatIsoUtc(SystemTime time) {
  const int64_t micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
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
  int y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", y, m, d,
                static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60), static_cast<int>(frac));
  return buf;
}

}  // namespace gym
