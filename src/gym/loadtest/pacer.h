// Pacer: runs callbacks at given times on one thread of its own, for the pauses of paced mode
// (a sleeping thread per simulated client would not scale to hundreds of clients).
#ifndef GYM_LOADTEST_PACER_H_
#define GYM_LOADTEST_PACER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace gym::loadtest {

class Pacer final {
 public:
  using Clock = std::chrono::steady_clock;

  Pacer();
  // Drops the callbacks not run yet and joins the thread.
  ~Pacer();
  Pacer(const Pacer&) = delete;
  Pacer& operator=(const Pacer&) = delete;

  void At(Clock::time_point when, std::function<void()> fn);

 private:
  struct Entry {
    Clock::time_point when;
    uint64_t order;  // FIFO among equal times
    std::function<void()> fn;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.when != b.when ? a.when > b.when : a.order > b.order;
    }
  };
  void Loop();

  std::mutex mu_;
  std::condition_variable wake_;
  std::priority_queue<Entry, std::vector<Entry>, Later> queue_;
  uint64_t next_order_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_PACER_H_
