// FormatTextTable: a Frame as an aligned text table, the one renderer behind gym run's metric
// tables, gym report, gym inspect and Frame::ToString. Widths count code points, not bytes, so
// accented names (SÃO PAULO, Saúde) line up.
//
//   FormatTextTable(totals, {.title = "transactions per category", .max_rows = 20});
//   == transactions per category ==
//   categoria  transacoes
//   Lazer              12
//   Saúde               9
//
//   FormatTextTable(head, {.separator = " | ", .rule = true, .null_text = "null",
//                          .decimals = std::nullopt, .escape_controls = true});
#ifndef GYM_FRAME_TEXT_TABLE_H_
#define GYM_FRAME_TEXT_TABLE_H_

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "gym/frame/frame.h"

namespace gym {

struct TextTableStyle {
  std::string title;               // set: a "== title ==" line above the table
  std::string separator = "  ";    // between columns
  bool rule = false;               // a "----+----" line under the header
  std::string null_text = "-";
  std::optional<int> decimals = 2;  // digits of doubles; nullopt: as ValueToString writes them
  bool escape_controls = false;     // line breaks and tabs in text written as \n \r \t
  bool all_right = false;           // text right-aligned too (else numbers right, text left)
  size_t max_rows = std::numeric_limits<size_t>::max();
  // Lines for an empty frame ("(no rows)") and for rows past max_rows ("... 3 more rows").
  bool say_no_rows = true;
  bool say_more_rows = true;
};

std::string FormatTextTable(const Frame& frame, const TextTableStyle& style = {});

// Columns `utf8` takes on a terminal: its code points (UTF-8 continuation bytes take none).
size_t DisplayWidth(std::string_view utf8);

}  // namespace gym

#endif  // GYM_FRAME_TEXT_TABLE_H_
