#include "gym/sinks/file_publish.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace gym {

absl::Status RenameNoReplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    return absl::OkStatus();
  }
  int err = errno;
  if (err == EINVAL || err == ENOSYS) {
    // A file system without RENAME_NOREPLACE: link(2) also refuses an existing name.
    if (::link(from.c_str(), to.c_str()) == 0) {
      ::unlink(from.c_str());
      return absl::OkStatus();
    }
    err = errno;
  }
  const std::string message =
      absl::StrCat("cannot rename ", from, " to ", to, ": ", std::strerror(err));
  if (err == EEXIST) return absl::AlreadyExistsError(message);
  return absl::InternalError(message);
}

absl::StatusOr<std::string> PublishUnderFreeName(const std::string& from,
                                                 const std::function<std::string(uint64_t)>& name,
                                                 uint64_t first) {
  // Each taken name is a file someone else made since we looked; a bound keeps a broken
  // `name` (the same path for every number) from looping forever.
  constexpr uint64_t kTries = 100'000;
  for (uint64_t n = first; n < first + kTries; ++n) {
    const std::string to = name(n);
    absl::Status renamed = RenameNoReplace(from, to);
    if (renamed.ok()) return to;
    if (!absl::IsAlreadyExists(renamed)) return renamed;
  }
  return absl::ResourceExhaustedError(absl::StrCat("no free name for ", from, " after ", kTries,
                                                   " tries (last: ", name(first + kTries - 1),
                                                   ")"));
}

}  // namespace gym
