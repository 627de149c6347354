#include "gym/cli/run_output.h"

#include <cstdint>
#include <cstdio>
#include <utility>

#include "gym/cli/frame_json.h"
#include "gym/frame/text_table.h"
#include "nlohmann/json.hpp"

namespace gym {

std::string FormatNodeSummary(const std::vector<NodeStats>& stats) {
  std::vector<std::string> names;
  std::vector<int64_t> messages, rows_in, errors;
  Column rows_out(DataType::kInt64);
  std::vector<double> ms;
  for (const NodeStats& s : stats) {
    names.push_back(s.name);
    messages.push_back(static_cast<int64_t>(s.messages));
    rows_in.push_back(static_cast<int64_t>(s.rows));
    // A sink produces no rows; its time runs until its commit.
    if (s.sink) {
      rows_out.AppendNull();  // printed "-"
    } else {
      rows_out.AppendInt64(static_cast<int64_t>(s.rows_out));
    }
    errors.push_back(static_cast<int64_t>(s.errors));
    ms.push_back(static_cast<double>(s.busy.count()) / 1e6);
  }
  const Frame table({"node", "messages", "rows in", "rows out", "errors", "time ms"},
                    {Column::Strings(std::move(names)), Column::Ints(std::move(messages)),
                     Column::Ints(std::move(rows_in)), std::move(rows_out),
                     Column::Ints(std::move(errors)), Column::Doubles(std::move(ms))});
  return FormatTextTable(table, {.decimals = 1});
}

std::string CsvFolders(const FileJob& job) {
  std::string out;
  for (const std::string& f : job.csv_folders()) {
    if (out.find(f + "/") == std::string::npos) out += (out.empty() ? "" : ", ") + f + "/";
  }
  return out.empty() ? "(no csv sink)" : out;
}

void PrintResults(const FileJob& job) {
  for (const auto& [name, metric] : job.metrics()) {
    std::printf("%s\n", FormatMetricTable(metric->title(), metric->result(), 20).c_str());
  }
  std::printf("Per-node summary\n%s\n", FormatNodeSummary(job.pipeline().Stats()).c_str());
  std::printf("Stored in the output database\n");
  for (const auto& [table, rows] : job.StoredRows()) {
    std::printf("%s: %lld rows\n", table.c_str(), static_cast<long long>(rows));
  }
}

void PrintResultsJson(const FileJob& job, const std::string& out_db, double seconds) {
  const MessageLog& log = job.log();
  nlohmann::ordered_json doc;
  doc["pipeline"] = job.spec().name;
  doc["file"] = job.spec().file;
  doc["run_id"] = job.run_id();
  doc["ok"] = log.failures() == 0;
  doc["seconds"] = seconds;
  doc["failures"] = log.failures();
  if (log.failures() > 0) doc["first_failure"] = log.first_failure();
  doc["metrics"] = nlohmann::ordered_json::object();
  for (const auto& [name, metric] : job.metrics()) {
    doc["metrics"][name] = {{"title", metric->title()}, {"rows", FrameRowsJson(metric->result())}};
  }
  doc["nodes"] = nlohmann::ordered_json::array();
  for (const NodeStats& s : job.pipeline().Stats()) {
    doc["nodes"].push_back({{"node", s.name},
                            {"messages", s.messages},
                            {"rows_in", s.rows},
                            {"rows_out", s.sink ? nlohmann::ordered_json(nullptr)
                                                : nlohmann::ordered_json(s.rows_out)},
                            {"errors", s.errors},
                            {"time_ms", static_cast<double>(s.busy.count()) / 1e6}});
  }
  doc["stored"] = nlohmann::ordered_json::object();
  for (const auto& [table, rows] : job.StoredRows()) doc["stored"][table] = rows;
  doc["outputs"] = {{"db", out_db}, {"csv_folders", job.csv_folders()}};
  std::printf("%s\n", doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                          .c_str());
}

}  // namespace gym
