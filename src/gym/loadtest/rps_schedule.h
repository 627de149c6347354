// The arrival schedule of open-loop mode (`--rps R`): arrival k is due at k / R seconds after
// the start, whatever happened to earlier arrivals, and goes to the next simulated client (round
// robin) that still has batches to send. Latency is measured from the due time, so a stalled
// server cannot hide behind senders that slowed down with it.
//
//   RpsSchedule schedule(/*rate=*/1000, /*remaining=*/{120, 120});
//   while (std::optional<RpsSchedule::Arrival> a = schedule.Next()) { ... }
#ifndef GYM_LOADTEST_RPS_SCHEDULE_H_
#define GYM_LOADTEST_RPS_SCHEDULE_H_

#include <cstdint>
#include <optional>
#include <vector>

namespace gym::loadtest {

class RpsSchedule final {
 public:
  struct Arrival {
    int64_t index = 0;       // k, from 0
    double due_seconds = 0;  // k / rate, from the start of the run
    int client = 0;          // the simulated client that sends it
  };

  // `remaining[i]`: how many batches simulated client i has. REQUIRES: rate > 0.
  RpsSchedule(double rate, std::vector<int64_t> remaining);

  // The next arrival; nullopt once every client has sent all its batches.
  std::optional<Arrival> Next();

 private:
  double rate_;
  std::vector<int64_t> remaining_;
  int64_t next_index_ = 0;
  int next_client_ = 0;
  int64_t total_left_ = 0;
};

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_RPS_SCHEDULE_H_
