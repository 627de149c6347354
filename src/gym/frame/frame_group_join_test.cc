// Tests for Frame::GroupBy, Frame::GroupIndices and Frame::InnerJoin.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "gym/frame/frame.h"
#include "gym/frame/internal/frame_test_util.h"

namespace gym {
namespace {

using ::gym::frame_internal::ExpectFrameError;
using ::gym::frame_internal::Sales;

std::vector<Value> Cells(const Column& c) {
  std::vector<Value> out;
  for (size_t i = 0; i < c.size(); ++i) out.push_back(c.At(i));
  return out;
}

TEST(FrameGroupByTest, AggregatesSkipNulls) {
  Frame g = Sales().GroupBy({"loja"}, {{"valor", Agg::kCount, ""},
                                       {"valor", Agg::kSum, ""},
                                       {"valor", Agg::kMean, "media"},
                                       {"valor", Agg::kMin, ""},
                                       {"valor", Agg::kMax, ""},
                                       {"", Agg::kCount, "n"},
                                       {"id", Agg::kSum, ""}});
  EXPECT_EQ(g.column_names(), (std::vector<std::string>{"loja", "count_valor", "sum_valor", "media",
                                                        "min_valor", "max_valor", "n", "sum_id"}));
  const Value null;
  struct Case {
    std::string column;
    std::vector<Value> cells;
  };
  const std::vector<Case> cases = {
      {"loja", {Value{"b"}, Value{"a"}, Value{"c"}}},
      {"count_valor", {Value{int64_t{2}}, Value{int64_t{2}}, Value{int64_t{0}}}},
      {"sum_valor", {Value{10.0}, Value{11.5}, Value{0.0}}},
      {"media", {Value{5.0}, Value{5.75}, null}},
      {"min_valor", {Value{5.0}, Value{2.5}, null}},
      {"max_valor", {Value{5.0}, Value{9.0}, null}},
      {"n", {Value{int64_t{2}}, Value{int64_t{2}}, Value{int64_t{1}}}},
      {"sum_id", {Value{int64_t{4}}, Value{int64_t{7}}, Value{int64_t{4}}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.column);
    EXPECT_EQ(Cells(g.column(c.column)), c.cells);
  }
  EXPECT_EQ(g.column("sum_id").type(), DataType::kInt64);
}

TEST(FrameGroupByTest, StringMinMaxAndNoKeys) {
  Frame g = Sales().GroupBy(
      {}, {{"loja", Agg::kMin, ""}, {"loja", Agg::kMax, ""}, {"id", Agg::kSum, "total"}});
  ASSERT_EQ(g.num_rows(), 1u);
  EXPECT_EQ(g.At(0, "min_loja"), Value{"a"});
  EXPECT_EQ(g.At(0, "max_loja"), Value{"c"});
  EXPECT_EQ(g.At(0, "total"), Value{int64_t{15}});
  EXPECT_EQ(Sales().Slice(0, 0).GroupBy({}, {{"id", Agg::kSum, ""}}).num_rows(), 0u);
  EXPECT_EQ(Sales().Slice(0, 0).GroupBy({"loja"}, {{"id", Agg::kSum, ""}}).num_rows(), 0u);
}

TEST(FrameGroupByTest, NullKeyIsItsOwnGroupAndKeysCombine) {
  Column key = Column::Ints({1, 0, 1, 0, 1, 0});
  key.SetNull(1);
  key.SetNull(5);
  Frame f({"k", "s", "v"}, {std::move(key), Column::Strings({"x", "x", "y", "x", "x", "x"}),
                            Column::Ints({1, 2, 3, 4, 5, 6})});
  Frame one = f.GroupBy({"k"}, {{"v", Agg::kSum, ""}});
  EXPECT_EQ(Cells(one.column("k")),
            (std::vector<Value>{Value{int64_t{1}}, Value{}, Value{int64_t{0}}}));
  EXPECT_EQ(one.column("sum_v").ints(), (std::vector<int64_t>{9, 8, 4}));
  Frame two = f.GroupBy({"k", "s"}, {{"v", Agg::kSum, ""}});
  EXPECT_EQ(Cells(two.column("s")),
            (std::vector<Value>{Value{"x"}, Value{"x"}, Value{"y"}, Value{"x"}}));
  EXPECT_EQ(two.column("sum_v").ints(), (std::vector<int64_t>{6, 8, 3, 4}));
}

TEST(FrameGroupByTest, DoubleKeysTreatZerosAndNansAsOne) {
  Frame f({"k", "v"},
          {Column::Doubles({0.0, -0.0, std::nan(""), -std::nan("")}), Column::Ints({1, 2, 3, 4})});
  Frame g = f.GroupBy({"k"}, {{"v", Agg::kSum, ""}});
  EXPECT_EQ(g.column("sum_v").ints(), (std::vector<int64_t>{3, 7}));
}

TEST(FrameGroupByTest, Errors) {
  Frame f = Sales();
  ExpectFrameError([&] { f.GroupBy({"lojas"}, {}); }, "unknown column 'lojas'");
  ExpectFrameError([&] { f.GroupBy({"id"}, {{"x", Agg::kSum, ""}}); }, "unknown column 'x'");
  ExpectFrameError(
      [&] {
        f.GroupBy({"id"}, {{"loja", Agg::kSum, ""}});
      },
      "GroupBy: cannot sum string column 'loja'");
  ExpectFrameError(
      [&] {
        f.GroupBy({"id"}, {{"loja", Agg::kMean, ""}});
      },
      "GroupBy: cannot mean string column 'loja'");
  ExpectFrameError(
      [&] {
        f.GroupBy({"id"}, {{"", Agg::kMax, ""}});
      },
      "GroupBy: max needs a column");
  ExpectFrameError(
      [&] {
        f.GroupBy({"id"}, {{"valor", Agg::kSum, "id"}});
      },
      "duplicate column 'id'");
}

TEST(FrameGroupByTest, GroupIndicesInFirstAppearanceOrder) {
  auto groups = Sales().GroupIndices({"loja"});
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].first, (std::vector<Value>{Value{"b"}}));
  EXPECT_EQ(groups[0].second, (std::vector<size_t>{0, 2}));
  EXPECT_EQ(groups[1].second, (std::vector<size_t>{1, 4}));
  EXPECT_EQ(groups[2].second, (std::vector<size_t>{3}));
}

TEST(FrameGroupByTest, ManyGroupsMatchAReference) {
  // Enough distinct keys (negative ones included) to make the hash table grow several times.
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> pick(-3000, 3000);
  std::vector<int64_t> keys(20000);
  for (int64_t& k : keys) k = pick(rng);
  std::vector<int64_t> values(keys.size());
  std::iota(values.begin(), values.end(), int64_t{0});
  std::vector<int64_t> order;
  std::map<int64_t, int64_t> sums;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!sums.count(keys[i])) order.push_back(keys[i]);
    sums[keys[i]] += values[i];
  }
  Frame f({"k", "v"}, {Column::Ints(keys), Column::Ints(values)});
  Frame g = f.GroupBy({"k"}, {{"v", Agg::kSum, ""}});
  ASSERT_EQ(g.column("k").ints(), order);
  for (size_t i = 0; i < order.size(); ++i) {
    ASSERT_EQ(g.column("sum_v").Int64At(i), sums[order[i]]) << "key " << order[i];
  }
}

Frame Clients() {
  Column id = Column::Ints({1, 2, 3, 0});
  id.SetNull(3);
  return Frame({"id", "nome"}, {std::move(id), Column::Strings({"Ana", "Beto", "Caio", "Zé"})});
}

Frame Transactions() {
  Column cliente = Column::Ints({2, 1, 2, 9, 0});
  cliente.SetNull(4);
  return Frame({"cliente_id", "valor", "nome"},
               {std::move(cliente), Column::Doubles({10, 20, 30, 40, 50}),
                Column::Strings({"x", "y", "z", "w", "v"})});
}

TEST(FrameJoinTest, KeepsLeftOrderDuplicatesAndSkipsUnmatched) {
  Frame j = Clients().InnerJoin(Transactions(), "id", "cliente_id");
  EXPECT_EQ(j.column_names(), (std::vector<std::string>{"id", "nome", "valor", "nome_right"}));
  EXPECT_EQ(j.column("id").ints(), (std::vector<int64_t>{1, 2, 2}));
  EXPECT_EQ(j.column("valor").doubles(), (std::vector<double>{20, 10, 30}));
  EXPECT_EQ(j.column("nome").strings(), (std::vector<std::string>{"Ana", "Beto", "Beto"}));
  EXPECT_EQ(j.column("nome_right").strings(), (std::vector<std::string>{"y", "x", "z"}));
  Frame k = Clients().InnerJoin(Transactions(), "id", "cliente_id", "_t");
  EXPECT_TRUE(k.HasColumn("nome_t"));
}

TEST(FrameJoinTest, KeysOfMixedNumericTypesAndStrings) {
  Frame right({"id", "v"}, {Column::Doubles({2.0, 1.5, 1.0}), Column::Ints({7, 8, 9})});
  Frame j = Clients().InnerJoin(right, "id", "id");
  EXPECT_EQ(j.column_names(), (std::vector<std::string>{"id", "nome", "v"}));
  EXPECT_EQ(j.column("v").ints(), (std::vector<int64_t>{9, 7}));
  Frame scores({"cliente", "score"},
               {Column::Strings({"Beto", "Ana", "Beto", "Nobody"}), Column::Ints({1, 2, 3, 4})});
  Frame by_name = Clients().InnerJoin(scores, "nome", "cliente");
  EXPECT_EQ(by_name.column("nome").strings(), (std::vector<std::string>{"Ana", "Beto", "Beto"}));
  EXPECT_EQ(by_name.column("score").ints(), (std::vector<int64_t>{2, 1, 3}));
}

TEST(FrameJoinTest, MatchesANestedLoopReference) {
  std::mt19937_64 rng(11);
  for (int64_t key_range : {50, 5000}) {
    SCOPED_TRACE("key range " + std::to_string(key_range));
    std::uniform_int_distribution<int64_t> pick(0, key_range);
    std::vector<int64_t> left(3000);
    for (int64_t& k : left) k = pick(rng);
    // Few keys: random, repeated right keys; many keys: each key once, shuffled.
    std::vector<int64_t> right;
    if (key_range == 50) {
      right.resize(200);
      for (int64_t& k : right) k = pick(rng);
    } else {
      right.resize(static_cast<size_t>(key_range));
      std::iota(right.begin(), right.end(), int64_t{0});
      std::shuffle(right.begin(), right.end(), rng);
    }
    std::vector<int64_t> expected_right_keys;
    std::vector<int64_t> expected_right_rows;
    for (int64_t l : left) {
      for (size_t r = 0; r < right.size(); ++r) {
        if (right[r] != l) continue;
        expected_right_keys.push_back(l);
        expected_right_rows.push_back(static_cast<int64_t>(r));
      }
    }
    std::vector<int64_t> right_rows(right.size());
    std::iota(right_rows.begin(), right_rows.end(), int64_t{0});
    Frame j = Frame({"k"}, {Column::Ints(left)})
                  .InnerJoin(Frame({"k", "row"}, {Column::Ints(right), Column::Ints(right_rows)}),
                             "k", "k");
    EXPECT_EQ(j.column("k").ints(), expected_right_keys);
    EXPECT_EQ(j.column("row").ints(), expected_right_rows);
  }
}

TEST(FrameJoinTest, EmptySidesAndErrors) {
  Frame empty = Transactions().Slice(0, 0);
  EXPECT_EQ(Clients().InnerJoin(empty, "id", "cliente_id").shape(),
            (std::pair<size_t, size_t>{0, 4}));
  ExpectFrameError([] { Clients().InnerJoin(Transactions(), "idd", "cliente_id"); },
                   "unknown column 'idd'");
  ExpectFrameError([] { Clients().InnerJoin(Transactions(), "nome", "cliente_id"); },
                   "InnerJoin: left key 'nome' is string but right key 'cliente_id' is int64");
  Frame left = Clients();
  left.AddColumn("nome_right", Column::Ints({0, 0, 0, 0}));
  ExpectFrameError([&] { left.InnerJoin(Transactions(), "id", "cliente_id"); },
                   "right column 'nome' renamed to 'nome_right' collides");
}

}  // namespace
}  // namespace gym
