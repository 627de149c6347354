// A throwaway PostgreSQL cluster for tests (see pg_cluster.h).
#include "gym/testing/pg_cluster.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gym/testing/loopback.h"

namespace gym::testing {
namespace {

constexpr char kPgBin[] = "/usr/lib/postgresql/15/bin";

// Runs a shell command; its exit code and stdout (stderr joins it).
std::pair<int, std::string> Run(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string Script(const char* name) { return absl::StrCat(GYM_SOURCE_DIR, "/scripts/", name); }

}  // namespace

absl::StatusOr<std::unique_ptr<PgCluster>> PgCluster::Start() {
  if (geteuid() != 0) {
    return absl::FailedPreconditionError(
        "PostgreSQL tests start their own cluster, which needs root (runuser -u postgres)");
  }
  if (!std::filesystem::exists(absl::StrCat(kPgBin, "/initdb"))) {
    return absl::FailedPreconditionError(
        "postgresql-15 is not installed (scripts/install-deps.sh installs it)");
  }
  std::string dir = "/tmp/gym-pg-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  chmod(dir.c_str(), 0755);  // the postgres user must reach the cluster inside
  // A free port may be taken between the check and the start: try a few.
  std::string last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int port = FreeLoopbackPort();
    auto [code, out] = Run(absl::StrCat(Script("pg-up.sh"), " ", dir, " ", port));
    if (code == 0) return std::unique_ptr<PgCluster>(new PgCluster(dir, port));
    last = out;
  }
  Run(absl::StrCat(Script("pg-down.sh"), " ", dir, " --remove"));
  return absl::InternalError(absl::StrCat("scripts/pg-up.sh failed: ", last));
}

PgCluster::~PgCluster() { Run(absl::StrCat(Script("pg-down.sh"), " ", dir_, " --remove")); }

std::string PgCluster::Uri(const std::string& db) const {
  return absl::StrCat("postgresql://postgres@127.0.0.1:", port_, "/", db);
}

absl::StatusOr<std::string> PgCluster::Psql(const std::string& db, const std::string& sql) const {
  // The SQL goes through a file: no quoting to get wrong.
  char path[] = "/tmp/gym-psql-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return absl::InternalError("mkstemp failed");
  const ssize_t written = write(fd, sql.data(), sql.size());
  close(fd);
  if (written != static_cast<ssize_t>(sql.size())) return absl::InternalError("write failed");
  auto [code, out] = Run(absl::StrCat("psql -X -v ON_ERROR_STOP=1 -qAt '", Uri(db), "' -f ", path));
  unlink(path);
  if (code != 0) return absl::InternalError(absl::StrCat("psql: ", out));
  return out;
}

absl::StatusOr<std::string> PgCluster::CreateDatabase(const std::string& name) {
  absl::StatusOr<std::string> out =
      Psql("postgres", absl::StrCat("DROP DATABASE IF EXISTS \"", name, "\";\nCREATE DATABASE \"",
                                    name, "\";\n"));
  if (!out.ok()) return out.status();
  return Uri(name);
}

absl::Status PgCluster::StopImmediately() {
  auto [code, out] = Run(absl::StrCat("runuser -u postgres -- ", kPgBin, "/pg_ctl -D ", dir_,
                                      "/data -m immediate -w stop"));
  return code == 0 ? absl::OkStatus() : absl::InternalError(absl::StrCat("pg_ctl stop: ", out));
}

absl::Status PgCluster::StartAgain() {
  auto [code, out] = Run(absl::StrCat(Script("pg-up.sh"), " ", dir_, " ", port_));
  return code == 0 ? absl::OkStatus() : absl::InternalError(absl::StrCat("pg-up.sh: ", out));
}

}  // namespace gym::testing
