#include "gym/pipeline/completion_token.h"

#include <condition_variable>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"

namespace gym {

struct CompletionToken::State {
  std::mutex mu;
  std::condition_variable cv;
  int pending = 0;
  bool done = false;
  absl::Status status;
  std::vector<Callback> callbacks;
};

namespace {

// `status` with "node '<node>': " before its message, unless it is there already (a status
// passed on from a node that named itself); the code and any payloads stay.
absl::Status WithNodeName(const absl::Status& status, std::string_view node) {
  if (node.empty()) return status;
  const std::string prefix = "node '" + std::string(node) + "': ";
  if (absl::StartsWith(status.message(), prefix)) return status;
  absl::Status named(status.code(), prefix + std::string(status.message()));
  status.ForEachPayload(
      [&named](absl::string_view type_url, const absl::Cord& payload) {
        named.SetPayload(type_url, payload);
      });
  return named;
}

}  // namespace

CompletionToken CompletionToken::Make(int branches) {
  auto state = std::make_shared<State>();
  state->pending = branches < 1 ? 1 : branches;
  return CompletionToken(std::move(state));
}

CompletionToken::CompletionToken() : state_(std::make_shared<State>()) { state_->done = true; }

void CompletionToken::AddBranches(int n) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->pending += n;
}

void CompletionToken::FinishBranch(const absl::Status& status, std::string_view node) const {
  std::vector<Callback> to_run;
  absl::Status final_status;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->done) return;  // A late branch after resolution has nothing left to change.
    if (!status.ok() && state_->status.ok()) state_->status = WithNodeName(status, node);
    if (--state_->pending > 0) return;
    state_->done = true;
    final_status = state_->status;
    to_run.swap(state_->callbacks);
    // Notify while holding the lock: a waiter may destroy whatever owns this token as soon as
    // it wakes, so nothing below may touch memory other than the shared state.
    state_->cv.notify_all();
  }
  for (Callback& cb : to_run) cb(final_status);
}

bool CompletionToken::done() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->done;
}

absl::Status CompletionToken::Wait() const {
  std::unique_lock<std::mutex> lock(state_->mu);
  state_->cv.wait(lock, [this] { return state_->done; });
  return state_->status;
}

bool CompletionToken::WaitFor(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(state_->mu);
  return state_->cv.wait_for(lock, timeout, [this] { return state_->done; });
}

absl::Status CompletionToken::status() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->status;
}

void CompletionToken::OnDone(Callback callback) const {
  absl::Status status;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->done) {
      state_->callbacks.push_back(std::move(callback));
      return;
    }
    status = state_->status;
  }
  callback(status);
}

}  // namespace gym
