// PgCluster: a throwaway PostgreSQL 15 cluster for one test binary, started by
// scripts/pg-up.sh on a free loopback port in a folder of its own, stopped and removed by the
// destructor. Needs root (the server runs as the `postgres` user) and postgresql-15.
//
//   static std::unique_ptr<PgCluster> pg;              // in SetUpTestSuite
//   absl::StatusOr<std::unique_ptr<PgCluster>> c = PgCluster::Start();
//   absl::StatusOr<std::string> uri = (*c)->CreateDatabase("t1");  // postgresql://...
#ifndef GYM_TESTING_PG_CLUSTER_H_
#define GYM_TESTING_PG_CLUSTER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gym::testing {

class PgCluster final {
 public:
  // FAILED_PRECONDITION when not run as root or postgresql-15 is missing (say so and skip);
  // INTERNAL when the cluster does not come up (its log is named in the message).
  static absl::StatusOr<std::unique_ptr<PgCluster>> Start();
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  int port() const { return port_; }
  // The URI of database `db` on this cluster.
  std::string Uri(const std::string& db = "postgres") const;
  // Creates database `name` (dropped first if it exists) and returns its URI.
  absl::StatusOr<std::string> CreateDatabase(const std::string& name);
  // Runs `sql` with psql on database `db`; returns its output (unaligned, tuples only).
  absl::StatusOr<std::string> Psql(const std::string& db, const std::string& sql) const;
  // Stops the server at once, as a crash would (pg_ctl -m immediate).
  absl::Status StopImmediately();
  // Starts it again on the same port and data.
  absl::Status StartAgain();

 private:
  PgCluster(std::string dir, int port) : dir_(std::move(dir)), port_(port) {}

  std::string dir_;
  int port_;
};

}  // namespace gym::testing

#endif  // GYM_TESTING_PG_CLUSTER_H_
