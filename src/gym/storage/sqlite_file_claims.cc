// FileClaims on SQLite (sqlite_file_claims.h).
#include "gym/storage/sqlite_file_claims.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gym/storage/sqlite_connection.h"

namespace gym {
namespace {

class SqliteFileClaims final : public FileClaims {
 public:
  SqliteFileClaims(std::string worker, SqliteConnection db, int lock_fd)
      : FileClaims(std::move(worker)), db_(std::move(db)), lock_fd_(lock_fd) {}
  ~SqliteFileClaims() override { ::close(lock_fd_); }  // every lock it held goes with it

 protected:
  absl::StatusOr<Claim> Lock(const std::string& sha) override {
    if (!LockByte(sha, F_WRLCK)) {
      if (errno == EAGAIN || errno == EACCES) return Claim{Outcome::kHeldElsewhere, ""};
      return absl::InternalError(absl::StrCat("locking ", db_.path(), "-claims: ",
                                              std::strerror(errno)));
    }
    absl::StatusOr<SqliteStatement> q = db_.Prepare(
        absl::StrCat("SELECT worker FROM ", kFilesTable, " WHERE content_sha256 = ?1"));
    if (!q.ok()) {
      LockByte(sha, F_UNLCK);
      return q.status();
    }
    q->BindTextNoCopy(1, sha);
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) {
      LockByte(sha, F_UNLCK);
      return row.status();
    }
    if (!*row) return Claim{Outcome::kClaimed, ""};
    Claim stored{Outcome::kStored, std::string(q->ColumnText(0))};
    LockByte(sha, F_UNLCK);
    return stored;
  }

  absl::Status Record(const std::string& sha, const std::string& path) override {
    absl::StatusOr<SqliteStatement> insert = db_.Prepare(absl::StrCat(
        "INSERT OR IGNORE INTO ", kFilesTable, " (content_sha256, path, worker) VALUES (?1, ?2, ?3)"));
    if (!insert.ok()) return insert.status();
    insert->BindTextNoCopy(1, sha);
    insert->BindTextNoCopy(2, path);
    insert->BindTextNoCopy(3, worker());
    return insert->Step().status();
  }

  void Unlock(const std::string& sha) override { LockByte(sha, F_UNLCK); }

 private:
  // One byte per file: open-file-description locks belong to this descriptor alone (not to
  // the process, as classic fcntl locks do), and the kernel drops them when it is closed.
  bool LockByte(const std::string& sha, short type) {
    struct flock lock {};
    lock.l_type = type;
    lock.l_whence = SEEK_SET;
    lock.l_start = static_cast<off_t>(static_cast<uint64_t>(FileClaimKey(sha)) >> 2);
    lock.l_len = 1;
    return ::fcntl(lock_fd_, F_OFD_SETLK, &lock) == 0;
  }

  SqliteConnection db_;
  const int lock_fd_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<FileClaims>> OpenSqliteFileClaims(const std::string& path,
                                                                 std::string worker) {
  // Its one write, the record of a stored file, competes with every worker's group-commit
  // writer, which commit back to back: a long busy timeout keeps a busy database from leaving
  // a stored file unrecorded (to be read again, for nothing, by another worker).
  absl::StatusOr<SqliteConnection> db =
      OpenForWriting(path, /*synchronous_full=*/false, std::chrono::seconds(30));
  if (!db.ok()) return db.status();
  if (absl::Status s = db->Exec(absl::StrCat(
          "CREATE TABLE IF NOT EXISTS ", kFilesTable,
          " (content_sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, worker TEXT NOT NULL, "
          "stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"));
      !s.ok()) {
    return s;
  }
  const std::string lock_path = path + "-claims";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("opening ", lock_path, ": ", std::strerror(errno)));
  }
  return std::make_unique<SqliteFileClaims>(std::move(worker), *std::move(db), fd);
}

}  // namespace gym
