// What `gym inspect` found in a file or table, and its three renderings (table, JSON, CSV).
#ifndef GYM_CLI_INSPECT_OUTPUT_H_
#define GYM_CLI_INSPECT_OUTPUT_H_

#include <cstdint>
#include <string>

#include "gym/frame/frame.h"
#include "gym/frame/schema.h"

namespace gym {

struct Inspection {
  std::string path;
  Schema schema;
  uint64_t rows = 0;
  Frame head;  // the first rows
};

// "path: ..., rows: ..., schema: ..." lines, then the head as an aligned text table.
std::string FormatInspectionTable(const Inspection& inspection);

// {"path", "schema": [{"name", "type"}], "rows", "head": [{column: value}]}; null cells (and
// nan or inf, which JSON lacks) are null.
std::string FormatInspectionJson(const Inspection& inspection);

// The "path/rows/schema" lines alone, for --format csv (which prints them on stderr so that
// stdout is a clean CSV of the head).
std::string FormatInspectionSummary(const Inspection& inspection);

}  // namespace gym

#endif  // GYM_CLI_INSPECT_OUTPUT_H_
