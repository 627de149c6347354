// Typed conversion of tokenized CSV columns (see csv_columns.h).
#include "gym/sources/internal/csv_columns.h"

#include <algorithm>
#include <charconv>
#include <system_error>
#include <type_traits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace gym::csv_internal {
namespace {

struct ColumnInput {
  const std::vector<FieldRef>& refs;
  std::string_view data;
  std::string_view scratch;

  std::string_view Text(size_t row) const { return refs[row].Text(data, scratch); }
};

bool ParseInt64(std::string_view s, int64_t* out) {
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

// Inference accepts only text with a digit, so words such as "nan" or "Inf" stay strings;
// an explicit double column also takes nan and inf (what the CSV sink writes for them).
bool ParseDouble(std::string_view s, bool inferring, double* out) {
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, *out);
  if (ec != std::errc() || ptr != end) return false;
  return !inferring || std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Each Fill appends one converted cell per row at the end of `values` (null rows get a default
// and their index, counted from `base`, in `nulls`). It returns the first row whose text does
// not convert, or the row count on success. Empty fields (quoted or not) are null in numeric
// columns.
size_t FillInts(const ColumnInput& in, size_t base, std::vector<int64_t>* values,
                std::vector<size_t>* nulls) {
  const size_t n = in.refs.size();
  const size_t start = values->size();
  values->resize(start + n);
  int64_t* out = values->data() + start;
  for (size_t r = 0; r < n; ++r) {
    if (in.refs[r].size == 0) {
      nulls->push_back(base + r);
    } else if (!ParseInt64(in.Text(r), &out[r])) {
      return r;
    }
  }
  return n;
}

size_t FillDoubles(const ColumnInput& in, bool inferring, size_t base, std::vector<double>* values,
                   std::vector<size_t>* nulls) {
  const size_t n = in.refs.size();
  const size_t start = values->size();
  values->resize(start + n);
  double* out = values->data() + start;
  for (size_t r = 0; r < n; ++r) {
    if (in.refs[r].size == 0) {
      nulls->push_back(base + r);
    } else if (!ParseDouble(in.Text(r), inferring, &out[r])) {
      return r;
    }
  }
  return n;
}

void FillStrings(const ColumnInput& in, size_t base, std::vector<std::string>* values,
                 std::vector<size_t>* nulls) {
  for (size_t r = 0; r < in.refs.size(); ++r) {
    if (in.refs[r].IsNull()) nulls->push_back(base + r);
    values->emplace_back(in.Text(r));
  }
}

// Undoes a failed Fill: the vector and the null list go back to their sizes before it.
template <typename T>
void Rollback(size_t values_size, size_t nulls_size, std::vector<T>* values,
              std::vector<size_t>* nulls) {
  values->resize(values_size);
  nulls->resize(nulls_size);
}

std::string BadValueMessage(std::string_view source, uint64_t line, const ColumnLayout& column,
                            std::string_view text, DataType type) {
  const std::string shown(text.substr(0, 40));
  return absl::StrCat(std::string(source), ":", line, ": column ", column.source_index + 1, " '",
                      column.name, "': '", shown, text.size() > shown.size() ? "...'" : "'",
                      " is not a valid ", std::string(DataTypeName(type)));
}

template <typename T>
Column MakeColumn(std::vector<T> values, const std::vector<size_t>& nulls) {
  Column column;
  if constexpr (std::is_same_v<T, int64_t>) {
    column = Column::Ints(std::move(values));
  } else if constexpr (std::is_same_v<T, double>) {
    column = Column::Doubles(std::move(values));
  } else {
    column = Column::Strings(std::move(values));
  }
  for (size_t r : nulls) column.SetNull(r);
  return column;
}

}  // namespace

void TokenizedRows::Reset(size_t num_columns) {
  columns.resize(num_columns);
  for (auto& c : columns) c.clear();
  row_lines.clear();
  scratch.clear();
}

absl::StatusOr<std::vector<ColumnLayout>> MakeLayout(const std::vector<std::string>& header,
                                                     const std::optional<Schema>& schema,
                                                     std::string_view source,
                                                     uint64_t header_line) {
  auto error = [&](const std::string& message) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(source), ":", header_line, ": ", message));
  };
  absl::flat_hash_map<std::string_view, size_t> index;
  for (size_t i = 0; i < header.size(); ++i) {
    if (!index.emplace(header[i], i).second) {
      return error(absl::StrCat("duplicate column name '", header[i], "'"));
    }
  }
  std::vector<ColumnLayout> layout;
  if (!schema.has_value()) {
    for (size_t i = 0; i < header.size(); ++i) layout.push_back({i, header[i], std::nullopt});
    return layout;
  }
  for (const Field& field : schema->fields()) {
    auto it = index.find(field.name);
    if (it == index.end()) {
      return error(absl::StrCat("schema field '", field.name, "' is not in the header"));
    }
    layout.push_back({it->second, field.name, field.type});
  }
  for (size_t i = 0; i < header.size(); ++i) {
    if (!schema->IndexOf(header[i]).has_value()) {
      return error(
          absl::StrCat("header column ", i + 1, " '", header[i], "' is not in the schema"));
    }
  }
  return layout;
}

absl::StatusOr<CsvStep> AppendRows(CsvTokenizer& tok, std::string_view data, bool at_eof,
                                   size_t* pos, size_t max_rows, TokenizedRows* rows) {
  const size_t width = rows->columns.size();
  while (rows->num_rows() < max_rows) {
    absl::StatusOr<CsvStep> step = tok.Next(data, at_eof, pos, &rows->scratch);
    if (!step.ok() || *step != CsvStep::kRecord) return step;
    const std::vector<FieldRef>& record = tok.record();
    if (record.size() != width) {
      if (record.size() == 1 && record[0].IsNull()) continue;  // blank line
      return tok.Error(tok.record_line(),
                       absl::StrCat("expected ", width, " fields, found ", record.size()));
    }
    for (size_t c = 0; c < width; ++c) rows->columns[c].push_back(record[c]);
    rows->row_lines.push_back(tok.record_line());
  }
  return CsvStep::kRecord;
}

FrameAccumulator::FrameAccumulator(const std::vector<ColumnLayout>& layout,
                                   std::vector<std::optional<DataType>> inferred)
    : layout_(layout), inferred_(std::move(inferred)), outputs_(layout.size()) {
  for (size_t i = 0; i < layout.size(); ++i) {
    outputs_[i].type = layout[i].type.value_or(inferred_[i].value_or(DataType::kString));
  }
}

void FrameAccumulator::Reserve(size_t rows) {
  for (Output& out : outputs_) {
    switch (out.type) {
      case DataType::kInt64:
        out.ints.reserve(rows);
        break;
      case DataType::kDouble:
        out.doubles.reserve(rows);
        break;
      case DataType::kString:
        out.strings.reserve(rows);
        break;
    }
  }
}

absl::StatusOr<DataType> FrameAccumulator::Fill(const ColumnLayout& spec, const TokenizedRows& rows,
                                                std::string_view data, std::string_view source,
                                                DataType type, Output* out) const {
  const ColumnInput in{rows.columns[spec.source_index], data, rows.scratch};
  const bool inferring = !spec.type.has_value();
  const size_t nulls_size = out->nulls.size();
  size_t bad = in.refs.size();
  if (type == DataType::kInt64) {
    const size_t size = out->ints.size();
    bad = FillInts(in, num_rows_, &out->ints, &out->nulls);
    if (bad == in.refs.size()) return type;
    Rollback(size, nulls_size, &out->ints, &out->nulls);
    if (inferring) type = DataType::kDouble;
  }
  if (type == DataType::kDouble && (inferring || bad == in.refs.size())) {
    const size_t size = out->doubles.size();
    bad = FillDoubles(in, inferring, num_rows_, &out->doubles, &out->nulls);
    if (bad == in.refs.size()) return type;
    Rollback(size, nulls_size, &out->doubles, &out->nulls);
    if (inferring) type = DataType::kString;
  }
  if (type == DataType::kString) {
    FillStrings(in, num_rows_, &out->strings, &out->nulls);
    return type;
  }
  return absl::InvalidArgumentError(
      BadValueMessage(source, rows.row_lines[bad], spec, in.Text(bad), type));
}

absl::StatusOr<bool> FrameAccumulator::Append(const TokenizedRows& rows, std::string_view data,
                                              std::string_view source) {
  bool consistent = true;
  for (size_t i = 0; i < layout_.size(); ++i) {
    const ColumnLayout& spec = layout_[i];
    Output& out = outputs_[i];
    DataType start = out.type;
    // An inferred column starts at the narrowest type allowed so far; a chunk without text
    // keeps the current type.
    const std::vector<FieldRef>& refs = rows.columns[spec.source_index];
    const bool has_text =
        std::any_of(refs.begin(), refs.end(), [](const FieldRef& f) { return f.size != 0; });
    if (!spec.type.has_value() && has_text) start = inferred_[i].value_or(DataType::kInt64);
    absl::StatusOr<DataType> type = Fill(spec, rows, data, source, start, &out);
    if (!type.ok()) return type.status();
    if (!spec.type.has_value() && has_text) inferred_[i] = *type;
    if (*type != out.type) {
      // Earlier rows sit in the vector of another type; the other columns still go on, so
      // inferred() covers the whole chunk.
      if (num_rows_ > 0) consistent = false;
      out.type = *type;
    }
  }
  num_rows_ += rows.num_rows();
  return consistent;
}

Frame FrameAccumulator::Finish() && {
  std::vector<std::string> names;
  std::vector<Column> columns;
  for (size_t i = 0; i < layout_.size(); ++i) {
    Output& out = outputs_[i];
    names.push_back(layout_[i].name);
    switch (out.type) {
      case DataType::kInt64:
        columns.push_back(MakeColumn(std::move(out.ints), out.nulls));
        break;
      case DataType::kDouble:
        columns.push_back(MakeColumn(std::move(out.doubles), out.nulls));
        break;
      case DataType::kString:
        columns.push_back(MakeColumn(std::move(out.strings), out.nulls));
        break;
    }
  }
  return Frame(std::move(names), std::move(columns));
}

}  // namespace gym::csv_internal
