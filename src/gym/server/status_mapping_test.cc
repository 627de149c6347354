#include "gym/server/status_mapping.h"

#include <map>
#include <string>

#include "gtest/gtest.h"
#include "gym/server/auth.h"

namespace gym {
namespace {

TEST(ToGrpcStatus, KeepsCodeAndMessage) {
  struct Case {
    absl::Status in;
    grpc::StatusCode code;
  };
  const Case cases[] = {
      {absl::OkStatus(), grpc::StatusCode::OK},
      {absl::InvalidArgumentError("too big"), grpc::StatusCode::INVALID_ARGUMENT},
      {absl::ResourceExhaustedError("busy"), grpc::StatusCode::RESOURCE_EXHAUSTED},
      {absl::DeadlineExceededError("late"), grpc::StatusCode::DEADLINE_EXCEEDED},
      {absl::UnavailableError("draining"), grpc::StatusCode::UNAVAILABLE},
      {absl::UnauthenticatedError("who"), grpc::StatusCode::UNAUTHENTICATED},
      {absl::InternalError("boom"), grpc::StatusCode::INTERNAL},
      {absl::Status(static_cast<absl::StatusCode>(99), "odd"), grpc::StatusCode::UNKNOWN},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in.ToString());
    const grpc::Status out = ToGrpcStatus(c.in);
    EXPECT_EQ(out.error_code(), c.code);
    EXPECT_EQ(out.error_message(), std::string(c.in.message()));
  }
}

TEST(CheckBearer, AcceptsOnlyTheRightToken) {
  using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;
  struct Case {
    const char* name;
    Metadata metadata;
    const char* expected;
    bool ok;
  };
  const Case cases[] = {
      {"right", {{"authorization", "Bearer s3cret"}}, "s3cret", true},
      {"scheme case", {{"authorization", "bearer s3cret"}}, "s3cret", true},
      {"wrong", {{"authorization", "Bearer s3cres"}}, "s3cret", false},
      {"prefix", {{"authorization", "Bearer s3cre"}}, "s3cret", false},
      {"longer", {{"authorization", "Bearer s3cret2"}}, "s3cret", false},
      {"missing", {}, "s3cret", false},
      {"other scheme", {{"authorization", "Basic s3cret"}}, "s3cret", false},
      {"auth off", {}, "", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const grpc::Status s = CheckBearer(c.metadata, c.expected);
    EXPECT_EQ(s.ok(), c.ok);
    if (!c.ok) {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    }
  }
}

TEST(ConstantTimeEquals, ComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", std::string_view("abc\0", 4)));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

}  // namespace
}  // namespace gym
