#include "gym/pipeline/timer_trigger.h"

#include <utility>

namespace gym {

TimerTrigger::TimerTrigger(std::chrono::milliseconds interval, int max_runs,
                           std::function<void(int)> fire)
    : interval_(interval), max_runs_(max_runs), fire_(std::move(fire)) {}

TimerTrigger::~TimerTrigger() { Stop(); }

void TimerTrigger::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable() || stop_ || finished_) return;
  if (max_runs_ == 0) {  // nothing to fire: no thread, and Wait() must not block
    finished_ = true;
    return;
  }
  thread_ = std::thread([this] { Loop(); });
}

void TimerTrigger::Loop() {
  auto next = std::chrono::steady_clock::now() + interval_;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      // Deadline-based waits keep the period steady however long `fire_` takes.
      if (cv_.wait_until(lock, next, [this] { return stop_; })) break;
      if (max_runs_ >= 0 && runs_ >= max_runs_) break;
    }
    int run;
    {
      std::lock_guard<std::mutex> lock(mu_);
      run = ++runs_;
    }
    fire_(run);
    next += interval_;
    if (max_runs_ >= 0 && run >= max_runs_) break;
  }
  std::lock_guard<std::mutex> lock(mu_);
  finished_ = true;
  cv_.notify_all();
}

void TimerTrigger::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void TimerTrigger::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  if (!thread_.joinable()) return;
  cv_.wait(lock, [this] { return finished_; });
}

int TimerTrigger::runs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return runs_;
}

PartInfo TimerTriggerPart() {
  return {.type = "timer",
          .kind = PartKind::kTrigger,
          .help = "submits a tick (one row, `run`) to the sources it feeds on a schedule",
          .options = {{.name = "feeds",
                       .type = OptionType::kStringList,
                       .help = "the sources it feeds"},
                      {.name = "interval_s",
                       .type = OptionType::kDouble,
                       .help = "seconds between runs",
                       .default_value = 3.0},
                      {.name = "runs",
                       .type = OptionType::kInt,
                       .help = "how many runs (-1: until stopped)",
                       .default_value = int64_t{5}}},
          .check = [](const PartOptions& o) {
            std::vector<std::string> problems;
            if (!(o.Double("interval_s") > 0)) problems.push_back("interval_s: must be positive");
            if (o.Int("runs") < -1) problems.push_back("runs: must be -1 (unlimited) or more");
            return problems;
          }};
}

}  // namespace gym
