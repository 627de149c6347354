// Tests for Frame column and row operations: select, drop, rename, filter, slice, take,
// head/tail, sort, apply and concat.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gym/frame/frame.h"
#include "gym/frame/internal/frame_test_util.h"

namespace gym {
namespace {

using ::gym::frame_internal::ExpectFrameError;
using ::gym::frame_internal::Sales;

std::vector<int64_t> Ids(const Frame& f) { return f.column("id").ints(); }

TEST(FrameOpsTest, SelectDropRename) {
  Frame f = Sales();
  EXPECT_EQ(f.Select({"valor", "id"}).column_names(), (std::vector<std::string>{"valor", "id"}));
  EXPECT_EQ(f.Drop({"loja"}).column_names(), (std::vector<std::string>{"id", "valor"}));
  Frame r = f.Rename({{"id", "codigo"}, {"loja", "id"}});
  EXPECT_EQ(r.column_names(), (std::vector<std::string>{"codigo", "id", "valor"}));
  EXPECT_EQ(r.column("id").StringAt(0), "b");
  EXPECT_EQ(f, Sales());
}

TEST(FrameOpsTest, SelectDropRenameErrors) {
  Frame f = Sales();
  ExpectFrameError([&] { f.Select({"id", "valr"}); }, "unknown column 'valr'");
  ExpectFrameError([&] { f.Select({"id", "id"}); }, "duplicate column 'id'");
  ExpectFrameError([&] { f.Drop({"x"}); }, "unknown column 'x'");
  ExpectFrameError([&] { f.Rename({{"x", "y"}}); }, "unknown column 'x'");
  ExpectFrameError([&] { f.Rename({{"id", "loja"}}); }, "duplicate column 'loja'");
  ExpectFrameError([&] { f.Rename({{"id", "a"}, {"id", "b"}}); }, "column 'id' renamed twice");
}

TEST(FrameOpsTest, FilterKeepsOrderAndSeesNulls) {
  Frame f = Sales();
  Frame big =
      f.Filter([](const RowView& r) { return !r.IsNull("valor") && r.Double("valor") > 3; });
  EXPECT_EQ(Ids(big), (std::vector<int64_t>{1, 3, 5}));
  EXPECT_EQ(f.Filter([](const RowView&) { return false; }).num_rows(), 0u);
  ExpectFrameError([&] { f.Filter([](const RowView& r) { return r.Double("valor") > 0; }); },
                   "column 'valor' row 3 is null");
}

TEST(FrameOpsTest, SliceClampsHeadTailTake) {
  Frame f = Sales();
  struct Case {
    size_t begin, end;
    std::vector<int64_t> ids;
  };
  const std::vector<Case> cases = {
      {1, 3, {2, 3}}, {3, 100, {4, 5}}, {7, 9, {}}, {4, 2, {}}, {0, 5, {1, 2, 3, 4, 5}}};
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.begin) + ".." + std::to_string(c.end));
    Frame s = f.Slice(c.begin, c.end);
    EXPECT_EQ(Ids(s), c.ids);
    EXPECT_EQ(s.num_columns(), 3u);
  }
  EXPECT_EQ(Ids(f.Head(2)), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Ids(f.Tail(2)), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(Ids(f.Tail(9)), Ids(f));
  EXPECT_EQ(Ids(f.Take({4, 0, 4})), (std::vector<int64_t>{5, 1, 5}));
  ExpectFrameError([&] { f.Take({0, 5}); }, "Take: row 5 (position 1) out of range for 5 rows");
}

TEST(FrameOpsTest, SortByIsStableWithNullsLast) {
  Frame f = Sales();
  EXPECT_EQ(Ids(f.SortBy({"valor"})), (std::vector<int64_t>{2, 1, 3, 5, 4}));
  EXPECT_EQ(Ids(f.SortBy({"valor"}, SortOrder::kDescending)),
            (std::vector<int64_t>{5, 1, 3, 2, 4}));
  EXPECT_EQ(Ids(f.SortBy({"loja"})), (std::vector<int64_t>{2, 5, 1, 3, 4}));
  EXPECT_EQ(Ids(f.SortBy({"loja"}, SortOrder::kDescending)), (std::vector<int64_t>{4, 1, 3, 2, 5}));
  EXPECT_EQ(Ids(f.SortBy({"loja", "valor"}, SortOrder::kDescending)),
            (std::vector<int64_t>{4, 1, 3, 5, 2}));
  EXPECT_EQ(f.SortBy({}), f);
  EXPECT_EQ(Frame().SortBy({}).num_rows(), 0u);
  ExpectFrameError([&] { f.SortBy({"x"}); }, "unknown column 'x'");
}

TEST(FrameOpsTest, SortByPutsNanAfterNumbersBeforeNulls) {
  Column v = Column::Doubles({2.0, std::nan(""), 1.0, 0.0});
  v.SetNull(3);
  Frame f({"id", "v"}, {Column::Ints({1, 2, 3, 4}), std::move(v)});
  EXPECT_EQ(Ids(f.SortBy({"v"})), (std::vector<int64_t>{3, 1, 2, 4}));
}

TEST(FrameOpsTest, ApplyChoosesTypeFromResults) {
  Frame f = Sales();
  Frame doubled = f.Apply("id", [](const Value& v) { return Value{std::get<int64_t>(v) * 2}; });
  EXPECT_EQ(Ids(doubled), (std::vector<int64_t>{2, 4, 6, 8, 10}));
  Frame half = f.Apply(
      "id",
      [](const Value& v) -> Value {
        int64_t i = std::get<int64_t>(v);
        return i % 2 ? Value{i} : Value{static_cast<double>(i) / 4.0};
      },
      "half");
  EXPECT_EQ(half.column("half").type(), DataType::kDouble);
  EXPECT_EQ(half.column("half").DoubleAt(1), 0.5);
  EXPECT_EQ(half.column_names().back(), "half");
  Frame text = f.Apply("valor", [](const Value& v) {
    return IsNull(v) ? Value{} : Value{"R$ " + ValueToString(v)};
  });
  EXPECT_EQ(text.column("valor").type(), DataType::kString);
  EXPECT_EQ(text.column("valor").StringAt(1), "R$ 2.5");
  EXPECT_FALSE(text.column("valor").IsValid(3));
  Frame nulls = f.Apply("loja", [](const Value&) { return Value{}; });
  EXPECT_EQ(nulls.column("loja").type(), DataType::kInt64);
  EXPECT_EQ(nulls.column("loja").NullCount(), 5u);
}

TEST(FrameOpsTest, ApplyErrors) {
  Frame f = Sales();
  ExpectFrameError([&] { f.Apply("x", [](const Value& v) { return v; }); }, "unknown column 'x'");
  ExpectFrameError(
      [&] {
        f.Apply("id", [](const Value& v) {
          return std::get<int64_t>(v) == 3 ? Value{std::string("três")} : v;
        });
      },
      "Apply 'id': row 2 mixes string and numeric results");
}

TEST(FrameOpsTest, ConcatAppendsRowsInOrder) {
  Frame f = Sales();
  Frame all = Frame::Concat({f.Slice(0, 2), Frame(), f.Slice(2, 5)});
  EXPECT_EQ(all, f);
  EXPECT_EQ(Frame::Concat({}).num_columns(), 0u);
  EXPECT_EQ(Frame::Concat({Frame(), f}), f);
  EXPECT_EQ(Frame::Concat({f.Slice(0, 0), f.Slice(0, 0)}).num_columns(), 3u);
}

TEST(FrameOpsTest, ConcatNamesTheFirstDifference) {
  Frame f = Sales();
  struct Case {
    Frame other;
    std::string message;
  };
  const std::vector<Case> cases = {
      {f.Rename({{"loja", "store"}}),
       "Concat: frame 1 column 1 is 'store':string but frame 0 has 'loja':string"},
      {f.Apply("valor", [](const Value&) { return Value{std::string("x")}; }),
       "column 2 is 'valor':string but frame 0 has 'valor':double"},
      {f.Drop({"valor"}), "Concat: frame 1 lacks column 'valor'"},
      {f.Apply(
           "id", [](const Value& v) { return v; }, "extra"),
       "Concat: frame 1 has extra column 'extra'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    ExpectFrameError([&] { Frame::Concat({f, c.other}); }, c.message);
  }
}

}  // namespace
}  // namespace gym
