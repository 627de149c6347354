// Round-robin, fixed-rate arrivals for open-loop mode (see rps_schedule.h).
#include "gym/loadtest/rps_schedule.h"

#include <utility>

namespace gym::loadtest {

RpsSchedule::RpsSchedule(double rate, std::vector<int64_t> remaining)
    : rate_(rate), remaining_(std::move(remaining)) {
  for (int64_t r : remaining_) total_left_ += r > 0 ? r : 0;
}

std::optional<RpsSchedule::Arrival> RpsSchedule::Next() {
  if (total_left_ == 0) return std::nullopt;
  const int n = static_cast<int>(remaining_.size());
  // Bounded: some client has batches left, so at most n steps find it.
  for (int step = 0; step < n; ++step) {
    const int c = (next_client_ + step) % n;
    if (remaining_[c] <= 0) continue;
    --remaining_[c];
    --total_left_;
    next_client_ = (c + 1) % n;
    Arrival a;
    a.index = next_index_++;
    a.due_seconds = static_cast<double>(a.index) / rate_;
    a.client = c;
    return a;
  }
  return std::nullopt;
}

}  // namespace gym::loadtest
