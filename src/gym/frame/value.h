// Cell values and column types of a Frame.
//
// A Value is one cell: null, an int64, a double or a string. Records (rows keyed by column
// name, the seed's list of dicts) are built from Values.
#ifndef GYM_FRAME_VALUE_H_
#define GYM_FRAME_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace gym {

enum class DataType { kInt64, kDouble, kString };

// "int64", "double" or "string".
std::string_view DataTypeName(DataType type);
// The type DataTypeName gives `name`, or nullopt.
std::optional<DataType> ParseDataType(std::string_view name);

// std::monostate is null.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

inline bool IsNull(const Value& v) { return std::holds_alternative<std::monostate>(v); }

// The value as text: "" for null, shortest round-trip form for doubles.
std::string ValueToString(const Value& v);

// One row keyed by column name, in column order.
using Record = std::vector<std::pair<std::string, Value>>;

// The value stored under `name` in `record`, or null when absent.
const Value& FieldOf(const Record& record, std::string_view name);

}  // namespace gym

#endif  // GYM_FRAME_VALUE_H_
