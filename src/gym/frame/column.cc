// Column: typed storage plus validity mask; appends, slicing and gathering of rows.
#include "gym/frame/column.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "gym/frame/frame_error.h"

namespace gym {
namespace {

Column::Storage MakeStorage(DataType type) {
  switch (type) {
    case DataType::kInt64:
      return std::vector<int64_t>();
    case DataType::kDouble:
      return std::vector<double>();
    case DataType::kString:
      return std::vector<std::string>();
  }
  throw FrameError("unknown column type");
}

// Name of the type held by a Value, for error messages.
std::string_view ValueTypeName(const Value& v) {
  switch (v.index()) {
    case 1:
      return "int64";
    case 2:
      return "double";
    case 3:
      return "string";
    default:
      return "null";
  }
}

}  // namespace

Column::Column(DataType type) : type_(type), data_(MakeStorage(type)) {}

Column Column::Ints(std::vector<int64_t> values) {
  Column c(DataType::kInt64);
  c.valid_.assign(values.size(), 1);
  c.data_ = std::move(values);
  return c;
}

Column Column::Doubles(std::vector<double> values) {
  Column c(DataType::kDouble);
  c.valid_.assign(values.size(), 1);
  c.data_ = std::move(values);
  return c;
}

Column Column::Strings(std::vector<std::string> values) {
  Column c(DataType::kString);
  c.valid_.assign(values.size(), 1);
  c.data_ = std::move(values);
  return c;
}

size_t Column::NullCount() const {
  return static_cast<size_t>(std::count(valid_.begin(), valid_.end(), uint8_t{0}));
}

Value Column::At(size_t row) const {
  if (!IsValid(row)) return Value{};
  switch (type_) {
    case DataType::kInt64:
      return Value{Int64At(row)};
    case DataType::kDouble:
      return Value{DoubleAt(row)};
    case DataType::kString:
      return Value{StringAt(row)};
  }
  return Value{};
}

void Column::Append(const Value& v) {
  if (gym::IsNull(v)) {
    AppendNull();
  } else if (type_ == DataType::kInt64 && std::holds_alternative<int64_t>(v)) {
    AppendInt64(std::get<int64_t>(v));
  } else if (type_ == DataType::kDouble && std::holds_alternative<double>(v)) {
    AppendDouble(std::get<double>(v));
  } else if (type_ == DataType::kDouble && std::holds_alternative<int64_t>(v)) {
    AppendDouble(static_cast<double>(std::get<int64_t>(v)));
  } else if (type_ == DataType::kString && std::holds_alternative<std::string>(v)) {
    AppendString(std::get<std::string>(v));
  } else {
    throw FrameError("cannot append a " + std::string(ValueTypeName(v)) + " value to a " +
                     std::string(DataTypeName(type_)) + " column");
  }
}

void Column::AppendInt64(int64_t v) {
  mutable_ints().push_back(v);
  valid_.push_back(1);
}

void Column::AppendDouble(double v) {
  mutable_doubles().push_back(v);
  valid_.push_back(1);
}

void Column::AppendString(std::string v) {
  mutable_strings().push_back(std::move(v));
  valid_.push_back(1);
}

void Column::AppendNull() {
  std::visit([](auto& vec) { vec.emplace_back(); }, data_);
  valid_.push_back(0);
}

void Column::AppendFrom(const Column& other, size_t row) {
  std::visit(
      [&](auto& vec) {
        using Vec = std::decay_t<decltype(vec)>;
        vec.push_back(std::get<Vec>(other.data_)[row]);
      },
      data_);
  valid_.push_back(other.valid_[row]);
}

void Column::Reserve(size_t n) {
  std::visit([n](auto& vec) { vec.reserve(n); }, data_);
  valid_.reserve(n);
}

Column Column::Slice(size_t begin, size_t end) const {
  end = std::min(end, size());
  begin = std::min(begin, end);
  Column out(type_);
  std::visit(
      [&](const auto& vec) {
        using Vec = std::decay_t<decltype(vec)>;
        out.data_ = Vec(vec.begin() + static_cast<std::ptrdiff_t>(begin),
                        vec.begin() + static_cast<std::ptrdiff_t>(end));
      },
      data_);
  out.valid_.assign(valid_.begin() + static_cast<std::ptrdiff_t>(begin),
                    valid_.begin() + static_cast<std::ptrdiff_t>(end));
  return out;
}

Column Column::Take(const std::vector<size_t>& rows) const {
  Column out(type_);
  std::visit(
      [&](const auto& vec) {
        using Vec = std::decay_t<decltype(vec)>;
        Vec taken;
        taken.reserve(rows.size());
        for (size_t r : rows) taken.push_back(vec[r]);
        out.data_ = std::move(taken);
      },
      data_);
  out.valid_.reserve(rows.size());
  for (size_t r : rows) out.valid_.push_back(valid_[r]);
  return out;
}

void Column::AppendColumn(const Column& other) {
  if (other.type_ != type_) {
    throw FrameError("cannot append a " + std::string(DataTypeName(other.type_)) + " column to a " +
                     std::string(DataTypeName(type_)) + " column");
  }
  std::visit(
      [&](auto& vec) {
        using Vec = std::decay_t<decltype(vec)>;
        const Vec& src = std::get<Vec>(other.data_);
        vec.insert(vec.end(), src.begin(), src.end());
      },
      data_);
  valid_.insert(valid_.end(), other.valid_.begin(), other.valid_.end());
}

bool Column::operator==(const Column& other) const {
  if (type_ != other.type_ || valid_ != other.valid_) return false;
  // Null cells hold unspecified defaults, so only valid cells are compared.
  return std::visit(
      [&](const auto& vec) {
        using Vec = std::decay_t<decltype(vec)>;
        const Vec& rhs = std::get<Vec>(other.data_);
        for (size_t i = 0; i < vec.size(); ++i) {
          if (valid_[i] && !(vec[i] == rhs[i])) return false;
        }
        return true;
      },
      data_);
}

}  // namespace gym
