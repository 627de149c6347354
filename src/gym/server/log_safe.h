// LogSafe: a client-controlled string (batch id, event id, timestamp) made fit for one log
// line. A client must not be able to forge a log line (a newline in a batch id), spoof a
// field (a space followed by "committed=999"), or flood the log (a 1 MB id).
//
//   LogSafe("b-17")             // b-17                 (plain ids are unchanged)
//   LogSafe("x\ncommitted=9")   // "x\ncommitted=9"     (quoted, newline escaped)
//   LogSafe(std::string(500, 'a'))  // aaaa...(+404 bytes)
#ifndef GYM_SERVER_LOG_SAFE_H_
#define GYM_SERVER_LOG_SAFE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace gym {

inline constexpr size_t kMaxLoggedBytes = 96;

// Letters, digits and . _ - : / @ + = pass as they are; any other byte puts the value in
// double quotes with \", \\, \n, \r, \t and \xNN escapes. Longer than kMaxLoggedBytes: cut,
// with the number of bytes left out.
std::string LogSafe(std::string_view value);

}  // namespace gym

#endif  // GYM_SERVER_LOG_SAFE_H_
