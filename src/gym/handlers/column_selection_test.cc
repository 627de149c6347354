#include "gym/handlers/column_selection.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/testing/status_matchers.h"

namespace gym {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing_util::StatusIs;

std::unique_ptr<Handler> Make(const PartInfo& info, std::vector<std::string> columns) {
  PartOptions options;
  options.Set("columns", std::move(columns));
  absl::StatusOr<std::unique_ptr<Handler>> made = info.make("slim", options, PartContext{});
  EXPECT_OK(made);
  return made.ok() ? *std::move(made) : nullptr;
}

Frame Input() {
  return Frame({"id", "valor", "moeda"},
               {Column::Ints({1}), Column::Doubles({2.5}), Column::Strings({"BRL"})});
}

TEST(DropColumns, RemovesThePresentColumnsAndIgnoresAbsentOnes) {
  const std::unique_ptr<Handler> drop = Make(DropColumnsPart(), {"moeda", "nope"});
  ASSERT_NE(drop, nullptr);
  ASSERT_OK_AND_ASSIGN(const Frame out, drop->Handle(Input()));
  EXPECT_THAT(out.column_names(), ElementsAre("id", "valor"));
  const std::unique_ptr<Handler> none = Make(DropColumnsPart(), {"nope"});
  ASSERT_NE(none, nullptr);
  ASSERT_OK_AND_ASSIGN(const Frame same, none->Handle(Input()));
  EXPECT_EQ(same, Input());
}

TEST(KeepColumns, KeepsTheNamedColumnsInOrder) {
  const std::unique_ptr<Handler> keep = Make(KeepColumnsPart(), {"moeda", "id"});
  ASSERT_NE(keep, nullptr);
  ASSERT_OK_AND_ASSIGN(const Frame out, keep->Handle(Input()));
  EXPECT_THAT(out.column_names(), ElementsAre("moeda", "id"));
}

// Something upstream did not produce what the pipeline file says: the message fails, naming
// the column and what the input had.
TEST(KeepColumns, AnAbsentColumnFailsTheMessageNamingIt) {
  const std::unique_ptr<Handler> keep = Make(KeepColumnsPart(), {"id", "categoria"});
  ASSERT_NE(keep, nullptr);
  EXPECT_THAT(keep->Handle(Input()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("keep_columns: input has no column 'categoria' (it has: id, "
                                 "valor, moeda)")));
}

}  // namespace
}  // namespace gym
