// Frame::SortBy: a stable sort of a row permutation, then one gather per column.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "gym/frame/frame.h"

namespace gym {
namespace {

// Three-way comparison of two non-null numbers; NaN sorts after every other number so the
// order stays a strict weak ordering.
template <typename T>
int CompareNumbers(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    const bool a_nan = std::isnan(a);
    const bool b_nan = std::isnan(b);
    if (a_nan || b_nan) return static_cast<int>(a_nan) - static_cast<int>(b_nan);
  }
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Compares rows a and b of one key column: nulls last whatever the order, values by `sign`.
int CompareCells(const Column& col, size_t a, size_t b, int sign) {
  const bool a_valid = col.IsValid(a);
  const bool b_valid = col.IsValid(b);
  if (!a_valid || !b_valid) return static_cast<int>(b_valid) - static_cast<int>(a_valid);
  switch (col.type()) {
    case DataType::kInt64:
      return sign * CompareNumbers(col.Int64At(a), col.Int64At(b));
    case DataType::kDouble:
      return sign * CompareNumbers(col.DoubleAt(a), col.DoubleAt(b));
    case DataType::kString: {
      const int c = col.StringAt(a).compare(col.StringAt(b));
      return sign * ((c > 0) - (c < 0));
    }
  }
  return 0;
}

}  // namespace

Frame Frame::SortBy(const std::vector<std::string>& keys, SortOrder order) const {
  std::vector<const Column*> key_columns;
  key_columns.reserve(keys.size());
  for (const std::string& key : keys) key_columns.push_back(&column(key));
  const int sign = order == SortOrder::kAscending ? 1 : -1;
  std::vector<size_t> rows(num_rows());
  std::iota(rows.begin(), rows.end(), size_t{0});
  std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
    for (const Column* col : key_columns) {
      int c = CompareCells(*col, a, b, sign);
      if (c != 0) return c < 0;
    }
    return false;
  });
  return Take(rows);
}

}  // namespace gym
