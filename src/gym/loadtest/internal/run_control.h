// RunControl: decides when each simulated client sends its next batch (at once, after a
// paced pause, or at its open-loop arrival time), and knows when the run is over.
#ifndef GYM_LOADTEST_INTERNAL_RUN_CONTROL_H_
#define GYM_LOADTEST_INTERNAL_RUN_CONTROL_H_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include "gym/loadtest/client_session.h"
#include "gym/loadtest/pacer.h"
#include "gym/loadtest/simulator.h"

namespace gym::loadtest {

class RunControl final {
 public:
  // `timer` runs the paced pauses; it must outlive the run.
  RunControl(const RunOptions& options, Pacer& timer);

  // Sends every planned batch (or until the duration is up) and returns when all are answered.
  void Run(const std::vector<std::unique_ptr<ClientSession>>& sessions);
  // The sessions' completion callback (on a gRPC thread).
  void OnBatchDone(ClientSession& session);
  // From the first send to the last answer.
  double wall_seconds() const;
  // options.interrupt fired during the run.
  bool interrupted() const { return interrupted_.load(); }

 private:
  void Dispatch(const std::vector<std::unique_ptr<ClientSession>>& sessions);
  double DrawPause(int client);
  void Send(ClientSession& session, Clock::time_point scheduled);
  // Send at `due`, on the timer; counted as pending meanwhile.
  void SendAfter(ClientSession& session, Clock::time_point due);
  void Finished();
  void WaitUntilIdle(const std::vector<std::unique_ptr<ClientSession>>& sessions, int64_t planned);
  // No batch may start: the duration is up, or the run was interrupted.
  bool Stopped(Clock::time_point now) const { return now >= stop_ || interrupted_.load(); }

  const RunOptions& options_;
  const bool open_loop_;
  Clock::time_point start_;
  Clock::time_point stop_;
  std::vector<std::mt19937_64> pause_rngs_;  // one per client; paced mode has one batch in flight
  Pacer& timer_;
  std::atomic<int64_t> answered_{0};
  std::atomic<bool> interrupted_{false};

  std::mutex mu_;
  std::condition_variable idle_;
  int64_t in_flight_ = 0;
  int64_t pending_ = 0;  // pauses waiting on the pacer
  bool issuing_done_ = false;
  Clock::time_point last_answer_;
};

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_INTERNAL_RUN_CONTROL_H_
