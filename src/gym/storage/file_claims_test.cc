// FileClaims on both backends: one holder per file, a record once stored, and a claim that
// goes away with its holder.
#include "gym/storage/file_claims.h"

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "gym/storage/sqlite_test_util.h"
#include "gym/testing/pg_test.h"

namespace gym {
namespace {

using Outcome = FileClaims::Outcome;

Outcome ClaimOf(FileClaims& claims, const std::string& sha) {
  absl::StatusOr<FileClaims::Claim> c = claims.TryClaim(sha, "in/" + sha.substr(0, 4) + ".txt");
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? c->outcome : Outcome::kHeldElsewhere;
}

void ExpectOneHolderPerFile(const std::string& db) {
  const std::string s1(64, 'a'), s2(64, 'b'), s3(64, 'c');
  absl::StatusOr<std::unique_ptr<FileClaims>> a = FileClaims::Open(db, "host:1");
  absl::StatusOr<std::unique_ptr<FileClaims>> b = FileClaims::Open(db, "host:2");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  FileClaims& first = **a;
  FileClaims& second = **b;

  EXPECT_EQ(ClaimOf(first, s1), Outcome::kClaimed);
  EXPECT_EQ(ClaimOf(first, s1), Outcome::kHeldElsewhere);  // the same content under 2 names
  EXPECT_EQ(ClaimOf(second, s1), Outcome::kHeldElsewhere);
  ASSERT_TRUE(first.Finish(s1, "in/a.txt").ok());
  absl::StatusOr<FileClaims::Claim> again = second.TryClaim(s1, "in/a-again.txt");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->outcome, Outcome::kStored);
  EXPECT_EQ(again->stored_by, "host:1");
  EXPECT_EQ(ClaimOf(first, s1), Outcome::kStored);

  // Let go unstored: free for anyone.
  EXPECT_EQ(ClaimOf(first, s2), Outcome::kClaimed);
  first.Release(s2);
  EXPECT_EQ(ClaimOf(second, s2), Outcome::kClaimed);
  second.Release(s2);

  // A holder that dies (its connection or descriptor closed) leaves the file to the others.
  absl::StatusOr<std::unique_ptr<FileClaims>> c = FileClaims::Open(db, "host:3");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(ClaimOf(**c, s3), Outcome::kClaimed);
  EXPECT_EQ(ClaimOf(second, s3), Outcome::kHeldElsewhere);
  c->reset();
  // PostgreSQL drops a closed session's locks as its backend exits: give it a moment.
  Outcome after = Outcome::kHeldElsewhere;
  for (int i = 0; i < 100 && after == Outcome::kHeldElsewhere; ++i) {
    after = ClaimOf(second, s3);
    if (after == Outcome::kHeldElsewhere) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(after, Outcome::kClaimed);
}

TEST(FileClaimsTest, SqliteOneHolderPerFileAndAClaimDiesWithItsHolder) {
  testing_util::TempDb db;
  ExpectOneHolderPerFile(db.path());
}

TEST(FileClaimsTest, ContentKeysSpreadAndStay) {
  EXPECT_EQ(FileClaimKey(std::string(16, 'f') + std::string(48, '0')), -1);
  EXPECT_NE(FileClaimKey(std::string(64, 'a')), FileClaimKey(std::string(64, 'b')));
  EXPECT_EQ(FileClaimKey("not hex at all"), FileClaimKey("not hex at all"));
}

class PgFileClaimsTest : public testing::PgTest {};

TEST_F(PgFileClaimsTest, OneHolderPerFileAndAClaimDiesWithItsHolder) {
  ExpectOneHolderPerFile(uri());
  EXPECT_EQ(Query("SELECT count(*), min(worker) FROM gym_files"), "1|host:1");
}

}  // namespace
}  // namespace gym
