// Frame: a typed, columnar in-memory table (the seed's Dataframe, done columnar).
//
// Columns are int64, double or string, each with nulls; names are unique. Operations return
// new Frames and never modify their input, except the explicit mutators AddColumn/AddRow.
// Misuse throws FrameError naming the column or row at fault.
//
//   Frame f = Frame::FromRecords({{{"id", int64_t{1}}, {"valor", 10.5}}});
//   Frame big = f.Filter([](const RowView& r) { return r.Double("valor") > 5; });
//   Frame sums = f.GroupBy({"id"}, {{"valor", Agg::kSum, "total"}});
#ifndef GYM_FRAME_FRAME_H_
#define GYM_FRAME_FRAME_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gym/frame/column.h"
#include "gym/frame/frame_error.h"
#include "gym/frame/schema.h"
#include "gym/frame/value.h"

namespace gym {

class Frame;

// Read-only view of one row, handed to Filter predicates.
class RowView final {
 public:
  RowView(const Frame& frame, size_t row) : frame_(&frame), row_(row) {}
  size_t index() const { return row_; }
  bool IsNull(std::string_view column) const;
  Value Get(std::string_view column) const;
  // Typed getters. Throw FrameError on unknown column, wrong type or null cell.
  int64_t Int(std::string_view column) const;
  double Double(std::string_view column) const;  // int64 columns are widened
  const std::string& String(std::string_view column) const;

 private:
  const Frame* frame_;
  size_t row_;
};

enum class Agg { kCount, kSum, kMean, kMin, kMax };
enum class SortOrder { kAscending, kDescending };

// One aggregate of a GroupBy: `fn` over `column`, output named `as` (default "<fn>_<column>").
struct Aggregate {
  std::string column;
  Agg fn;
  std::string as;
};

class Frame final {
 public:
  Frame() = default;
  // Throws FrameError when names repeat or columns differ in length (naming the column).
  Frame(std::vector<std::string> names, std::vector<Column> columns);

  // Builds from records. Column order is the first appearance of each key; a key missing from
  // a record is null there; a column's type is the widest seen (int64 < double; mixing strings
  // with numbers is an error naming the column and row). A column holding only nulls is int64.
  static Frame FromRecords(const std::vector<Record>& records);
  // Builds an empty frame with the given schema.
  static Frame Empty(const Schema& schema);

  // Shape.
  size_t num_rows() const { return columns_.empty() ? 0 : columns_.front().size(); }
  size_t num_columns() const { return columns_.size(); }
  std::pair<size_t, size_t> shape() const { return {num_rows(), num_columns()}; }
  bool empty() const { return num_rows() == 0; }
  const std::vector<std::string>& column_names() const { return names_; }
  Schema schema() const;
  bool HasColumn(std::string_view name) const;
  // Index of `name`; throws FrameError "unknown column 'x'" when absent.
  size_t ColumnIndex(std::string_view name) const;

  const Column& column(std::string_view name) const { return columns_[ColumnIndex(name)]; }
  const Column& column(size_t i) const { return columns_[i]; }
  Column& mutable_column(std::string_view name) { return columns_[ColumnIndex(name)]; }

  // Mutators. AddColumn replaces a column of the same name; a length different from
  // num_rows() (when the frame has columns) throws. AddRow takes one value per column in
  // order, or a record keyed by name; a wrong width or unknown name throws.
  void AddColumn(std::string name, Column column);
  void AddRow(const std::vector<Value>& values);
  void AddRow(const Record& record);

  // Relational operations; each returns a new Frame.
  Frame Select(const std::vector<std::string>& names) const;
  Frame Drop(const std::vector<std::string>& names) const;
  Frame Rename(const std::vector<std::pair<std::string, std::string>>& from_to) const;
  Frame Filter(const std::function<bool(const RowView&)>& keep) const;
  Frame Slice(size_t begin, size_t end) const;  // rows [begin, end), clamped
  Frame Head(size_t n = 5) const { return Slice(0, n); }
  Frame Tail(size_t n = 5) const;
  Frame Take(const std::vector<size_t>& rows) const;
  // Stable sort by the keys in order; nulls sort last.
  Frame SortBy(const std::vector<std::string>& keys, SortOrder order = SortOrder::kAscending) const;
  // Groups by `keys` (in first-appearance order) and computes `aggs`. Nulls are skipped by
  // sum/mean/min/max; count counts non-null cells (or rows when column is empty). A null key is
  // a group of its own; with no keys all rows form one group. Sum keeps the column's type (0 for
  // a group without values); mean is double; mean/min/max of a group without values are null.
  Frame GroupBy(const std::vector<std::string>& keys, const std::vector<Aggregate>& aggs) const;
  // Row indices per group, in first-appearance order (the seed's group_by).
  std::vector<std::pair<std::vector<Value>, std::vector<size_t>>> GroupIndices(
      const std::vector<std::string>& keys) const;
  // Inner hash join on left_key == right_key. Output: every left column, then every right
  // column except the key; a right column whose name is taken gets `right_suffix`. Left order
  // is kept; several right matches follow right order. Null keys never match.
  Frame InnerJoin(const Frame& right, std::string_view left_key, std::string_view right_key,
                  std::string_view right_suffix = "_right") const;
  // Replaces (or creates as `output`) a column computed cell by cell from `column`. `fn` sees
  // null cells too. The returned values decide the output type: string when they are strings,
  // double when any is a double, otherwise int64 (also when every result is null); mixing
  // strings and numbers throws naming the row.
  Frame Apply(std::string_view column, const std::function<Value(const Value&)>& fn,
              std::string_view output = {}) const;
  // Rows of every frame in order. REQUIRES: identical schemas (throws naming the difference).
  // A frame without columns (Frame()) is skipped, so it concatenates with anything.
  static Frame Concat(const std::vector<Frame>& frames);

  std::vector<Record> ToRecords() const;
  Value At(size_t row, std::string_view column) const;

  // Text preview: an aligned table of the first (Head) or last (Tail) `n` rows, numbered by
  // their position in the frame, nulls as "null", then a line "[R rows x C columns]".
  std::string HeadString(size_t n = 5) const;
  std::string TailString(size_t n = 5) const;
  std::string ToString(size_t max_rows = 20) const { return HeadString(max_rows); }

  bool operator==(const Frame& other) const;

 private:
  std::string Preview(const Frame& rows, size_t shown_from) const;

  std::vector<std::string> names_;
  std::vector<Column> columns_;
};

}  // namespace gym

#endif  // GYM_FRAME_FRAME_H_
