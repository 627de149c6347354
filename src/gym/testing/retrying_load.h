// RetryingLoad: test-only clients that keep sending transaction batches to a gym server and
// retry each one, with the same batch id and event ids, until it is acknowledged. The ledger
// says which events were sent and which acknowledged, so a test can check, across crashes and
// restarts of the server, that acknowledged ⊆ stored ⊆ sent.
//
//   RetryingLoad load("k", {.clients = 4});
//   load.Start(server->target());       // runs until Stop
//   ... kill the server, start another ...
//   load.Stop();
//   load.Start(other->target());        // clients resend what was not acknowledged
//   load.Finish(other->target());        // resend pending batches only, then stop
//   Ledger l = load.ledger();
#ifndef GYM_TESTING_RETRYING_LOAD_H_
#define GYM_TESTING_RETRYING_LOAD_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gym/proto/event_ingestion_service.pb.h"

namespace gym::testing {

struct LoadOptions {
  int clients = 4;
  int batch_size = 50;
  bool stream = false;  // IngestStream, one batch at a time, instead of IngestTransactions
  // gRPC's round_robin over the target's addresses ("ipv4:127.0.0.1:P1,127.0.0.1:P2", several
  // replicas) instead of pick_first: the load is spread, and a replica that is gone is left out.
  bool round_robin = false;
};

struct Ledger {
  std::set<std::string> sent;     // every event id sent at least once
  std::set<std::string> acked;    // event ids of acknowledged batches
  std::vector<std::string> acked_batches;
  std::map<std::string, int64_t> failures;  // by status code name ("UNAVAILABLE", ...)
  int64_t acked_not_success = 0;  // OK answers whose success was false (must stay 0)
};

class RetryingLoad final {
 public:
  RetryingLoad(std::string prefix, LoadOptions options);
  ~RetryingLoad();
  RetryingLoad(const RetryingLoad&) = delete;
  RetryingLoad& operator=(const RetryingLoad&) = delete;

  // Starts the clients against `target`; each first resends the batch it had not got
  // acknowledged, then goes on with new ones. REQUIRES: not running.
  void Start(const std::string& target);
  // Stops the clients (a call in flight ends within its deadline).
  void Stop();
  // Resends every unacknowledged batch to `target` until acknowledged (at most `attempts`
  // tries each), sending nothing new. Returns the batches still unacknowledged.
  int Finish(const std::string& target, int attempts = 100);

  int64_t acked_batches() const { return acked_batches_.load(); }
  Ledger ledger() const;
  // The request of batch `batch_id`, as it was sent.
  gym_framework_rpc::IngestTransactionsRequest Request(const std::string& batch_id) const;

 private:
  struct Client;
  void Run(Client& client, const std::string& target, bool only_pending);
  // One attempt: true when acknowledged.
  bool SendOnce(Client& client, const std::string& target);
  void Record(const gym_framework_rpc::IngestTransactionsRequest& request, bool sent_ok,
              const std::string& failure, bool success);

  const std::string prefix_;
  const LoadOptions options_;
  std::vector<std::unique_ptr<Client>> clients_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> acked_batches_{0};
  mutable std::mutex mu_;
  Ledger ledger_;
};

}  // namespace gym::testing

#endif  // GYM_TESTING_RETRYING_LOAD_H_
