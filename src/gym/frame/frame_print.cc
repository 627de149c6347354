// Text preview of a Frame: an aligned table of some rows, then the full shape.
//
//        id  valor  nome
//     0   1   10.5   Ana
//     1   2   null  Beto
//     [2 rows x 3 columns]
//
// Every cell is right-aligned under its header; the left column is the row number in the
// whole frame; null cells print as "null". The shape line always reads "[R rows x C columns]".
#include <algorithm>
#include <string>
#include <vector>

#include "gym/frame/frame.h"
#include "gym/frame/text_table.h"

namespace gym {
std::string Frame::HeadString(size_t n) const { return Preview(Head(n), 0); }

std::string Frame::TailString(size_t n) const {
  const size_t rows = num_rows();
  return Preview(Tail(n), rows - std::min(n, rows));
}

std::string Frame::Preview(const Frame& rows, size_t shown_from) const {
  // The row numbers (in the whole frame) as a first column with an empty header.
  std::vector<int64_t> numbers(rows.num_rows());
  for (size_t r = 0; r < numbers.size(); ++r) numbers[r] = static_cast<int64_t>(shown_from + r);
  std::vector<std::string> names = {""};
  std::vector<Column> columns = {Column::Ints(std::move(numbers))};
  for (size_t c = 0; c < rows.num_columns(); ++c) {
    names.push_back(rows.column_names()[c]);
    columns.push_back(rows.column(c));
  }
  std::string out = FormatTextTable(
      Frame(std::move(names), std::move(columns)),
      {.null_text = "null", .decimals = std::nullopt, .all_right = true, .say_no_rows = false});
  out += '[';
  out += std::to_string(num_rows());
  out += " rows x ";
  out += std::to_string(num_columns());
  out += " columns]\n";
  return out;
}

}  // namespace gym
