// DirectoryWatcher: hands each new file of a directory with a wanted suffix to a callback,
// exactly once (the seed's RequestTrigger, which watched folders for dropped files).
//
// Files still being written are skipped: hidden names (".x"), temporary names ("*.tmp",
// "*.part", "*~"), the write-then-rename convention of `gym gen drops`, and any file whose size
// or modification time changed since the previous scan (it is taken on a later scan once it
// holds still).
//
//   DirectoryWatcher w({.dir = "in", .suffixes = {".txt"}}, [&](const std::string& path) {...});
//   w.Start();   // polls on its own thread until Stop()
#ifndef GYM_PIPELINE_DIRECTORY_WATCHER_H_
#define GYM_PIPELINE_DIRECTORY_WATCHER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace gym {

struct WatchOptions {
  std::string dir;
  std::vector<std::string> suffixes;  // e.g. {".txt"}; empty: every file
  std::chrono::milliseconds poll_interval{200};
};

class DirectoryWatcher final {
 public:
  using Callback = std::function<void(const std::string& path)>;
  DirectoryWatcher(WatchOptions options, Callback on_file);
  ~DirectoryWatcher();  // Stops.
  DirectoryWatcher(const DirectoryWatcher&) = delete;
  DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

  void Start();
  void Stop();
  // One scan on the caller's thread; returns how many files were handed over. Used by Start's
  // thread and by run-once callers.
  size_t ScanOnce();
  size_t files_seen() const;

 private:
  struct Seen {
    uintmax_t size;
    int64_t mtime_ns;
  };
  bool Wanted(const std::string& name) const;

  WatchOptions options_;
  Callback on_file_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::map<std::string, Seen> pending_;  // candidates seen once, not yet stable
  std::set<std::string> delivered_;
  std::thread thread_;
};

}  // namespace gym

#endif  // GYM_PIPELINE_DIRECTORY_WATCHER_H_
