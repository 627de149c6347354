// POSIX file reading for the CSV and TXT sources (see file_reader.h).
#include "gym/sources/internal/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gym::csv_internal {
namespace {

absl::Status ErrnoError(int err, const std::string& path) {
  std::string message = absl::StrCat(path, ": ", std::strerror(err));
  if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(message);
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(message);
  return absl::InvalidArgumentError(message);
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileReader>> FileReader::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, path);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    const int err = S_ISDIR(st.st_mode) ? EISDIR : errno;
    ::close(fd);
    return ErrnoError(err, path);
  }
  return std::unique_ptr<FileReader>(new FileReader(fd, path));
}

FileReader::~FileReader() { ::close(fd_); }

absl::StatusOr<size_t> FileReader::ReadSome(std::string* buffer, size_t max_bytes) {
  const size_t old_size = buffer->size();
  buffer->resize(old_size + max_bytes);
  for (;;) {
    const ssize_t got = ::read(fd_, buffer->data() + old_size, max_bytes);
    if (got >= 0) {
      buffer->resize(old_size + static_cast<size_t>(got));
      return static_cast<size_t>(got);
    }
    if (errno != EINTR) {
      buffer->resize(old_size);
      return ErrnoError(errno, path_);
    }
  }
}

absl::Status FileReader::ReadAll(std::string* buffer) {
  struct stat st {};
  // The size is a hint: a file that grows or shrinks while read is still read to its end.
  size_t block = 1 << 20;
  if (::fstat(fd_, &st) == 0 && st.st_size > 0) block = static_cast<size_t>(st.st_size) + 1;
  buffer->reserve(buffer->size() + block);
  for (;;) {
    absl::StatusOr<size_t> got = ReadSome(buffer, block);
    if (!got.ok()) return got.status();
    if (*got == 0) return absl::OkStatus();
    block = 1 << 16;  // normally only the end-of-file read is left
  }
}

}  // namespace gym::csv_internal
