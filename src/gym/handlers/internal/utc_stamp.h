// A compact UTC time stamp ("20261126T173244") for generated batch ids and file names.
#ifndef GYM_HANDLERS_INTERNAL_UTC_STAMP_H_
#define GYM_HANDLERS_INTERNAL_UTC_STAMP_H_

#include <chrono>
#include <ctime>
#include <string>

#include "fmt/format.h"

namespace gym::internal {

inline std::string UtcStamp(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}", utc.tm_year + 1900, utc.tm_mon + 1,
                     utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

}  // namespace gym::internal

#endif  // GYM_HANDLERS_INTERNAL_UTC_STAMP_H_
