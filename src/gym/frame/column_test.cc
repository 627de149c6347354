// Tests for Column, Value helpers and Schema.
#include "gym/frame/column.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gym/frame/frame_error.h"
#include "gym/frame/schema.h"
#include "gym/frame/value.h"

namespace gym {
namespace {

using ::testing::HasSubstr;

TEST(ColumnTest, AppendsTypedValuesAndNulls) {
  Column c = Column::Make(DataType::kInt64);
  c.Append(Value{int64_t{7}});
  c.AppendNull();
  c.AppendInt64(-3);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c.Int64At(0), 7);
  EXPECT_FALSE(c.IsValid(1));
  EXPECT_EQ(c.Int64At(2), -3);
  EXPECT_EQ(c.NullCount(), 1u);
  EXPECT_TRUE(IsNull(c.At(1)));
  EXPECT_EQ(c.At(2), Value{int64_t{-3}});
}

TEST(ColumnTest, WidensIntIntoDoubleColumn) {
  Column c(DataType::kDouble);
  c.Append(Value{int64_t{2}});
  c.Append(Value{0.5});
  EXPECT_EQ(c.DoubleAt(0), 2.0);
  EXPECT_EQ(c.NumberAt(1), 0.5);
}

TEST(ColumnTest, RejectsMismatchedValues) {
  struct Case {
    DataType type;
    Value value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {DataType::kInt64, Value{1.5}, "cannot append a double value to a int64 column"},
      {DataType::kInt64, Value{std::string("x")}, "string value to a int64 column"},
      {DataType::kDouble, Value{std::string("x")}, "string value to a double column"},
      {DataType::kString, Value{int64_t{1}}, "int64 value to a string column"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    Column col(c.type);
    try {
      col.Append(c.value);
      FAIL() << "no FrameError";
    } catch (const FrameError& e) {
      EXPECT_THAT(e.what(), HasSubstr(c.message));
    }
    EXPECT_EQ(col.size(), 0u);
  }
}

TEST(ColumnTest, SliceClampsAndTakeGathers) {
  Column c = Column::Strings({"a", "b", "c", "d"});
  c.SetNull(1);
  Column s = c.Slice(1, 10);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_FALSE(s.IsValid(0));
  EXPECT_EQ(s.StringAt(2), "d");
  EXPECT_EQ(c.Slice(7, 9).size(), 0u);
  EXPECT_EQ(c.Slice(3, 1).size(), 0u);
  Column t = c.Take({3, 1, 3});
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.StringAt(0), "d");
  EXPECT_FALSE(t.IsValid(1));
  EXPECT_EQ(t.StringAt(2), "d");
}

TEST(ColumnTest, AppendColumnAndAppendFrom) {
  Column a = Column::Doubles({1.0});
  Column b = Column::Doubles({2.0, 3.0});
  b.SetNull(0);
  a.AppendColumn(b);
  a.AppendFrom(b, 1);
  ASSERT_EQ(a.size(), 4u);
  EXPECT_FALSE(a.IsValid(1));
  EXPECT_EQ(a.DoubleAt(3), 3.0);
  EXPECT_THROW(a.AppendColumn(Column::Ints({1})), FrameError);
}

TEST(ColumnTest, EqualityIgnoresValuesUnderNulls) {
  Column a = Column::Ints({1, 2});
  Column b = Column::Ints({1, 99});
  a.SetNull(1);
  b.SetNull(1);
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a == Column::Ints({1, 2}));
  EXPECT_FALSE(Column::Ints({1}) == Column::Doubles({1.0}));
}

TEST(ValueTest, ToStringUsesShortestRoundTripForm) {
  struct Case {
    Value value;
    std::string text;
  };
  const std::vector<Case> cases = {
      {Value{}, ""},
      {Value{int64_t{-42}}, "-42"},
      {Value{0.1}, "0.1"},
      {Value{10.5}, "10.5"},
      {Value{1e21}, "1e+21"},
      {Value{3.0}, "3"},
      {Value{std::string("Ana")}, "Ana"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(ValueToString(c.value), c.text);
  }
  double third = 1.0 / 3.0;
  EXPECT_EQ(std::stod(ValueToString(Value{third})), third);
}

TEST(ValueTest, FieldOfFindsOrReturnsNull) {
  Record r = {{"id", int64_t{1}}, {"nome", std::string("Ana")}};
  EXPECT_EQ(FieldOf(r, "nome"), Value{std::string("Ana")});
  EXPECT_TRUE(IsNull(FieldOf(r, "cpf")));
  EXPECT_EQ(DataTypeName(DataType::kDouble), "double");
}

TEST(SchemaTest, IndexNamesAndText) {
  Schema s({{"id", DataType::kInt64}, {"nome", DataType::kString}});
  EXPECT_EQ(s.IndexOf("nome"), 1u);
  EXPECT_FALSE(s.IndexOf("cpf").has_value());
  EXPECT_EQ(s.names(), (std::vector<std::string>{"id", "nome"}));
  EXPECT_EQ(s.ToString(), "id:int64, nome:string");
}

TEST(SchemaTest, RejectsDuplicateNames) {
  try {
    Schema s({{"id", DataType::kInt64}, {"id", DataType::kString}});
    FAIL() << "no FrameError";
  } catch (const FrameError& e) {
    EXPECT_THAT(e.what(), HasSubstr("duplicate column 'id'"));
  }
}

}  // namespace
}  // namespace gym
