// Column: one typed vector of cells with a validity mask (false = null).
//
//   Column c = Column::Make(DataType::kInt64);
//   c.Append(Value{int64_t{7}});
//   c.AppendNull();
//   c.Int64At(0);  // 7
#ifndef GYM_FRAME_COLUMN_H_
#define GYM_FRAME_COLUMN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "gym/frame/value.h"

namespace gym {

class Column final {
 public:
  using Storage = std::variant<std::vector<int64_t>, std::vector<double>, std::vector<std::string>>;

  Column() : Column(DataType::kInt64) {}
  explicit Column(DataType type);
  static Column Make(DataType type) { return Column(type); }
  static Column Ints(std::vector<int64_t> values);
  static Column Doubles(std::vector<double> values);
  static Column Strings(std::vector<std::string> values);

  DataType type() const { return type_; }
  size_t size() const { return valid_.size(); }
  bool IsValid(size_t row) const { return valid_[row] != 0; }
  size_t NullCount() const;

  // Typed access. REQUIRES: the column has that type and the row is valid.
  int64_t Int64At(size_t row) const { return std::get<std::vector<int64_t>>(data_)[row]; }
  double DoubleAt(size_t row) const { return std::get<std::vector<double>>(data_)[row]; }
  const std::string& StringAt(size_t row) const {
    return std::get<std::vector<std::string>>(data_)[row];
  }
  // An int64 or double cell as double. REQUIRES: numeric column, valid row.
  double NumberAt(size_t row) const {
    return type_ == DataType::kInt64 ? static_cast<double>(Int64At(row)) : DoubleAt(row);
  }
  // The cell as a Value (monostate when null).
  Value At(size_t row) const;

  // Direct access to the typed vectors (null cells hold a default value).
  const std::vector<int64_t>& ints() const { return std::get<std::vector<int64_t>>(data_); }
  const std::vector<double>& doubles() const { return std::get<std::vector<double>>(data_); }
  const std::vector<std::string>& strings() const {
    return std::get<std::vector<std::string>>(data_);
  }
  std::vector<int64_t>& mutable_ints() { return std::get<std::vector<int64_t>>(data_); }
  std::vector<double>& mutable_doubles() { return std::get<std::vector<double>>(data_); }
  std::vector<std::string>& mutable_strings() {
    return std::get<std::vector<std::string>>(data_);
  }
  const std::vector<uint8_t>& validity() const { return valid_; }

  // Appends a cell. Throws FrameError when the value's type does not fit the column
  // (an int64 into a double column is widened; anything else mismatched is an error).
  void Append(const Value& v);
  void AppendInt64(int64_t v);
  void AppendDouble(double v);
  void AppendString(std::string v);
  void AppendNull();
  // Appends row `row` of `other`. REQUIRES: same type.
  void AppendFrom(const Column& other, size_t row);
  void Reserve(size_t n);
  void SetNull(size_t row) { valid_[row] = 0; }

  // A new column with rows [begin, end).
  Column Slice(size_t begin, size_t end) const;
  // A new column with the given rows, in the given order.
  Column Take(const std::vector<size_t>& rows) const;
  // Appends every row of `other`. REQUIRES: same type.
  void AppendColumn(const Column& other);

  bool operator==(const Column& other) const;

 private:
  DataType type_;
  Storage data_;
  std::vector<uint8_t> valid_;
};

}  // namespace gym

#endif  // GYM_FRAME_COLUMN_H_
