// Process-wide logging set-up for the gym binary: level and text or JSON lines, on stderr.
// gRPC's and protobuf's own messages are routed through the same logger, so with --log-json
// every line on stderr is one JSON object.
#ifndef GYM_CLI_LOGGING_H_
#define GYM_CLI_LOGGING_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace gym {

// `level`: trace, debug, info, warn, error, critical or off. `json`: one JSON object per line
// ({"ts":..., "level":..., "msg":...}) instead of plain text. INVALID_ARGUMENT for a bad level.
absl::Status ConfigureLogging(const std::string& level, bool json);

// The final line of a command that failed: "<command>: <message>" on stderr, or an error
// record when logging is JSON.
void ReportFailure(std::string_view command, std::string_view message);

}  // namespace gym

#endif  // GYM_CLI_LOGGING_H_
