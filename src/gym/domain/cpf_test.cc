// CPF check digits against hand-computed examples, and validation of malformed text.
#include "gym/domain/cpf.h"

#include <string>

#include "gtest/gtest.h"

namespace gym {
namespace {

struct CheckCase {
  uint32_t base;
  std::string formatted;
};

// Worked by hand (weights 10..2 for the first digit, 11..2 for the second; remainder r of
// the sum mod 11 gives 0 when r < 2, else 11 - r):
//   111444777: 10+9+8+28+24+20+28+21+14 = 162, r = 8 -> 3;
//              11+10+9+32+28+24+35+28+21 + 3*2 = 204, r = 6 -> 5.
//   529982247: 50+18+72+63+48+10+8+12+14 = 295, r = 9 -> 2;
//              55+20+81+72+56+12+10+16+21 + 2*2 = 347, r = 6 -> 5.
//   100000001: 10+2 = 12, r = 1 -> 0 (the r < 2 branch); 11+3 + 0*2 = 14, r = 3 -> 8.
//   100000000: 10, r = 10 -> 1; 11 + 1*2 = 13, r = 2 -> 9.
//   000000191: 1*4+9*3+1*2 = 33, r = 0 -> 0; 1*5+9*4+1*3 + 0 = 44, r = 0 -> 0.
TEST(CpfTest, CheckDigitsMatchHandComputedExamples) {
  const CheckCase cases[] = {
      {111444777, "111.444.777-35"}, {529982247, "529.982.247-25"}, {100000001, "100.000.001-08"},
      {100000000, "100.000.000-19"}, {191, "000.000.191-00"},
  };
  for (const CheckCase& c : cases) {
    SCOPED_TRACE(c.formatted);
    EXPECT_EQ(FormatCpf(c.base), c.formatted);
    EXPECT_TRUE(IsValidCpf(c.formatted));
  }
}

TEST(CpfTest, RejectsWrongDigitsRepdigitsAndBadFormat) {
  const std::string invalid[] = {
      "111.444.777-36",   // second check digit off by one
      "111.444.777-45",   // first check digit wrong
      "111.444.778-35",   // base changed, digits kept
      "111.111.111-11",   // passes the arithmetic, but all digits equal
      "000.000.000-00",   // likewise
      "11144477735",      // unformatted
      "111.444.777.35",   // wrong separator
      "111-444-777-35",   // wrong separators
      "111.444.77a-35",   // a letter
      "111.444.777-3",    // too short
      "111.444.777-350",  // too long
      "",
  };
  for (const std::string& text : invalid) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(IsValidCpf(text));
  }
}

}  // namespace
}  // namespace gym
