// Frame operations on columns and rows: select, drop, rename, filter, slice, take, apply,
// concat. Sorting, grouping and joining live in frame_sort.cc, frame_group.cc, frame_join.cc.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "gym/frame/frame.h"

namespace gym {
namespace {

std::string Quote(std::string_view name) { return "'" + std::string(name) + "'"; }

// The output column type for Apply, from what the function returned (see Frame::Apply).
DataType ApplyResultType(const std::vector<Value>& values, std::string_view column) {
  bool any_int = false;
  bool any_double = false;
  bool any_string = false;
  for (size_t row = 0; row < values.size(); ++row) {
    any_int |= std::holds_alternative<int64_t>(values[row]);
    any_double |= std::holds_alternative<double>(values[row]);
    any_string |= std::holds_alternative<std::string>(values[row]);
    if (any_string && (any_int || any_double)) {
      throw FrameError("Apply " + Quote(column) + ": row " + std::to_string(row) +
                       " mixes string and numeric results");
    }
  }
  if (any_string) return DataType::kString;
  if (any_double) return DataType::kDouble;
  return DataType::kInt64;
}

}  // namespace

Frame Frame::Select(const std::vector<std::string>& names) const {
  std::vector<Column> columns;
  columns.reserve(names.size());
  for (const std::string& name : names) columns.push_back(column(name));
  return Frame(names, std::move(columns));
}

Frame Frame::Drop(const std::vector<std::string>& names) const {
  std::unordered_set<std::string_view> dropped;
  for (const std::string& name : names) {
    ColumnIndex(name);
    dropped.insert(name);
  }
  std::vector<std::string> kept_names;
  std::vector<Column> kept;
  for (size_t i = 0; i < names_.size(); ++i) {
    if (dropped.count(names_[i])) continue;
    kept_names.push_back(names_[i]);
    kept.push_back(columns_[i]);
  }
  return Frame(std::move(kept_names), std::move(kept));
}

Frame Frame::Rename(const std::vector<std::pair<std::string, std::string>>& from_to) const {
  std::vector<std::string> names = names_;
  std::unordered_map<std::string_view, std::string_view> renames;
  for (const auto& [from, to] : from_to) {
    ColumnIndex(from);
    if (!renames.try_emplace(from, to).second) {
      throw FrameError("Rename: column " + Quote(from) + " renamed twice");
    }
  }
  for (std::string& name : names) {
    auto it = renames.find(name);
    if (it != renames.end()) name = std::string(it->second);
  }
  return Frame(std::move(names), columns_);
}

Frame Frame::Filter(const std::function<bool(const RowView&)>& keep) const {
  std::vector<size_t> rows;
  const size_t n = num_rows();
  for (size_t row = 0; row < n; ++row) {
    if (keep(RowView(*this, row))) rows.push_back(row);
  }
  return Take(rows);
}

Frame Frame::Slice(size_t begin, size_t end) const {
  std::vector<Column> columns;
  columns.reserve(columns_.size());
  for (const Column& c : columns_) columns.push_back(c.Slice(begin, end));
  return Frame(names_, std::move(columns));
}

Frame Frame::Tail(size_t n) const {
  const size_t rows = num_rows();
  return Slice(rows - std::min(n, rows), rows);
}

Frame Frame::Take(const std::vector<size_t>& rows) const {
  const size_t n = num_rows();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] >= n) {
      throw FrameError("Take: row " + std::to_string(rows[i]) + " (position " + std::to_string(i) +
                       ") out of range for " + std::to_string(n) + " rows");
    }
  }
  std::vector<Column> columns;
  columns.reserve(columns_.size());
  for (const Column& c : columns_) columns.push_back(c.Take(rows));
  return Frame(names_, std::move(columns));
}

Frame Frame::Apply(std::string_view column_name, const std::function<Value(const Value&)>& fn,
                   std::string_view output) const {
  const Column& source = column(column_name);
  std::vector<Value> results;
  results.reserve(source.size());
  for (size_t row = 0; row < source.size(); ++row) results.push_back(fn(source.At(row)));
  Column out(ApplyResultType(results, column_name));
  out.Reserve(results.size());
  for (const Value& v : results) out.Append(v);
  Frame result = *this;
  result.AddColumn(std::string(output.empty() ? column_name : output), std::move(out));
  return result;
}

namespace {

// Throws naming the first column where `schema` differs from `expected`.
void CheckSameSchema(const Schema& expected, size_t expected_index, const Schema& schema,
                     size_t frame_index) {
  const std::string where = "Concat: frame " + std::to_string(frame_index);
  const std::string reference = "frame " + std::to_string(expected_index);
  const size_t common = std::min(expected.size(), schema.size());
  for (size_t i = 0; i < common; ++i) {
    const Field& want = expected.field(i);
    const Field& got = schema.field(i);
    if (want == got) continue;
    throw FrameError(where + " column " + std::to_string(i) + " is " + Quote(got.name) + ":" +
                     std::string(DataTypeName(got.type)) + " but " + reference + " has " +
                     Quote(want.name) + ":" + std::string(DataTypeName(want.type)));
  }
  if (schema.size() > common) {
    throw FrameError(where + " has extra column " + Quote(schema.field(common).name));
  }
  if (expected.size() > common) {
    throw FrameError(where + " lacks column " + Quote(expected.field(common).name));
  }
}

}  // namespace

Frame Frame::Concat(const std::vector<Frame>& frames) {
  // A frame without columns (default-constructed) adds nothing and fits any schema.
  const Frame* first = nullptr;
  size_t first_index = 0;
  size_t total_rows = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    if (frames[i].num_columns() == 0) continue;
    if (first == nullptr) {
      first = &frames[i];
      first_index = i;
    } else {
      CheckSameSchema(first->schema(), first_index, frames[i].schema(), i);
    }
    total_rows += frames[i].num_rows();
  }
  if (first == nullptr) return Frame();
  std::vector<Column> columns;
  for (const Column& c : first->columns_) {
    columns.emplace_back(c.type());
    columns.back().Reserve(total_rows);
  }
  for (const Frame& f : frames) {
    for (size_t c = 0; c < f.columns_.size(); ++c) columns[c].AppendColumn(f.columns_[c]);
  }
  return Frame(first->names_, std::move(columns));
}

}  // namespace gym
