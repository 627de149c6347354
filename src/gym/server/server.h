// RunServer: the whole of `gym serve` — model, database, pipelines, gRPC server (health,
// reflection, TLS, bearer token), Prometheus /metrics — until SIGTERM or SIGINT.
//
// Start-up prints one line `listening on <host>:<port>` on stdout once the port is bound and
// the service is SERVING (with port 0 it names the port the system picked; tests read it).
// Shutdown: health turns NOT_SERVING; after `shutdown_grace` new batches are answered
// UNAVAILABLE (never CANCELLED); open streams finish once the batches they have read are
// acknowledged, with UNAVAILABLE; calls in flight are finished, committed and answered (up to
// `drain_timeout`), then the pipelines and the writer drain.
#ifndef GYM_SERVER_SERVER_H_
#define GYM_SERVER_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gym/pipeline/part_registry.h"
#include "gym/pipeline/pipeline_spec.h"
#include "gym/server/tls_config.h"

namespace gym {

struct ServeOptions {
  std::string listen = "127.0.0.1:50051";
  std::string db_path = "gym.db";
  std::string model_path;  // empty: ./risk_model.json, or train one
  size_t train_rows = 10000;
  size_t max_batch = 10000;
  int64_t max_inflight_events = 100000;
  // How long a call waits for --max-inflight room before RESOURCE_EXHAUSTED (see room_line.h).
  int64_t admission_wait_ms = 100;
  // Memory the requests being worked on may take (about 4x their wire size).
  int64_t max_inflight_bytes = 64 << 20;
  bool sync_full = false;  // see EngineOptions::sync_full
  // A 10,000-item batch of the longest items the validation rules allow fits.
  int max_message_bytes = 10 << 20;
  std::string earliest_date = "1900-01-01";  // see EngineOptions
  std::string latest_date;
  std::chrono::milliseconds busy_timeout{5000};  // see EngineOptions
  size_t max_stream_pending = 64;
  std::string metrics_listen;  // empty: no /metrics
  TlsFiles tls;
  std::string auth_token_file;  // empty: no authentication
  std::chrono::milliseconds shutdown_grace{0};
  std::chrono::milliseconds drain_timeout{10000};
  // The pipeline file and the parts it names (see EngineOptions); null: the built-ins.
  std::shared_ptr<const PipelineSpec> pipeline;
  const PartRegistry* parts = nullptr;
};

// Blocks SIGTERM and SIGINT in the calling thread, so that every thread started afterwards
// inherits the mask and the signals wait for RunServer. Call before any thread is started.
void BlockShutdownSignals();

// Runs until SIGTERM or SIGINT (REQUIRES: BlockShutdownSignals() was called first). OK after
// a clean drain; otherwise the start-up error (bad flag, unreadable file, port in use, ...).
// After OK the server is still running, answering every call UNAVAILABLE: the caller ends the
// process at once (std::_Exit), which closes its connections (see server.cc for why).
absl::Status RunServer(const ServeOptions& options);

}  // namespace gym

#endif  // GYM_SERVER_SERVER_H_
