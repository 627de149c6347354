// gnuplot script, data file and subprocess for the sweep graph (see plot.h).
#include "gym/loadtest/plot.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "fmt/format.h"
#include "gym/loadtest/sweep_outputs.h"

extern char** environ;

namespace gym::loadtest {
namespace fs = std::filesystem;
namespace {

// A gnuplot single-quoted string: a quote is written twice.
std::string Quoted(const fs::path& path) {
  std::string out = "'";
  for (char c : path.string()) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::Status RunGnuplot(const fs::path& script, const fs::path& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::string program = "gnuplot";
  std::string script_arg = script.string();
  char* argv[] = {program.data(), script_arg.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return absl::UnavailableError("gnuplot: cannot start (is gnuplot installed?)");
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::UnavailableError(fmt::format("gnuplot failed: {}", ReadAll(err)));
  }
  return absl::OkStatus();
}

}  // namespace

std::string GnuplotScript(const fs::path& data, const fs::path& png,
                          const std::vector<SweepRow>& rows, const std::string& workload) {
  // Each tic names its client count and the samples behind it: "5\nn=240".
  std::string xtics;
  std::string thin;  // client counts whose p99 rests on too few samples
  int max_clients = 1;
  for (const SweepRow& r : rows) {
    xtics += fmt::format("{}\"{}\\nn={}\" {}", xtics.empty() ? "" : ", ", r.clients,
                         r.stats.latency.samples, r.clients);
    if (r.stats.latency.samples < kMinP99Samples) {
      thin += fmt::format("{}{}", thin.empty() ? "" : ", ", r.clients);
    }
    max_clients = std::max(max_clients, r.clients);
  }
  const std::string p99_title =
      thin.empty() ? "'p99'"
                   : fmt::format("'p99 (under {} samples at {} clients: rough)' noenhanced",
                                 kMinP99Samples, thin);
  const std::string d = Quoted(data);
  std::string s;
  s += "set terminal pngcairo size 1000,900 enhanced font 'sans,10'\n";
  s += "set output " + Quoted(png) + "\n";
  s += "set multiplot layout 2,1 title 'gym gRPC ingestion: load test against concurrent "
       "clients' font 'sans,12'\n";
  // Fixed margins keep the two panels' x axes aligned although only the lower has a y2 axis.
  s += "set grid\nset key top left\nset lmargin 12\nset rmargin 12\n";
  s += fmt::format("set xrange [0:{}]\nset xtics ({})\n", max_clients + 1, xtics);
  s += "set xlabel 'concurrent simulated clients (n = answered batches, the samples)'\n";
  s += "set title " + Quoted("Round-trip per batch; workload: " + workload) +
       " noenhanced\nset ylabel 'round-trip (ms)'\nset yrange [0:*]\n";
  s += "plot " + d + " using 1:2 with linespoints lw 2 pt 7 title 'mean', \\\n";
  s += "  '' using 1:3 with linespoints pt 5 title 'p50', \\\n";
  s += "  '' using 1:4 with linespoints pt 9 title 'p95', \\\n";
  s += "  '' using 1:5 with linespoints pt 11 title " + p99_title + "\n";
  s += "set title 'Throughput'\nset ylabel 'batches/s'\nset y2label 'events/s'\n";
  s += "set ytics nomirror\nset y2tics\nset y2range [0:*]\n";
  s += "plot " + d + " using 1:6 axes x1y1 with linespoints lw 2 pt 7 title 'batches/s', \\\n";
  s += "  '' using 1:7 axes x1y2 with linespoints lw 2 pt 5 title 'events/s (right axis)'\n";
  s += "unset multiplot\n";
  return s;
}

std::vector<SweepRow> DrawableRows(const std::vector<SweepRow>& rows) {
  std::vector<SweepRow> out;
  for (const SweepRow& r : rows) {
    if (r.stats.latency.samples > 0) out.push_back(r);
  }
  return out;
}

absl::Status DrawSweepGraph(const fs::path& png, const SweepResult& result) {
  const std::vector<SweepRow> rows = DrawableRows(result.rows);
  if (rows.empty()) {
    return absl::FailedPreconditionError(
        result.rows.empty() ? "no step finished: nothing to draw"
                            : "no batch was answered in any step: nothing to draw");
  }
  static std::atomic<int> counter{0};
  std::error_code ec;
  const fs::path dir =
      fs::temp_directory_path(ec) / fmt::format("gym-plot-{}-{}", ::getpid(), counter++);
  fs::create_directories(dir, ec);
  if (ec) return absl::InternalError(fmt::format("{}: {}", dir.string(), ec.message()));
  const fs::path data = dir / "sweep.dat";
  const fs::path script = dir / "sweep.gp";
  {
    std::ofstream out(data);
    out << "# clients mean_ms p50_ms p95_ms p99_ms batches_per_s events_per_s\n";
    for (const SweepRow& r : rows) {
      const LatencySummary& l = r.stats.latency;
      out << fmt::format("{} {:.6f} {:.6f} {:.6f} {:.6f} {:.3f} {:.3f}\n", r.clients, l.mean * 1e3,
                         l.median * 1e3, l.p95 * 1e3, l.p99 * 1e3, r.batches_per_second,
                         r.events_per_second);
    }
    std::ofstream(script) << GnuplotScript(data, fs::absolute(png), rows, result.workload_brief);
  }
  absl::Status status = RunGnuplot(script, dir / "gnuplot.err");
  fs::remove_all(dir, ec);
  return status;
}

}  // namespace gym::loadtest
