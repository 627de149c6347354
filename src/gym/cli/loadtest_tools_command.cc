// `gym loadtest stats` (the seed's log processor) and `gym loadtest ping` (the transport's own
// round trip).
#include <iostream>
#include <memory>
#include <string>

#include "gym/cli/flag_checks.h"
#include "gym/cli/host_port.h"
#include "gym/cli/loadtest_common.h"
#include "gym/loadtest/log_stats.h"
#include "gym/loadtest/ping.h"

namespace gym {

void RegisterLoadtestStats(CLI::App& loadtest, CommandRegistry& registry) {
  auto dir = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  CLI::App* stats = loadtest.add_subcommand(
      "stats",
      "round-trip statistics of every *.log under DIR (the seed's log processor); percentiles\n"
      "interpolate linearly between closest ranks (numpy's default), std dev divides by n - 1");
  stats->add_option("dir", *dir, "directory of client logs")->required();
  stats->add_option("--format", *format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  registry.Add(stats, [dir, format] {
    absl::StatusOr<loadtest::LogStats> result = loadtest::ComputeLogStats(*dir);
    if (!result.ok()) return LoadtestFail("stats", result.status());
    // Zeros would read like a measurement: nothing to summarize is an error.
    if (result->files == 0) {
      return LoadtestFail("stats",
                          absl::NotFoundError(*dir + ": no *.log files (searched recursively)"));
    }
    if (result->latency.samples == 0 && result->errors == 0) {
      return LoadtestFail(
          "stats",
          absl::InvalidArgumentError(*dir + ": no line with Round-trip=<seconds>s in " +
                                     std::to_string(result->files) + " .log files (" +
                                     std::to_string(result->unparsed) + " lines not understood)"));
    }
    if (*format == "json") {
      std::cout << loadtest::LogStatsToJson(*result).dump(2) << "\n";
    } else {
      std::cout << loadtest::FormatLogStatsTable(*result);
    }
    return 0;
  });
}

void RegisterLoadtestPing(CLI::App& loadtest, CommandRegistry& registry) {
  auto o = std::make_shared<loadtest::PingOptions>();
  auto deadline = std::make_shared<std::string>("5s");
  auto token = std::make_shared<std::string>();
  auto tls = std::make_shared<TlsFlags>();
  CLI::App* ping = loadtest.add_subcommand(
      "ping",
      "gRPC health checks with the seed's pauses: the round trip of gRPC and the machine alone,\n"
      "to set beside a batch's (which adds parsing, validation, scoring and the commit)");
  ping->add_option("--target", o->target, "server address host:port")
      ->capture_default_str()
      ->transform(TargetAddress());
  ping->add_option("--clients", o->clients, "simulated clients, each its own connection")
      ->capture_default_str()
      ->transform(flag::WholeNumber(1, 100'000));
  ping->add_option("--count", o->count, "health checks per client")
      ->capture_default_str()
      ->transform(flag::WholeNumber(1, 1'000'000'000));
  ping->add_option("--pause-min", o->pause_min_seconds, "shortest pause, seconds")
      ->capture_default_str()
      ->transform(flag::Seconds(/*allow_zero=*/true, 3600));
  ping->add_option("--pause-max", o->pause_max_seconds,
                   "longest pause, seconds (--pause-min 0 --pause-max 0: back to back)")
      ->capture_default_str()
      ->transform(flag::Seconds(/*allow_zero=*/true, 3600));
  ping->add_option_function<std::string>(
          "--start",
          [o](const std::string& start) { o->spread_start = start == "spread"; },
          "spread (default: each client's first check also waits one pause, as `run`'s "
          "clients do) or together")
      ->check(CLI::IsMember({"spread", "together"}));
  ping->add_option("--service", o->service,
                   "health of this service (default: the server as a whole)");
  ping->add_option("--deadline", *deadline, "per-call deadline")
      ->capture_default_str()
      ->transform(flag::Duration());
  ping->add_option("--seed", o->seed, "seed of the pauses")
      ->capture_default_str()
      ->transform(flag::Seed());
  ping->add_option("--auth-token-file", *token, "send 'authorization: Bearer <token>'")
      ->check(CLI::ExistingFile);
  AddTlsOptions(ping, *tls);
  registry.Add(ping, [o, deadline, token, tls] {
    o->deadline = flag::DurationValue(*deadline);
    o->auth_token_file = *token;
    o->tls_ca = tls->ca;
    o->tls_cert = tls->cert;
    o->tls_key = tls->key;
    if (absl::Status s = loadtest::ValidatePingOptions(*o); !s.ok()) {
      return LoadtestUsage("ping", s);
    }
    absl::StatusOr<loadtest::PingResult> result = loadtest::RunPing(*o);
    if (!result.ok()) return LoadtestFail("ping", result.status());
    std::cout << loadtest::FormatPingSummary(*result);
    // Failed checks are counted and reported; exit 1 only when none was answered at all
    // (nothing listening there, or every call refused).
    return result->serving + result->not_serving > 0 ? 0 : 1;
  });
}

}  // namespace gym
