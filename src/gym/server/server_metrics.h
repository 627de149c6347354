// Prometheus metrics of the ingestion server, served on /metrics by an optional Exposer.
//
//   gym_events_received_total{type}          items received in batches and single events
//   gym_events_committed_total{type}         items newly stored by a committed batch
//   gym_events_duplicate_total{type}         items whose event id was already stored, or
//                                            repeated earlier in the same batch
//   gym_events_rejected_total{type,reason}   items rejected; reason is the field at fault
//   gym_rpc_errors_total{method,code}        calls (and stream batches) answered non-OK
//   gym_batch_duration_seconds               receipt to reply, per batch
//   gym_commit_group_frames                  frames per SQLite group commit
//   gym_inflight_events                      events accepted but not yet answered
//   gym_emission_latency_seconds             client emission timestamp to receipt
//
// Counters for the fixed label sets are looked up once, so the request path touches only
// atomics (and a histogram's lock per batch).
#ifndef GYM_SERVER_SERVER_METRICS_H_
#define GYM_SERVER_SERVER_METRICS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "gym/server/event_type.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace prometheus {
class Exposer;
}

namespace gym {

class ServerMetrics final {
 public:
  ServerMetrics();
  ~ServerMetrics();
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // Serves /metrics on `address` ("127.0.0.1:9464"; port 0 picks one). Returns the bound
  // port, or UNAVAILABLE naming the address when it cannot be bound.
  absl::StatusOr<int> Expose(const std::string& address);

  void Received(EventType type, int64_t n) { received_[Index(type)]->Increment(double(n)); }
  void Committed(EventType type, int64_t n) { committed_[Index(type)]->Increment(double(n)); }
  void Duplicate(EventType type, int64_t n) { duplicate_[Index(type)]->Increment(double(n)); }
  void Rejected(EventType type, std::string_view reason);
  // `method` is the RPC's name ("IngestTransactions"); `code` the gRPC status code's name.
  void RpcError(std::string_view method, std::string_view code);
  void BatchDuration(double seconds) { batch_duration_->Observe(seconds); }
  void CommitGroup(size_t frames) { commit_group_->Observe(double(frames)); }
  void Inflight(int64_t events) { inflight_->Set(double(events)); }
  void AdmissionWait() { admission_waits_->Increment(); }
  void EmissionLatency(double seconds) { emission_latency_->Observe(seconds); }

  // The text exposition of every metric (what /metrics serves).
  std::string Render() const;

 private:
  static size_t Index(EventType type) { return static_cast<size_t>(type); }

  std::shared_ptr<prometheus::Registry> registry_;
  std::array<prometheus::Counter*, 3> received_{};
  std::array<prometheus::Counter*, 3> committed_{};
  std::array<prometheus::Counter*, 3> duplicate_{};
  prometheus::Family<prometheus::Counter>* rejected_ = nullptr;
  prometheus::Family<prometheus::Counter>* rpc_errors_ = nullptr;
  prometheus::Histogram* batch_duration_ = nullptr;
  prometheus::Histogram* commit_group_ = nullptr;
  prometheus::Gauge* inflight_ = nullptr;
  prometheus::Counter* admission_waits_ = nullptr;
  prometheus::Histogram* emission_latency_ = nullptr;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace gym

#endif  // GYM_SERVER_SERVER_METRICS_H_
