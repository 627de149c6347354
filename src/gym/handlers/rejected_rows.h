// RejectedRows: how a handler reports the rows it removes (see gym/pipeline/row_error.h).
//
// Every report is counted; it then goes to the handler's RowErrorReporter, or, when none was
// given, to a spdlog warning. Thread-safe: chunked nodes report from several threads.
//
//   RejectedRows rejected("risk", reporter);
//   rejected.Report(frame, 7, "data: not a date '2024-02-30'");
//   Frame kept = WithoutRows(frame, {7});
#ifndef GYM_HANDLERS_REJECTED_ROWS_H_
#define GYM_HANDLERS_REJECTED_ROWS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gym/frame/frame.h"
#include "gym/pipeline/row_error.h"

namespace gym {

class RejectedRows final {
 public:
  RejectedRows(std::string node, RowErrorReporter reporter)
      : node_(std::move(node)), reporter_(std::move(reporter)) {}

  // Reports row `row` of `frame`; the event_id is taken from the frame's `event_id` column
  // when it has one.
  void Report(const Frame& frame, size_t row, std::string reason);
  // Rows reported so far.
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::string node_;
  RowErrorReporter reporter_;
  std::atomic<uint64_t> count_{0};
};

// `frame` without the rows listed in `rejected` (ascending, no repeats). Returns `frame`
// itself, uncopied, when nothing is rejected.
Frame WithoutRows(Frame frame, const std::vector<size_t>& rejected);

}  // namespace gym

#endif  // GYM_HANDLERS_REJECTED_ROWS_H_
