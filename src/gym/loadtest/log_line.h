// The per-batch log line of `gym loadtest run`, one per batch in client_output_<i>_of_<N>.log.
//
// A batch that got an answer:
//   type=transactions batch_id=r7-c0-transactions-3 items=200 success=true acked=200
//   server_duration=0.000412s Round-trip=0.000873s
// A batch whose RPC failed (no round-trip: it never completed, so it is an error, not a sample):
//   type=transactions batch_id=r7-c0-transactions-4 items=200 success=false
//   rpc_error=DEADLINE_EXCEEDED(4) message="Deadline Exceeded" elapsed=60.000193s
// (each on one line). A batch that was sent again after refusals says how often, before its
// round trip (which runs from the first send and includes the backoff waits):
//   type=clients batch_id=r7-c0-clients-2 items=100 success=true acked=100
//   server_duration=0.000390s retries=3 Round-trip=0.041217s Seconds are always plain decimals with
//   6 places, never scientific
// notation, so the seed's pattern `Round-trip=([\d\.]+)s` reads every successful line.
#ifndef GYM_LOADTEST_LOG_LINE_H_
#define GYM_LOADTEST_LOG_LINE_H_

#include <optional>
#include <string>
#include <string_view>

#include "gym/loadtest/workload.h"

namespace gym::loadtest {

struct BatchLogRecord {
  BatchType type = BatchType::kClients;
  std::string_view batch_id;
  int items = 0;
  bool success = false;  // the server's verdict (all items stored) when the RPC completed
  int acked = 0;         // items the server reported as processed successfully
  double server_seconds = 0;
  double round_trip_seconds = 0;  // or the time until the RPC failed
  int rpc_code = 0;               // grpc::StatusCode; 0 when the RPC completed
  std::string_view rpc_message;
  int retries = 0;  // resends after retryable refusals (backoff.h); written only when > 0
};

// "0.000873": fixed notation, 6 decimals.
std::string FormatSeconds(double seconds);

// The line without its trailing newline.
std::string FormatBatchLogLine(const BatchLogRecord& record);

// The name of a gRPC status code, e.g. "DEADLINE_EXCEEDED"; "CODE_UNKNOWN" past the known ones.
std::string_view StatusCodeName(int code);

// The round-trip of a line, as the seed's processor reads it: the first match of
// `Round-trip=([\d\.]+)s`. nullopt when the line has none or the number does not parse.
std::optional<double> ParseRoundTrip(std::string_view line);

// True for a line that records a failed RPC.
bool IsRpcErrorLine(std::string_view line);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_LOG_LINE_H_
