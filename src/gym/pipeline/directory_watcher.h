// DirectoryWatcher: hands each new file of a directory with a wanted suffix to a callback,
// exactly once per version (the seed's RequestTrigger, which watched folders for dropped files).
//
// A version is the file's inode, size and modification time: a file dropped again under a
// name already delivered (renamed over it, or rewritten) is handed over again once it holds
// still. Whether its content is new is the callback's call (gym run compares content hashes).
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
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gym/pipeline/part_registry.h"

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
    uintmax_t inode;
    uintmax_t size;
    int64_t mtime_ns;
    bool operator==(const Seen&) const = default;
  };
  bool Wanted(const std::string& name) const;
  static std::optional<Seen> VersionOf(const std::filesystem::directory_entry& entry);

  WatchOptions options_;
  Callback on_file_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::map<std::string, Seen> pending_;    // candidates seen once, not yet stable
  std::map<std::string, Seen> delivered_;  // the version of each path last handed over
  std::thread thread_;
};

// The `files` trigger of pipeline files: `gym run --once --data DIR` lists DIR, `gym run
// --watch DIR` watches it, and each file goes to the sources it feeds whose `match` takes it.
PartInfo FilesTriggerPart();

}  // namespace gym

#endif  // GYM_PIPELINE_DIRECTORY_WATCHER_H_
