// Putting a finished file in place under a name that no other file has.
//
// Output files are written under a temporary name and then renamed; a plain rename(2) would
// silently replace a file already there (another run's output written in the same second, an
// earlier drop). These never replace: the name is taken atomically or the call fails.
//
//   absl::StatusOr<std::string> path = PublishUnderFreeName(tmp, [](uint64_t n) {
//     return fmt::format("results/risk_20260101T000000_{:06}.csv", n);
//   }, /*first=*/0);
#ifndef GYM_SINKS_FILE_PUBLISH_H_
#define GYM_SINKS_FILE_PUBLISH_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gym {

// Renames `from` to `to` unless `to` exists: ALREADY_EXISTS then, and `from` is left alone.
// Other failures name both paths. Atomic (renameat2 RENAME_NOREPLACE, or link + unlink on a
// file system without it).
[[nodiscard]] absl::Status RenameNoReplace(const std::string& from, const std::string& to);

// Renames `from` to name(first), or when that is taken to name(first + 1), and so on; returns
// the name it took. `name` must give a different path for each number.
[[nodiscard]] absl::StatusOr<std::string> PublishUnderFreeName(
    const std::string& from, const std::function<std::string(uint64_t)>& name, uint64_t first);

}  // namespace gym

#endif  // GYM_SINKS_FILE_PUBLISH_H_
