// Renderings of `gym inspect` results (see inspect_output.h).
#include "gym/cli/inspect_output.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gym/cli/frame_json.h"
#include "gym/frame/text_table.h"
#include "nlohmann/json.hpp"

namespace gym {
std::string FormatInspectionSummary(const Inspection& inspection) {
  return "path:   " + inspection.path + "\nrows:   " + std::to_string(inspection.rows) +
         "\nschema: " + inspection.schema.ToString() + "\n";
}

std::string FormatFrameTable(const Frame& head) {
  return FormatTextTable(head, {.separator = " | ",
                                .rule = true,
                                .null_text = "null",
                                .decimals = std::nullopt,
                                .escape_controls = true,
                                .say_no_rows = false});
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
  doc["head"] = FrameRowsJson(inspection.head);
  // SQLite text is not checked as UTF-8; replace bad bytes rather than fail the dump.
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace gym
