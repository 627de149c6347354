// Calls waiting for --max-inflight room (see room_line.h).
#include "gym/server/room_line.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace gym {
namespace {

// How often the line looks for room that no answered batch handed over. Short against a
// batch's round trip under load (milliseconds), and the line only ticks while someone waits.
constexpr auto kTick = std::chrono::milliseconds(2);

}  // namespace

RoomLine::RoomLine(std::function<bool(int64_t)> has_room, std::chrono::nanoseconds max_wait,
                   size_t max_waiting)
    : has_room_(std::move(has_room)), max_wait_(max_wait), max_waiting_(max_waiting) {
  if (max_wait_ > std::chrono::nanoseconds::zero()) watcher_ = std::thread([this] { Watch(); });
}

RoomLine::~RoomLine() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

RoomLine::Entry RoomLine::Enter(Waiter* waiter, Clock::time_point deadline) {
  if (busy_.load(std::memory_order_acquire) == 0 && has_room_(0)) return Entry::kGo;
  std::lock_guard<std::mutex> lock(mu_);
  // Nobody waiting and room: in. With waiters, a newcomer goes behind them, or those already
  // waiting would be overtaken by every fresh call.
  if (line_.empty() && has_room_(unsettled_)) return Entry::kGo;
  if (max_wait_ <= std::chrono::nanoseconds::zero() || stopping_ ||
      line_.size() >= max_waiting_) {
    return Entry::kRefuse;
  }
  const Clock::time_point now = Clock::now();
  const Clock::time_point until =
      std::min(deadline, now + std::chrono::duration_cast<Clock::duration>(max_wait_));
  if (until <= now) return Entry::kRefuse;
  line_.push_back(Place{waiter, until});
  busy_.fetch_add(1, std::memory_order_acq_rel);
  if (line_.size() == 1) wake_.notify_one();  // the watcher sleeps while the line is empty
  return Entry::kWait;
}

RoomLine::Waiter* RoomLine::NextLocked() {
  if (line_.empty() || !has_room_(unsettled_)) return nullptr;
  Waiter* next = line_.front().waiter;
  line_.pop_front();
  ++unsettled_;  // busy_ unchanged: from waiting to let in
  return next;
}

void RoomLine::Settled() {
  std::lock_guard<std::mutex> lock(mu_);
  --unsettled_;
  busy_.fetch_sub(1, std::memory_order_acq_rel);
}

void RoomLine::RoomFreed() {
  if (busy_.load(std::memory_order_acquire) == 0) return;
  Waiter* next = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    next = NextLocked();
  }
  if (next != nullptr) next->Admitted();
}

bool RoomLine::Withdraw(Waiter* waiter) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::find_if(line_.begin(), line_.end(),
                         [waiter](const Place& p) { return p.waiter == waiter; });
  if (it == line_.end()) return false;
  line_.erase(it);
  busy_.fetch_sub(1, std::memory_order_acq_rel);
  return true;
}

size_t RoomLine::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return line_.size();
}

void RoomLine::Watch() {
  std::unique_lock<std::mutex> lock(mu_);
  std::vector<Waiter*> expired;
  while (true) {
    if (stopping_) {
      for (const Place& p : line_) expired.push_back(p.waiter);
      busy_.fetch_sub(static_cast<int64_t>(line_.size()), std::memory_order_acq_rel);
      line_.clear();
    } else if (line_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const Clock::time_point now = Clock::now();
    Clock::time_point next_check = now + kTick;
    for (auto it = line_.begin(); it != line_.end();) {
      if (it->until <= now) {
        expired.push_back(it->waiter);
        it = line_.erase(it);
        busy_.fetch_sub(1, std::memory_order_acq_rel);
      } else {
        next_check = std::min(next_check, it->until);
        ++it;
      }
    }
    // Room that nobody is on the way to take: the first waiter comes in.
    Waiter* in = stopping_ ? nullptr : NextLocked();
    const bool stop = stopping_;
    if (!expired.empty() || in != nullptr) {
      lock.unlock();
      for (Waiter* w : expired) w->Expired();
      if (in != nullptr) in->Admitted();
      expired.clear();
      lock.lock();
    }
    if (stop) return;
    wake_.wait_until(lock, next_check, [&] { return stopping_; });
  }
}

}  // namespace gym
