// CPF arithmetic: modulo-11 check digits.
#include "gym/domain/cpf.h"

namespace gym {
namespace {

int CheckDigit(const int* digits, int count) {
  int sum = 0;
  for (int i = 0; i < count; ++i) sum += digits[i] * (count + 1 - i);
  const int remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}

}  // namespace

std::array<int, 2> CpfCheckDigits(uint32_t base) {
  int digits[10];
  for (int i = 8; i >= 0; --i) {
    digits[i] = static_cast<int>(base % 10);
    base /= 10;
  }
  digits[9] = CheckDigit(digits, 9);
  return {digits[9], CheckDigit(digits, 10)};
}

void WriteCpf(uint32_t base, char* out) {
  const std::array<int, 2> check = CpfCheckDigits(base);
  // Positions of the nine base digits in "###.###.###-##".
  static constexpr int kSlots[9] = {0, 1, 2, 4, 5, 6, 8, 9, 10};
  for (int i = 8; i >= 0; --i) {
    out[kSlots[i]] = static_cast<char>('0' + base % 10);
    base /= 10;
  }
  out[3] = '.';
  out[7] = '.';
  out[11] = '-';
  out[12] = static_cast<char>('0' + check[0]);
  out[13] = static_cast<char>('0' + check[1]);
}

std::string FormatCpf(uint32_t base) {
  std::string text(14, '0');
  WriteCpf(base, text.data());
  return text;
}

bool IsValidCpf(std::string_view formatted) {
  if (formatted.size() != 14 || formatted[3] != '.' || formatted[7] != '.' ||
      formatted[11] != '-') {
    return false;
  }
  int digits[11];
  int n = 0;
  for (size_t i = 0; i < formatted.size(); ++i) {
    if (i == 3 || i == 7 || i == 11) continue;
    const char c = formatted[i];
    if (c < '0' || c > '9') return false;
    digits[n++] = c - '0';
  }
  bool all_same = true;
  for (int i = 1; i < 9; ++i) all_same = all_same && digits[i] == digits[0];
  return !all_same && CheckDigit(digits, 9) == digits[9] && CheckDigit(digits, 10) == digits[10];
}

}  // namespace gym
