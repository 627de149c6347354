#include "gym/frame/text_table.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace gym {
namespace {

std::string Escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string CellText(const Column& column, size_t row, const TextTableStyle& style) {
  if (!column.IsValid(row)) return style.null_text;
  std::string text;
  if (column.type() == DataType::kDouble && style.decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%.*f", *style.decimals, column.DoubleAt(row));
    text = buffer;
  } else {
    text = ValueToString(column.At(row));
  }
  return style.escape_controls ? Escaped(text) : text;
}

}  // namespace

size_t DisplayWidth(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(
      utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string FormatTextTable(const Frame& frame, const TextTableStyle& style) {
  std::string out;
  if (!style.title.empty()) out += "== " + style.title + " ==\n";
  const size_t shown = std::min(style.max_rows, frame.num_rows());
  // cells[c][0] is the header of column c, then one cell per shown row.
  std::vector<std::vector<std::string>> cells(frame.num_columns());
  std::vector<size_t> widths(frame.num_columns(), 0);
  for (size_t c = 0; c < frame.num_columns(); ++c) {
    cells[c].push_back(frame.column_names()[c]);
    for (size_t r = 0; r < shown; ++r) cells[c].push_back(CellText(frame.column(c), r, style));
    for (const std::string& text : cells[c]) widths[c] = std::max(widths[c], DisplayWidth(text));
  }
  auto line = [&](size_t index) {
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string& text = cells[c][index];
      const std::string pad(widths[c] - std::min(widths[c], DisplayWidth(text)), ' ');
      const bool right =
          style.all_right || (index > 0 && frame.column(c).type() != DataType::kString);
      out += (c > 0 ? style.separator : "") + (right ? pad + text : text + pad);
    }
    // Left-aligned last cells leave trailing blanks; a line ends with its text.
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  };
  if (frame.num_columns() > 0) {
    line(0);
    if (style.rule) {
      // The rule's joints fall under the separators: "|" in " | " becomes "+".
      std::string joint = style.separator;
      std::replace(joint.begin(), joint.end(), ' ', '-');
      std::replace(joint.begin(), joint.end(), '|', '+');
      for (size_t c = 0; c < widths.size(); ++c) {
        out += (c > 0 ? joint : "") + std::string(widths[c], '-');
      }
      out += '\n';
    }
    for (size_t r = 1; r <= shown; ++r) line(r);
  }
  if (frame.num_rows() == 0 && style.say_no_rows) out += "(no rows)\n";
  if (shown < frame.num_rows() && style.say_more_rows) {
    out += "... " + std::to_string(frame.num_rows() - shown) + " more rows\n";
  }
  return out;
}

}  // namespace gym
