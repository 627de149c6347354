// Formatting and parsing of the per-batch log line (see log_line.h).
#include "gym/loadtest/log_line.h"

#include <array>
#include <cctype>
#include <charconv>

#include "fmt/format.h"

namespace gym::loadtest {
namespace {

constexpr std::string_view kRoundTrip = "Round-trip=";
constexpr std::string_view kRpcError = " rpc_error=";

// Quotes and newlines would break the one-line, space-separated format.
std::string Sanitize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) out.push_back(c == '"' ? '\'' : (c == '\n' || c == '\r') ? ' ' : c);
  return out;
}

}  // namespace

std::string FormatSeconds(double seconds) { return fmt::format("{:.6f}", seconds); }

std::string FormatBatchLogLine(const BatchLogRecord& r) {
  const std::string retries = r.retries > 0 ? fmt::format("retries={} ", r.retries) : "";
  if (r.rpc_code != 0) {
    return fmt::format(
        "type={} batch_id={} items={} success=false rpc_error={}({}) message=\"{}\" {}"
        "elapsed={}s",
        BatchTypeName(r.type), r.batch_id, r.items, StatusCodeName(r.rpc_code), r.rpc_code,
        Sanitize(r.rpc_message), retries, FormatSeconds(r.round_trip_seconds));
  }
  return fmt::format(
      "type={} batch_id={} items={} success={} acked={} server_duration={}s {}Round-trip={}s",
      BatchTypeName(r.type), r.batch_id, r.items, r.success ? "true" : "false", r.acked,
      FormatSeconds(r.server_seconds), retries, FormatSeconds(r.round_trip_seconds));
}

std::string_view StatusCodeName(int code) {
  static constexpr std::array<std::string_view, 17> kNames = {"OK",
                                                              "CANCELLED",
                                                              "UNKNOWN",
                                                              "INVALID_ARGUMENT",
                                                              "DEADLINE_EXCEEDED",
                                                              "NOT_FOUND",
                                                              "ALREADY_EXISTS",
                                                              "PERMISSION_DENIED",
                                                              "RESOURCE_EXHAUSTED",
                                                              "FAILED_PRECONDITION",
                                                              "ABORTED",
                                                              "OUT_OF_RANGE",
                                                              "UNIMPLEMENTED",
                                                              "INTERNAL",
                                                              "UNAVAILABLE",
                                                              "DATA_LOSS",
                                                              "UNAUTHENTICATED"};
  if (code >= 0 && code < static_cast<int>(kNames.size())) return kNames[code];
  return "CODE_UNKNOWN";
}

std::optional<double> ParseRoundTrip(std::string_view line) {
  size_t pos = 0;
  // Like the regex, keep looking past a "Round-trip=" that is not followed by digits and "s".
  while ((pos = line.find(kRoundTrip, pos)) != std::string_view::npos) {
    pos += kRoundTrip.size();
    size_t end = pos;
    while (end < line.size() &&
           (std::isdigit(static_cast<unsigned char>(line[end])) || line[end] == '.')) {
      ++end;
    }
    if (end == pos || end >= line.size() || line[end] != 's') continue;
    double value = 0;
    auto [ptr, ec] = std::from_chars(line.data() + pos, line.data() + end, value);
    if (ec != std::errc() || ptr != line.data() + end) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

bool IsRpcErrorLine(std::string_view line) {
  return line.find(kRpcError) != std::string_view::npos;
}

}  // namespace gym::loadtest
