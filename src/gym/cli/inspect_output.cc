// Renderings of `gym inspect` results (see inspect_output.h).
#include "gym/cli/inspect_output.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "nlohmann/json.hpp"

namespace gym {
namespace {

// Display width in code points, so accented names line up.
size_t Width(const std::string& text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// One cell as shown in the table: null spelled out, line breaks and tabs escaped.
std::string CellText(const Column& column, size_t row) {
  if (!column.IsValid(row)) return "null";
  std::string out;
  for (char c : ValueToString(column.At(row))) {
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

void AppendPadded(const std::string& text, size_t width, bool right, std::string* out) {
  const std::string pad(width - std::min(width, Width(text)), ' ');
  *out += right ? pad + text : text + pad;
}

nlohmann::ordered_json CellJson(const Column& column, size_t row) {
  if (!column.IsValid(row)) return nullptr;
  switch (column.type()) {
    case DataType::kInt64:
      return column.Int64At(row);
    case DataType::kDouble:
      if (!std::isfinite(column.DoubleAt(row))) return nullptr;
      return column.DoubleAt(row);
    case DataType::kString:
      return column.StringAt(row);
  }
  return nullptr;
}

}  // namespace

std::string FormatInspectionSummary(const Inspection& inspection) {
  return "path:   " + inspection.path + "\nrows:   " + std::to_string(inspection.rows) +
         "\nschema: " + inspection.schema.ToString() + "\n";
}

std::string FormatFrameTable(const Frame& head) {
  std::string out;
  if (head.num_columns() == 0) return out;
  std::vector<std::vector<std::string>> cells(head.num_columns());
  std::vector<size_t> widths(head.num_columns());
  for (size_t c = 0; c < head.num_columns(); ++c) {
    widths[c] = Width(head.column_names()[c]);
    for (size_t r = 0; r < head.num_rows(); ++r) {
      cells[c].push_back(CellText(head.column(c), r));
      widths[c] = std::max(widths[c], Width(cells[c].back()));
    }
  }
  for (size_t c = 0; c < head.num_columns(); ++c) {
    out += c == 0 ? "" : " | ";
    AppendPadded(head.column_names()[c], widths[c], false, &out);
  }
  out += "\n";
  for (size_t c = 0; c < head.num_columns(); ++c) {
    out += (c == 0 ? "" : "-+-") + std::string(widths[c], '-');
  }
  out += "\n";
  for (size_t r = 0; r < head.num_rows(); ++r) {
    for (size_t c = 0; c < head.num_columns(); ++c) {
      out += c == 0 ? "" : " | ";
      AppendPadded(cells[c][r], widths[c], head.column(c).type() != DataType::kString, &out);
    }
    out += "\n";
  }
  return out;
}

std::string FormatInspectionTable(const Inspection& inspection) {
  std::string out = FormatInspectionSummary(inspection);
  const Frame& head = inspection.head;
  if (head.num_columns() == 0) return out;
  out += '\n';
  out += FormatFrameTable(head);
  if (inspection.rows > head.num_rows()) {
    out += "(first " + std::to_string(head.num_rows()) + " of " + std::to_string(inspection.rows) +
           " rows)\n";
  }
  return out;
}

std::string FormatTableListingSummary(const TableListing& listing) {
  return "path:   " + listing.path + "\ntables: " + std::to_string(listing.tables.num_rows()) +
         (listing.tables.num_rows() == 0 ? " (an empty database)" : "") + "\n";
}

std::string FormatTableListing(const TableListing& listing) {
  std::string out = FormatTableListingSummary(listing);
  if (listing.tables.num_rows() == 0) return out;
  out += '\n';
  out += FormatFrameTable(listing.tables);
  out += "\n(gym inspect " + listing.path + ":TABLE shows one)\n";
  return out;
}

std::string FormatTableListingJson(const TableListing& listing) {
  nlohmann::ordered_json doc;
  doc["path"] = listing.path;
  doc["tables"] = nlohmann::ordered_json::array();
  const Frame& t = listing.tables;
  for (size_t r = 0; r < t.num_rows(); ++r) {
    doc["tables"].push_back(
        {{"name", t.column("table").StringAt(r)}, {"rows", t.column("rows").Int64At(r)}});
  }
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string FormatInspectionJson(const Inspection& inspection) {
  nlohmann::ordered_json doc;
  doc["path"] = inspection.path;
  doc["schema"] = nlohmann::ordered_json::array();
  for (const Field& field : inspection.schema.fields()) {
    doc["schema"].push_back(
        {{"name", field.name}, {"type", std::string(DataTypeName(field.type))}});
  }
  doc["rows"] = inspection.rows;
  doc["head"] = nlohmann::ordered_json::array();
  const Frame& head = inspection.head;
  for (size_t r = 0; r < head.num_rows(); ++r) {
    nlohmann::ordered_json row = nlohmann::ordered_json::object();
    for (size_t c = 0; c < head.num_columns(); ++c) {
      row[head.column_names()[c]] = CellJson(head.column(c), r);
    }
    doc["head"].push_back(std::move(row));
  }
  // SQLite text is not checked as UTF-8; replace bad bytes rather than fail the dump.
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace gym
