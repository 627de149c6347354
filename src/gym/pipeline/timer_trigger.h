// TimerTrigger: calls a function every `interval`, at most `max_runs` times, on its own thread
// (the seed's TimerTrigger, which fed a producer node with generated transactions).
//
//   TimerTrigger timer(std::chrono::seconds(3), 5, [&](int run) { pipeline.Submit("timer", ...); });
//   timer.Start();
//   ...
//   timer.Stop();   // or timer.Wait() until the last run
#ifndef GYM_PIPELINE_TIMER_TRIGGER_H_
#define GYM_PIPELINE_TIMER_TRIGGER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "gym/pipeline/part_registry.h"

namespace gym {

class TimerTrigger final {
 public:
  // `max_runs` with this value fires until Stop().
  static constexpr int kUnlimited = -1;

  // `fire` gets the 1-based run number. It fires `max_runs` times (0: never, and Wait()
  // returns at once) or, when `max_runs` is negative (kUnlimited), until Stop().
  TimerTrigger(std::chrono::milliseconds interval, int max_runs, std::function<void(int)> fire);
  ~TimerTrigger();  // Stops.
  TimerTrigger(const TimerTrigger&) = delete;
  TimerTrigger& operator=(const TimerTrigger&) = delete;

  void Start();
  // Ends the timer early; a run in progress finishes first.
  void Stop();
  // Blocks until max_runs have fired (or Stop()).
  void Wait();
  int runs() const;

 private:
  void Loop();

  const std::chrono::milliseconds interval_;
  const int max_runs_;
  std::function<void(int)> fire_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool finished_ = false;
  int runs_ = 0;
  std::thread thread_;
};

// The `timer` trigger of pipeline files: submits a tick (a `run` number) to the sources it
// feeds, every interval_s seconds, `runs` times.
PartInfo TimerTriggerPart();

}  // namespace gym

#endif  // GYM_PIPELINE_TIMER_TRIGGER_H_
