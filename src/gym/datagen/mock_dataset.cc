// Generation fans out over row ranges with oneTBB; rows are pure functions of their id, so
// the split does not affect the result. Writing runs the database and the three text files
// as concurrent tasks: each output has one writer, and the slowest (SQLite) sets the pace.
#include "gym/datagen/mock_dataset.h"

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "gym/datagen/cpf_sequence.h"
#include "gym/datagen/frames.h"
#include "gym/sinks/csv_sink.h"
#include "gym/storage/sqlite_table_writer.h"
#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/parallel_invoke.h"

namespace gym {
namespace {

constexpr int kWriteSteps = 5;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Fills `out[i]` with make(i) for i in [0, n), in parallel.
template <typename T, typename Make>
void Fill(std::vector<T>& out, int64_t n, const Make& make) {
  out.resize(static_cast<size_t>(n));
  tbb::parallel_for(tbb::blocked_range<int64_t>(0, n, 2048),
                    [&](const tbb::blocked_range<int64_t>& range) {
                      for (int64_t i = range.begin(); i != range.end(); ++i) {
                        out[static_cast<size_t>(i)] = make(i);
                      }
                    });
}

// Serializes progress calls from the concurrent writers and counts finished steps.
class StepReporter final {
 public:
  StepReporter(const MockDataProgressFn& fn, int total) : fn_(fn), total_(total) {}
  void Done(std::string step, std::chrono::steady_clock::time_point start) {
    if (!fn_) return;
    const double seconds = SecondsSince(start);
    std::lock_guard<std::mutex> lock(mu_);
    fn_(MockDataProgress{std::move(step), ++done_, total_, seconds});
  }

 private:
  const MockDataProgressFn& fn_;
  const int total_;
  std::mutex mu_;
  int done_ = 0;
};

absl::Status RemoveDatabase(const std::string& db_path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ec;
    std::filesystem::remove(db_path + suffix, ec);
    if (ec) {
      return absl::PermissionDeniedError("cannot remove the old " + db_path + suffix + ": " +
                                         ec.message());
    }
  }
  return absl::OkStatus();
}

std::string Rows(const std::string& what, size_t rows) {
  return what + " (" + std::to_string(rows) + " rows)";
}

}  // namespace

absl::Status ValidateMockDataOptions(const MockDataOptions& options) {
  const std::pair<const char*, int64_t> sizes[] = {{"clients", options.clients},
                                                   {"transactions", options.transactions},
                                                   {"new-transactions", options.new_transactions},
                                                   {"labeled", options.labeled}};
  for (const auto& [name, value] : sizes) {
    if (value < 0) {
      return absl::InvalidArgumentError(std::string("--") + name + " must be >= 0, got " +
                                        std::to_string(value));
    }
  }
  if (static_cast<uint64_t>(options.clients) >= CpfSequence::kCapacity) {
    return absl::InvalidArgumentError("--clients must be below " +
                                      std::to_string(CpfSequence::kCapacity) +
                                      " (distinct CPFs), got " + std::to_string(options.clients));
  }
  if (options.clients == 0 &&
      options.transactions + options.new_transactions + options.labeled > 0) {
    return absl::InvalidArgumentError(
        "--clients is 0 but transactions were asked for: they need clients to belong to");
  }
  if (!options.today.IsValid() || options.today.year < 100 || options.today.year > 9999) {
    return absl::InvalidArgumentError("--today " + options.today.ToString() +
                                      " is not a date between the years 100 and 9999");
  }
  return absl::OkStatus();
}

int64_t PickClienteId(uint64_t seed, MockStream stream, int64_t row_id, int64_t num_clients) {
  // Keyed apart from the row's own stream so the client does not correlate with its values.
  const uint64_t key = (static_cast<uint64_t>(stream) << 56) ^ static_cast<uint64_t>(row_id);
  MockRng rng = MockRng::ForRow(seed, MockStream::kClientPick, key);
  return rng.UniformInt(1, num_clients);
}

MockDataSet GenerateMockData(const MockDataOptions& options) {
  const MockGenerator gen(options.seed, options.today);
  const uint64_t seed = options.seed;
  const int64_t clients = options.clients;
  const int64_t first_new_id = options.transactions + 1;
  MockDataSet data;
  tbb::parallel_invoke(
      [&] {
        Fill(data.clients, clients, [&](int64_t i) { return gen.Client(i + 1); });
        Fill(data.scores, clients,
             [&](int64_t i) { return gen.Score(data.clients[static_cast<size_t>(i)].cpf); });
      },
      [&] {
        Fill(data.transactions, options.transactions, [&](int64_t i) {
          const int64_t id = i + 1;
          return gen.HistoricalTransaction(
              id, PickClienteId(seed, MockStream::kHistorical, id, clients));
        });
      },
      [&] {
        Fill(data.new_transactions, options.new_transactions, [&](int64_t i) {
          const int64_t id = first_new_id + i;
          return gen.NewTransaction(id, PickClienteId(seed, MockStream::kNew, id, clients));
        });
        Fill(data.labeled, options.labeled, [&](int64_t i) {
          const int64_t id = i + 1;
          return gen.Labeled(id, PickClienteId(seed, MockStream::kLabeled, id, clients));
        });
      });
  return data;
}

absl::Status WriteMockData(const MockDataSet& data, const std::string& dir,
                           const MockDataProgressFn& progress) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::PermissionDeniedError("cannot create " + dir + ": " + ec.message());
  const std::string db_path = dir + "/mock.db";
  if (absl::Status st = RemoveDatabase(db_path); !st.ok()) return st;

  StepReporter reporter(progress, kWriteSteps);
  absl::Status db_status, scores_status, new_status, labeled_status;
  const auto write_csv = [&](const Frame& frame, const std::string& path, absl::Status& status) {
    const auto start = std::chrono::steady_clock::now();
    status = WriteCsvFile(frame, path);
    if (status.ok()) reporter.Done(Rows("wrote " + path, frame.num_rows()), start);
  };
  tbb::parallel_invoke(
      [&] {
        auto start = std::chrono::steady_clock::now();
        db_status =
            WriteSqliteTable(db_path, {"clients", std::nullopt}, ClientsFrame(data.clients));
        if (!db_status.ok()) return;
        reporter.Done(Rows("wrote " + db_path + " table clients", data.clients.size()), start);
        start = std::chrono::steady_clock::now();
        db_status = WriteSqliteTable(db_path, {"transactions", std::nullopt},
                                     TransactionsFrame(data.transactions));
        if (!db_status.ok()) return;
        reporter.Done(Rows("wrote " + db_path + " table transactions", data.transactions.size()),
                      start);
      },
      [&] { write_csv(ScoresFrame(data.scores), dir + "/scores.csv", scores_status); },
      [&] {
        write_csv(NewTransactionsFrame(data.new_transactions), dir + "/new_transactions.txt",
                  new_status);
      },
      [&] {
        write_csv(LabeledFrame(data.labeled), dir + "/labeled_transactions.csv", labeled_status);
      });
  for (const absl::Status* st : {&db_status, &scores_status, &new_status, &labeled_status}) {
    if (!st->ok()) return *st;
  }
  return absl::OkStatus();
}

absl::Status GenerateMockDataFiles(const MockDataOptions& options, const std::string& dir,
                                   const MockDataProgressFn& progress) {
  if (absl::Status st = ValidateMockDataOptions(options); !st.ok()) return st;
  const auto start = std::chrono::steady_clock::now();
  const MockDataSet data = GenerateMockData(options);
  const int total = kWriteSteps + 1;
  if (progress) {
    progress(MockDataProgress{"generated " + std::to_string(data.clients.size()) +
                                  " clients and scores, " +
                                  std::to_string(data.transactions.size()) + " transactions, " +
                                  std::to_string(data.new_transactions.size()) + " new, " +
                                  std::to_string(data.labeled.size()) + " labeled",
                              1, total, SecondsSince(start)});
  }
  return WriteMockData(data, dir, [&](const MockDataProgress& p) {
    if (progress) progress(MockDataProgress{p.step, p.done + 1, total, p.seconds});
  });
}

}  // namespace gym
