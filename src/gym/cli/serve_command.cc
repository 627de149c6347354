// `gym serve`: the gRPC ingestion server (see gym/server/server.h).
//
//   gym serve --listen 127.0.0.1:50051 --db gym.db --model risk_model.json
//   gym serve --listen 127.0.0.1:0 --db /tmp/t.db     # prints "listening on 127.0.0.1:<port>"
//   gym serve --config my_serve.toml --set risk.chunks=2 ...   a pipeline file of one's own
//   gym serve --print-dag [--format dot]                       the pipelines, then exit
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "gym/cli/commands.h"
#include "gym/cli/host_port.h"
#include "gym/cli/logging.h"
#include "gym/cli/pipeline_config.h"
#include "gym/domain/dates.h"
#include "gym/pipeline/pipeline_assembly.h"
#include "gym/server/ingest_pipelines.h"
#include "gym/server/server.h"
#include "gym/storage/group_commit_writer.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

// A YYYY-MM-DD calendar date, or a usage error naming the value.
CLI::Validator CalendarDate() {
  return CLI::Validator(
      [](const std::string& value) -> std::string {
        return IsCalendarDate(value) ? "" : "'" + value + "' is not a YYYY-MM-DD calendar date";
      },
      "YYYY-MM-DD");
}

struct ServeFlags {
  ServeOptions options;
  uint64_t max_message_bytes = 10ull << 20;
  uint64_t max_inflight_bytes = 64ull << 20;
  int64_t shutdown_grace_ms = 0;
  int64_t busy_timeout_ms = 5000;
  double drain_timeout_s = 10;
  std::string sync = "normal";
  PipelineConfigFlags pipeline;
  bool print_dag = false;
  std::string format = "text";
};

// The pipelines of the file in use, drawn without opening the database or training a model.
int PrintDag(const ServeFlags& flags, const PipelineSpec& spec, const PartRegistry& parts) {
  auto writer = GroupCommitWriter::Open(":memory:");
  if (!writer.ok()) {
    ReportFailure("gym serve", std::string(writer.status().message()));
    return 1;
  }
  PartContext context;
  context.will_run = false;
  context.Provide(std::shared_ptr<GroupCommitWriter>(*std::move(writer)));
  absl::StatusOr<AssembledPipeline> assembled = AssemblePipeline(spec, parts, context);
  if (!assembled.ok()) {
    ReportFailure("gym serve", std::string(assembled.status().message()));
    return 1;
  }
  if (flags.format == "dot") {
    std::printf("%s", assembled->pipeline->DescribeDot().c_str());
  } else {
    std::printf("%s: %s\n%s", spec.file.c_str(), spec.name.c_str(),
                assembled->pipeline->DescribeText().c_str());
  }
  return 0;
}

int RunServe(const ServeFlags& flags, const PartRegistry& parts) {
  ServeOptions options = flags.options;
  // A limit below one whole batch could never be met: every full batch would be refused.
  if (options.max_inflight_events < static_cast<int64_t>(options.max_batch)) {
    std::fprintf(stderr,
                 "gym serve: --max-inflight %lld is below --max-batch %zu: a full batch could "
                 "never be admitted (raise --max-inflight or lower --max-batch)\n",
                 static_cast<long long>(options.max_inflight_events), options.max_batch);
    return 2;
  }
  if (!options.latest_date.empty() && options.latest_date < options.earliest_date) {
    std::fprintf(stderr, "gym serve: --latest-date %s is before --earliest-date %s\n",
                 options.latest_date.c_str(), options.earliest_date.c_str());
    return 2;
  }
  std::optional<PipelineSpec> spec =
      LoadPipelineConfig(flags.pipeline, "serve", parts, "gym serve");
  if (!spec) return 1;
  if (std::vector<std::string> errors = CheckServePipeline(*spec); !errors.empty()) {
    for (const std::string& e : errors) std::fprintf(stderr, "gym serve: %s\n", e.c_str());
    return 1;
  }
  if (flags.print_dag) return PrintDag(flags, *spec, parts);
  options.pipeline = std::make_shared<const PipelineSpec>(*std::move(spec));
  options.parts = &parts;
  options.max_message_bytes = static_cast<int>(flags.max_message_bytes);
  options.max_inflight_bytes = static_cast<int64_t>(flags.max_inflight_bytes);
  options.shutdown_grace = std::chrono::milliseconds(flags.shutdown_grace_ms);
  options.busy_timeout = std::chrono::milliseconds(flags.busy_timeout_ms);
  options.sync_full = flags.sync == "full";
  options.drain_timeout =
      std::chrono::milliseconds(static_cast<int64_t>(flags.drain_timeout_s * 1000));
  // Before any thread exists, so every thread inherits the mask and only RunServer's
  // sigwait sees SIGTERM/SIGINT.
  BlockShutdownSignals();
  if (absl::Status s = RunServer(options); !s.ok()) {
    ReportFailure("gym serve", std::string(s.message()));
    return 1;
  }
  // The drained server is still running (see RunServer): end the process here, without the
  // destructors of gRPC's threads and globals.
  spdlog::default_logger()->flush();
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(0);
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
  sub->add_option("--db", o.db_path,
                  "SQLite database file (created when missing), or a PostgreSQL connection\n"
                  "string (postgresql://user@host:port/db, host=... dbname=...) that several\n"
                  "replicas share")
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
  sub->add_option("--admission-wait-ms", o.admission_wait_ms,
                  "how long a call that finds --max-inflight events in flight waits, unread, for\n"
                  "room before RESOURCE_EXHAUSTED (never past its own deadline; 0: refused at\n"
                  "once)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{600000}));
  sub->add_option("--max-inflight-bytes", flags->max_inflight_bytes,
                  "memory for requests: half for bodies being received (in slots of\n"
                  "--max-message-bytes; more calls wait, unread), half for requests being\n"
                  "worked on, each counted at 4x its size on the wire (more:\n"
                  "RESOURCE_EXHAUSTED before the body is parsed)")
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(uint64_t{1} << 20, uint64_t{1} << 34));
  sub->add_option("--earliest-date", o.earliest_date,
                  "items with a date before this (YYYY-MM-DD) are rejected")
      ->capture_default_str()
      ->check(CalendarDate());
  sub->add_option("--latest-date", o.latest_date,
                  "items with a date after this (YYYY-MM-DD) are rejected (default: one year\n"
                  "after the day the batch arrives)")
      ->check(CalendarDate());
  sub->add_option("--sync", flags->sync,
                  "when an answered batch is safe: normal = it survives a crash of gym serve\n"
                  "(WAL, fsync at checkpoints); full = also a power loss or OS crash (an fsync\n"
                  "per commit group: slower)")
      ->check(CLI::IsMember({"normal", "full"}))
      ->capture_default_str();
  sub->add_option("--busy-timeout-ms", flags->busy_timeout_ms,
                  "how long a commit waits for a lock another process holds on the database;\n"
                  "past it the batch is answered UNAVAILABLE (not committed, retry)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{600000}));
  sub->add_option("--max-message-bytes", flags->max_message_bytes,
                  "largest request or response message (e.g. 16MiB); the default fits a\n"
                  "10,000-item batch of the longest items validation allows")
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
  AddPipelineConfigFlags(sub, flags->pipeline, "serve");
  sub->add_flag("--print-dag", flags->print_dag,
                "print the pipelines of the pipeline file in use, then exit");
  sub->add_option("--format", flags->format, "--print-dag: text, or dot (Graphviz)")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "dot"}));
  registry.Add(sub, [flags, &registry] { return RunServe(*flags, registry.parts()); });
}

}  // namespace gym
