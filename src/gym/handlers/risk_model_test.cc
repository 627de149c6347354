#include "gym/handlers/risk_model.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/datagen/frames.h"
#include "gym/datagen/generator.h"

namespace gym {
namespace {

using ::testing::HasSubstr;

// The seed's training set: 10,000 rows labeled by the rule.
Frame LabeledData(uint64_t seed, int64_t rows) {
  MockGenerator generator(seed, *Date::Parse("2026-11-26"));
  std::vector<LabeledTransaction> labeled;
  for (int64_t id = 1; id <= rows; ++id) labeled.push_back(generator.Labeled(id, id % 97 + 1));
  return LabeledFrame(labeled);
}

std::string TempPath(const std::string& name) { return ::testing::TempDir() + "/" + name; }

TEST(RiskModel, LearnsTheLabelingRule) {
  for (uint64_t seed : {1u, 42u, 2026u}) {
    SCOPED_TRACE(seed);
    auto trained = RiskModel::Train(LabeledData(seed, 10000), {.seed = seed});
    ASSERT_TRUE(trained.ok()) << trained.status();
    const auto& [model, report] = *trained;
    EXPECT_EQ(report.train_rows, 8000u);
    EXPECT_EQ(report.test_rows, 2000u);
    EXPECT_GE(report.accuracy, 0.995);
    EXPECT_GE(report.precision, 0.99);
    EXPECT_GE(report.recall, 0.99);
    EXPECT_EQ(model.currencies(), (std::vector<std::string>{"BRL", "EUR", "USD"}));
    EXPECT_EQ(model.Predict(100.0, 0, 11, "BRL"), 0);
    EXPECT_EQ(model.Predict(4500.0, 0, 11, "BRL"), 1);
    EXPECT_EQ(model.Predict(100.0, 0, 11, "USD"), 1);
    EXPECT_EQ(model.Predict(100.0, 5, 11, "BRL"), 1);
  }
}

TEST(RiskModel, SameSeedSameModel) {
  const Frame data = LabeledData(3, 2000);
  auto a = RiskModel::Train(data, {.seed = 9});
  auto b = RiskModel::Train(data, {.seed = 9});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->first.ToJson(), b->first.ToJson());
}

TEST(RiskModel, SaveLoadRoundTripPredictsTheSame) {
  auto trained = RiskModel::Train(LabeledData(5, 3000), {});
  ASSERT_TRUE(trained.ok()) << trained.status();
  const RiskModel& model = trained->first;
  const std::string path = TempPath("risk_round_trip.json");
  ASSERT_TRUE(model.Save(path).ok());
  absl::StatusOr<RiskModel> loaded = RiskModel::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->ToJson(), model.ToJson());
  for (double valor : {10.0, 2999.99, 3000.0, 3000.01, 4999.0}) {
    for (int weekday = 0; weekday < 7; ++weekday) {
      for (const char* moeda : {"BRL", "EUR", "USD", "JPY", ""}) {
        SCOPED_TRACE(std::to_string(valor) + " " + std::to_string(weekday) + " " + moeda);
        EXPECT_EQ(loaded->Predict(valor, weekday, 6, moeda),
                  model.Predict(valor, weekday, 6, moeda));
      }
    }
  }
  std::remove(path.c_str());
}

TEST(RiskModel, UnknownCurrencyEncodesAsAllZeros) {
  const std::string tree = R"({"format": "gym-risk-tree", "version": 1,
      "features": ["valor", "weekday", "month", "moeda=BRL", "moeda=USD"],
      "currencies": ["BRL", "USD"],
      "nodes": [{"feature": 3, "threshold": 0.5, "left": 1, "right": 2},
                {"leaf": 1}, {"leaf": 0}]})";
  absl::StatusOr<RiskModel> model = RiskModel::FromJson(tree, "tree");
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ(model->Features(10.0, 2, 3, "JPY"), (std::vector<double>{10.0, 2, 3, 0, 0}));
  EXPECT_EQ(model->Features(10.0, 2, 3, "USD"), (std::vector<double>{10.0, 2, 3, 0, 1}));
  EXPECT_EQ(model->Predict(10.0, 2, 3, "BRL"), 0);
  EXPECT_EQ(model->Predict(10.0, 2, 3, "JPY"), 1);
}

TEST(RiskModel, BadModelFilesAreClearErrors) {
  const std::string head =
      R"("format": "gym-risk-tree", "version": 1, "currencies": ["BRL"],
         "features": ["valor", "weekday", "month", "moeda=BRL"], )";
  struct Case {
    std::string name;
    std::string json;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"not json", "{nope", "not valid JSON"},
      {"array", "[]", "JSON object"},
      {"format", R"({"format": "x", "version": 1})", "\"format\""},
      {"version", R"({"format": "gym-risk-tree", "version": 2})", "version 2 is not supported"},
      {"features", R"({"format": "gym-risk-tree", "version": 1, "currencies": ["BRL"],
         "features": ["valor"], "nodes": [{"leaf": 0}]})",
       "\"features\" must be"},
      {"no nodes", "{" + head + R"("nodes": []})", "\"nodes\""},
      {"leaf value", "{" + head + R"("nodes": [{"leaf": 3}]})", "nodes[0].leaf"},
      {"feature range", "{" + head + R"("nodes": [{"feature": 4, "threshold": 1,
         "left": 1, "right": 2}, {"leaf": 0}, {"leaf": 1}]})",
       "nodes[0].feature 4"},
      {"cycle", "{" + head + R"("nodes": [{"feature": 0, "threshold": 1, "left": 0,
         "right": 1}, {"leaf": 1}]})",
       "nodes[0].left"},
      {"child range", "{" + head + R"("nodes": [{"feature": 0, "threshold": 1, "left": 1,
         "right": 9}, {"leaf": 1}]})",
       "nodes[0].right"},
      {"threshold", "{" + head + R"("nodes": [{"feature": 0, "threshold": "x", "left": 1,
         "right": 2}, {"leaf": 0}, {"leaf": 1}]})",
       "nodes[0].threshold"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<RiskModel> model = RiskModel::FromJson(c.json, "m.json");
    ASSERT_FALSE(model.ok());
    EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(model.status().message());
    EXPECT_THAT(message, HasSubstr("m.json: "));
    EXPECT_THAT(message, HasSubstr(c.message));
  }
  absl::StatusOr<RiskModel> missing = RiskModel::Load(TempPath("no_such_model.json"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

TEST(RiskModel, TrainingErrorsNameTheRow) {
  struct Case {
    std::string name;
    Frame data;
    std::string message;
  };
  Column valores = Column::Doubles({10.0, 20.0, 30.0});
  valores.SetNull(2);
  const std::vector<Case> cases = {
      {"bad date",
       Frame(
           {"data", "valor", "moeda", "suspeita"},
           {Column::Strings({"2026-01-05", "2026-02-30", "2026-01-07"}), Column::Doubles({1, 2, 3}),
            Column::Strings({"BRL", "BRL", "USD"}), Column::Ints({0, 0, 1})}),
       "row 1: data '2026-02-30'"},
      {"null valor",
       Frame({"data", "valor", "moeda", "suspeita"},
             {Column::Strings({"2026-01-05", "2026-01-06", "2026-01-07"}), valores,
              Column::Strings({"BRL", "BRL", "USD"}), Column::Ints({0, 0, 1})}),
       "row 2: valor"},
      {"bad label",
       Frame({"data", "valor", "moeda", "suspeita"},
             {Column::Strings({"2026-01-05", "2026-01-06"}), Column::Doubles({1, 2}),
              Column::Strings({"BRL", "BRL"}), Column::Ints({0, 7})}),
       "row 1: suspeita"},
      {"missing column",
       Frame({"data", "valor"},
             {Column::Strings({"2026-01-05", "2026-01-06"}), Column::Doubles({1, 2})}),
       "no column 'moeda'"},
      {"too few rows",
       Frame({"data", "valor", "moeda", "suspeita"},
             {Column::Strings({"2026-01-05"}), Column::Doubles({1}), Column::Strings({"BRL"}),
              Column::Ints({0})}),
       "at least 2"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto trained = RiskModel::Train(c.data, {});
    ASSERT_FALSE(trained.ok());
    EXPECT_THAT(std::string(trained.status().message()), HasSubstr(c.message));
  }
}

}  // namespace
}  // namespace gym
