// Value helpers: type names, text form of a cell, record lookup.
#include "gym/frame/value.h"

#include <array>
#include <charconv>
#include <string>
#include <string_view>
#include <variant>

namespace gym {

std::string_view DataTypeName(DataType type) {
  switch (type) {
    case DataType::kInt64:
      return "int64";
    case DataType::kDouble:
      return "double";
    case DataType::kString:
      return "string";
  }
  return "unknown";
}

std::optional<DataType> ParseDataType(std::string_view name) {
  for (DataType t : {DataType::kInt64, DataType::kDouble, DataType::kString}) {
    if (DataTypeName(t) == name) return t;
  }
  return std::nullopt;
}

namespace {

// Shortest text that parses back to the same double (std::to_chars without a precision).
std::string DoubleToString(double d) {
  std::array<char, 64> buf{};
  auto result = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  return std::string(buf.data(), result.ptr);
}

}  // namespace

std::string ValueToString(const Value& v) {
  switch (v.index()) {
    case 1:
      return std::to_string(std::get<int64_t>(v));
    case 2:
      return DoubleToString(std::get<double>(v));
    case 3:
      return std::get<std::string>(v);
    default:
      return std::string();
  }
}

const Value& FieldOf(const Record& record, std::string_view name) {
  static const Value kNull;
  for (const auto& [key, value] : record) {
    if (key == name) return value;
  }
  return kNull;
}

}  // namespace gym
