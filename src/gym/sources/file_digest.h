// The SHA-256 of a file's bytes: how `gym run` names the data of a dropped file.
//
// A file's name says nothing about its content: the same bytes may come again under another
// name (a retry, to be stored once) and new bytes under an old name (new data, to be stored).
// The digest tells them apart. SHA-256 rather than a fast 64-bit hash because a collision
// would silently drop a file as a "retry".
//
//   absl::StatusOr<std::string> id = FileSha256Hex("inbox/drop_0001.txt");  // 64 hex digits
#ifndef GYM_SOURCES_FILE_DIGEST_H_
#define GYM_SOURCES_FILE_DIGEST_H_

#include <string>

#include "absl/status/statusor.h"

namespace gym {

// Lower-case hex SHA-256 of the file's bytes, read in bounded memory. NOT_FOUND (or the
// read error) naming the path when it cannot be read.
[[nodiscard]] absl::StatusOr<std::string> FileSha256Hex(const std::string& path);

}  // namespace gym

#endif  // GYM_SOURCES_FILE_DIGEST_H_
