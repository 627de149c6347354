#include "gym/cli/frame_json.h"

#include <cmath>

namespace gym {
namespace {

nlohmann::ordered_json CellJson(const Column& column, size_t row) {
  if (!column.IsValid(row)) return nullptr;
  switch (column.type()) {
    case DataType::kInt64:
      return column.Int64At(row);
    case DataType::kDouble:
      // JSON has no NaN or infinity.
      if (!std::isfinite(column.DoubleAt(row))) return nullptr;
      return column.DoubleAt(row);
    case DataType::kString:
      return column.StringAt(row);
  }
  return nullptr;
}

}  // namespace

nlohmann::ordered_json FrameRowsJson(const Frame& frame) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (size_t r = 0; r < frame.num_rows(); ++r) {
    nlohmann::ordered_json row = nlohmann::ordered_json::object();
    for (size_t c = 0; c < frame.num_columns(); ++c) {
      row[frame.column_names()[c]] = CellJson(frame.column(c), r);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace gym
