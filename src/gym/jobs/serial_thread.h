// SerialThread: runs the tasks posted to it one after another, in order, on a thread of its
// own. A file job's claims do their database work there (recording a stored file, letting a
// claim go), off the writer's delivery thread, where a slow record would hold back the
// follow-ups of every other message.
//
//   SerialThread claims;
//   claims.Post([&] { file_claims.Finish(sha, path); });
//   claims.Drain();  // every task posted before has run
#ifndef GYM_JOBS_SERIAL_THREAD_H_
#define GYM_JOBS_SERIAL_THREAD_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace gym {

class SerialThread final {
 public:
  SerialThread();
  // Runs what was posted, then joins.
  ~SerialThread();
  SerialThread(const SerialThread&) = delete;
  SerialThread& operator=(const SerialThread&) = delete;

  // Thread-safe; a task may post others.
  void Post(std::function<void()> task);
  // Blocks until every task posted before the call has run. REQUIRES: not called from a task.
  void Drain();

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  uint64_t posted_ = 0;  // guarded by mu_, like done_
  uint64_t done_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace gym

#endif  // GYM_JOBS_SERIAL_THREAD_H_
