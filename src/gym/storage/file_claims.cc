// FileClaims (file_claims.h): what both backends share.
#include "gym/storage/file_claims.h"

#include <functional>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gym/storage/pg_commit_backend.h"
#include "gym/storage/pg_file_claims.h"
#include "gym/storage/sqlite_file_claims.h"

namespace gym {

int64_t FileClaimKey(const std::string& content_sha256) {
  uint64_t key = 0;
  if (!absl::SimpleHexAtoi(content_sha256.substr(0, 16), &key)) {
    // Not hex: any stable 64 bits do, the key only spreads the locks.
    key = std::hash<std::string>{}(content_sha256);
  }
  return static_cast<int64_t>(key);
}

absl::StatusOr<std::unique_ptr<FileClaims>> FileClaims::Open(const std::string& db,
                                                             std::string worker) {
  if (IsPostgresTarget(db)) return OpenPgFileClaims(db, std::move(worker));
  return OpenSqliteFileClaims(db, std::move(worker));
}

absl::StatusOr<FileClaims::Claim> FileClaims::TryClaim(const std::string& content_sha256,
                                                       const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  // Both backends' locks are re-entrant for their holder, so this process's own claims are
  // kept here.
  if (held_.count(content_sha256) > 0) return Claim{Outcome::kHeldElsewhere, ""};
  absl::StatusOr<Claim> claim = Lock(content_sha256);
  if (!claim.ok()) {
    return absl::Status(claim.status().code(),
                        absl::StrCat("claiming ", path, ": ", claim.status().message()));
  }
  if (claim->outcome == Outcome::kClaimed) held_.insert(content_sha256);
  return claim;
}

absl::Status FileClaims::Finish(const std::string& content_sha256, const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  absl::Status recorded = Record(content_sha256, path);
  Unlock(content_sha256);
  held_.erase(content_sha256);
  return recorded;
}

void FileClaims::Release(const std::string& content_sha256) {
  std::lock_guard<std::mutex> lock(mu_);
  Unlock(content_sha256);
  held_.erase(content_sha256);
}

}  // namespace gym
