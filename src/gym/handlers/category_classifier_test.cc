#include "gym/handlers/category_classifier.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "gym/testing/status_matchers.h"

namespace gym {
namespace {

TEST(CategoryHandler, KeepsGivenAndFillsMissing) {
  Column given = Column::Strings({"Lazer", "", "", "Moradia"});
  given.SetNull(2);
  Frame input({"id", "categoria"}, {Column::Ints({10, 11, 12, 13}), given});
  ASSERT_OK_AND_ASSIGN(Frame out, CategoryHandler().Handle(input));
  const std::vector<std::string> expected = {"Lazer", std::string(CategoryFor(11)),
                                             std::string(CategoryFor(12)), "Moradia"};
  EXPECT_EQ(out.column("categoria").strings(), expected);
  EXPECT_EQ(out.column("categoria").NullCount(), 0u);
}

TEST(CategoryHandler, AddsTheColumnWhenAbsentAndIsStableAcrossRetries) {
  Frame input({"id", "valor"}, {Column::Ints({7, 8}), Column::Doubles({1.0, 2.0})});
  CategoryHandler handler;
  ASSERT_OK_AND_ASSIGN(Frame first, handler.Handle(input));
  ASSERT_OK_AND_ASSIGN(Frame retry, handler.Handle(input));
  ASSERT_TRUE(first.HasColumn("categoria"));
  EXPECT_EQ(first.column("categoria").StringAt(0), CategoryFor(7));
  EXPECT_EQ(first.column("categoria").StringAt(1), CategoryFor(8));
  EXPECT_EQ(first, retry);
}

TEST(CategoryHandler, RowsWithoutIdAreRemovedAndReported) {
  struct Case {
    std::string name;
    Frame input;
    std::vector<std::string> kept_events;
  };
  Column ids = Column::Ints({1, 0});
  ids.SetNull(1);
  std::vector<Case> cases;
  cases.push_back(
      {"null id", Frame({"id", "event_id"}, {ids, Column::Strings({"e0", "e1"})}), {"e0"}});
  cases.push_back({"no id column, one given",
                   Frame({"categoria", "event_id"},
                         {Column::Strings({"Lazer", ""}), Column::Strings({"e0", "e1"})}),
                   {"e0"}});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<RowError> errors;
    CategoryHandler handler([&](const RowError& e) { errors.push_back(e); });
    ASSERT_OK_AND_ASSIGN(Frame out, handler.Handle(c.input));
    EXPECT_EQ(out.column("event_id").strings(), c.kept_events);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].event_id, "e1");
    EXPECT_EQ(errors[0].node, "category");
    EXPECT_EQ(handler.rejected_rows(), 1u);
  }
}

}  // namespace
}  // namespace gym
