// Tests for Frame construction, records, mutators, accessors, RowView and the text preview.
#include "gym/frame/frame.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "gym/frame/internal/frame_test_util.h"

namespace gym {
namespace {

using ::gym::frame_internal::ExpectFrameError;
using ::testing::HasSubstr;

Frame People() {
  return Frame({"id", "nome", "valor"},
               {Column::Ints({1, 2, 3}), Column::Strings({"Ana", "Beto", "Caio"}),
                Column::Doubles({10.5, 3.0, 7.25})});
}

TEST(FrameTest, FromRecordsKeepsFirstAppearanceOrder) {
  Frame f = Frame::FromRecords({{{"id", int64_t{1}}, {"valor", 10.5}},
                                {{"valor", int64_t{3}}, {"nome", std::string("Ana")}}});
  EXPECT_EQ(f.column_names(), (std::vector<std::string>{"id", "valor", "nome"}));
  EXPECT_EQ(f.shape(), (std::pair<size_t, size_t>{2, 3}));
  EXPECT_EQ(f.column("valor").type(), DataType::kDouble);
  EXPECT_EQ(f.column("valor").DoubleAt(1), 3.0);
  EXPECT_TRUE(IsNull(f.At(1, "id")));
  EXPECT_TRUE(IsNull(f.At(0, "nome")));
}

TEST(FrameTest, FromRecordsInfersTypes) {
  struct Case {
    std::string name;
    std::vector<Value> values;
    DataType type;
  };
  const std::vector<Case> cases = {
      {"ints", {Value{int64_t{1}}, Value{int64_t{2}}}, DataType::kInt64},
      {"int then double", {Value{int64_t{1}}, Value{2.5}}, DataType::kDouble},
      {"double then int", {Value{2.5}, Value{int64_t{1}}}, DataType::kDouble},
      {"strings with null", {Value{}, Value{std::string("x")}}, DataType::kString},
      {"only nulls", {Value{}, Value{}}, DataType::kInt64},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<Record> records;
    for (const Value& v : c.values) records.push_back({{"x", v}});
    Frame f = Frame::FromRecords(records);
    EXPECT_EQ(f.column("x").type(), c.type);
    EXPECT_EQ(f.num_rows(), c.values.size());
  }
}

TEST(FrameTest, FromRecordsRejectsStringNumberMix) {
  std::vector<Record> records(5, Record{{"valor", 1.5}});
  records[4] = {{"valor", std::string("dez")}};
  ExpectFrameError([&] { Frame::FromRecords(records); },
                   "FromRecords: column 'valor' row 4: string value in a numeric column");
  records[0] = {{"valor", std::string("um")}};
  ExpectFrameError([&] { Frame::FromRecords(records); },
                   "FromRecords: column 'valor' row 1: numeric value in a string column");
}

TEST(FrameTest, RecordsRoundTrip) {
  Frame f = People();
  f.mutable_column("valor").SetNull(1);
  std::vector<Record> records = f.ToRecords();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0][1], (std::pair<std::string, Value>{"nome", std::string("Ana")}));
  EXPECT_TRUE(IsNull(FieldOf(records[1], "valor")));
  EXPECT_EQ(Frame::FromRecords(records), f);
  EXPECT_TRUE(Frame::FromRecords({}).empty());
}

TEST(FrameTest, ConstructorChecksNamesAndLengths) {
  ExpectFrameError(
      [] {
        Frame({"a", "a"}, {Column::Ints({1}), Column::Ints({2})});
      },
      "duplicate column 'a'");
  ExpectFrameError(
      [] {
        Frame({"a", "b"}, {Column::Ints({1}), Column::Ints({2, 3})});
      },
      "column 'b' has 2 rows");
  ExpectFrameError([] { Frame({"a"}, {}); }, "1 names for 0 columns");
}

TEST(FrameTest, EmptyFromSchema) {
  Schema schema({{"id", DataType::kInt64}, {"nome", DataType::kString}});
  Frame f = Frame::Empty(schema);
  EXPECT_TRUE(f.empty());
  EXPECT_EQ(f.num_columns(), 2u);
  EXPECT_EQ(f.schema(), schema);
  Frame none;
  EXPECT_EQ(none.shape(), (std::pair<size_t, size_t>{0, 0}));
}

TEST(FrameTest, ColumnLookup) {
  Frame f = People();
  EXPECT_TRUE(f.HasColumn("nome"));
  EXPECT_FALSE(f.HasColumn("cpf"));
  EXPECT_EQ(f.ColumnIndex("valor"), 2u);
  EXPECT_EQ(f.column(1).StringAt(2), "Caio");
  EXPECT_EQ(f.schema().ToString(), "id:int64, nome:string, valor:double");
  ExpectFrameError([&] { f.column("valr"); }, "unknown column 'valr'");
  ExpectFrameError([&] { f.At(3, "id"); }, "row 3 out of range");
}

TEST(FrameTest, AddColumnAddsOrReplaces) {
  Frame f = People();
  f.AddColumn("flag", Column::Ints({0, 1, 0}));
  EXPECT_EQ(f.column_names().back(), "flag");
  f.AddColumn("id", Column::Strings({"a", "b", "c"}));
  EXPECT_EQ(f.ColumnIndex("id"), 0u);
  EXPECT_EQ(f.column("id").type(), DataType::kString);
  ExpectFrameError(
      [&] {
        f.AddColumn("x", Column::Ints({1, 2, 3, 4, 5}));
      },
      "AddColumn 'x': length 5 does not match 3 rows");
  Frame empty;
  empty.AddColumn("x", Column::Ints({1, 2}));
  EXPECT_EQ(empty.num_rows(), 2u);
}

TEST(FrameTest, AddRowByPositionAndByName) {
  Frame f = People();
  f.AddRow({Value{int64_t{4}}, Value{std::string("Duda")}, Value{int64_t{2}}});
  f.AddRow(Record{{"nome", std::string("Eva")}, {"id", int64_t{5}}});
  ASSERT_EQ(f.num_rows(), 5u);
  EXPECT_EQ(f.At(3, "valor"), Value{2.0});
  EXPECT_EQ(f.At(4, "nome"), Value{std::string("Eva")});
  EXPECT_TRUE(IsNull(f.At(4, "valor")));
}

TEST(FrameTest, AddRowErrorsLeaveFrameUnchanged) {
  Frame f = People();
  ExpectFrameError(
      [&] {
        f.AddRow({Value{int64_t{4}}, Value{}});
      },
      "AddRow: 2 values for 3 columns");
  ExpectFrameError(
      [&] {
        f.AddRow({Value{int64_t{4}}, Value{std::string("x")}, Value{std::string("y")}});
      },
      "AddRow: column 'valor' is double");
  ExpectFrameError(
      [&] {
        f.AddRow(Record{{"cpf", std::string("1")}});
      },
      "AddRow: unknown column 'cpf'");
  EXPECT_EQ(f, People());
}

TEST(RowViewTest, TypedGetters) {
  Frame f = People();
  f.mutable_column("valor").SetNull(2);
  RowView row(f, 0);
  EXPECT_EQ(row.index(), 0u);
  EXPECT_EQ(row.Int("id"), 1);
  EXPECT_EQ(row.Double("id"), 1.0);
  EXPECT_EQ(row.Double("valor"), 10.5);
  EXPECT_EQ(row.String("nome"), "Ana");
  EXPECT_EQ(row.Get("nome"), Value{std::string("Ana")});
  EXPECT_TRUE(RowView(f, 2).IsNull("valor"));
  ExpectFrameError([&] { row.Int("valor"); }, "column 'valor' is double, not int64");
  ExpectFrameError([&] { row.String("id"); }, "column 'id' is int64, not string");
  ExpectFrameError([&] { row.Double("nome"); }, "column 'nome' is string, not numeric");
  ExpectFrameError([&] { RowView(f, 2).Double("valor"); }, "column 'valor' row 2 is null");
  ExpectFrameError([&] { row.Get("x"); }, "unknown column 'x'");
}

TEST(FramePrintTest, HeadStringAlignsAndShowsShape) {
  Frame f = People();
  f.mutable_column("valor").SetNull(1);
  EXPECT_EQ(f.HeadString(2),
            "   id  nome  valor\n"
            "0   1   Ana   10.5\n"
            "1   2  Beto   null\n"
            "[3 rows x 3 columns]\n");
  EXPECT_EQ(f.ToString(), f.HeadString(20));
}

TEST(FramePrintTest, TailStringNumbersRowsFromTheEnd) {
  EXPECT_EQ(People().Select({"nome"}).TailString(1),
            "   nome\n"
            "2  Caio\n"
            "[3 rows x 1 columns]\n");
  EXPECT_THAT(People().TailString(10), HasSubstr("0   1   Ana   10.5\n"));
}

TEST(FramePrintTest, EmptyFrames) {
  EXPECT_EQ(Frame().HeadString(), "\n[0 rows x 0 columns]\n");
  EXPECT_EQ(People().Slice(0, 0).HeadString(), "  id  nome  valor\n[0 rows x 3 columns]\n");
}

}  // namespace
}  // namespace gym
