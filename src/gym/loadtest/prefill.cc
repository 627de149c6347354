// Topping the transactions table up through the server (see prefill.h).
#include "gym/loadtest/prefill.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "fmt/format.h"
#include "grpcpp/client_context.h"
#include "gym/datagen/generator.h"
#include "gym/domain/dates.h"
#include "gym/loadtest/backoff.h"
#include "gym/loadtest/internal/channel_setup.h"
#include "gym/loadtest/request_builder.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"

namespace gym::loadtest {
namespace {

namespace rpc = ::gym_framework_rpc;
using SteadyClock = std::chrono::steady_clock;

// Channel indices of the prefill's own connections, apart from those of simulated clients.
constexpr int kFirstChannelIndex = 1 << 20;
// Client ids the rows reference: the mock generator's clients, as a real table's would be.
constexpr int64_t kReferencedClients = 100'000;
// Up to 20 attempts, waits growing to 2 s: a prefill of millions of rows must ride out a
// server that is briefly full or still starting.
const BackoffPolicy kBackoff{.retries = 19,
                             .initial = std::chrono::milliseconds(100),
                             .max = std::chrono::seconds(2)};
constexpr int kMaxRounds = 5;

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// What the workers share. Rows are claimed a batch at a time from one counter, so each row
// ordinal (and so each id) is sent by exactly one worker.
class PrefillWork final {
 public:
  // `total`: the rows the prefill means to add, over which sorted UUIDs are spread.
  PrefillWork(const PrefillOptions& o, int64_t total)
      : o_(o),
        gen_(o.seed, Today()),
        key_(NewEventIdKey()),
        ids_(o.event_ids, key_, o.run_id + "-prefill"),
        total_(static_cast<uint64_t>(std::max<int64_t>(total, 1))) {}

  // Sends rows until the ordinals below `end` are all claimed, an error or an interrupt.
  void Work(const std::shared_ptr<grpc::Channel>& channel) {
    auto stub = rpc::EventIngestionService::NewStub(channel);
    for (;;) {
      if (failed_.load() || (o_.interrupt != nullptr && o_.interrupt->load())) return;
      const int64_t first = next_.fetch_add(o_.batch_size);
      if (first >= end_.load()) return;
      const int n = static_cast<int>(std::min<int64_t>(o_.batch_size, end_.load() - first));
      absl::StatusOr<int> stored = Send(*stub, Build(first, n));
      if (!stored.ok()) {
        std::lock_guard<std::mutex> lock(mu_);
        if (error_.ok()) error_ = stored.status();
        failed_.store(true);
        return;
      }
      added_.fetch_add(*stored);
    }
  }

  // Allows `rows` more ordinals to be claimed.
  void Extend(int64_t rows) { end_.store(std::max(end_.load(), next_.load()) + rows); }
  int64_t added() const { return added_.load(); }
  absl::Status error() {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

 private:
  rpc::IngestTransactionsRequest Build(int64_t first, int n) const {
    rpc::IngestTransactionsRequest req;
    // Unique per batch, so derived ids ("<batch_id>:<index>") are too.
    req.set_batch_id(fmt::format("{}-prefill-{}", o_.run_id, first));
    for (int j = 0; j < n; ++j) {
      const int64_t ordinal = first + j;
      rpc::TransactionData* item = req.add_transactions();
      Fill(gen_.NewTransaction(ordinal + 1, 1 + ordinal % kReferencedClients), item);
      const auto n_th = static_cast<uint64_t>(ordinal);
      if (o_.event_ids == EventIdMode::kUuid && o_.sorted_uuids && n_th < total_) {
        item->set_event_id(SortedUuidV4(key_, n_th, total_));
      } else if (o_.event_ids != EventIdMode::kDerived) {
        item->set_event_id(ids_.For(n_th));
      }
    }
    return req;
  }

  // The rows the server stored; an error when the call fails for good or an item is refused.
  absl::StatusOr<int> Send(rpc::EventIngestionService::Stub& stub,
                           const rpc::IngestTransactionsRequest& req) const {
    std::mt19937_64 rng(std::hash<std::string>{}(req.batch_id()));
    for (int attempt = 1;; ++attempt) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + o_.deadline);
      if (!o_.authorization.empty()) context.AddMetadata("authorization", o_.authorization);
      rpc::BatchIngestionResponse response;
      const grpc::Status status = stub.IngestTransactions(&context, req, &response);
      if (status.ok()) {
        if (response.items_rejected() > 0) {
          return absl::InternalError(fmt::format(
              "prefill batch {}: the server rejected {} rows (first: {})", req.batch_id(),
              response.items_rejected(), response.rejected(0).reason()));
        }
        return response.items_processed_successfully();
      }
      if (!IsRetryable(status.error_code()) || attempt > kBackoff.retries) {
        return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                            fmt::format("prefill: IngestTransactions: {} (after {} attempts)",
                                        status.error_message(), attempt));
      }
      // The same request again: its ids are fixed, so a batch that was committed after all
      // comes back as duplicates, not as a second copy.
      std::this_thread::sleep_for(kBackoff.Delay(attempt, rng));
    }
  }

  const PrefillOptions& o_;
  const MockGenerator gen_;
  const uint64_t key_;
  const EventIdSource ids_;
  const uint64_t total_;
  std::atomic<int64_t> next_{0};
  std::atomic<int64_t> end_{0};
  std::atomic<int64_t> added_{0};
  std::atomic<bool> failed_{false};
  std::mutex mu_;
  absl::Status error_;
};

// Runs the workers until they stop, printing progress every few seconds.
void RunRound(PrefillWork& work, const std::vector<std::shared_ptr<grpc::Channel>>& channels,
              const PrefillOptions& o, int64_t goal_added, SteadyClock::time_point start) {
  std::atomic<int> running{static_cast<int>(channels.size())};
  std::vector<std::thread> workers;
  for (const auto& channel : channels) {
    workers.emplace_back([&work, &running, channel] {
      work.Work(channel);
      running.fetch_sub(1);
    });
  }
  auto last_print = SteadyClock::now();
  int64_t last_added = work.added();
  while (running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!o.progress || SteadyClock::now() - last_print < std::chrono::seconds(3)) continue;
    const int64_t added = work.added();
    const double window = SecondsSince(last_print);
    std::fprintf(stderr, "prefill: %lld of %lld rows, %.0f rows/s (%.0f rows/s since start)\n",
                 static_cast<long long>(added), static_cast<long long>(goal_added),
                 static_cast<double>(added - last_added) / window,
                 static_cast<double>(added) / SecondsSince(start));
    last_print = SteadyClock::now();
    last_added = added;
  }
  for (std::thread& t : workers) t.join();
}

}  // namespace

double PrefillResult::RowsPerSecond() const {
  return seconds > 0 ? static_cast<double>(rows_added) / seconds : 0;
}

absl::StatusOr<PrefillResult> Prefill(const PrefillOptions& o,
                                      const std::shared_ptr<grpc::ChannelCredentials>& creds,
                                      const RowCounter& count_rows) {
  absl::StatusOr<int64_t> rows = count_rows();
  if (!rows.ok()) {
    return absl::FailedPreconditionError(
        fmt::format("--prefill needs the size of the transactions table: {}",
                    std::string(rows.status().message())));
  }
  PrefillResult result;
  result.rows_before = *rows;
  result.rows_after = *rows;
  if (*rows >= o.rows) return result;

  if (o.progress) {
    std::fprintf(stderr,
                 "prefill: %lld rows stored, adding %lld through the server (%d streams, "
                 "batches of %d, --event-ids %s%s)\n",
                 static_cast<long long>(*rows), static_cast<long long>(o.rows - *rows), o.streams,
                 o.batch_size, std::string(EventIdModeName(o.event_ids)).c_str(),
                 o.event_ids == EventIdMode::kUuid && o.sorted_uuids ? ", in key order" : "");
  }
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < o.streams; ++i) {
    channels.push_back(internal::OwnConnection(o.target, kFirstChannelIndex + i, creds));
  }
  PrefillWork work(o, o.rows - *rows);
  const auto start = SteadyClock::now();
  // Acknowledged rows are stored, but a row can still be missing from the count (another
  // writer deleting, a resend answered as duplicates): recount and top up again, a few times.
  for (int round = 0; round < kMaxRounds && result.rows_after < o.rows; ++round) {
    work.Extend(o.rows - result.rows_after);
    RunRound(work, channels, o, o.rows - result.rows_before, start);
    if (absl::Status s = work.error(); !s.ok()) return s;
    result.interrupted = o.interrupt != nullptr && o.interrupt->load();
    absl::StatusOr<int64_t> now = count_rows();
    if (!now.ok()) return now.status();
    result.rows_after = *now;
    if (result.interrupted) break;
  }
  result.rows_added = work.added();
  result.seconds = SecondsSince(start);
  if (!result.interrupted && result.rows_after < o.rows) {
    return absl::InternalError(fmt::format(
        "prefill: the transactions table holds {} rows after {} rounds, not the {} asked for",
        result.rows_after, kMaxRounds, o.rows));
  }
  return result;
}

std::string FormatPrefill(const PrefillResult& r) {
  if (r.rows_added == 0 && !r.interrupted) {
    return fmt::format("nothing to add, the table holds {} rows", r.rows_after);
  }
  return fmt::format("{} rows added in {:.1f} s ({:.0f} rows/s), the table holds {}{}",
                     r.rows_added, r.seconds, r.RowsPerSecond(), r.rows_after,
                     r.interrupted ? " (interrupted)" : "");
}

}  // namespace gym::loadtest
