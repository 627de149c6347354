// The gym serve process (see server.h).
#include "gym/server/server.h"

#include <signal.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "fmt/core.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gym/server/byte_admission.h"
#include "gym/server/auth.h"
#include "gym/server/ingestion_engine.h"
#include "gym/server/ingestion_service.h"
#include "gym/jobs/model_loader.h"
#include "gym/server/server_metrics.h"
#include "gym/storage/group_commit_writer.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

constexpr char kServiceName[] = "gym_framework_rpc.EventIngestionService";

sigset_t ShutdownSignalSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

// "host:port" with the port replaced by the bound one.
std::string BoundAddress(const std::string& listen, int port) {
  const size_t colon = listen.rfind(':');
  return fmt::format("{}:{}", colon == std::string::npos ? listen : listen.substr(0, colon), port);
}

void SetServing(grpc::Server& server, bool serving) {
  grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus(serving);
  health->SetServingStatus(kServiceName, serving);
}

// Channel arguments sized for a small (2-core) host: bounded message size, a bounded number
// of concurrent streams per connection, and no SO_REUSEPORT, so a second server on the same
// port fails to start instead of silently sharing it.
void ConfigureBuilder(grpc::ServerBuilder& builder, const ServeOptions& options) {
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 1024);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  // gRPC buffers a whole message before it checks the size limit, so a body over
  // --max-message-bytes still passes through memory once its call has a read slot. The
  // transport's quota (the receiving share of the byte limit) makes it refuse such streams
  // under memory pressure (RST_STREAM): 16 concurrent 60 MB requests peaked at base + 52 MiB,
  // not 700 MB.
  // Until the service asks for a body, a call's bytes wait in the client: without BDP probing
  // a stream's window stays at the lookahead, so a call waiting for a read slot holds no more
  // than that here.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 64 << 10);
  grpc::ResourceQuota quota("gym serve");
  quota.Resize(static_cast<size_t>(SplitByteLimit(options.max_inflight_bytes).receiving));
  builder.SetResourceQuota(quota);
}

}  // namespace

void BlockShutdownSignals() {
  sigset_t set = ShutdownSignalSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

absl::Status RunServer(const ServeOptions& options) {
  auto credentials = MakeServerCredentials(options.tls);
  if (!credentials.ok()) return credentials.status();
  std::string token;
  if (!options.auth_token_file.empty()) {
    auto loaded = LoadAuthToken(options.auth_token_file);
    if (!loaded.ok()) return loaded.status();
    token = std::move(*loaded);
  }
  auto metrics_owner = std::make_unique<ServerMetrics>();
  ServerMetrics& metrics = *metrics_owner;
  if (!options.metrics_listen.empty()) {
    absl::StatusOr<int> port = metrics.Expose(options.metrics_listen);
    if (!port.ok()) return port.status();
    spdlog::info("metrics on http://{}/metrics", BoundAddress(options.metrics_listen, *port));
  }
  // A database that cannot be opened fails the start before a missing model is trained (and
  // saved): the error comes at once and leaves no file behind.
  if (absl::Status s = CheckWritableDatabase(options.db_path); !s.ok()) return s;
  auto model = LoadOrTrainRiskModel(options.model_path, options.train_rows);
  if (!model.ok()) return model.status();
  auto engine = IngestionEngine::Open({.db_path = options.db_path,
                                       .model = std::move(*model),
                                       .max_batch = options.max_batch,
                                       .max_inflight_events = options.max_inflight_events,
                                       .metrics = &metrics,
                                       .sync_full = options.sync_full,
                                       .earliest_date = options.earliest_date,
                                       .latest_date = options.latest_date,
                                       .busy_timeout = options.busy_timeout,
                                       .pipeline = options.pipeline,
                                       .parts = options.parts});
  if (!engine.ok()) return engine.status();
  auto service = std::make_unique<IngestionService>(
      **engine, ServiceOptions{.auth_token = token,
                               .metrics = &metrics,
                               .max_stream_pending = options.max_stream_pending,
                               .max_inflight_bytes = options.max_inflight_bytes,
                               .max_message_bytes = options.max_message_bytes,
                               .admission_wait = std::chrono::milliseconds(
                                   options.admission_wait_ms)});

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, *credentials, &port);
  ConfigureBuilder(builder, options);
  builder.RegisterService(service.get());
  builder.RegisterCallbackGenericService(service->unary_front());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    // gRPC reports no reason; with TLS a key that does not belong to the certificate fails
    // here too.
    return absl::UnavailableError(fmt::format(
        "--listen {}: cannot listen (address in use or invalid{})", options.listen,
        options.tls.cert.empty() ? "" : ", or --tls-key does not match --tls-cert"));
  }
  SetServing(*server, true);
  const std::string bound = BoundAddress(options.listen, port);
  spdlog::info("gym serve: database {} (--sync {}), {} authentication, {}", options.db_path,
               options.sync_full ? "full" : "normal",
               token.empty() ? "no" : "bearer token",
               options.tls.cert.empty() ? "plaintext" : "TLS");
  std::printf("listening on %s\n", bound.c_str());
  std::fflush(stdout);

  const sigset_t set = ShutdownSignalSet();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  spdlog::info("{}: draining (health NOT_SERVING, finishing calls in flight)",
               signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  SetServing(*server, false);
  if (options.shutdown_grace.count() > 0) std::this_thread::sleep_for(options.shutdown_grace);
  // From here a new batch is answered UNAVAILABLE by the engine (a client retries it
  // elsewhere) rather than cut off by the transport, and streams wind down on their own.
  (*engine)->BeginDrain();
  service->StopStreams();
  if (!service->WaitIdle(std::chrono::steady_clock::now() + options.drain_timeout)) {
    spdlog::warn("--drain-timeout passed with calls still open; they end with the process");
  }
  (*engine)->Drain();
  spdlog::info("gym serve: stopped cleanly");
  // Deliberately no grpc::Server::Shutdown, and nothing is destroyed: every call received has
  // been answered and every commit is done, and the caller ends the process now. Shutdown
  // would cancel a call that races it (the client reads CANCELLED, which no retry policy
  // retries) and wait for idle connections to close; when the process ends instead, such a
  // call sees its connection close, which every client reads as UNAVAILABLE. A late call
  // meanwhile finds the engine draining and is answered UNAVAILABLE.
  server.release();
  service.release();
  engine->release();
  metrics_owner.release();
  return absl::OkStatus();
}

}  // namespace gym
