// IsKnownCurrency: the seed's three codes, exactly.
#include "gym/domain/currencies.h"

#include <string_view>

#include "gtest/gtest.h"

namespace gym {
namespace {

TEST(IsKnownCurrency, AcceptsTheThreeCodesExactly) {
  const struct {
    std::string_view code;
    bool known;
  } cases[] = {
      {"BRL", true},   {"USD", true}, {"EUR", true},  {"brl", false},
      {"BRL ", false}, {"", false},   {"GBP", false}, {"BR", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.code);
    EXPECT_EQ(IsKnownCurrency(c.code), c.known);
  }
}

}  // namespace
}  // namespace gym
