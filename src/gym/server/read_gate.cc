// Slots for request bodies being received (see read_gate.h).
#include "gym/server/read_gate.h"

#include <algorithm>

namespace gym {

ReadGate::Entry ReadGate::Enter(Waiter* waiter) {
  std::lock_guard<std::mutex> lock(mu_);
  if (reading_ < slots_) {
    ++reading_;
    return Entry::kRead;
  }
  if (waiting_.size() >= max_waiting_) return Entry::kRefuse;
  waiting_.push_back(waiter);
  return Entry::kWait;
}

void ReadGate::Leave() {
  Waiter* next = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (waiting_.empty()) {
      --reading_;
      return;
    }
    // The slot passes straight to the first waiter: reading_ stays as it is.
    next = waiting_.front();
    waiting_.pop_front();
  }
  next->StartReading();
}

bool ReadGate::Withdraw(Waiter* waiter) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::find(waiting_.begin(), waiting_.end(), waiter);
  if (it == waiting_.end()) return false;
  waiting_.erase(it);
  return true;
}

size_t ReadGate::reading() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reading_;
}

size_t ReadGate::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiting_.size();
}

}  // namespace gym
