// Exact parsing of ISO 8601 timestamps (see timestamps.h); days are counted by domain/dates.h.
#include "gym/server/timestamps.h"

#include <cstdint>
#include <cstdio>
#include <optional>

#include "absl/status/status.h"
#include "fmt/core.h"
#include "gym/domain/dates.h"
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

absl::Status Malformed(std::string_view text, std::string_view what) {
  return absl::InvalidArgumentError(
      fmt::format("timestamp {}: {} (want ISO 8601 such as 2026-11-26T17:30:00.123+00:00)",
                  LogSafe(text), what));
}

}  // namespace

absl::StatusOr<SystemTime> ParseIsoTimestamp(std::string_view text) {
  const std::optional<Date> date =
      text.size() < 19 ? std::nullopt : Date::Parse(text.substr(0, 10));
  if (!date) return Malformed(text, "no valid YYYY-MM-DD date at the start");
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
  const int64_t seconds =
      date->DaysSinceEpoch() * 86400 + hh * 3600 + mi * 60 + ss - offset_minutes * 60;
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(
      std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos)));
}

}  // namespace gym
