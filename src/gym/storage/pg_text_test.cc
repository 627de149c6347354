#include "gym/storage/pg_text.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace gym {
namespace {

TEST(PgText, StringsAreQuotedWithQuotesAndBackslashesEscaped) {
  Column c = Column::Strings({"plain", "a \"quoted\" word", "back\\slash", "", "{,}"});
  c.AppendNull();
  EXPECT_EQ(PgArray(c, {0, 1, 2, 3, 4, 5}),
            R"({"plain","a \"quoted\" word","back\\slash","","{,}",NULL})");
}

TEST(PgText, NumbersAreExactAndSpecialDoublesSpelledForPostgres) {
  Column ints = Column::Ints({-7, 9007199254740993});
  EXPECT_EQ(PgArray(ints, {1, 0}), "{9007199254740993,-7}");
  Column d = Column::Doubles({0.1, std::numeric_limits<double>::quiet_NaN(),
                              std::numeric_limits<double>::infinity(),
                              -std::numeric_limits<double>::infinity()});
  EXPECT_EQ(PgArray(d, {0, 1, 2, 3}), "{0.10000000000000001,NaN,Infinity,-Infinity}");
  EXPECT_EQ(PgArray(d, {}), "{}");
}

TEST(PgText, TypesMapToPostgresNames) {
  EXPECT_STREQ(PgTypeOf(DataType::kInt64), "bigint");
  EXPECT_STREQ(PgTypeOf(DataType::kDouble), "double precision");
  EXPECT_STREQ(PgTypeOf(DataType::kString), "text");
}

}  // namespace
}  // namespace gym
