// CPF arithmetic (modulo-11 check digits) and the seeded permutation behind CpfSequence.
#include "gym/datagen/cpf.h"

#include <stdexcept>

#include "gym/datagen/rng.h"

namespace gym {
namespace {

constexpr uint32_t kBaseCount = 1'000'000'000;
constexpr uint32_t kRepdigitStep = 111'111'111;
// The permutation works on 30 bits (two 15-bit Feistel halves), the smallest even width
// that covers 10^9; values outside the CPF range are walked past (cycle walking).
constexpr uint32_t kHalfBits = 15;
constexpr uint32_t kHalfMask = (1u << kHalfBits) - 1;

bool IsRepdigit(uint32_t base) { return base % kRepdigitStep == 0 && base / kRepdigitStep <= 9; }

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

CpfSequence::CpfSequence(uint64_t seed) {
  MockRng rng = MockRng::ForRow(seed, MockStream::kCpfKey, 0);
  for (uint32_t& key : round_keys_) key = static_cast<uint32_t>(rng.Next());
}

uint32_t CpfSequence::Permute(uint32_t x) const {
  uint32_t left = x >> kHalfBits;
  uint32_t right = x & kHalfMask;
  for (uint32_t key : round_keys_) {
    const uint32_t f = static_cast<uint32_t>(MockMix64((uint64_t{key} << 32) | right)) & kHalfMask;
    const uint32_t next_right = left ^ f;
    left = right;
    right = next_right;
  }
  return (left << kHalfBits) | right;
}

uint32_t CpfSequence::BaseAt(uint64_t index) const {
  if (index >= kCapacity) {
    throw std::out_of_range("CpfSequence::BaseAt: index " + std::to_string(index) +
                            " is not below the capacity " + std::to_string(kCapacity));
  }
  // Number the allowed bases in order (skipping the repeated-digit ones), then permute.
  auto x = static_cast<uint32_t>(index);
  for (uint32_t r = 0; r <= 9; ++r) {
    if (x >= r * kRepdigitStep) ++x;
  }
  // Cycle walking: a permutation of [0, 2^30) restricted to the allowed set, by applying it
  // again until it lands inside, is a permutation of that set.
  do {
    x = Permute(x);
  } while (x >= kBaseCount || IsRepdigit(x));
  return x;
}

}  // namespace gym
