// FileClaims on SQLite: open-file-description locks on one byte each of `<db>-claims`,
// which the kernel drops with the process that held them (file_claims.h).
#ifndef GYM_STORAGE_SQLITE_FILE_CLAIMS_H_
#define GYM_STORAGE_SQLITE_FILE_CLAIMS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gym/storage/file_claims.h"

namespace gym {

[[nodiscard]] absl::StatusOr<std::unique_ptr<FileClaims>> OpenSqliteFileClaims(
    const std::string& path, std::string worker);

}  // namespace gym

#endif  // GYM_STORAGE_SQLITE_FILE_CLAIMS_H_
