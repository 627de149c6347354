// One time-stamped CSV file per frame.
#include "gym/handlers/save_csv_handler.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "fmt/format.h"
#include "gym/handlers/internal/utc_stamp.h"
#include "gym/sinks/csv_sink.h"

namespace gym {

SaveCsvHandler::SaveCsvHandler(std::string folder, std::string prefix)
    : folder_(std::move(folder)), prefix_(std::move(prefix)) {}

Frame SaveCsvHandler::Handle(Frame input) {
  std::error_code error;
  std::filesystem::create_directories(folder_, error);
  if (error) {
    throw std::runtime_error(
        fmt::format("{}: cannot create the folder: {}", folder_, error.message()));
  }
  const uint64_t seq = next_seq_.fetch_add(1);
  const std::string path = (std::filesystem::path(folder_) /
                            fmt::format("{}_{}_{:06}.csv", prefix_,
                                        internal::UtcStamp(std::chrono::system_clock::now()), seq))
                               .string();
  if (absl::Status written = WriteCsvFile(input, path); !written.ok()) {
    throw std::runtime_error(std::string(written.message()));
  }
  std::lock_guard<std::mutex> lock(mu_);
  written_.emplace_back(seq, path);
  return input;
}

std::vector<std::string> SaveCsvHandler::written() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<uint64_t, std::string>> sorted = written_;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::string> paths;
  for (auto& [seq, path] : sorted) paths.push_back(std::move(path));
  return paths;
}

}  // namespace gym
