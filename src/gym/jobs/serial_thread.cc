#include "gym/jobs/serial_thread.h"

#include <utility>

namespace gym {

SerialThread::SerialThread() : thread_([this] { Run(); }) {}

SerialThread::~SerialThread() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void SerialThread::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
    ++posted_;
  }
  cv_.notify_all();
}

void SerialThread::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t target = posted_;
  cv_.wait(lock, [&] { return done_ >= target; });
}

void SerialThread::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
    // Stopping still runs what is queued: a posted task is never dropped.
    if (tasks_.empty()) return;
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    lock.lock();
    ++done_;
    cv_.notify_all();
  }
}

}  // namespace gym
