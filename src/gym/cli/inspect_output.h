// What `gym inspect` found in a file, a table or a database's list of tables, and the
// renderings (table, JSON, CSV).
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

// A database file's tables: a Frame with columns `table` (string) and `rows` (int64).
struct TableListing {
  std::string path;
  Frame tables;
};

// The frame as an aligned text table (header, rule, one line per row; numbers right-aligned).
std::string FormatFrameTable(const Frame& frame);

// "path: ..., rows: ..., schema: ..." lines, then the head as an aligned text table.
std::string FormatInspectionTable(const Inspection& inspection);

// {"path", "schema": [{"name", "type"}], "rows", "head": [{column: value}]}; null cells (and
// nan or inf, which JSON lacks) are null.
std::string FormatInspectionJson(const Inspection& inspection);

// The "path/rows/schema" lines alone, for --format csv (which prints them on stderr so that
// stdout is a clean CSV of the head).
std::string FormatInspectionSummary(const Inspection& inspection);

// "path: ..., tables: N" then the tables with their row counts; as JSON,
// {"path", "tables": [{"name", "rows"}]}; the summary lines alone for --format csv.
std::string FormatTableListing(const TableListing& listing);
std::string FormatTableListingJson(const TableListing& listing);
std::string FormatTableListingSummary(const TableListing& listing);

}  // namespace gym

#endif  // GYM_CLI_INSPECT_OUTPUT_H_
