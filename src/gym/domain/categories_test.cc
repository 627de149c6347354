// CategoryFor: deterministic, and every category is reachable.
#include "gym/domain/categories.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "gtest/gtest.h"

namespace gym {
namespace {

TEST(CategoryFor, IsDeterministicAndUsesEveryCategory) {
  std::set<std::string_view> seen;
  for (int64_t id = -50; id < 1000; ++id) {
    SCOPED_TRACE(id);
    const std::string_view category = CategoryFor(id);
    EXPECT_EQ(category, CategoryFor(id));
    EXPECT_NE(std::find(kCategories.begin(), kCategories.end(), category), kCategories.end());
    seen.insert(category);
  }
  EXPECT_EQ(seen.size(), kCategories.size());
}

}  // namespace
}  // namespace gym
