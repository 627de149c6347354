// FileClaims on PostgreSQL (pg_file_claims.h).
#include "gym/storage/pg_file_claims.h"

#include <exception>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gym/storage/pg_commit_backend.h"
#include "gym/storage/pg_text.h"
#include "pqxx/pqxx"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

// Serializes the creation of gym_files among workers that start together.
constexpr int64_t kFilesTableLock = 0x67796d5f66696c;  // "gym_fil"

class PgFileClaims final : public FileClaims {
 public:
  PgFileClaims(std::string conninfo, std::string worker)
      : FileClaims(std::move(worker)),
        conninfo_(std::move(conninfo)),
        description_(absl::StrCat("PostgreSQL ", RedactConninfo(conninfo_))) {}

  absl::Status Connect() {
    conn_.reset();
    try {
      auto conn = std::make_unique<pqxx::connection>(WithConnectTimeout(conninfo_));
      pqxx::work setup(*conn);
      setup.exec("SET application_name = 'gym run claims'");
      setup.exec_params("SELECT pg_advisory_xact_lock($1)", kFilesTableLock);
      setup.exec(absl::StrCat("CREATE TABLE IF NOT EXISTS ", kFilesTable,
                              " (content_sha256 text PRIMARY KEY, path text NOT NULL, "
                              "worker text NOT NULL, stored_at timestamptz NOT NULL "
                              "DEFAULT now())"));
      setup.commit();
      conn_ = std::move(conn);
      return absl::OkStatus();
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat(description_, " unreachable: ", PgFirstLine(e.what())));
    }
  }

 protected:
  absl::StatusOr<Claim> Lock(const std::string& sha) override {
    if (conn_ == nullptr || !conn_->is_open()) {
      if (absl::Status s = Connect(); !s.ok()) return s;
    }
    try {
      pqxx::nontransaction tx(*conn_);
      if (!tx.exec_params("SELECT pg_try_advisory_lock($1)", FileClaimKey(sha))[0][0].as<bool>()) {
        return Claim{Outcome::kHeldElsewhere, ""};
      }
      const pqxx::result stored = tx.exec_params(
          absl::StrCat("SELECT worker FROM ", kFilesTable, " WHERE content_sha256 = $1"), sha);
      if (stored.empty()) return Claim{Outcome::kClaimed, ""};
      tx.exec_params("SELECT pg_advisory_unlock($1)", FileClaimKey(sha));
      return Claim{Outcome::kStored, stored[0][0].as<std::string>()};
    } catch (const pqxx::broken_connection& e) {
      Lost(e);
      return absl::UnavailableError(absl::StrCat(description_, ": ", PgFirstLine(e.what())));
    } catch (const std::exception& e) {
      return absl::UnavailableError(absl::StrCat(description_, ": ", PgFirstLine(e.what())));
    }
  }

  // Tried twice: a connection lost since the claim (a restart) is made again, and the insert
  // is safe to repeat.
  absl::Status Record(const std::string& sha, const std::string& path) override {
    absl::Status last;
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        if (conn_ == nullptr || !conn_->is_open()) {
          if (absl::Status s = Connect(); !s.ok()) return s;
        }
        pqxx::nontransaction tx(*conn_);
        tx.exec_params(absl::StrCat("INSERT INTO ", kFilesTable,
                                    " (content_sha256, path, worker) VALUES ($1, $2, $3) "
                                    "ON CONFLICT (content_sha256) DO NOTHING"),
                       sha, path, worker());
        return absl::OkStatus();
      } catch (const pqxx::broken_connection& e) {
        Lost(e);
        last = absl::UnavailableError(
            absl::StrCat(description_, ": recording ", path, ": ", PgFirstLine(e.what())));
      } catch (const std::exception& e) {
        return absl::UnavailableError(
            absl::StrCat(description_, ": recording ", path, ": ", PgFirstLine(e.what())));
      }
    }
    return last;
  }

  void Unlock(const std::string& sha) override {
    if (conn_ == nullptr) return;  // the lock went with the lost session
    try {
      pqxx::nontransaction tx(*conn_);
      tx.exec_params("SELECT pg_advisory_unlock($1)", FileClaimKey(sha));
    } catch (const pqxx::broken_connection& e) {
      Lost(e);
    } catch (const std::exception& e) {
      spdlog::warn("{}: letting a file go: {}", description_, PgFirstLine(e.what()));
    }
  }

 private:
  // The session is gone, and every claim it held with it: other workers may take those files
  // now (they store them once too, the content's event ids see to it). Connects again on the
  // next call.
  void Lost(const std::exception& e) {
    spdlog::warn("{}: the claims' connection was lost ({}); the files this worker had claimed "
                 "may be taken by others",
                 description_, PgFirstLine(e.what()));
    conn_.reset();
  }

  const std::string conninfo_;
  const std::string description_;
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<FileClaims>> OpenPgFileClaims(const std::string& conninfo,
                                                             std::string worker) {
  auto claims = std::make_unique<PgFileClaims>(conninfo, std::move(worker));
  if (absl::Status s = claims->Connect(); !s.ok()) return s;
  return claims;
}

}  // namespace gym
