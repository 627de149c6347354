// CSV source: RFC 4180 files and text into typed Frames, whole or in bounded chunks.
//
// Rules: the first record is the header; fields may be quoted, with "" for a quote and the
// delimiter or line breaks inside; LF or CRLF line endings; a leading UTF-8 BOM is skipped;
// an empty unquoted field is null, a quoted empty field ("") is the empty string in a string
// column (and null in a numeric one); an empty line is skipped when there are several columns.
// Column types come from CsvOptions::schema (matched to the header by name; the Frame follows
// the schema's order) or are inferred per column: int64 if every value parses as one, else
// double, else string (a column with no values is string). Errors are InvalidArgument (or
// NotFound for a missing file) and name the source and physical line: "new.txt:17: expected 5
// fields, found 4".
//
//   absl::StatusOr<Frame> f = ReadCsvFile("scores.csv");
//   auto reader = CsvReader::Open("big.csv", {.chunk_rows = 10000});
//   while (auto chunk = (*reader)->Next(); chunk.ok() && chunk->has_value()) Use(**chunk);
#ifndef GYM_SOURCES_CSV_SOURCE_H_
#define GYM_SOURCES_CSV_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/frame/schema.h"

namespace gym {

struct CsvOptions {
  // Any ASCII byte except '"', CR, LF and NUL.
  char delimiter = ',';
  // Explicit column types; without it types are inferred over the whole input (ReadCsvFile,
  // ParseCsv) or per chunk (CsvReader).
  std::optional<Schema> schema;
  // Rows per Frame returned by CsvReader::Next.
  size_t chunk_rows = 65536;
};

// Reads a whole CSV file. Errors name `path`.
[[nodiscard]] absl::StatusOr<Frame> ReadCsvFile(const std::string& path,
                                                const CsvOptions& options = {});

// Parses CSV text held in memory. Errors name `source_name`. Empty input gives a Frame with
// no columns (or the schema's columns and no rows).
[[nodiscard]] absl::StatusOr<Frame> ParseCsv(std::string_view text, const CsvOptions& options = {},
                                             std::string_view source_name = "<memory>");

// Streams a CSV file as Frames of at most chunk_rows rows, holding about one chunk of text in
// memory. With inferred types a column never narrows from one chunk to the next (int64 may
// widen to double or string once a later chunk needs it, never back).
class CsvReader final {
 public:
  // Opens `path` and reads its header.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<CsvReader>> Open(
      const std::string& path, const CsvOptions& options = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // The next chunk, or std::nullopt once every row has been returned. After an error the
  // reader is done: further calls return the same error.
  [[nodiscard]] absl::StatusOr<std::optional<Frame>> Next();

  // The header's column names, in file order.
  const std::vector<std::string>& header() const;
  // The Frame schema of the latest chunk (the widest so far); before any row, the explicit
  // schema or string columns.
  Schema schema() const;
  // Bytes of the file consumed so far (for progress reports).
  uint64_t bytes_consumed() const;

 private:
  struct State;
  explicit CsvReader(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace gym

#endif  // GYM_SOURCES_CSV_SOURCE_H_
