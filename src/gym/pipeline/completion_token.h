// CompletionToken: resolves when every branch of the DAG has finished with one message.
//
// A message enters the pipeline with one pending branch. A node that forwards its result to k
// dependents adds k branches before finishing its own; a leaf (or an async sink, after its
// commit) finishes its branch. When the count reaches zero the token resolves with OK or with
// the first error reported, prefixed by the node's name. Copies share one state.
//
//   CompletionToken t = CompletionToken::Make();
//   t.OnDone([](const absl::Status& s) { Reply(s); });   // runs once, on the resolving thread
//   absl::Status s = t.Wait();
#ifndef GYM_PIPELINE_COMPLETION_TOKEN_H_
#define GYM_PIPELINE_COMPLETION_TOKEN_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "absl/status/status.h"

namespace gym {

class CompletionToken final {
 public:
  using Callback = std::function<void(const absl::Status&)>;

  // A token with `branches` pending branches (at least 1).
  static CompletionToken Make(int branches = 1);
  // A default-constructed token is already resolved with OK.
  CompletionToken();

  // REQUIRES: the token is not resolved yet (some branch still pending).
  void AddBranches(int n) const;
  // Finishes one branch. A non-OK status is kept if it is the first error, with its code and
  // payloads; `node` names where it happened ("node 'risk': ..." before the message, unless it
  // starts so already). Resolves the token when this was the last pending branch.
  void FinishBranch(const absl::Status& status, std::string_view node = {}) const;

  bool done() const;
  // Blocks until resolved and returns the combined status.
  absl::Status Wait() const;
  // Returns false on timeout.
  bool WaitFor(std::chrono::milliseconds timeout) const;
  // REQUIRES: done().
  absl::Status status() const;
  // Registers a callback run exactly once with the final status: immediately (on this thread)
  // when already resolved, otherwise on the thread that resolves the token.
  void OnDone(Callback callback) const;

 private:
  struct State;
  explicit CompletionToken(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace gym

#endif  // GYM_PIPELINE_COMPLETION_TOKEN_H_
