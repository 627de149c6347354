// Turns tokenized CSV records into a typed Frame: explicit types from a Schema, or inferred
// per column (int64, else double, else string).
//
// Records are kept column by column (TokenizedRows) so each column converts in one sequential
// pass with std::from_chars, straight into the Column's typed vector.
#ifndef GYM_SOURCES_INTERNAL_CSV_COLUMNS_H_
#define GYM_SOURCES_INTERNAL_CSV_COLUMNS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/frame/schema.h"
#include "gym/sources/internal/csv_tokenizer.h"

namespace gym::csv_internal {

// The fields of a run of records, one vector per header column.
struct TokenizedRows {
  std::vector<std::vector<FieldRef>> columns;
  std::vector<uint64_t> row_lines;  // physical line on which each record starts
  std::string scratch;              // unescaped text of kEscaped fields

  size_t num_rows() const { return row_lines.size(); }
  void Reset(size_t num_columns);
};

// One output column: which header column feeds it, its name, and its type when given.
struct ColumnLayout {
  size_t source_index = 0;
  std::string name;
  std::optional<DataType> type;
};

// Output columns for `header`. Without a schema: header order, inferred types. With one: the
// schema's order and types, matched to header columns by name; a header column missing from
// the schema, a schema field missing from the header, or a repeated name is an error naming
// the source and the header line.
absl::StatusOr<std::vector<ColumnLayout>> MakeLayout(const std::vector<std::string>& header,
                                                     const std::optional<Schema>& schema,
                                                     std::string_view source, uint64_t header_line);

// Appends records from `tok` to `rows` until it holds `max_rows` rows (returns kRecord), the
// input ends (kEnd) or the buffer runs out (kNeedMore). A record whose field count differs
// from the header's is an error ("src:17: expected 5 fields, found 4"); an empty line is
// skipped when the header has more than one column (with one column it is a null cell).
absl::StatusOr<CsvStep> AppendRows(CsvTokenizer& tok, std::string_view data, bool at_eof,
                                   size_t* pos, size_t max_rows, TokenizedRows* rows);

// Converts tokenized chunks and appends them, column by column, to the typed vectors of the
// final Frame (no per-chunk Frames, no concatenation copy).
//
// Explicit types come from the layout; a value that does not parse is an error naming source,
// line and column. Other columns are inferred, never below the type given for them in
// `inferred` (nullopt: no value seen yet); a column with no values at all is string.
class FrameAccumulator final {
 public:
  FrameAccumulator(const std::vector<ColumnLayout>& layout,
                   std::vector<std::optional<DataType>> inferred);

  // Appends the rows of one chunk (text in `data` and rows.scratch). Returns false when an
  // inferred column needed a different type than the rows already appended have: the Frame is
  // then spoiled, but further chunks still update inferred(), the types a second pass over the
  // same input must start from.
  absl::StatusOr<bool> Append(const TokenizedRows& rows, std::string_view data,
                              std::string_view source);
  // Reserves room for `rows` rows in total.
  void Reserve(size_t rows);
  // The Frame of every row appended.
  Frame Finish() &&;

  size_t num_rows() const { return num_rows_; }
  const std::vector<std::optional<DataType>>& inferred() const { return inferred_; }

 private:
  struct Output {
    DataType type = DataType::kString;
    std::vector<int64_t> ints;
    std::vector<double> doubles;
    std::vector<std::string> strings;
    std::vector<size_t> nulls;
  };

  // Converts one column of `rows` into `out` as `type`, widening when the column is inferred;
  // returns the type used.
  absl::StatusOr<DataType> Fill(const ColumnLayout& spec, const TokenizedRows& rows,
                                std::string_view data, std::string_view source, DataType type,
                                Output* out) const;

  const std::vector<ColumnLayout>& layout_;
  std::vector<std::optional<DataType>> inferred_;
  std::vector<Output> outputs_;
  size_t num_rows_ = 0;
};

}  // namespace gym::csv_internal

#endif  // GYM_SOURCES_INTERNAL_CSV_COLUMNS_H_
