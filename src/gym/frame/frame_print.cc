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

namespace gym {
namespace {

constexpr std::string_view kNullText = "null";

void AppendPadded(std::string& out, const std::string& text, size_t width) {
  out.append(width - std::min(width, text.size()), ' ');
  out += text;
}

std::string CellText(const Column& col, size_t row) {
  if (!col.IsValid(row)) return std::string(kNullText);
  return ValueToString(col.At(row));
}

}  // namespace

std::string Frame::HeadString(size_t n) const { return Preview(Head(n), 0); }

std::string Frame::TailString(size_t n) const {
  const size_t rows = num_rows();
  return Preview(Tail(n), rows - std::min(n, rows));
}

std::string Frame::Preview(const Frame& rows, size_t shown_from) const {
  const size_t shown = rows.num_rows();
  // cells[0] is the row-number column; cells[c + 1] is column c, header first.
  std::vector<std::vector<std::string>> cells(rows.num_columns() + 1);
  cells[0].emplace_back();
  for (size_t r = 0; r < shown; ++r) cells[0].push_back(std::to_string(shown_from + r));
  for (size_t c = 0; c < rows.num_columns(); ++c) {
    cells[c + 1].push_back(rows.column_names()[c]);
    for (size_t r = 0; r < shown; ++r) cells[c + 1].push_back(CellText(rows.column(c), r));
  }
  std::vector<size_t> widths;
  for (const auto& col : cells) {
    size_t w = 0;
    for (const std::string& text : col) w = std::max(w, text.size());
    widths.push_back(w);
  }
  std::string out;
  for (size_t line = 0; line <= shown; ++line) {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) out += "  ";
      AppendPadded(out, cells[c][line], widths[c]);
    }
    out += '\n';
  }
  out += '[';
  out += std::to_string(num_rows());
  out += " rows x ";
  out += std::to_string(num_columns());
  out += " columns]\n";
  return out;
}

}  // namespace gym
