// FileReader: a read-only file descriptor with errors as absl::Status naming the path.
// CSV and TXT sources read whole files with ReadAll and stream large ones with ReadSome.
#ifndef GYM_SOURCES_INTERNAL_FILE_READER_H_
#define GYM_SOURCES_INTERNAL_FILE_READER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gym::csv_internal {

class FileReader final {
 public:
  // NotFound when the file does not exist, PermissionDenied when it cannot be read,
  // InvalidArgument for a directory or any other failure; the message starts with the path.
  static absl::StatusOr<std::unique_ptr<FileReader>> Open(const std::string& path);
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  // Appends up to `max_bytes` to `buffer`; returns how many were appended (0 at end of file).
  absl::StatusOr<size_t> ReadSome(std::string* buffer, size_t max_bytes);
  // Appends the rest of the file to `buffer` (one read for a regular file).
  absl::Status ReadAll(std::string* buffer);

 private:
  FileReader(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}

  int fd_;
  std::string path_;
};

}  // namespace gym::csv_internal

#endif  // GYM_SOURCES_INTERNAL_FILE_READER_H_
