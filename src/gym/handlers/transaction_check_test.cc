#include "gym/handlers/transaction_check.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/handlers/category_classifier.h"
#include "gym/handlers/risk_handler.h"
#include "gym/testing/status_matchers.h"
#include "nlohmann/json.hpp"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::StatusIs;

std::shared_ptr<const RiskModel> AlwaysCalm() {
  const std::string tree = R"({"format": "gym-risk-tree", "version": 1,
      "features": ["valor", "weekday", "month", "moeda=BRL"], "currencies": ["BRL"],
      "nodes": [{"leaf": 0}]})";
  return std::make_shared<const RiskModel>(*RiskModel::FromJson(tree, "tree"));
}

// e1 only risk rejects (no such date), e2 only category rejects (no id to categorize by).
Frame Transactions() {
  Column ids = Column::Ints({1, 2, 0, 4});
  ids.SetNull(2);
  return Frame(
      {"event_id", "batch_id", "id", "data", "valor", "moeda"},
      {Column::Strings({"b:0", "b:1", "b:2", "b:3"}), Column::Strings({"b", "b", "b", "b"}), ids,
       Column::Strings({"2026-11-23", "2026-02-30", "2026-11-23", "2026-11-24"}),
       Column::Doubles({10, 20, 30, 40}), Column::Strings({"BRL", "BRL", "BRL", "USD"})});
}

// Each sibling alone drops a different row, so the other branch would store it; after the
// check both see the same rows and drop none.
TEST(TransactionCheckHandler, BothBranchesSeeTheSameRows) {
  std::vector<RowError> errors;
  TransactionCheckHandler check([&](const RowError& e) { errors.push_back(e); });
  ASSERT_OK_AND_ASSIGN(Frame checked, check.Handle(Transactions()));
  EXPECT_EQ(checked.column("event_id").strings(), (std::vector<std::string>{"b:0", "b:3"}));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].event_id, "b:1");
  EXPECT_EQ(errors[0].node, "check_tx");
  EXPECT_THAT(errors[0].reason, HasSubstr("risk: data '2026-02-30'"));
  EXPECT_EQ(errors[1].event_id, "b:2");
  EXPECT_THAT(errors[1].reason, HasSubstr("category: categoria is missing and id is null"));
  // The rejection record carries the row itself.
  EXPECT_EQ(errors[0].batch_id, "b");
  const nlohmann::json payload = nlohmann::json::parse(errors[0].payload);
  EXPECT_EQ(payload["data"], "2026-02-30");
  EXPECT_EQ(payload["id"], 2);
  EXPECT_FALSE(payload.contains("event_id"));

  RiskHandler risk(AlwaysCalm());
  CategoryHandler category;
  ASSERT_OK_AND_ASSIGN(const Frame scored, risk.Handle(checked));
  EXPECT_EQ(scored.num_rows(), 2u);
  ASSERT_OK_AND_ASSIGN(const Frame categorized, category.Handle(checked));
  EXPECT_EQ(categorized.num_rows(), 2u);
  EXPECT_EQ(risk.rejected_rows(), 0u);
  EXPECT_EQ(category.rejected_rows(), 0u);
}

// Without the check, the two branches disagree: the reason the node exists.
TEST(TransactionCheckHandler, SiblingsAloneDisagree) {
  RiskHandler risk(AlwaysCalm(), [](const RowError&) {});
  CategoryHandler category([](const RowError&) {});
  ASSERT_OK_AND_ASSIGN(const Frame scored, risk.Handle(Transactions()));
  EXPECT_EQ(scored.column("event_id").strings(), (std::vector<std::string>{"b:0", "b:2", "b:3"}));
  ASSERT_OK_AND_ASSIGN(const Frame categorized, category.Handle(Transactions()));
  EXPECT_EQ(categorized.column("event_id").strings(),
            (std::vector<std::string>{"b:0", "b:1", "b:3"}));
}

TEST(TransactionCheckHandler, AFrameWithoutTheColumnsFailsWhole) {
  TransactionCheckHandler check;
  EXPECT_THAT(check.Handle(Frame({"id"}, {Column::Ints({1})})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("risk: input has no column 'data' (needs data, valor, moeda)")));
  EXPECT_EQ(check.rejected_rows(), 0u);
}

}  // namespace
}  // namespace gym
