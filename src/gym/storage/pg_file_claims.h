// FileClaims on PostgreSQL: session advisory locks, which the server drops with the
// session of a worker that died (file_claims.h).
#ifndef GYM_STORAGE_PG_FILE_CLAIMS_H_
#define GYM_STORAGE_PG_FILE_CLAIMS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gym/storage/file_claims.h"

namespace gym {

[[nodiscard]] absl::StatusOr<std::unique_ptr<FileClaims>> OpenPgFileClaims(
    const std::string& conninfo, std::string worker);

}  // namespace gym

#endif  // GYM_STORAGE_PG_FILE_CLAIMS_H_
