#include "gym/storage/pg_text.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gym {
namespace {

TEST(PgText, StringsAreQuotedWithQuotesAndBackslashesEscaped) {
  Column c = Column::Strings({"plain", "a \"quoted\" word", "back\\slash", "", "{,}"});
  c.AppendNull();
  EXPECT_EQ(PgArray(c, {0, 1, 2, 3, 4, 5}),
            R"({"plain","a \"quoted\" word","back\\slash","","{,}",NULL})");
  // Specials first, last, alone and side by side.
  Column edges = Column::Strings({"\"", "\\", "\"start", "end\\", "\\\"\\"});
  EXPECT_EQ(PgArray(edges, {0, 1, 2, 3, 4}),
            R"({"\"","\\","\"start","end\\","\\\"\\"})");
}

TEST(PgText, NumbersAreExactAndSpecialDoublesSpelledForPostgres) {
  Column ints = Column::Ints({-7, 9007199254740993});
  EXPECT_EQ(PgArray(ints, {1, 0}), "{9007199254740993,-7}");
  Column d = Column::Doubles({0.1, std::numeric_limits<double>::quiet_NaN(),
                              std::numeric_limits<double>::infinity(),
                              -std::numeric_limits<double>::infinity()});
  EXPECT_EQ(PgArray(d, {0, 1, 2, 3}), "{0.1,NaN,Infinity,-Infinity}");
  EXPECT_EQ(PgArray(d, {}), "{}");
}

// The shortest form must still name the same double: PostgreSQL's float8 input reads it back
// with strtod's rounding.
TEST(PgText, DoublesReadBackAsTheSameValue) {
  const std::vector<double> values = {0.1 + 0.2,
                                      1.0 / 3.0,
                                      -2.5e-300,
                                      std::numeric_limits<double>::max(),
                                      std::numeric_limits<double>::denorm_min(),
                                      123456789.125,
                                      -0.0};
  for (double v : values) {
    const std::string text = PgArray(Column::Doubles({v}), {0});
    ASSERT_GE(text.size(), 2u);
    const std::string cell = text.substr(1, text.size() - 2);
    EXPECT_EQ(std::strtod(cell.c_str(), nullptr), v) << cell;
    EXPECT_EQ(std::signbit(std::strtod(cell.c_str(), nullptr)), std::signbit(v)) << cell;
  }
}

TEST(PgText, TypesMapToPostgresNames) {
  EXPECT_STREQ(PgTypeOf(DataType::kInt64), "bigint");
  EXPECT_STREQ(PgTypeOf(DataType::kDouble), "double precision");
  EXPECT_STREQ(PgTypeOf(DataType::kString), "text");
}

}  // namespace
}  // namespace gym
