#include "gym/handlers/risk_handler.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/testing/status_matchers.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::StatusIs;

// Suspicious when valor > 3000 or the day is Saturday/Sunday (weekday > 4.5).
std::shared_ptr<const RiskModel> HandMadeModel() {
  const std::string tree = R"({"format": "gym-risk-tree", "version": 1,
      "features": ["valor", "weekday", "month", "moeda=BRL"], "currencies": ["BRL"],
      "nodes": [{"feature": 0, "threshold": 3000, "left": 1, "right": 4},
                {"feature": 1, "threshold": 4.5, "left": 2, "right": 3},
                {"leaf": 0}, {"leaf": 1}, {"leaf": 1}]})";
  return std::make_shared<const RiskModel>(*RiskModel::FromJson(tree, "tree"));
}

TEST(RiskHandler, AddsSuspeita) {
  // 2026-11-23 is a Monday and 2026-11-28 a Saturday.
  Frame input({"id", "data", "valor", "moeda"},
              {Column::Ints({1, 2, 3, 4}),
               Column::Strings({"2026-11-23", "2026-11-23", "2026-11-28", "2026-11-24"}),
               Column::Doubles({100.0, 3500.0, 100.0, 2999.0}),
               Column::Strings({"BRL", "BRL", "BRL", "XYZ"})});
  ASSERT_OK_AND_ASSIGN(Frame out, RiskHandler(HandMadeModel()).Handle(input));
  EXPECT_EQ(out.column("suspeita").ints(), (std::vector<int64_t>{0, 1, 1, 0}));
  EXPECT_EQ(out.column("id").ints(), (std::vector<int64_t>{1, 2, 3, 4}));
}

TEST(RiskHandler, UnreadableRowsAreRemovedAndReported) {
  Column data = Column::Strings({"2026-11-23", "2026-13-01", "", "2026-11-23", "23/11/2026"});
  data.SetNull(2);
  Column valor = Column::Doubles({1.0, 2.0, 3.0, 0.0, 5.0});
  valor.SetNull(3);
  Frame input({"event_id", "data", "valor", "moeda"},
              {Column::Strings({"e0", "e1", "e2", "e3", "e4"}), data, valor,
               Column::Strings({"BRL", "BRL", "BRL", "BRL", "BRL"})});
  std::vector<RowError> errors;
  RiskHandler handler(HandMadeModel(), [&](const RowError& e) { errors.push_back(e); });
  ASSERT_OK_AND_ASSIGN(Frame out, handler.Handle(input));
  EXPECT_EQ(out.column("event_id").strings(), (std::vector<std::string>{"e0"}));
  ASSERT_EQ(errors.size(), 4u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"e1", "2026-13-01"}, {"e2", "data is null"}, {"e3", "valor is null"}, {"e4", "23/11/2026"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(errors[i].event_id, expected[i].first);
    EXPECT_EQ(errors[i].node, "risk");
    EXPECT_THAT(errors[i].reason, ::testing::HasSubstr(expected[i].second));
  }
  EXPECT_EQ(handler.rejected_rows(), 4u);
}

TEST(RiskHandler, ValorAsTextIsParsed) {
  Frame input({"data", "valor", "moeda"},
              {Column::Strings({"2026-11-23", "2026-11-23", "2026-11-23"}),
               Column::Strings({"4000.50", "12", "12,5"}), Column::Strings({"BRL", "BRL", "BRL"})});
  RiskHandler handler(HandMadeModel(), [](const RowError&) {});
  ASSERT_OK_AND_ASSIGN(Frame out, handler.Handle(input));
  EXPECT_EQ(out.column("suspeita").ints(), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(handler.rejected_rows(), 1u);
}

TEST(RiskHandler, AMissingOrMistypedColumnFailsTheMessageNamingIt) {
  RiskHandler handler(HandMadeModel());
  EXPECT_THAT(handler.Handle(Frame({"data", "valor"},
                                   {Column::Strings({"2026-11-23"}), Column::Doubles({1.0})})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("risk: input has no column 'moeda' (needs data, valor, moeda)")));
  EXPECT_THAT(handler.Handle(Frame(
                  {"data", "valor", "moeda"},
                  {Column::Ints({20261123}), Column::Doubles({1.0}), Column::Strings({"BRL"})})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("risk: columns 'data' and 'moeda' must be strings")));
}

}  // namespace
}  // namespace gym
