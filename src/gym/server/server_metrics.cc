// Prometheus metrics of the ingestion server (see server_metrics.h).
#include "gym/server/server_metrics.h"

#include <exception>
#include <string>

#include "absl/status/status.h"
#include "fmt/core.h"
#include "prometheus/exposer.h"
#include "prometheus/text_serializer.h"

namespace gym {
namespace {

// Seconds from 50 µs to 10 s: the goal is a sub-millisecond round trip, the seed took seconds.
prometheus::Histogram::BucketBoundaries LatencyBuckets() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
          0.025,   0.05,   0.1,     0.25,   0.5,   1,     2.5,    10};
}

}  // namespace

ServerMetrics::ServerMetrics() : registry_(std::make_shared<prometheus::Registry>()) {
  auto& received = prometheus::BuildCounter()
                       .Name("gym_events_received_total")
                       .Help("Events received, by type")
                       .Register(*registry_);
  auto& committed = prometheus::BuildCounter()
                        .Name("gym_events_committed_total")
                        .Help("Events newly stored by a committed batch, by type")
                        .Register(*registry_);
  auto& duplicate = prometheus::BuildCounter()
                        .Name("gym_events_duplicate_total")
                        .Help("Events whose id was already stored or repeated in the batch")
                        .Register(*registry_);
  for (EventType type : kEventTypes) {
    const prometheus::Labels labels = {{"type", std::string(EventTypeName(type))}};
    received_[Index(type)] = &received.Add(labels);
    committed_[Index(type)] = &committed.Add(labels);
    duplicate_[Index(type)] = &duplicate.Add(labels);
  }
  rpc_errors_ = &prometheus::BuildCounter()
                     .Name("gym_rpc_errors_total")
                     .Help("Calls answered with a non-OK status, by method and status code")
                     .Register(*registry_);
  rejected_ = &prometheus::BuildCounter()
                   .Name("gym_events_rejected_total")
                   .Help("Events rejected, by type and the field at fault")
                   .Register(*registry_);
  batch_duration_ = &prometheus::BuildHistogram()
                         .Name("gym_batch_duration_seconds")
                         .Help("Server time per batch, receipt to reply")
                         .Register(*registry_)
                         .Add({}, LatencyBuckets());
  commit_group_ = &prometheus::BuildHistogram()
                       .Name("gym_commit_group_frames")
                       .Help("Frames committed together in one SQLite transaction")
                       .Register(*registry_)
                       .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64,
                                                                       128, 256});
  inflight_ = &prometheus::BuildGauge()
                   .Name("gym_inflight_events")
                   .Help("Events accepted and not yet answered")
                   .Register(*registry_)
                   .Add({});
  admission_waits_ = &prometheus::BuildCounter()
                          .Name("gym_admission_waits_total")
                          .Help("Calls that found --max-inflight events in flight and waited "
                                "for room (--admission-wait-ms)")
                          .Register(*registry_)
                          .Add({});
  emission_latency_ = &prometheus::BuildHistogram()
                           .Name("gym_emission_latency_seconds")
                           .Help("Client emission timestamp to server receipt")
                           .Register(*registry_)
                           .Add({}, LatencyBuckets());
}

ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::Rejected(EventType type, std::string_view reason) {
  // Family::Add returns the existing series for known labels; rejections are the rare path.
  rejected_->Add({{"type", std::string(EventTypeName(type))}, {"reason", std::string(reason)}})
      .Increment();
}

void ServerMetrics::RpcError(std::string_view method, std::string_view code) {
  rpc_errors_->Add({{"method", std::string(method)}, {"code", std::string(code)}}).Increment();
}

absl::StatusOr<int> ServerMetrics::Expose(const std::string& address) {
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(address);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        fmt::format("--metrics-listen {}: cannot serve /metrics: {}", address, e.what()));
  }
  exposer_->RegisterCollectable(registry_);
  const std::vector<int> ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

std::string ServerMetrics::Render() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace gym
