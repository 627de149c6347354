// The timer thread of paced mode (see pacer.h).
#include "gym/loadtest/pacer.h"

namespace gym::loadtest {

Pacer::Pacer() : thread_([this] { Loop(); }) {}

Pacer::~Pacer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Pacer::At(Clock::time_point when, std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push(Entry{when, next_order_++, std::move(fn)});
  }
  wake_.notify_all();
}

void Pacer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const Clock::time_point when = queue_.top().when;
    if (Clock::now() < when) {
      wake_.wait_until(lock, when);
      continue;
    }
    std::function<void()> fn = queue_.top().fn;
    queue_.pop();
    // Unlocked: the callback starts an RPC, and may schedule the next pause itself.
    lock.unlock();
    fn();
    lock.lock();
  }
}

}  // namespace gym::loadtest
