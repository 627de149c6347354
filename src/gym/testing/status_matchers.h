// Test-only checks of absl::Status and absl::StatusOr<T> that print the status when it is not
// what the test expected (header-only: any test may include it, whatever it links).
//
//   ASSERT_OK(pipeline->RunOnce(inputs));
//   ASSERT_OK_AND_ASSIGN(Frame out, handler.Handle(input));
//   EXPECT_THAT(handler.Handle(bad),
//               StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no column 'moeda'")));
#ifndef GYM_TESTING_STATUS_MATCHERS_H_
#define GYM_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gym::testing_util {

inline const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

class StatusIsMatcher final {
 public:
  StatusIsMatcher(absl::StatusCode code, ::testing::Matcher<const std::string&> message)
      : code_(code), message_(std::move(message)) {}

  template <typename T>
  bool MatchAndExplain(const T& value, ::testing::MatchResultListener* listener) const {
    const absl::Status& status = StatusOf(value);
    *listener << "whose status is " << status;
    return status.code() == code_ && message_.Matches(std::string(status.message()));
  }
  void DescribeTo(std::ostream* os) const {
    *os << "has status code " << absl::StatusCodeToString(code_) << " and a message that ";
    message_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "does not have status code " << absl::StatusCodeToString(code_)
        << " or has a message that ";
    message_.DescribeNegationTo(os);
  }

 private:
  absl::StatusCode code_;
  ::testing::Matcher<const std::string&> message_;
};

// Matches an absl::Status or absl::StatusOr<T> with `code` and a message matching `message`
// (a matcher such as HasSubstr, or a string it must equal).
template <typename MessageMatcher>
::testing::PolymorphicMatcher<StatusIsMatcher> StatusIs(absl::StatusCode code,
                                                        MessageMatcher&& message) {
  return ::testing::MakePolymorphicMatcher(StatusIsMatcher(
      code, ::testing::MatcherCast<const std::string&>(std::forward<MessageMatcher>(message))));
}

}  // namespace gym::testing_util

#define GYM_STATUS_CONCAT_INNER_(a, b) a##b
#define GYM_STATUS_CONCAT_(a, b) GYM_STATUS_CONCAT_INNER_(a, b)

// Fails the test (ASSERT: and returns) unless the Status or StatusOr is OK, printing it.
#define ASSERT_OK(expr)                                                                \
  do {                                                                                 \
    const absl::Status gym_assert_ok_status_ = ::gym::testing_util::StatusOf((expr));  \
    ASSERT_TRUE(gym_assert_ok_status_.ok()) << #expr << ": " << gym_assert_ok_status_; \
  } while (false)
#define EXPECT_OK(expr)                                                                \
  do {                                                                                 \
    const absl::Status gym_expect_ok_status_ = ::gym::testing_util::StatusOf((expr));  \
    EXPECT_TRUE(gym_expect_ok_status_.ok()) << #expr << ": " << gym_expect_ok_status_; \
  } while (false)

// `lhs = *rexpr` when the StatusOr `rexpr` is OK; else fails and returns, printing the status.
// `lhs` may declare a variable: ASSERT_OK_AND_ASSIGN(Frame out, handler.Handle(input)).
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  GYM_ASSERT_OK_AND_ASSIGN_IMPL_(GYM_STATUS_CONCAT_(gym_status_or_, __LINE__), lhs, rexpr)
#define GYM_ASSERT_OK_AND_ASSIGN_IMPL_(status_or, lhs, rexpr)          \
  auto status_or = (rexpr);                                            \
  ASSERT_TRUE(status_or.ok()) << #rexpr << ": " << status_or.status(); \
  lhs = *std::move(status_or)

#endif  // GYM_TESTING_STATUS_MATCHERS_H_
