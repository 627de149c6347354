// CategoryFor: a deterministic hash of the id stands in for a model.
#include "gym/domain/categories.h"

namespace gym {
namespace {

// Mixed into the id so categories do not simply follow id % 10.
constexpr uint64_t kCategorySeed = 0x6a09e667f3bcc909ULL;

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::string_view CategoryFor(int64_t transaction_id) {
  const uint64_t hash = SplitMix64(static_cast<uint64_t>(transaction_id) ^ kCategorySeed);
  return kCategories[hash % kCategories.size()];
}

}  // namespace gym
