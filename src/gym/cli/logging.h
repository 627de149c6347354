// Process-wide logging set-up for the gym binary: level and text or JSON lines, on stderr.
#ifndef GYM_CLI_LOGGING_H_
#define GYM_CLI_LOGGING_H_

#include <string>

#include "absl/status/status.h"

namespace gym {

// `level`: trace, debug, info, warn, error, critical or off. `json`: one JSON object per line
// ({"ts":..., "level":..., "msg":...}) instead of plain text. INVALID_ARGUMENT for a bad level.
absl::Status ConfigureLogging(const std::string& level, bool json);

}  // namespace gym

#endif  // GYM_CLI_LOGGING_H_
