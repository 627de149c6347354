// The seeded permutation behind CpfSequence: a four-round Feistel network over 30 bits with
// cycle walking, so an index maps to a base without a table of the bases already issued.
#include "gym/datagen/cpf_sequence.h"

#include <stdexcept>
#include <string>

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

}  // namespace

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
