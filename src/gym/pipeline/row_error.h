// RowError: one input row a handler could not process.
//
// Project rule: a handler that cannot process a row removes it from its output and reports it
// through its RowErrorReporter (the default logs a spdlog warning and counts it). A row is never
// dropped silently and never crashes the pipeline.
//
//   reporter({.node = "risk", .row = 7, .event_id = "b1:7", .reason = "data: not a date 'x'"});
#ifndef GYM_PIPELINE_ROW_ERROR_H_
#define GYM_PIPELINE_ROW_ERROR_H_

#include <cstddef>
#include <functional>
#include <string>

namespace gym {

struct RowError {
  std::string node;      // the handler or node that rejected the row
  size_t row = 0;        // index of the row in the frame that handler received
  std::string event_id;  // the row's event_id, empty when the frame has none
  std::string reason;    // what is wrong, naming the column
  std::string batch_id;  // the row's batch_id, empty when the frame has none
  std::string payload;   // the row as a JSON object, so it can be inspected and replayed
};

// Called once per rejected row, possibly from several threads at once.
using RowErrorReporter = std::function<void(const RowError&)>;

}  // namespace gym

#endif  // GYM_PIPELINE_ROW_ERROR_H_
