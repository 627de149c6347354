// Drops reuse the generator's new-transaction rows and the CSV sink; what is added here is
// the pacing and the write-then-rename that makes each file appear whole.
#include "gym/datagen/drops.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "gym/datagen/frames.h"
#include "gym/datagen/generator.h"
#include "gym/datagen/mock_dataset.h"
#include "gym/datagen/rng.h"
#include "gym/sinks/csv_sink.h"
#include "gym/sinks/file_publish.h"

namespace gym {
namespace {

std::optional<double> ParseSeconds(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !(value >= 0) || value > 86400) return std::nullopt;
  return value;
}

std::string DropName(int64_t index) {
  char name[32];
  std::snprintf(name, sizeof(name), "drop_%04lld.txt", static_cast<long long>(index));
  return name;
}

}  // namespace

absl::StatusOr<std::pair<double, double>> ParseDelayRange(std::string_view text) {
  const size_t dash = text.find('-');
  const std::string_view low = text.substr(0, dash);
  const std::string_view high = dash == std::string_view::npos ? low : text.substr(dash + 1);
  const std::optional<double> min = ParseSeconds(low);
  const std::optional<double> max = ParseSeconds(high);
  if (!min || !max) {
    return absl::InvalidArgumentError(
        "--delay '" + std::string(text) +
        "': expected MIN-MAX or SECONDS, non-negative seconds (at most 86400), e.g. 4-10 or 0.5");
  }
  if (*min > *max) {
    return absl::InvalidArgumentError("--delay '" + std::string(text) + "': MIN " +
                                      std::string(low) + " is above MAX " + std::string(high) +
                                      " (write the shorter pause first, e.g. " + std::string(high) +
                                      "-" + std::string(low) + ")");
  }
  return std::make_pair(*min, *max);
}

int64_t NextDropNumber(const std::string& dir) {
  int64_t highest = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with("drop_") || !name.ends_with(".txt")) continue;
    const std::string_view digits =
        std::string_view(name).substr(5, name.size() - 5 - std::string_view(".txt").size());
    int64_t number = 0;
    const auto [ptr, err] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (err == std::errc() && ptr == digits.data() + digits.size() && !digits.empty()) {
      highest = std::max(highest, number);
    }
  }
  return highest + 1;
}

absl::Status ValidateDropOptions(const DropOptions& options) {
  if (options.dir.empty()) return absl::InvalidArgumentError("--dir must not be empty");
  if (options.files < 0) return absl::InvalidArgumentError("--files must be >= 0");
  if (options.rows < 0) return absl::InvalidArgumentError("--rows must be >= 0");
  if (options.clients < 1) return absl::InvalidArgumentError("--clients must be >= 1");
  if (options.first_id < 0) return absl::InvalidArgumentError("--first-id must be >= 0");
  if (!(options.min_delay_seconds >= 0) || options.min_delay_seconds > options.max_delay_seconds) {
    return absl::InvalidArgumentError("--delay must satisfy 0 <= MIN <= MAX");
  }
  if (!options.today.IsValid()) {
    return absl::InvalidArgumentError("--today " + options.today.ToString() + " is not a date");
  }
  return absl::OkStatus();
}

absl::Status WriteDrops(const DropOptions& options, const DropWrittenFn& on_written,
                        const SleepFn& sleep) {
  if (absl::Status st = ValidateDropOptions(options); !st.ok()) return st;
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return absl::PermissionDeniedError("cannot create " + options.dir + ": " + ec.message());

  const MockGenerator gen(options.seed, options.today);
  int64_t next_id = options.first_id;
  int64_t next_number = NextDropNumber(options.dir);
  std::vector<MockTransaction> rows;
  for (int64_t file = 1; file <= options.files; ++file) {
    if (file > 1) {
      MockRng rng =
          MockRng::ForRow(options.seed, MockStream::kDropDelay, static_cast<uint64_t>(file));
      const double pause = rng.UniformReal(options.min_delay_seconds, options.max_delay_seconds);
      if (sleep) {
        sleep(pause);
      } else {
        std::this_thread::sleep_for(std::chrono::duration<double>(pause));
      }
    }
    rows.clear();
    rows.reserve(static_cast<size_t>(options.rows));
    for (int64_t i = 0; i < options.rows; ++i, ++next_id) {
      rows.push_back(gen.NewTransaction(
          next_id, PickClienteId(options.seed, MockStream::kNew, next_id, options.clients)));
    }
    // The pid keeps two writers of one directory off each other's temporary file.
    const std::string temp_path =
        options.dir + "/." + DropName(next_number) + "." + std::to_string(::getpid()) + ".tmp";
    if (absl::Status st = WriteCsvFile(NewTransactionsFrame(rows), temp_path); !st.ok()) {
      std::filesystem::remove(temp_path, ec);
      return st;
    }
    auto name = [&](uint64_t n) { return options.dir + "/" + DropName(static_cast<int64_t>(n)); };
    absl::StatusOr<std::string> final_path =
        PublishUnderFreeName(temp_path, name, static_cast<uint64_t>(next_number));
    if (!final_path.ok()) {
      std::filesystem::remove(temp_path, ec);
      return final_path.status();
    }
    next_number = NextDropNumber(options.dir);
    if (on_written) on_written(*final_path, options.rows);
  }
  return absl::OkStatus();
}

}  // namespace gym
