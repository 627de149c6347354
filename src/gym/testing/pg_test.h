// PgTest: a GoogleTest fixture over one throwaway PostgreSQL cluster per test binary
// (PgCluster, started once for the suite) and a fresh database per test, named after it.
// Without root or postgresql-15 every test is skipped with the reason.
//
//   class MyPgTest : public gym::testing::PgTest {};
//   TEST_F(MyPgTest, Stores) { Use(uri()); EXPECT_EQ(Query("SELECT count(*) FROM t"), "3"); }
#ifndef GYM_TESTING_PG_TEST_H_
#define GYM_TESTING_PG_TEST_H_

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"
#include "gym/testing/pg_cluster.h"
#include "gym/testing/server_process.h"

namespace gym::testing {

class PgTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<PgCluster>> c = PgCluster::Start();
    if (c.ok()) {
      cluster_ = std::move(*c);
    } else {
      start_error_ = c.status().ToString();
    }
  }
  static void TearDownTestSuite() { cluster_.reset(); }
  void SetUp() override {
    if (cluster_ == nullptr) GTEST_SKIP() << start_error_;
    db_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    absl::StatusOr<std::string> uri = cluster_->CreateDatabase(db_);
    ASSERT_TRUE(uri.ok()) << uri.status();
    uri_ = *uri;
  }

  static PgCluster& cluster() { return *cluster_; }
  // The test's own database.
  const std::string& uri() const { return uri_; }
  // A `gym serve` replica on the test's database (files under `dir`); null, with a failure,
  // when it does not start.
  std::unique_ptr<ServerProcess> Replica(const std::string& dir,
                                         std::vector<std::string> extra = {}) {
    auto server = ServerProcess::Launch(
        {.binary = std::getenv("GYM_BINARY"), .args = ServeArgsOn(dir, uri_, std::move(extra))});
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? std::move(*server) : nullptr;
  }
  // `sql` run with psql on the test's database: its output, unaligned, trailing space cut.
  std::string Query(const std::string& sql) {
    absl::StatusOr<std::string> out = cluster_->Psql(db_, sql);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? std::string(absl::StripTrailingAsciiWhitespace(*out)) : "";
  }
  // The deadlocks PostgreSQL's detector broke in the test's database, once every other session
  // on it has ended (a session's counts reach the statistics when it exits); "" on failure.
  // Call after closing the test's own writers and replicas.
  std::string Deadlocks() {
    const std::string others =
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
        "pg_backend_pid()";
    for (int i = 0; i < 100 && Query(others) != "0"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(Query(others), "0") << "sessions still open on the test's database";
    return Query("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
  }

 private:
  static inline std::unique_ptr<PgCluster> cluster_;
  static inline std::string start_error_;
  std::string db_;
  std::string uri_;
};

}  // namespace gym::testing

#endif  // GYM_TESTING_PG_TEST_H_
