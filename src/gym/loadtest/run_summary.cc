// The text a run prints when it ends: id mode, table size, throughput, latency, errors,
// delivery.
#include "fmt/format.h"
#include "gym/loadtest/log_line.h"
#include "gym/loadtest/simulator.h"

namespace gym::loadtest {

std::string FormatRunSummary(const RunResult& r) {
  std::string out = fmt::format(
      "run {}: {} clients, {} of {} batches sent, {} answered, {} RPC errors in {:.3f} s{}\n",
      r.run_id, r.clients, r.batches_sent, r.batches_planned, r.batches_answered, r.rpc_errors,
      r.wall_seconds, r.interrupted ? " (interrupted)" : "");
  out += fmt::format("event ids: {}\n", EventIdModeName(r.event_ids));
  if (!r.start.empty()) out += fmt::format("start: {}\n", r.start);
  if (r.prefill) out += "prefill: " + FormatPrefill(*r.prefill) + "\n";
  out += FormatTableSizes(r.transactions_at_start, r.transactions_at_end) + "\n";
  out += fmt::format("throughput: {:.1f} batches/s, {:.1f} events/s\n", r.BatchesPerSecond(),
                     r.EventsPerSecond());
  if (r.batches_prebuilt < r.batches_planned) {
    // Those built during the run took CPU the server may have needed (--prebuild-mib).
    out += fmt::format("built before the clock: {} of {} batches (--prebuild-mib)\n",
                       r.batches_prebuilt, r.batches_planned);
  }
  for (size_t t = 0; t < r.by_type.size(); ++t) {
    const TypeTotals& tt = r.by_type[t];
    // Acknowledged per second by type: the closed-mode goal is stated in transactions/s.
    const double per_second =
        r.wall_seconds > 0 ? static_cast<double>(tt.acked) / r.wall_seconds : 0;
    out += fmt::format(
        "  {:<13} batches {:>8}  sent {:>10}  acked {:>10}  rejected {:>6}  {:>10.1f} acked/s\n",
        BatchTypeName(static_cast<BatchType>(t)), tt.batches, tt.sent, tt.acked, tt.rejected,
        per_second);
  }
  out += "round-trip (ms): " + FormatLatencyMs(r.latency) + "\n";
  if (r.retries > 0) {
    // Round trips of retried batches include their backoff waits (client_session.h).
    out += fmt::format("retries: {} (", r.retries);
    bool first = true;
    for (auto [code, n] : r.retries_by_code) {
      out += fmt::format("{}{} {}", first ? "" : ", ", StatusCodeName(code), n);
      first = false;
    }
    out += "); round trips include the backoff waits\n";
  }
  for (auto [code, n] : r.errors_by_code) {
    out += fmt::format("errors {}({}): {}\n", StatusCodeName(code), code, n);
  }
  out += FormatDelivery(r.delivery);
  out += '\n';
  return out;
}

}  // namespace gym::loadtest
