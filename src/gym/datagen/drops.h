// File drops (`gym gen drops`): new-transaction TXT files written one after another with a
// pause between them, as an upstream system would deliver them to a watched directory.
//
// Each file is written to a hidden temporary name (D/.drop_0001.txt.tmp) and renamed into
// place (D/drop_0001.txt). A rename within one directory is atomic, so a watcher sees either
// no file or the whole file. A file already in the directory is never replaced: numbering
// continues after the highest drop_NNNN.txt there, and a name taken meanwhile (by another
// writer) is skipped.
//
//   DropOptions options{.dir = "/tmp/in", .files = 3, .rows = 1000};
//   absl::Status st = WriteDrops(options, [](const std::string& path, int64_t rows) {});
#ifndef GYM_DATAGEN_DROPS_H_
#define GYM_DATAGEN_DROPS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/domain/dates.h"

namespace gym {

struct DropOptions {
  std::string dir;
  int64_t files = 5;
  int64_t rows = 10'000;  // per file
  // Pause before each file after the first, uniform in [min_delay, max_delay] seconds.
  double min_delay_seconds = 4;
  double max_delay_seconds = 10;
  uint64_t seed = 0;
  Date today;
  // Ids run first_id, first_id + 1, ... across all files, so every row's id is unique.
  int64_t first_id = 1;
  // cliente_id is uniform over 1..clients.
  int64_t clients = 100'000;
};

// Parses "4-10", "0.5-1.5" or a single "3" (a fixed pause) into [min, max] seconds.
// INVALID_ARGUMENT naming the text when it is not that, negative, or min > max.
[[nodiscard]] absl::StatusOr<std::pair<double, double>> ParseDelayRange(std::string_view text);

[[nodiscard]] absl::Status ValidateDropOptions(const DropOptions& options);

// The number after the highest drop_NNNN.txt in `dir` (1 when there is none).
int64_t NextDropNumber(const std::string& dir);

// Called after each file is in place, with its final path and row count.
using DropWrittenFn = std::function<void(const std::string& path, int64_t rows)>;
// How to pause; tests pass one that records instead of sleeping.
using SleepFn = std::function<void(double seconds)>;

// Writes options.files files named drop_0001.txt, drop_0002.txt, ... or, when the directory
// holds drop files already, numbered on from the highest (header id,cliente_id,data,valor,moeda;
// rows 0 to 30 days old). Creates the directory if needed.
// Stops at the first failure, leaving no temporary file behind. `on_written` may be null;
// a null `sleep` sleeps for real.
[[nodiscard]] absl::Status WriteDrops(const DropOptions& options, const DropWrittenFn& on_written,
                                      const SleepFn& sleep = nullptr);

}  // namespace gym

#endif  // GYM_DATAGEN_DROPS_H_
