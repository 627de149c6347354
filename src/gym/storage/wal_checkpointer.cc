// Background WAL checkpoints for the group-commit writer (see wal_checkpointer.h).
#include "gym/storage/wal_checkpointer.h"

#include <string>
#include <utility>

#include "spdlog/spdlog.h"

namespace gym {

std::unique_ptr<WalCheckpointer> WalCheckpointer::Start(SqliteConnection& writer,
                                                        bool synchronous_full,
                                                        int threshold_pages) {
  absl::StatusOr<SqliteStatement> mode = writer.Prepare("PRAGMA journal_mode");
  if (!mode.ok()) return nullptr;
  absl::StatusOr<bool> row = mode->Step();
  if (!row.ok() || !*row || std::string(mode->ColumnText(0)) != "wal") return nullptr;
  absl::StatusOr<SqliteConnection> own = OpenForWriting(writer.path(), synchronous_full);
  if (!own.ok()) {
    spdlog::debug("sqlite writer '{}': checkpoints stay inline: {}", writer.path(),
                  std::string(own.status().message()));
    return nullptr;
  }
  return std::unique_ptr<WalCheckpointer>(
      new WalCheckpointer(writer, std::move(*own), threshold_pages));
}

WalCheckpointer::WalCheckpointer(SqliteConnection& writer, SqliteConnection own,
                                 int threshold_pages)
    : writer_(writer), own_(std::move(own)), threshold_pages_(threshold_pages) {
  thread_ = std::thread([this] { Run(); });
  // Replaces SQLite's automatic checkpoint on the writer's connection.
  sqlite3_wal_hook(writer_.raw(), &WalCheckpointer::OnCommit, this);
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_autocheckpoint(writer_.raw(), 1000);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

int WalCheckpointer::OnCommit(void* self, sqlite3* db, const char* schema, int pages) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  if (pages >= 16 * checkpointer->threshold_pages_) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  if (pages < checkpointer->threshold_pages_) return SQLITE_OK;
  {
    std::lock_guard<std::mutex> lock(checkpointer->mu_);
    if (checkpointer->requested_) return SQLITE_OK;
    checkpointer->requested_ = true;
  }
  checkpointer->cv_.notify_one();
  return SQLITE_OK;
}

void WalCheckpointer::Run() {
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || requested_; });
      if (stopping_) return;
    }
    // Cleared after the checkpoint: commits meanwhile need no second request.
    const int rc = sqlite3_wal_checkpoint_v2(own_.raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("sqlite writer '{}': background checkpoint failed: {}", own_.path(),
                   sqlite3_errmsg(own_.raw()));
    }
    std::lock_guard<std::mutex> lock(mu_);
    requested_ = false;
  }
}

}  // namespace gym
