// PostgreSQL text forms (see pg_text.h).
#include "gym/storage/pg_text.h"

#include <charconv>
#include <cmath>
#include <string_view>

namespace gym {

const char* PgTypeOf(DataType type) {
  switch (type) {
    case DataType::kInt64:
      return "bigint";
    case DataType::kDouble:
      return "double precision";
    default:
      return "text";
  }
}

namespace {

// std::to_chars writes into a buffer of its own: a cell is at most 24 characters (shortest
// round-trip double, or int64), so one stack buffer serves both.
template <typename T>
void AppendNumber(std::string& out, T v) {
  char buf[32];
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void AppendDouble(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "Infinity" : "-Infinity";
  } else {
    AppendNumber(out, v);  // the shortest text that reads back as the same double
  }
}

// Runs without a quote or backslash go in one append: most cells have none. (A plain loop:
// find_first_of with a set calls memchr once per character.)
void AppendQuoted(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '"' && s[i] != '\\') continue;
    out.append(s.data() + run, i - run);
    out.push_back('\\');
    run = i;  // the special character itself starts the next run
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

}  // namespace

void AppendPgCell(std::string& out, const Column& column, size_t row) {
  if (!column.IsValid(row)) {
    out += "NULL";
    return;
  }
  switch (column.type()) {
    case DataType::kInt64:
      AppendNumber(out, column.Int64At(row));
      break;
    case DataType::kDouble:
      AppendDouble(out, column.DoubleAt(row));
      break;
    default:
      AppendQuoted(out, column.StringAt(row));
      break;
  }
}

std::string PgArray(const Column& column, const std::vector<size_t>& rows) {
  std::string out;
  out.reserve(2 + rows.size() * (column.type() == DataType::kString ? 40 : 12));
  out.push_back('{');
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendPgCell(out, column, rows[i]);
  }
  out.push_back('}');
  return out;
}

std::string PgFirstLine(const char* message) {
  const std::string_view s(message);
  return std::string(s.substr(0, s.find('\n')));
}

}  // namespace gym
