// The PostgreSQL backend (see pg_commit_backend.h): connection, retries and error mapping.
// What one group writes, table by table, is pg_group_write.cc.
#include "gym/storage/pg_commit_backend.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gym/storage/pg_group_write.h"
#include "gym/storage/pg_text.h"
#include "pqxx/pqxx"
#include "spdlog/spdlog.h"

namespace gym {

bool IsPostgresTarget(std::string_view db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0 ||
         (db.find('=') != std::string_view::npos &&
          (db.find("host=") != std::string_view::npos ||
           db.find("dbname=") != std::string_view::npos ||
           db.find("port=") != std::string_view::npos));
}

std::string RedactConninfo(std::string_view conninfo) {
  std::string s(conninfo);
  // URI: scheme://user:password@host
  s = std::regex_replace(s, std::regex(R"(^(postgres(ql)?://[^:/@]*):[^@/]*@)"), "$1:***@");
  // key=value: password=secret, or password='se cret'
  s = std::regex_replace(s, std::regex(R"(password\s*=\s*('[^']*'|\S+))"), "password=***");
  // URI query: ?password=secret
  s = std::regex_replace(s, std::regex(R"(([?&]password=)[^&]*)"), "$1***");
  return s;
}

std::string WithConnectTimeout(std::string_view conninfo, int seconds) {
  std::string s(conninfo);
  if (s.find("connect_timeout") != std::string::npos) return s;
  if (s.rfind("postgresql://", 0) == 0 || s.rfind("postgres://", 0) == 0) {
    return absl::StrCat(s, s.find('?') == std::string::npos ? "?" : "&", "connect_timeout=",
                        seconds);
  }
  return absl::StrCat(s, " connect_timeout=", seconds);
}

namespace {

// The version of the tables' layout that this gym writes; a database that says more was set
// up by a newer gym, whose layout this one must not touch.
constexpr int kSchemaVersion = 1;
// The advisory lock that serializes schema changes among replicas.
constexpr int64_t kSchemaLock = 0x67796d5f736368;  // "gym_sch"

class PgCommitBackend final : public CommitBackend {
 public:
  PgCommitBackend(std::string conninfo, PostgresOptions options)
      : conninfo_(std::move(conninfo)),
        description_(absl::StrCat("PostgreSQL ", RedactConninfo(conninfo_))),
        options_(options) {}

  // Connects and checks (or writes) the schema version. Also called before a group whenever
  // the connection was lost.
  absl::Status Connect() {
    tables_.Forget();
    conn_.reset();
    try {
      auto conn = std::make_unique<pqxx::connection>(WithConnectTimeout(conninfo_));
      {
        pqxx::nontransaction setup(*conn);
        // An acknowledged batch is on the primary's disk (and on a synchronous standby's,
        // when the operator configures one): never trade that for speed here.
        setup.exec("SET synchronous_commit = on");
        // LockGroupTables relies on each statement seeing what committed before it ran,
        // whatever the server's default isolation is.
        setup.exec("SET default_transaction_isolation = 'read committed'");
        setup.exec(absl::StrCat("SET lock_timeout = ", options_.busy_timeout.count()));
        setup.exec("SET application_name = 'gym'");
      }
      if (absl::Status s = CheckSchemaVersion(*conn); !s.ok()) return s;
      conn_ = std::move(conn);
      return absl::OkStatus();
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat(description_, " unreachable: ", PgFirstLine(e.what())));
    }
  }

  absl::Status CommitGroup(const std::vector<const WriteParts*>& items,
                           std::vector<absl::Status>& statuses,
                           std::vector<WriteResult>& results) override {
    bool reconnected = false;
    for (int attempt = 0;; ++attempt) {
      if (conn_ == nullptr || !conn_->is_open()) {
        if (absl::Status s = ConnectWithBackoff(); !s.ok()) return s;
      }
      std::fill(statuses.begin(), statuses.end(), absl::OkStatus());
      std::fill(results.begin(), results.end(), WriteResult{});
      try {
        if (absl::Status s = tables_.Prepare(*conn_, items, statuses); !s.ok()) return s;
        pqxx::work txn(*conn_);
        LockGroupTables(txn, tables_, items, statuses);
        if (WriteGroup(txn, tables_, items, statuses, results).ok()) {
          txn.commit();
        } else {
          // A value some item's column cannot take broke a merged statement: the group is
          // written again, item by item, each in a savepoint, so that item fails alone.
          txn.abort();
          std::fill(results.begin(), results.end(), WriteResult{});
          pqxx::work again(*conn_);
          LockGroupTables(again, tables_, items, statuses);
          WriteItemByItem(again, tables_, items, statuses, results);
          again.commit();
        }
        return absl::OkStatus();
      } catch (const pqxx::transaction_rollback& e) {
        // Deadlock or serialization failure: nothing was written; run the group again.
        if (attempt < options_.conflict_retries) {
          spdlog::debug("{}: group retried after: {}", description_, PgFirstLine(e.what()));
          continue;
        }
        return absl::UnavailableError(absl::StrCat("conflicting writers, ", attempt + 1,
                                                   " tries: ", PgFirstLine(e.what())));
      } catch (const pqxx::in_doubt_error& e) {
        conn_.reset();
        return absl::UnavailableError(absl::StrCat(
            "the connection was lost during COMMIT, so whether the group was stored is unknown "
            "(a retry with the same event ids is safe): ",
            PgFirstLine(e.what())));
      } catch (const pqxx::broken_connection& e) {
        conn_.reset();
        // Lost before COMMIT was sent (that is in_doubt_error), so nothing was written. A
        // connection idle through a server restart finds out only now: connect again, once.
        if (!reconnected) {
          reconnected = true;
          continue;
        }
        return absl::UnavailableError(
            absl::StrCat(description_, " connection lost: ", PgFirstLine(e.what())));
      } catch (const pqxx::sql_error& e) {
        if (IsPgDataError(e)) {
          return absl::InvalidArgumentError(PgFirstLine(e.what()));
        }
        // Lock timeout, admin shutdown, disk full: the server's state, not the data's.
        if (conn_ != nullptr && !conn_->is_open()) conn_.reset();
        return absl::UnavailableError(
            absl::StrCat(description_, ": ", PgFirstLine(e.what()), " (SQLSTATE ", e.sqlstate(), ")"));
      } catch (const std::exception& e) {
        conn_.reset();
        return absl::UnavailableError(absl::StrCat(description_, ": ", PgFirstLine(e.what())));
      }
    }
  }

  absl::StatusOr<int64_t> CountRows(const std::string& table) override {
    try {
      if (conn_ == nullptr || !conn_->is_open()) {
        if (absl::Status s = ConnectWithBackoff(); !s.ok()) return s;
      }
      return PgCountRows(*conn_, table);
    } catch (const std::exception& e) {
      conn_.reset();
      return absl::UnavailableError(absl::StrCat(description_, ": ", PgFirstLine(e.what())));
    }
  }

  std::string Describe() const override { return description_; }

 private:
  // Connect, unless the last try failed less than a backoff ago (50 ms, doubling to 2 s,
  // back to none on success): while the database is down or still recovering, a replica
  // under load would otherwise try a connection per group, and PostgreSQL starts a process
  // for each. Groups in the meantime fail UNAVAILABLE at once, with the last error.
  absl::Status ConnectWithBackoff() {
    if (const auto now = std::chrono::steady_clock::now(); now < next_connect_) {
      // The last failure's own code: a schema newer than this gym stays FAILED_PRECONDITION.
      return absl::Status(
          last_connect_error_.code(),
          absl::StrCat(last_connect_error_.message(), " (tried again in ",
                       std::chrono::duration_cast<std::chrono::milliseconds>(next_connect_ - now)
                           .count(),
                       " ms)"));
    }
    absl::Status s = Connect();
    if (s.ok()) {
      backoff_ = std::chrono::milliseconds(0);
      return s;
    }
    backoff_ = std::clamp(backoff_ * 2, kFirstBackoff, kLastBackoff);
    next_connect_ = std::chrono::steady_clock::now() + backoff_;  // after a slow failure too
    last_connect_error_ = s;
    return s;
  }

  static constexpr std::chrono::milliseconds kFirstBackoff{50};
  static constexpr std::chrono::milliseconds kLastBackoff{2000};
  std::chrono::milliseconds backoff_{0};
  std::chrono::steady_clock::time_point next_connect_;
  absl::Status last_connect_error_;
  absl::Status CheckSchemaVersion(pqxx::connection& conn) {
    pqxx::work txn(conn);
    txn.exec_params("SELECT pg_advisory_xact_lock($1)", kSchemaLock);
    txn.exec("CREATE TABLE IF NOT EXISTS gym_schema (version integer NOT NULL)");
    pqxx::result version = txn.exec("SELECT max(version) FROM gym_schema");
    if (version[0][0].is_null()) {
      txn.exec_params("INSERT INTO gym_schema (version) VALUES ($1)", kSchemaVersion);
    } else if (version[0][0].as<int>() > kSchemaVersion) {
      return absl::FailedPreconditionError(
          absl::StrCat(description_, " holds gym's tables at version ", version[0][0].as<int>(),
                       ", newer than this gym's ", kSchemaVersion, ": upgrade gym"));
    }
    txn.commit();
    return absl::OkStatus();
  }

  const std::string conninfo_;
  const std::string description_;
  const PostgresOptions options_;
  std::unique_ptr<pqxx::connection> conn_;
  PgTables tables_{kSchemaLock};
};

}  // namespace

absl::StatusOr<std::unique_ptr<CommitBackend>> OpenPostgresBackend(const std::string& conninfo,
                                                                   PostgresOptions options) {
  auto backend = std::make_unique<PgCommitBackend>(conninfo, options);
  if (absl::Status s = backend->Connect(); !s.ok()) return s;
  return std::unique_ptr<CommitBackend>(std::move(backend));
}

}  // namespace gym
