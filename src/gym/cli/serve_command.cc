// `gym serve`: the gRPC ingestion server (see gym/server/server.h).
//
//   gym serve --listen 127.0.0.1:50051 --db gym.db --model risk_model.json
//   gym serve --listen 127.0.0.1:0 --db /tmp/t.db     # prints "listening on 127.0.0.1:<port>"
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "gym/cli/commands.h"
#include "gym/cli/host_port.h"
#include "gym/server/server.h"

namespace gym {
namespace {

struct ServeFlags {
  ServeOptions options;
  uint64_t max_message_bytes = 64ull << 20;
  int64_t shutdown_grace_ms = 0;
  double drain_timeout_s = 10;
  std::string sync = "normal";
};

int RunServe(const ServeFlags& flags) {
  ServeOptions options = flags.options;
  options.max_message_bytes = static_cast<int>(flags.max_message_bytes);
  options.shutdown_grace = std::chrono::milliseconds(flags.shutdown_grace_ms);
  options.sync_full = flags.sync == "full";
  options.drain_timeout =
      std::chrono::milliseconds(static_cast<int64_t>(flags.drain_timeout_s * 1000));
  // Before any thread exists, so every thread inherits the mask and only RunServer's
  // sigwait sees SIGTERM/SIGINT.
  BlockShutdownSignals();
  if (absl::Status s = RunServer(options); !s.ok()) {
    std::fprintf(stderr, "gym serve: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  return 0;
}

}  // namespace

void RegisterServeCommand(CLI::App& app, CommandRegistry& registry) {
  auto flags = std::make_shared<ServeFlags>();
  ServeOptions& o = flags->options;
  CLI::App* sub = app.add_subcommand(
      "serve",
      "gRPC ingestion server: events in, pipelines, SQLite group commit, ack after commit");
  sub->add_option("--listen", o.listen, "host:port to listen on (port 0 picks a free one)")
      ->capture_default_str()
      ->check(ListenAddress());
  sub->add_option("--db", o.db_path, "SQLite database file (created when missing)")
      ->capture_default_str();
  sub->add_option("--model", o.model_path,
                  "risk model JSON; trained from generated data (and saved here) when missing");
  sub->add_option("--train-rows", o.train_rows,
                  "generated labeled rows to train on when no model is found")
      ->capture_default_str()
      ->check(CLI::Range(size_t{10}, size_t{10'000'000}));
  sub->add_option("--max-batch", o.max_batch, "most items in one batch (more: INVALID_ARGUMENT)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->add_option("--max-inflight", o.max_inflight_events,
                  "most events accepted and not yet answered (more: RESOURCE_EXHAUSTED)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->add_option("--sync", flags->sync,
                  "when an answered batch is safe: normal = it survives a crash of gym serve\n"
                  "(WAL, fsync at checkpoints); full = also a power loss or OS crash (an fsync\n"
                  "per commit group: slower)")
      ->check(CLI::IsMember({"normal", "full"}))
      ->capture_default_str();
  sub->add_option("--max-message-bytes", flags->max_message_bytes,
                  "largest request or response message (e.g. 64MiB)")
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 30));
  sub->add_option("--max-stream-pending", o.max_stream_pending,
                  "batches in flight per IngestStream call before reading pauses")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->add_option("--metrics-listen", o.metrics_listen,
                  "host:port for Prometheus /metrics (off when not given)")
      ->check(ListenAddress());
  sub->add_option("--tls-cert", o.tls.cert, "PEM certificate chain: serve TLS");
  sub->add_option("--tls-key", o.tls.key, "PEM private key of --tls-cert");
  sub->add_option("--tls-client-ca", o.tls.client_ca,
                  "PEM CA bundle: require client certificates signed by it (mutual TLS)");
  sub->add_option("--auth-token-file", o.auth_token_file,
                  "file holding the bearer token every call must send");
  sub->add_option("--shutdown-grace-ms", flags->shutdown_grace_ms,
                  "on SIGTERM, report NOT_SERVING this long before refusing new calls")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--drain-timeout", flags->drain_timeout_s,
                  "on SIGTERM, seconds to finish the calls in flight")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  registry.Add(sub, [flags] { return RunServe(*flags); });
}

}  // namespace gym
