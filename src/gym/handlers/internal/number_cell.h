// How the transaction handlers read a money value: a numeric cell, or text holding one (a
// .txt file read without a schema), finite. One reading, so risk and the currency conversion
// cannot disagree about which rows have a usable valor.
#ifndef GYM_HANDLERS_INTERNAL_NUMBER_CELL_H_
#define GYM_HANDLERS_INTERNAL_NUMBER_CELL_H_

#include <charconv>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <system_error>

#include "gym/frame/column.h"

namespace gym::internal {

// The finite number in row `row` of `column`; nullopt for a null, unparsable text, NaN or an
// infinity. Inline: it runs per row on the server's hot path.
inline std::optional<double> FiniteNumberAt(const Column& column, size_t row) {
  if (!column.IsValid(row)) return std::nullopt;
  double value = 0.0;
  if (column.type() == DataType::kString) {
    const std::string& text = column.StringAt(row);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  } else {
    value = column.NumberAt(row);
  }
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace gym::internal

#endif  // GYM_HANDLERS_INTERNAL_NUMBER_CELL_H_
