// PostgreSQL text forms (see pg_text.h).
#include "gym/storage/pg_text.h"

#include <cmath>
#include <string_view>

#include "fmt/format.h"

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

void AppendDouble(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "Infinity" : "-Infinity";
  } else {
    fmt::format_to(std::back_inserter(out), "{:.17g}", v);
  }
}

void AppendQuoted(std::string& out, const std::string& s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
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
      fmt::format_to(std::back_inserter(out), "{}", column.Int64At(row));
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
