// ClientSession: one simulated client of `gym loadtest run`, with its own channel (its own
// connection), its plan of batches (built before the clock within SessionConfig::prebuild_bytes,
// the rest each when its turn comes; see request_builder.h), its log file and its counters.
//
// Sending is asynchronous (gRPC's callback API): SendNext() starts the next planned batch and
// returns; when the batch is answered (or its RPC fails for good) the session writes the
// batch's log line, counts it, and calls the `on_done` it was given, on a gRPC thread. A batch
// refused with a retryable status (backoff.h) is sent again after a backoff wait, on the timer
// thread, before it counts as done; its round trip runs from its first send to its last answer,
// waits included, since that is what a caller of the server lives through. The caller decides
// what comes next (at once, after a pause, or at the next scheduled arrival), so the same
// session serves closed, paced and open-loop runs. Several batches may be in flight at once
// (open loop); each has its own call state.
#ifndef GYM_LOADTEST_CLIENT_SESSION_H_
#define GYM_LOADTEST_CLIENT_SESSION_H_

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "gym/loadtest/backoff.h"
#include "gym/loadtest/pacer.h"
#include "gym/loadtest/request_builder.h"

namespace gym::loadtest {

using Clock = std::chrono::steady_clock;

struct TypeTotals {
  int64_t batches = 0;
  int64_t sent = 0;      // items in batches that were sent
  int64_t acked = 0;     // items the server reported as processed successfully
  int64_t rejected = 0;  // items the server rejected (bad input), reported in the response
};

struct SessionTotals {
  std::array<TypeTotals, 3> by_type;  // indexed by BatchType
  int64_t batches_answered = 0;       // the RPC completed (whatever the server's verdict)
  int64_t rpc_errors = 0;
  std::map<int, int64_t> errors_by_code;
  int64_t retries = 0;                     // resends after a retryable refusal
  std::map<int, int64_t> retries_by_code;  // by the status that caused the resend
  std::vector<double> round_trips;         // seconds, answered batches only
};

struct SessionConfig {
  RpcKind rpc = RpcKind::kBatch;
  std::chrono::nanoseconds deadline = std::chrono::seconds(60);
  std::string authorization;  // "Bearer <token>", or empty for none
  BackoffPolicy backoff;
  uint64_t jitter_seed = 0;  // with the client index, seeds the backoff waits
  // Batches built at construction, before the clock starts, while their serialized bytes
  // stay within this (at least the first); later ones are built as their turn comes.
  int64_t prebuild_bytes = 0;
};

class StreamChannel;

class ClientSession final {
 public:
  using DoneCallback = std::function<void(ClientSession&)>;

  // `log` is owned by the session (closed in the destructor); `timer` runs the backoff waits
  // and must outlive the session. REQUIRES: log != nullptr.
  ClientSession(int index, std::shared_ptr<grpc::Channel> channel, ClientRequests requests,
                const SessionConfig& config, Pacer& timer, std::FILE* log, DoneCallback on_done);
  ~ClientSession();
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  int index() const { return index_; }
  // Batches built at construction (see SessionConfig::prebuild_bytes).
  size_t prebuilt() const { return prebuilt_; }
  // True while some planned batch has not been started.
  bool HasNext() const;
  size_t planned() const { return requests_.size(); }
  // Starts the next planned batch (built at construction, when its predecessor was answered,
  // or now); its round-trip counts from `scheduled`. REQUIRES: HasNext().
  void SendNext(Clock::time_point scheduled);
  // Cancels every call in flight and every backoff wait: they end as CANCELLED (an RPC that
  // had already been answered keeps its answer). Batches sent after this end the same way.
  void CancelAll();
  // Stream mode: cancels the stream when its oldest unanswered batch is older than the
  // deadline (a stream has one deadline for its whole life, so batches need this watchdog).
  void CancelStaleStream(Clock::time_point now);
  // Closes the stream (if any) and waits until gRPC is done with it. REQUIRES: nothing in flight.
  void Shutdown();
  // Flushes the log and returns the counters. REQUIRES: nothing in flight.
  SessionTotals TakeTotals();

 private:
  friend class StreamChannel;
  // The state of one batch in flight.
  struct Call {
    PreparedBatch batch;
    Clock::time_point scheduled;
    // When the answer reached the client, before it is parsed or logged; the round-trip ends
    // here. Unset for calls that end without one (Finish then uses its own clock).
    Clock::time_point answered{};
    size_t item = 0;      // kSingle: the item being sent
    int retries = 0;      // resends so far, of every RPC of the batch
    int rpc_retries = 0;  // resends of the current RPC (kSingle: of the current item)
    std::shared_ptr<grpc::ClientContext> context;  // the current attempt's; under mu_
    grpc::ByteBuffer response;
    int acked = 0;
    int rejected = 0;
    bool success = true;
    double server_seconds = 0;
  };

  // Sends the call's current attempt on its RPC kind.
  void Start(Call* call);
  void StartUnary(Call* call);
  void OnUnaryDone(Call* call, const grpc::Status& status);
  void SendOnStream(Call* call);
  // An attempt ended with `rpc_code`: schedules a resend when the code is retryable and
  // retries are left, otherwise finishes the call.
  void Complete(Call* call, int rpc_code, const std::string& rpc_message);
  // Records the outcome, logs it, frees `call` and tells the owner.
  void Finish(Call* call, int rpc_code, const std::string& rpc_message);
  // Builds batch next_ unless a batch is built ahead already or the plan is done.
  void BuildAhead();
  // At construction: the first batches, within config_.prebuild_bytes (at least one).
  void Prebuild();
  void OnStreamGone();
  std::unique_ptr<grpc::ClientContext> NewContext(bool per_call_deadline) const;

  const int index_;
  std::shared_ptr<grpc::Channel> channel_;
  grpc::GenericStub stub_;
  const ClientRequests requests_;
  SessionConfig config_;
  Pacer& timer_;
  DoneCallback on_done_;

  mutable std::mutex mu_;
  std::condition_variable stream_gone_;
  size_t next_ = 0;
  size_t prebuilt_ = 0;
  std::deque<PreparedBatch> ahead_;  // batches next_, next_ + 1, ... built before their turn
  std::set<Call*> calls_;            // started and not finished
  bool stopping_ = false;            // CancelAll was called
  std::mt19937_64 jitter_;
  std::FILE* log_;
  SessionTotals totals_;
  // Every stream started (the last one is current; a new one replaces it when it has ended),
  // so that Shutdown can close them all.
  std::vector<std::shared_ptr<StreamChannel>> streams_;
  size_t streams_started_ = 0;
  size_t streams_gone_ = 0;  // whose OnDone has told us; the session must outlive them all
};

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_CLIENT_SESSION_H_
