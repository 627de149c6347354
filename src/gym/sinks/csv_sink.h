// CSV sink: a Frame as RFC 4180 text or an atomically replaced file.
//
// A header row, then one line (LF) per row. A field is quoted only when it must be: it holds
// the delimiter, a quote (written doubled), CR or LF, or it is an empty string (a number only
// when it holds the delimiter, as with '.' or '-'). Null is an empty unquoted field, so an
// empty string ("") and null stay apart and ReadCsvFile reads both back as they were. Doubles use
// the shortest text that parses back to the same bit pattern (std::to_chars), nan and inf included.
//
// Reading back gives the same Frame when the reader is given the Frame's schema. With inferred
// types a double column whose values are all whole numbers (written "3") reads back as int64,
// and a string column of digits reads back as a number: pass the schema when it matters.
//
//   absl::Status st = WriteCsvFile(frame, "out/scores.csv");
#ifndef GYM_SINKS_CSV_SINK_H_
#define GYM_SINKS_CSV_SINK_H_

#include <string>

#include "absl/status/status.h"
#include "gym/frame/frame.h"

namespace gym {

// The frame as CSV text. REQUIRES: `delimiter` is an ASCII byte other than quote, CR, LF and
// NUL (std::invalid_argument otherwise: a programming error).
std::string FormatCsv(const Frame& frame, char delimiter = ',');

// Writes the frame to `path + ".tmp"`, flushes it to disk, then renames it over `path`, so a
// reader sees the old file or the whole new one, never a part. Errors name the path.
[[nodiscard]] absl::Status WriteCsvFile(const Frame& frame, const std::string& path,
                                        char delimiter = ',');

}  // namespace gym

#endif  // GYM_SINKS_CSV_SINK_H_
