#include "gym/pipeline/directory_watcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>

#include "spdlog/spdlog.h"

namespace gym {
namespace fs = std::filesystem;

// The inode tells a file renamed over an old one from the old one even when both have the
// same size and were written within the clock's resolution.
std::optional<DirectoryWatcher::Seen> DirectoryWatcher::VersionOf(const fs::directory_entry& e) {
  struct stat st {};
  if (::stat(e.path().c_str(), &st) != 0) return std::nullopt;
  return Seen{static_cast<uintmax_t>(st.st_ino), static_cast<uintmax_t>(st.st_size),
              static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

DirectoryWatcher::DirectoryWatcher(WatchOptions options, Callback on_file)
    : options_(std::move(options)), on_file_(std::move(on_file)) {}

DirectoryWatcher::~DirectoryWatcher() { Stop(); }

bool DirectoryWatcher::Wanted(const std::string& name) const {
  if (name.empty() || name.front() == '.') return false;
  for (const char* temp : {".tmp", ".part", "~"}) {
    if (name.ends_with(temp)) return false;
  }
  if (options_.suffixes.empty()) return true;
  return std::any_of(options_.suffixes.begin(), options_.suffixes.end(),
                     [&](const std::string& s) { return name.ends_with(s); });
}

size_t DirectoryWatcher::ScanOnce() {
  std::vector<std::string> ready;
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(options_.dir, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(*it);
  }
  if (ec) {
    spdlog::warn("watcher: cannot list {}: {}", options_.dir, ec.message());
    return 0;
  }
  // Name order, so that files dropped together are handed over in a predictable order.
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const fs::directory_entry& entry : entries) {
      std::string path = entry.path().string();
      if (!entry.is_regular_file(ec) || !Wanted(entry.path().filename().string())) continue;
      const std::optional<Seen> now = VersionOf(entry);
      if (!now) continue;
      auto done = delivered_.find(path);
      if (done != delivered_.end() && done->second == *now) continue;
      auto it = pending_.find(path);
      if (it != pending_.end() && it->second == *now) {
        pending_.erase(it);
        delivered_[path] = *now;
        ready.push_back(path);
      } else {
        pending_[path] = *now;
      }
    }
  }
  for (const std::string& path : ready) on_file_(path);
  return ready.size();
}

void DirectoryWatcher::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this] {
    while (true) {
      ScanOnce();
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, options_.poll_interval, [this] { return stop_; })) return;
    }
  });
}

void DirectoryWatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

size_t DirectoryWatcher::files_seen() const {
  std::lock_guard<std::mutex> lock(mu_);
  return delivered_.size();
}

PartInfo FilesTriggerPart() {
  return {.type = "files",
          .kind = PartKind::kTrigger,
          .help = "feeds the files of a folder (listed once, or watched) to the sources whose "
                  "match globs take them",
          .options = {{.name = "feeds",
                       .type = OptionType::kStringList,
                       .help = "the sources it feeds (empty: every source with match globs)",
                       .default_value = std::vector<std::string>{}}}};
}

}  // namespace gym
