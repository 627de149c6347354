// FileClaims: the workers of one shared drop folder (`gym run --watch DIR` started several
// times, on one machine or on several) take each file once, through the database they all
// write to.
//
// A file is named by its content (SHA-256), as the file pipeline names it. A claim is a lock
// that the claiming process holds: on PostgreSQL a session advisory lock, on SQLite an
// open-file-description lock on `<db>-claims` beside the database. Both go away with the
// process, so a worker killed mid-file leaves the file to be claimed again; the rows it had
// already committed are not stored twice, since a file's event ids come from its content.
// Once a file's rows are all committed, its holder records it in the table `gym_files`
// (content, path, worker, time) and lets it go; no worker claims it again.
//
//   std::unique_ptr<FileClaims> claims = *FileClaims::Open("postgresql://...", "host-1:4242");
//   FileClaims::Claim c = *claims->TryClaim(sha, "in/drop_0001.txt");
//   if (c.outcome == FileClaims::Outcome::kClaimed) {
//     ... store it ...;  claims->Finish(sha, path)  (or Release(sha) when it failed)
//   }
//
// A claim lost with its connection (PostgreSQL restarted under a worker) can be taken by
// another worker while the first still works on the file: both then store it, and the
// content's event ids keep every row once.
#ifndef GYM_STORAGE_FILE_CLAIMS_H_
#define GYM_STORAGE_FILE_CLAIMS_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gym {

// The table of stored files, in the database the workers write to.
inline constexpr char kFilesTable[] = "gym_files";

class FileClaims {
 public:
  enum class Outcome {
    kClaimed,        // this worker holds the file until Finish or Release
    kHeldElsewhere,  // another worker holds it now: ask again later
    kStored,         // stored before, by `stored_by`
  };
  struct Claim {
    Outcome outcome;
    std::string stored_by;  // kStored: the worker that recorded it
  };

  // Claims on the database `db` (a SQLite path or a PostgreSQL connection string, as
  // GroupCommitWriter::Open takes it) for the worker named `worker` (host:pid). Creates
  // gym_files when absent.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<FileClaims>> Open(const std::string& db,
                                                                       std::string worker);
  virtual ~FileClaims() = default;
  FileClaims(const FileClaims&) = delete;
  FileClaims& operator=(const FileClaims&) = delete;

  // Thread-safe, as are Finish and Release. A file this worker already holds is
  // kHeldElsewhere too (the same content dropped twice under two names).
  [[nodiscard]] absl::StatusOr<Claim> TryClaim(const std::string& content_sha256,
                                               const std::string& path);
  // The file's rows are committed: records it in gym_files and lets it go.
  absl::Status Finish(const std::string& content_sha256, const std::string& path);
  // Storing it failed: lets it go unrecorded, for this worker or another to try again.
  void Release(const std::string& content_sha256);

  const std::string& worker() const { return worker_; }

 protected:
  explicit FileClaims(std::string worker) : worker_(std::move(worker)) {}
  // Takes the shared lock of the file and reads gym_files (REQUIRES: mu_ held). kStored and
  // kHeldElsewhere leave no lock behind.
  virtual absl::StatusOr<Claim> Lock(const std::string& content_sha256) = 0;
  virtual absl::Status Record(const std::string& content_sha256, const std::string& path) = 0;
  virtual void Unlock(const std::string& content_sha256) = 0;

 private:
  const std::string worker_;
  std::mutex mu_;
  std::set<std::string> held_;  // guarded by mu_
};

// The lock key of a file: its content hash's first 64 bits, read as hex.
int64_t FileClaimKey(const std::string& content_sha256);

}  // namespace gym

#endif  // GYM_STORAGE_FILE_CLAIMS_H_
