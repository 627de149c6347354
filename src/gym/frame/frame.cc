// Frame construction, records, mutators and accessors; RowView getters.
#include "gym/frame/frame.h"

#include <cstddef>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace gym {
namespace {

std::string Quote(std::string_view name) { return "'" + std::string(name) + "'"; }

// What FromRecords has seen in one column so far.
enum class SeenKind { kOnlyNull, kInt, kDouble, kString };

// Widens `kind` with the type of `v`; throws naming the column and row on string/number mixes.
SeenKind Widen(SeenKind kind, const Value& v, const std::string& column, size_t row) {
  if (IsNull(v)) return kind;
  const bool is_string = std::holds_alternative<std::string>(v);
  if (kind == SeenKind::kOnlyNull) {
    if (is_string) return SeenKind::kString;
    return std::holds_alternative<double>(v) ? SeenKind::kDouble : SeenKind::kInt;
  }
  if (kind == SeenKind::kString && !is_string) {
    throw FrameError("FromRecords: column " + Quote(column) + " row " + std::to_string(row) +
                     ": numeric value in a string column");
  }
  if (kind != SeenKind::kString && is_string) {
    throw FrameError("FromRecords: column " + Quote(column) + " row " + std::to_string(row) +
                     ": string value in a numeric column");
  }
  if (std::holds_alternative<double>(v)) return SeenKind::kDouble;
  return kind;
}

DataType TypeOf(SeenKind kind) {
  switch (kind) {
    case SeenKind::kDouble:
      return DataType::kDouble;
    case SeenKind::kString:
      return DataType::kString;
    default:
      // A column with only nulls has no evidence of its type; int64 is the documented default.
      return DataType::kInt64;
  }
}

// True when `v` can be appended to a column of `type` (null fits every column).
bool Fits(const Value& v, DataType type) {
  switch (v.index()) {
    case 0:
      return true;
    case 1:
      return type != DataType::kString;
    case 2:
      return type == DataType::kDouble;
    default:
      return type == DataType::kString;
  }
}

}  // namespace

Frame::Frame(std::vector<std::string> names, std::vector<Column> columns)
    : names_(std::move(names)), columns_(std::move(columns)) {
  if (names_.size() != columns_.size()) {
    throw FrameError("Frame: " + std::to_string(names_.size()) + " names for " +
                     std::to_string(columns_.size()) + " columns");
  }
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < names_.size(); ++i) {
    if (!seen.insert(names_[i]).second) {
      throw FrameError("Frame: duplicate column " + Quote(names_[i]));
    }
    if (columns_[i].size() != columns_[0].size()) {
      throw FrameError("Frame: column " + Quote(names_[i]) + " has " +
                       std::to_string(columns_[i].size()) + " rows but column " + Quote(names_[0]) +
                       " has " + std::to_string(columns_[0].size()));
    }
  }
}

Frame Frame::FromRecords(const std::vector<Record>& records) {
  std::vector<std::string> names;
  std::vector<SeenKind> kinds;
  std::unordered_map<std::string, size_t> index;
  for (size_t row = 0; row < records.size(); ++row) {
    for (const auto& [key, value] : records[row]) {
      auto [it, inserted] = index.try_emplace(key, names.size());
      if (inserted) {
        names.push_back(key);
        kinds.push_back(SeenKind::kOnlyNull);
      }
      kinds[it->second] = Widen(kinds[it->second], value, key, row);
    }
  }
  std::vector<Column> columns;
  columns.reserve(names.size());
  for (size_t c = 0; c < names.size(); ++c) {
    columns.emplace_back(TypeOf(kinds[c]));
    columns.back().Reserve(records.size());
  }
  for (const Record& record : records) {
    for (size_t c = 0; c < names.size(); ++c) columns[c].Append(FieldOf(record, names[c]));
  }
  return Frame(std::move(names), std::move(columns));
}

Frame Frame::Empty(const Schema& schema) {
  std::vector<Column> columns;
  for (const Field& f : schema.fields()) columns.emplace_back(f.type);
  return Frame(schema.names(), std::move(columns));
}

Schema Frame::schema() const {
  std::vector<Field> fields;
  fields.reserve(names_.size());
  for (size_t i = 0; i < names_.size(); ++i) fields.push_back({names_[i], columns_[i].type()});
  return Schema(std::move(fields));
}

bool Frame::HasColumn(std::string_view name) const {
  for (const std::string& n : names_) {
    if (n == name) return true;
  }
  return false;
}

size_t Frame::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  throw FrameError("unknown column " + Quote(name));
}

void Frame::AddColumn(std::string name, Column column) {
  if (!columns_.empty() && column.size() != num_rows()) {
    throw FrameError("AddColumn " + Quote(name) + ": length " + std::to_string(column.size()) +
                     " does not match " + std::to_string(num_rows()) + " rows");
  }
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) {
      columns_[i] = std::move(column);
      return;
    }
  }
  names_.push_back(std::move(name));
  columns_.push_back(std::move(column));
}

void Frame::AddRow(const std::vector<Value>& values) {
  if (values.size() != columns_.size()) {
    throw FrameError("AddRow: " + std::to_string(values.size()) + " values for " +
                     std::to_string(columns_.size()) + " columns");
  }
  // Check every cell first so a bad row leaves the frame unchanged.
  for (size_t c = 0; c < values.size(); ++c) {
    if (!Fits(values[c], columns_[c].type())) {
      throw FrameError("AddRow: column " + Quote(names_[c]) + " is " +
                       std::string(DataTypeName(columns_[c].type())) + " but the value is '" +
                       ValueToString(values[c]) + "'");
    }
  }
  for (size_t c = 0; c < values.size(); ++c) columns_[c].Append(values[c]);
}

void Frame::AddRow(const Record& record) {
  for (const auto& entry : record) {
    if (!HasColumn(entry.first)) {
      throw FrameError("AddRow: unknown column " + Quote(entry.first));
    }
  }
  std::vector<Value> values;
  values.reserve(names_.size());
  for (const std::string& name : names_) values.push_back(FieldOf(record, name));
  AddRow(values);
}

std::vector<Record> Frame::ToRecords() const {
  std::vector<Record> out(num_rows());
  for (size_t r = 0; r < out.size(); ++r) {
    out[r].reserve(names_.size());
    for (size_t c = 0; c < names_.size(); ++c) out[r].emplace_back(names_[c], columns_[c].At(r));
  }
  return out;
}

Value Frame::At(size_t row, std::string_view column) const {
  const Column& col = this->column(column);
  if (row >= col.size()) {
    throw FrameError("row " + std::to_string(row) + " out of range (" + std::to_string(col.size()) +
                     " rows) in column " + Quote(column));
  }
  return col.At(row);
}

bool Frame::operator==(const Frame& other) const {
  return names_ == other.names_ && columns_ == other.columns_;
}

bool RowView::IsNull(std::string_view column) const {
  return !frame_->column(column).IsValid(row_);
}

Value RowView::Get(std::string_view column) const { return frame_->column(column).At(row_); }

namespace {

// The column `name` checked for a non-null cell at `row`.
const Column& NonNullCell(const Frame& frame, std::string_view name, size_t row) {
  const Column& col = frame.column(name);
  if (!col.IsValid(row)) {
    throw FrameError("column " + Quote(name) + " row " + std::to_string(row) + " is null");
  }
  return col;
}

[[noreturn]] void WrongType(std::string_view name, DataType actual, std::string_view wanted) {
  throw FrameError("column " + Quote(name) + " is " + std::string(DataTypeName(actual)) + ", not " +
                   std::string(wanted));
}

}  // namespace

int64_t RowView::Int(std::string_view column) const {
  const Column& col = NonNullCell(*frame_, column, row_);
  if (col.type() != DataType::kInt64) WrongType(column, col.type(), "int64");
  return col.Int64At(row_);
}

double RowView::Double(std::string_view column) const {
  const Column& col = NonNullCell(*frame_, column, row_);
  if (col.type() == DataType::kString) WrongType(column, col.type(), "numeric");
  return col.NumberAt(row_);
}

const std::string& RowView::String(std::string_view column) const {
  const Column& col = NonNullCell(*frame_, column, row_);
  if (col.type() != DataType::kString) WrongType(column, col.type(), "string");
  return col.StringAt(row_);
}

}  // namespace gym
