// `gym gen`: the seed's mock data set (`gen all`) and timed new-transaction file drops for a
// directory watcher (`gen drops`).
//
//   gym gen all --out data --seed 42 --today 2026-11-26
//   gym gen drops --dir inbox --files 5 --rows 10000 --delay 4-10
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "CLI/CLI.hpp"
#include "gym/cli/commands.h"
#include "gym/cli/flag_checks.h"
#include "gym/datagen/drops.h"
#include "gym/datagen/mock_dataset.h"
#include "gym/domain/dates.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

// Bound of every count flag: far above any useful size, far below int64 overflow in sums.
constexpr int64_t kMaxCount = 1'000'000'000'000;

struct CommonFlags {
  std::optional<uint64_t> seed;
  std::string today;  // empty: today in UTC
};

struct GenAllFlags {
  CommonFlags common;
  std::string out;
  MockDataOptions options;
};

struct GenDropsFlags {
  CommonFlags common;
  std::string delay = "4-10";
  DropOptions options;
};

// `code` 2 for a bad flag value (a usage error), 1 for a job that failed.
int Fail(const char* command, const std::string& message, int code = 1) {
  std::fprintf(stderr, "gym gen %s: %s\n", command, message.c_str());
  return code;
}

// Fills seed and today; a missing seed is drawn at random (LogSeed then tells how to repeat
// the run). False (after printing why) for a bad --today.
bool ResolveCommon(const char* command, const CommonFlags& flags, uint64_t& seed, Date& today) {
  if (flags.today.empty()) {
    today = Today();
  } else if (std::optional<Date> parsed = Date::Parse(flags.today)) {
    today = *parsed;
  } else {
    Fail(command, "--today '" + flags.today + "': expected a calendar date as YYYY-MM-DD", 2);
    return false;
  }
  if (flags.seed) {
    seed = *flags.seed;
  } else {
    std::random_device device;
    seed = (uint64_t{device()} << 32) | device();
  }
  return true;
}

void LogSeed(const char* command, uint64_t seed, const Date& today) {
  spdlog::info("gen {}: seed {} today {} (pass --seed {} --today {} to repeat)", command, seed,
               today.ToString(), seed, today.ToString());
}

// Progress of a run made of counted steps: a redrawn bar when stderr is a terminal, one log
// line per step otherwise (so logs and CI output stay readable).
class StepProgress final {
 public:
  StepProgress() : tty_(isatty(STDERR_FILENO) == 1) {}
  ~StepProgress() {
    if (drawn_) std::fputc('\n', stderr);
  }
  StepProgress(const StepProgress&) = delete;
  StepProgress& operator=(const StepProgress&) = delete;

  void Step(int done, int total, const std::string& what, double seconds) {
    if (!tty_) {
      spdlog::info("[{}/{}] {} ({:.2f} s)", done, total, what, seconds);
      return;
    }
    constexpr int kWidth = 30;
    const int filled = total > 0 ? done * kWidth / total : kWidth;
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(kWidth - filled), '.');
    // \r returns to the line start; \x1b[K clears what a longer previous label left behind.
    std::fprintf(stderr, "\r[%s] %d/%d %s\x1b[K", bar.c_str(), done, total, what.c_str());
    std::fflush(stderr);
    drawn_ = true;
  }

 private:
  const bool tty_;
  bool drawn_ = false;
};

int RunGenAll(GenAllFlags flags) {
  if (!ResolveCommon("all", flags.common, flags.options.seed, flags.options.today)) return 2;
  if (absl::Status st = ValidateMockDataOptions(flags.options); !st.ok()) {
    return Fail("all", std::string(st.message()), 2);
  }
  LogSeed("all", flags.options.seed, flags.options.today);
  const auto start = std::chrono::steady_clock::now();
  absl::Status st;
  {
    StepProgress progress;
    st = GenerateMockDataFiles(flags.options, flags.out, [&](const MockDataProgress& p) {
      progress.Step(p.done, p.total, p.step, p.seconds);
    });
  }
  if (!st.ok()) return Fail("all", std::string(st.message()));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  spdlog::info("gen all: wrote {} in {:.2f} s", flags.out, seconds);
  return 0;
}

int RunGenDrops(GenDropsFlags flags) {
  DropOptions& options = flags.options;
  absl::StatusOr<std::pair<double, double>> delay = ParseDelayRange(flags.delay);
  if (!delay.ok()) return Fail("drops", std::string(delay.status().message()), 2);
  options.min_delay_seconds = delay->first;
  options.max_delay_seconds = delay->second;
  if (!ResolveCommon("drops", flags.common, options.seed, options.today)) return 2;
  if (absl::Status st = ValidateDropOptions(options); !st.ok()) {
    return Fail("drops", std::string(st.message()), 2);
  }
  LogSeed("drops", options.seed, options.today);
  absl::Status st;
  {
    StepProgress progress;
    int64_t written = 0;
    auto last = std::chrono::steady_clock::now();
    st = WriteDrops(options, [&](const std::string& path, int64_t rows) {
      const auto now = std::chrono::steady_clock::now();
      progress.Step(static_cast<int>(++written), static_cast<int>(options.files),
                    "wrote " + path + " (" + std::to_string(rows) + " rows)",
                    std::chrono::duration<double>(now - last).count());
      last = now;
    });
  }
  if (!st.ok()) return Fail("drops", std::string(st.message()));
  return 0;
}

void AddCommonFlags(CLI::App* sub, CommonFlags& flags) {
  sub->add_option("--seed", flags.seed,
                  "seed of the random data; the same seed and --today give the same bytes "
                  "(default: random, logged)")
      ->transform(flag::Seed());
  sub->add_option("--today", flags.today,
                  "YYYY-MM-DD the relative dates count back from (default: today, UTC)");
}

}  // namespace

void RegisterGenCommand(CLI::App& app, CommandRegistry& registry) {
  CLI::App* gen = app.add_subcommand("gen",
                                     "Generate mock bank data (clients, transactions, "
                                     "scores, labeled transactions, file drops)");
  gen->require_subcommand(1);

  auto all = std::make_shared<GenAllFlags>();
  CLI::App* all_cmd =
      gen->add_subcommand("all",
                          "Write the seed's mock data set: mock.db (clients, transactions), "
                          "new_transactions.txt, scores.csv, labeled_transactions.csv");
  all_cmd->add_option("--out", all->out, "output directory (created; mock.db is replaced)")
      ->required();
  all_cmd->add_option("--clients", all->options.clients, "clients (and score rows)")
      ->capture_default_str()
      ->transform(flag::WholeNumber(0, kMaxCount));
  all_cmd
      ->add_option("--transactions", all->options.transactions,
                   "historical transactions (31 to 365 days old, with categoria)")
      ->capture_default_str()
      ->transform(flag::WholeNumber(0, kMaxCount));
  all_cmd
      ->add_option("--new-transactions", all->options.new_transactions,
                   "new transactions (0 to 30 days old) in new_transactions.txt")
      ->capture_default_str()
      ->transform(flag::WholeNumber(0, kMaxCount));
  all_cmd->add_option("--labeled", all->options.labeled, "labeled training transactions")
      ->capture_default_str()
      ->transform(flag::WholeNumber(0, kMaxCount));
  AddCommonFlags(all_cmd, all->common);
  registry.Add(all_cmd, [all] { return RunGenAll(*all); });

  auto drops = std::make_shared<GenDropsFlags>();
  CLI::App* drops_cmd = gen->add_subcommand(
      "drops",
      "Write new-transaction files into a directory over time, each renamed into "
      "place whole (drop_0001.txt, ...; numbered on after the files already there, never "
      "replacing one)");
  drops_cmd->add_option("--dir", drops->options.dir, "directory to drop files into (created)")
      ->required();
  drops_cmd->add_option("--files", drops->options.files, "number of files")
      ->capture_default_str()
      ->transform(flag::WholeNumber(0, kMaxCount));
  drops_cmd->add_option("--rows", drops->options.rows, "rows per file")
      ->capture_default_str()
      ->transform(flag::WholeNumber(0, kMaxCount));
  drops_cmd
      ->add_option("--delay", drops->delay,
                   "pause between files in seconds: MIN-MAX (uniform) or one value")
      ->capture_default_str();
  drops_cmd
      ->add_option("--first-id", drops->options.first_id,
                   "id of the first row; ids continue across files (not across runs: give the "
                   "next free id to go on from an earlier run)")
      ->capture_default_str()
      ->transform(flag::WholeNumber(0, kMaxCount));
  drops_cmd->add_option("--clients", drops->options.clients, "cliente_id is drawn from 1..clients")
      ->capture_default_str()
      ->transform(flag::WholeNumber(1, kMaxCount));
  AddCommonFlags(drops_cmd, drops->common);
  registry.Add(drops_cmd, [drops] { return RunGenDrops(*drops); });
}

}  // namespace gym
