// ISO 8601 timestamps as the ingestion server reads and writes them. Their date part is checked
// and counted by gym's one calendar, domain/dates.h (years 0001-9999).
//
//   ParseIsoTimestamp("2026-11-26T17:30:00.123+00:00") // a time point, UTC
//   FormatIsoUtc(now)                                  // "2026-11-26T17:30:00.123456Z"
//
// Written here rather than with strptime so that parsing is exact (no locale, no lenient
// field overflow such as February 30 rolling into March) and cheap on the hot path.
#ifndef GYM_SERVER_TIMESTAMPS_H_
#define GYM_SERVER_TIMESTAMPS_H_

#include <chrono>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "gym/domain/dates.h"

namespace gym {

using SystemTime = std::chrono::system_clock::time_point;

// Parses YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM|-HH:MM|+HHMM|-HHMM]. A space may stand for
// the 'T'. Without an offset the time is taken as UTC (Python's naive isoformat()).
// INVALID_ARGUMENT naming the part at fault otherwise.
absl::StatusOr<SystemTime> ParseIsoTimestamp(std::string_view text);

// FormatIsoUtc (UTC with microseconds and a 'Z' suffix) is in gym/domain/dates.h.

}  // namespace gym

#endif  // GYM_SERVER_TIMESTAMPS_H_
