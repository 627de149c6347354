#include "gym/pipeline/message_log.h"

#include <utility>

#include "spdlog/spdlog.h"

namespace gym {

void MessageLog::Track(const absl::StatusOr<CompletionToken>& token, const std::string& what,
                       FollowUp follow_up) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++pending_;
  }
  if (!token.ok()) {
    Finish(token.status(), what, follow_up);
    return;
  }
  token->OnDone([this, what, follow_up = std::move(follow_up)](const absl::Status& s) {
    Finish(s, what, follow_up);
  });
}

void MessageLog::Finish(absl::Status status, const std::string& what, const FollowUp& follow_up) {
  if (follow_up) {
    absl::Status after = follow_up(status);
    if (status.ok()) status = std::move(after);
  }
  if (!status.ok()) Fail(status, what);
  std::lock_guard<std::mutex> lock(mu_);
  --pending_;
  cv_.notify_all();
}

void MessageLog::Fail(const absl::Status& status, const std::string& what) {
  spdlog::error("{}: {}", what, std::string(status.message()));
  std::lock_guard<std::mutex> lock(mu_);
  if (failures_++ == 0) first_failure_ = what + ": " + std::string(status.message());
}

void MessageLog::WaitAll() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return pending_ == 0; });
}

int MessageLog::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

std::string MessageLog::first_failure() const {
  std::lock_guard<std::mutex> lock(mu_);
  return first_failure_;
}

}  // namespace gym
